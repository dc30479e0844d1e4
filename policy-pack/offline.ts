/**
 * Runs the pack's policies over a list of resources without the Pulumi CLI, the way the engine and
 * `@pulumi/policy` 1.21.0 (`server.js`) run them: remediations first (policies at level
 * `remediate`), then every resource validation on the remediated props, then stack validations.
 * Each validation gets a fresh copy of the props behind `unknownCheckingProxy`, `getConfig()`
 * returns only what the config file sets (the SDK applies no defaults), an `UnknownValueError`
 * becomes an advisory "can't run policy ... during preview" finding, `notApplicable` is recorded,
 * and any other exception fails the run as it fails the engine's Analyze call.
 *
 * Used by `npm run audit` (verify/audit/audit.ts) and the offline planner. Imports nothing but
 * `@pulumi/policy`, so it ships inside the pack.
 */
import type {
  EnforcementLevel,
  Policies,
  PolicyPackConfig,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { effectiveConfig } from "./config-file";
import { freshProps, toEngineProps, unwrap } from "./engine-props";
import { PACK_NAME, policies as packPolicies } from "./policies";
import { UnknownValueError, getPulumiType, isResourcePolicy, isStackPolicy } from "./sdk";

/** A resource as the engine describes it to a policy pack. */
export interface OfflineResource {
  readonly type: string;
  /** `urn:pulumi:<stack>::<project>::<type>::<name>`; when empty, one is made from `project`/`stack`. */
  readonly urn: string;
  readonly name: string;
  /**
   * The resource's inputs: plain JSON with unknown values as the engine's sentinel strings, or as
   * Pulumi runtime mocks record them (`output.unknown`, secrets as `{sig, value}`).
   */
  readonly props: Record<string, unknown>;
  readonly opts?: Partial<PolicyResourceOptions>;
  /** Parent URN, for stack validations. */
  readonly parent?: string;
  /** The resource's provider as the engine describes it (`AnalyzeRequest.provider`): its type, URN, name and inputs. */
  readonly provider?: OfflineProvider;
  readonly dependencies?: readonly string[];
}

/** A provider resource, with its inputs in the same form as a resource's props. */
export interface OfflineProvider {
  readonly type: string;
  readonly urn: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
}

/** A finding, as the Pulumi CLI prints it: the policy's description, a newline, the message. */
export interface Violation {
  readonly policy: string;
  readonly urn: string;
  readonly message: string;
  readonly enforcementLevel: "advisory" | "mandatory";
}

/** Props a policy at level `remediate` changed. */
export interface Remediation {
  readonly policy: string;
  readonly urn: string;
  /** The resource's props after the remediation. */
  readonly props: Record<string, unknown>;
}

export interface NotApplicable {
  readonly policy: string;
  readonly urn?: string;
  readonly reason?: string;
}

export interface RunOptions {
  /** The same JSON as `pulumi preview --policy-pack-config FILE`. */
  readonly config?: PolicyPackConfig;
  readonly stackTags?: Readonly<Record<string, string>>;
  /** Project and stack used to make URNs for resources that come without one. */
  readonly project?: string;
  readonly stack?: string;
  /** Defaults to the pack's own policies. */
  readonly policies?: Policies;
  readonly packName?: string;
  readonly packVersion?: string;
  /** The pack's default level for policies that set none (`new PolicyPack` defaults to advisory). */
  readonly packEnforcementLevel?: EnforcementLevel;
  /**
   * Whether validations see the remediated props, as in a preview or update (the default). An audit
   * of what is deployed sets it to false: remediations are still computed and returned, but each
   * validation sees the props as they are, so a remediate-level policy reports the deployed violation.
   */
  readonly applyRemediations?: boolean;
}

export interface RunResult {
  readonly violations: Violation[];
  readonly remediations: Remediation[];
  readonly notApplicable: NotApplicable[];
  /** The resources as validated: remediated props where a remediation changed them (unless `applyRemediations` is false). */
  readonly resources: OfflineResource[];
}

/** A policy threw something other than an unknown-value or not-applicable signal. */
export class PolicyRunError extends Error {
  constructor(
    message: string,
    readonly cause?: unknown,
  ) {
    super(message);
    this.name = "PolicyRunError";
  }
}

class NotApplicableSignal extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? "Policy does not apply");
  }
}

