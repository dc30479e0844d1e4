import * as pulumi from "@pulumi/pulumi";
import * as pulumiservice from "@pulumi/pulumiservice";
import type { PolicyGroupPlan } from "./pack-config";
import type { PolicyPackManifest } from "./pack";
import type { GovernanceSettings } from "./config-schema";

export interface PolicyEnforcementArgs {
  /** The Pulumi Cloud organisation that owns the stacks and the published pack. */
  readonly organizationName: string;
  /** `preventative` blocks an operation with a mandatory violation; `audit` only reports it. */
  readonly mode: GovernanceSettings["mode"];
  /** The published pack: its name and version tag. */
  readonly pack: PolicyPackManifest;
  /** One policy group per distinct pack config, with its stacks. */
  readonly groups: readonly PolicyGroupPlan[];
}

/** One policy group as it is registered: its logical (URN) name and its inputs. */
export interface PolicyGroupSpec {
  readonly resourceName: string;
  readonly props: {
    readonly name: string;
    readonly organizationName: string;
    readonly entityType: "stacks";
    readonly mode: GovernanceSettings["mode"];
    readonly stacks: readonly { readonly name: string; readonly routingProject: string }[];
    readonly policyPacks: readonly { readonly name: string; readonly versionTag: string; readonly config: PolicyGroupPlan["config"] }[];
  };
}

/**
 * The policy groups to register. The enforcement mode and the pack version are part of each
 * group's name and logical name, because the pulumiservice provider (v1.3.0,
 * provider/pkg/resources/policy_group.go) cannot change either in place without a gap: a new
 * `mode` is a replacement it always does delete-before-replace, and a new pack version is an
 * update that removes the old pack before adding the new one. A group under a new name is a new
 * resource instead: Pulumi creates it while running the program and deletes the old one only at
 * the end of the update (and not at all if the update fails), so every stack stays under at least
 * one enforcing group throughout.
 */
export function policyGroupSpecs(name: string, args: PolicyEnforcementArgs): PolicyGroupSpec[] {
  const generation = `${args.mode}-v${args.pack.version}`.replace(/[^A-Za-z0-9_.-]+/g, "-");
  return args.groups.map((g) => ({
    resourceName: `${name}-${g.name}-${generation}`,
    props: {
      name: `${g.name}-${generation}`,
      organizationName: args.organizationName,
      entityType: "stacks",
      mode: args.mode,
      stacks: g.stacks.map((s) => ({ name: s.stack, routingProject: s.project })),
      policyPacks: [{ name: args.pack.name, versionTag: args.pack.version, config: g.config }],
    },
  }));
}

/**
 * Org-wide enforcement of the policy pack in Pulumi Cloud: one `pulumiservice.PolicyGroup` per
 * group of stacks that share a pack config, each applying the published pack at its version.
 */
export class PolicyEnforcement extends pulumi.ComponentResource {
  /** Policy group name -> the stacks it enforces the pack on (`<project>/<stack>`). */
  readonly policyGroupStacks: Record<string, string[]>;
  readonly policyGroupNames: pulumi.Output<string[]>;

  constructor(name: string, args: PolicyEnforcementArgs, opts?: pulumi.ComponentResourceOptions) {
    super("jumpenv:index:PolicyEnforcement", name, {}, opts);
    const specs = policyGroupSpecs(name, args);
    const groups = specs.map(
      (s) =>
        new pulumiservice.PolicyGroup(
          s.resourceName,
          { ...s.props, stacks: [...s.props.stacks], policyPacks: s.props.policyPacks.map((p) => ({ ...p })) },
          { parent: this },
        ),
    );
    this.policyGroupStacks = Object.fromEntries(
      specs.map((s) => [s.props.name, s.props.stacks.map((x) => `${x.routingProject}/${x.name}`)]),
    );
    this.policyGroupNames = pulumi.all(groups.map((g) => g.name));
    this.registerOutputs({ policyGroupStacks: this.policyGroupStacks, policyGroupNames: this.policyGroupNames });
  }
}
