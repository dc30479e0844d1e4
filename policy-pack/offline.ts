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
  PolicyConfigSchema,
  PolicyPackConfig,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { PolicyConfigJSONSchema, PolicyConfigJSONSchemaDefinition } from "@pulumi/policy/schema";
import { PACK_NAME, policies as packPolicies } from "./policies";
import { UnknownValueError, getPulumiType, isResourcePolicy, isStackPolicy, unknownCheckingProxy } from "./sdk";
import { UNKNOWN_STRING } from "./unknown";

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
  readonly dependencies?: readonly string[];
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
}

export interface RunResult {
  readonly violations: Violation[];
  readonly remediations: Remediation[];
  readonly notApplicable: NotApplicable[];
  /** The resources as validated: remediated props where a remediation changed them. */
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

/** The config a policy runs with: its enforcement level and the properties `getConfig()` returns. */
export interface EffectivePolicyConfig {
  readonly enforcementLevel: EnforcementLevel;
  readonly props: Record<string, unknown>;
}

const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/**
 * Reconciles a `--policy-pack-config` document the way `@pulumi/policy` reads it after the CLI's
 * Configure call: `all` sets every policy's level, a policy's own entry overrides it, and the
 * remaining keys are what `getConfig()` returns (no schema defaults: the policies apply those).
 */
export function effectiveConfig(
  policies: Policies,
  config: PolicyPackConfig = {},
  packEnforcementLevel: EnforcementLevel = "advisory",
): Record<string, EffectivePolicyConfig> {
  const norm = (v: unknown): Record<string, unknown> => (typeof v === "string" ? { enforcementLevel: v } : { ...(v as object) });
  const all = config.all === undefined ? undefined : (norm(config.all).enforcementLevel as EnforcementLevel | undefined);
  const out: Record<string, EffectivePolicyConfig> = {};
  for (const p of policies) {
    const { enforcementLevel, ...props } = config[p.name] === undefined ? {} : norm(config[p.name]);
    out[p.name] = {
      enforcementLevel: (enforcementLevel as EnforcementLevel | undefined) ?? all ?? p.enforcementLevel ?? packEnforcementLevel,
      props,
    };
  }
  return out;
}

/**
 * Problems with a `--policy-pack-config` document against the policies' `configSchema`s (the CLI
 * checks the same with JSON Schema before it runs a pack). Unknown policies and keys are errors.
 */
export function validateConfig(policies: Policies, config: unknown): string[] {
  if (config === null || typeof config !== "object" || Array.isArray(config)) return ["the config must be a JSON object"];
  const errors: string[] = [];
  const byName = new Map(policies.map((p) => [p.name, p]));
  for (const [name, raw] of Object.entries(config as Record<string, unknown>)) {
    const policy = byName.get(name);
    if (name !== "all" && !policy) {
      errors.push(`${name}: no such policy (the pack has ${[...byName.keys()].join(", ")})`);
      continue;
    }
    if (typeof raw === "string") {
      if (!ENFORCEMENT_LEVELS.includes(raw as EnforcementLevel))
        errors.push(`${name}: expected one of ${ENFORCEMENT_LEVELS.join(", ")}, got ${JSON.stringify(raw)}`);
      continue;
    }
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      errors.push(`${name}: expected an enforcement level or an object, got ${JSON.stringify(raw)}`);
      continue;
    }
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
      if (key === "enforcementLevel") {
        if (!ENFORCEMENT_LEVELS.includes(value as EnforcementLevel)) {
          errors.push(`${name}.enforcementLevel: expected one of ${ENFORCEMENT_LEVELS.join(", ")}, got ${JSON.stringify(value)}`);
        }
        continue;
      }
      const schema: PolicyConfigSchema | undefined = policy?.configSchema;
      const prop = schema?.properties[key];
      if (!prop) {
        const known = Object.keys(schema?.properties ?? {});
        errors.push(`${name}.${key}: no such config key${known.length ? ` (expected one of ${known.join(", ")})` : ""}`);
        continue;
      }
      errors.push(...schemaErrors(prop, value, `${name}.${key}`));
    }
  }
  return errors;
}