function throwNotApplicable(reason?: string): never {
  throw new NotApplicableSignal(reason);
}

function defaultOpts(o: Partial<PolicyResourceOptions> = {}, parent?: string): PolicyResourceOptions {
  return {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    additionalSecretOutputs: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    ...(parent === undefined ? {} : { parent }),
    ...o,
  };
}

function isTypeOf(type: string, resourceClass: unknown): boolean {
  const t = getPulumiType(resourceClass);
  if (t) return t === type;
  const isInstance = (resourceClass as { isInstance?: (o: unknown) => boolean } | undefined)?.isInstance;
  return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

/** Runs the policies over the resources. Rejects with `PolicyRunError` when a policy throws. */
export async function runPolicies(resources: readonly OfflineResource[], options: RunOptions = {}): Promise<RunResult> {
  const policies = options.policies ?? packPolicies;
  const packName = options.packName ?? PACK_NAME;
  const packVersion = options.packVersion ?? "local";
  const cfg = effectiveConfig(policies, options.config, options.packEnforcementLevel);
  const stackTags: ReadonlyMap<string, string> = new Map(Object.entries(options.stackTags ?? {}));
  const violations: Violation[] = [];
  const remediations: Remediation[] = [];
  const notApplicable: NotApplicable[] = [];
  const from = (p: { name: string }, what = "policy") => `${what} '${p.name}' from policy pack '${packName}@v${packVersion}'`;

  let current: OfflineResource[] = resources.map((r) => ({
    ...r,
    urn: r.urn || `urn:pulumi:${options.stack ?? "stack"}::${options.project ?? "project"}::${r.type}::${r.name}`,
    props: toEngineProps(r.props ?? {}) as Record<string, unknown>,
    ...(r.provider ? { provider: { ...r.provider, props: toEngineProps(r.provider.props ?? {}) as Record<string, unknown> } } : {}),
  }));

  const reporter =
    (p: { name: string; description: string }, level: EnforcementLevel, urn: string | undefined): ReportViolation =>
    (message: unknown, reportedUrn?: string) => {
      if (message !== null && typeof message === "object") {
        const m = message as { message?: string; description?: string; urn?: string; enforcementLevel?: EnforcementLevel };
        violations.push({
          policy: p.name,
          urn: urn ?? m.urn ?? "",
          message: m.message || m.description || p.description,
          enforcementLevel: asReported(m.enforcementLevel ?? level),
        });
      } else {
        violations.push({
          policy: p.name,
          urn: urn ?? reportedUrn ?? "",
          message: message ? `${p.description}\n${String(message)}` : p.description,
          enforcementLevel: asReported(level),
        });
      }
    };

  const handle = (e: unknown, p: { name: string; description: string }, urn: string | undefined, what: string): void => {
    if (e instanceof UnknownValueError) {
      violations.push({
        policy: p.name,
        urn: urn ?? "",
        message: `can't run ${from(p, what)} during preview: ${e.message}`,
        enforcementLevel: "advisory",
      });
    } else if (e instanceof NotApplicableSignal) {
      notApplicable.push({ policy: p.name, urn, reason: e.reason });
    } else {
      const verb = what === "remediation" ? "remediating" : "validating";
      throw new PolicyRunError(`Error ${verb} resource with ${from(p, what)}: ${(e as Error)?.message ?? String(e)}`, e);
    }
  };

  /** What the engine gives a resource in both kinds of policy: its identity, props, options, provider and type tests. */
  const resourceView = (r: OfflineResource, props: Record<string, unknown>) => ({
    type: r.type,
    urn: r.urn,
    name: r.name,
    props,
    opts: defaultOpts(r.opts, r.parent),
    ...(r.provider ? { provider: { ...r.provider, props: freshProps(r.provider.props) } } : {}),
    isType: (c: unknown) => isTypeOf(r.type, c),
    asType: ((c: unknown) => (isTypeOf(r.type, c) ? props : undefined)) as ResourceValidationArgs["asType"],
  });

  const resourceArgs = (r: OfflineResource, props: Record<string, unknown>, policyName: string): ResourceValidationArgs => ({
    ...resourceView(r, props),
    stackTags,
    getConfig: <T extends object>() => ({ ...cfg[policyName].props }) as T,
    notApplicable: throwNotApplicable,
  });

  // 1. Remediations: only policies whose level is `remediate`.
  const remediators = policies.filter(
    (p): p is ResourceValidationPolicy => cfg[p.name].enforcementLevel === "remediate" && isResourcePolicy(p),
  );
  if (remediators.length > 0) {
    const remediated: OfflineResource[] = [];
    for (const r of current) {
      let props = freshProps(r.props);
      let changed = false;
      for (const p of remediators) {
        if (!p.remediateResource) {
          notApplicable.push({ policy: p.name, urn: r.urn, reason: "Policy does not implement remediateResource" });
          continue;
        }
        const t = getPulumiType(p.remediateResource);
        if (t && t !== r.type) {
          notApplicable.push({ policy: p.name, urn: r.urn, reason: `Policy only applies to resources of type '${t}'` });
          continue;
        }
        try {
          const result = await Promise.resolve(p.remediateResource!(resourceArgs(r, props, p.name)));
          if (result) {
            const plain = unwrap(result) as Record<string, unknown>;
            remediations.push({ policy: p.name, urn: r.urn, props: plain });
            props = freshProps(plain);
            changed = true;
          }
        } catch (e) {
          handle(e, p, r.urn, "remediation");
        }
      }
      remediated.push(changed ? { ...r, props: unwrap(props) as Record<string, unknown> } : r);
    }
    if (options.applyRemediations !== false) current = remediated;
  }

  // 2. Resource validations (the engine's Analyze, one call per resource).
  for (const r of current) {
    for (const p of policies) {
      let level = cfg[p.name].enforcementLevel;
      if (level === "disabled" || !isResourcePolicy(p)) continue;
      const rp = p as ResourceValidationPolicy;
      if (!rp.validateResource) {
        notApplicable.push({ policy: p.name, urn: r.urn, reason: "Policy does not implement validateResource" });
        continue;
      }
      if (level === "remediate") level = "mandatory";
      if (!Array.isArray(rp.validateResource)) {
        const t = getPulumiType(rp.validateResource);
        if (t && t !== r.type) {
          notApplicable.push({ policy: p.name, urn: r.urn, reason: `Policy only applies to resources of type '${t}'` });
          continue;
        }
      }
      const validations = Array.isArray(rp.validateResource) ? rp.validateResource : [rp.validateResource];
      for (const validate of validations) {
        try {
          await Promise.resolve(validate(resourceArgs(r, freshProps(r.props), p.name), reporter(p, level, r.urn)));
        } catch (e) {
          handle(e, p, r.urn, "policy");
        }
      }
    }
  }

  // 3. Stack validations (the engine's AnalyzeStack, once with every resource).
  for (const p of policies) {
    let level = cfg[p.name].enforcementLevel;
    if (level === "disabled" || !isStackPolicy(p)) continue;
    if (level === "remediate") level = "mandatory";
    const sp = p as StackValidationPolicy;
    const t = getPulumiType(sp.validateStack);
    if (t && !current.some((r) => r.type === t)) {
      notApplicable.push({ policy: p.name, reason: `Policy only applies to resources of type '${t}'` });
      continue;
    }
    const byUrn = new Map<string, PolicyResource>();
    const list: PolicyResource[] = current.map((r) => {
      const props = freshProps(r.props);
      const pr: PolicyResource = { ...resourceView(r, props), dependencies: [], propertyDependencies: {} } as PolicyResource;
      byUrn.set(r.urn, pr);
      return pr;
    });
    current.forEach((r, i) => {
      if (r.parent && byUrn.has(r.parent)) list[i].parent = byUrn.get(r.parent);
      list[i].dependencies = (r.dependencies ?? []).map((d) => byUrn.get(d)).filter((d): d is PolicyResource => d !== undefined);
    });
    const args: StackValidationArgs = {
      resources: list,
      stackTags,
      getConfig: <T extends object>() => ({ ...cfg[p.name].props }) as T,
      notApplicable: throwNotApplicable,
    };
    try {
      await Promise.resolve(sp.validateStack(args, reporter(p, level, undefined)));
    } catch (e) {
      handle(e, p, undefined, "policy");
    }
  }

  return { violations, remediations, notApplicable, resources: current };
}

function asReported(level: EnforcementLevel): "advisory" | "mandatory" {
  return level === "advisory" ? "advisory" : "mandatory";
}
