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
    const groups = args.groups.map(
      (g) =>
        new pulumiservice.PolicyGroup(
          `${name}-${g.name}`,
          {
            name: g.name,
            organizationName: args.organizationName,
            entityType: "stacks",
            mode: args.mode,
            stacks: g.stacks.map((s) => ({ name: s.stack, routingProject: s.project })),
            policyPacks: [{ name: args.pack.name, versionTag: args.pack.version, config: g.config }],
          },
          { parent: this },
        ),
    );
    this.policyGroupStacks = Object.fromEntries(args.groups.map((g) => [g.name, g.stacks.map((s) => `${s.project}/${s.stack}`)]));
    this.policyGroupNames = pulumi.all(groups.map((g) => g.name));
    this.registerOutputs({ policyGroupStacks: this.policyGroupStacks, policyGroupNames: this.policyGroupNames });
  }
}