/** The subset of JSON Schema the pack's config schemas use. */
function schemaErrors(schema: PolicyConfigJSONSchemaDefinition, value: unknown, at: string): string[] {
  if (typeof schema === "boolean") return schema ? [] : [`${at}: not allowed`];
  const s: PolicyConfigJSONSchema = schema;
  const got = JSON.stringify(value);
  const types = s.type === undefined ? undefined : Array.isArray(s.type) ? s.type : [s.type];
  if (types && !types.some((t) => jsonType(value, t))) return [`${at}: expected ${types.join(" or ")}, got ${got}`];
  if (s.enum && !s.enum.some((e) => JSON.stringify(e) === got))
    return [`${at}: expected one of ${s.enum.map((e) => JSON.stringify(e)).join(", ")}, got ${got}`];
  const errors: string[] = [];
  if (typeof value === "string") {
    if (s.pattern !== undefined && !new RegExp(s.pattern, "u").test(value)) errors.push(`${at}: ${got} does not match ${s.pattern}`);
    if (s.minLength !== undefined && value.length < s.minLength) errors.push(`${at}: expected at least ${s.minLength} characters`);
  }
  if (Array.isArray(value) && s.items !== undefined && !Array.isArray(s.items)) {
    const items = s.items;
    value.forEach((v, i) => errors.push(...schemaErrors(items, v, `${at}[${i}]`)));
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value) && s.additionalProperties !== undefined) {
    const extra = s.additionalProperties;
    for (const [k, v] of Object.entries(value)) {
      if (!s.properties?.[k]) errors.push(...schemaErrors(extra, v, `${at}.${k}`));
    }
  }
  return errors;
}

function jsonType(value: unknown, t: string): boolean {
  switch (t) {
    case "array":
      return Array.isArray(value);
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value);
    case "integer":
      return Number.isInteger(value);
    case "null":
      return value === null;
    default:
      return typeof value === t;
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

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/**
 * Props in the engine's wire form: a Pulumi SDK unknown (`output.unknown`, as runtime mocks record
 * it during preview) becomes the unknown sentinel, and a secret (`{sig, value}`) its plain value,
 * as `@pulumi/policy` unwraps it for policies.
 */
export function toEngineProps(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toEngineProps);
  if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (o.__pulumiUnknown === true) return UNKNOWN_STRING;
    if (o[SIG_KEY] === SECRET_SIG && "value" in o) return toEngineProps(o.value);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = toEngineProps(v);
    return out;
  }
  return value;
}

/** What the engine hands each validation: a fresh copy, top-level `undefined` dropped, behind the proxy. */
function freshProps(props: Record<string, unknown>): Record<string, unknown> {
  return unknownCheckingProxy(JSON.parse(JSON.stringify(props ?? {})) as Record<string, unknown>);
}

/** Plain JSON of a remediation result: proxies unwrapped without reading through them. */
function unwrap(value: unknown): unknown {
  let v = value as { __isSpecialProxy?: boolean; __getSpecialProxyTarget?: unknown } | null;
  while (v !== null && typeof v === "object" && v.__isSpecialProxy === true) v = v.__getSpecialProxyTarget as typeof v;
  if (Array.isArray(v)) return v.map(unwrap);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = unwrap(x);
    return out;
  }
  return v;
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

  const resourceArgs = (r: OfflineResource, props: Record<string, unknown>, policyName: string): ResourceValidationArgs => ({
    type: r.type,
    urn: r.urn,
    name: r.name,
    props,
    opts: defaultOpts(r.opts, r.parent),
    stackTags,
    isType: (c: unknown) => isTypeOf(r.type, c),
    asType: ((c: unknown) => (isTypeOf(r.type, c) ? props : undefined)) as ResourceValidationArgs["asType"],
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
    current = remediated;
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
      const pr: PolicyResource = {
        type: r.type,
        urn: r.urn,
        name: r.name,
        props,
        opts: defaultOpts(r.opts, r.parent),
        dependencies: [],
        propertyDependencies: {},
        isType: (c: unknown) => isTypeOf(r.type, c),
        asType: ((c: unknown) => (isTypeOf(r.type, c) ? props : undefined)) as PolicyResource["asType"],
      } as PolicyResource;
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
