/**
 * The policy pack's config for each stack, and the Pulumi Cloud policy groups that apply it.
 *
 * One org-wide file, `governance/policy-pack-config.json` (the `--policy-pack-config` format:
 * policy name -> enforcement level or settings; `all` -> default level), holds the decisions that
 * are the same for every stack, such as break-glass role patterns. What differs per stack comes
 * from the stack's own file: which permissions boundary it creates (`boundaryPolicyName`,
 * `boundaryPolicyPath`, with the target-account project's defaults) and which project holds the
 * target accounts (`targetProjects`). A stack-derived key is set on every policy whose config
 * schema declares it.
 *
 * CI writes each stack's config with `npm run policy-config` and passes it to
 * `pulumi preview --policy-pack-config`; the governance project groups the stacks by their config
 * and gives each group the same config in Pulumi Cloud. Both call `packConfigFor`, so the two
 * cannot drift apart.
 */
import * as fs from "fs";
import * as path from "path";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import type { PackPolicy, PolicyPackManifest } from "./pack";
import { boundaryOf, defaultBoundary, type CommittedStack } from "./stacks";

export const BASE_CONFIG_FILE = path.join(__dirname, "policy-pack-config.json");

export const ENFORCEMENT_LEVELS = ["advisory", "mandatory", "remediate", "disabled"] as const;

/** `--policy-pack-config` JSON: `all` or a policy name -> an enforcement level or the policy's settings. */
export type PolicyPackConfig = Readonly<Record<string, string | Readonly<Record<string, unknown>>>>;

/** Pack config keys whose values come from each stack's file, never from the org-wide file. */
export interface StackDerivedSettings {
  readonly boundaryPolicyName: string;
  readonly boundaryPolicyPath: string;
  readonly targetProjects: readonly string[];
}

export const STACK_DERIVED_KEYS: readonly (keyof StackDerivedSettings)[] = ["boundaryPolicyName", "boundaryPolicyPath", "targetProjects"];

export class PackConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "PackConfigError";
  }
}

export function readBaseConfig(file = BASE_CONFIG_FILE): PolicyPackConfig {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new PackConfigError(file, [`not readable JSON: ${(e as Error).message}`]);
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc))
    throw new PackConfigError(file, ["expected a JSON object of policy name -> settings"]);
  return doc as PolicyPackConfig;
}

/** What a stack's file says the pack must check there. */
export function stackDerivedSettings(stack: CommittedStack, targetProjects: readonly string[]): StackDerivedSettings {
  const boundary = stack.role === "jump" ? defaultBoundary() : boundaryOf(stack);
  return { ...boundary, targetProjects: [...targetProjects] };
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** The subset of JSON Schema the pack's config schemas use; enough to catch a wrong value before the CLI or Pulumi Cloud does. */
export function schemaProblems(value: unknown, schema: PolicyConfigJSONSchema | boolean, at: string): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${at}: no value is allowed here`];
  const problems: string[] = [];
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const actual = typeOf(value);
    if (!types.some((t) => t === actual || (t === "number" && actual === "integer")))
      return [`${at} is ${JSON.stringify(value)}; expected ${types.join(" or ")}`];
  }
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    problems.push(`${at} is ${JSON.stringify(value)}; expected one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}`);
  }
  if (typeof value === "string") {
    if (schema.pattern && !new RegExp(schema.pattern).test(value))
      problems.push(`${at} is ${JSON.stringify(value)}; expected a match of /${schema.pattern}/`);
    if (schema.minLength !== undefined && value.length < schema.minLength)
      problems.push(`${at} is ${JSON.stringify(value)}; expected at least ${schema.minLength} characters`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength)
      problems.push(`${at} is ${JSON.stringify(value)}; expected at most ${schema.maxLength} characters`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) problems.push(`${at}: expected at least ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) problems.push(`${at}: expected at most ${schema.maxItems} items`);
    if (schema.items !== undefined && !Array.isArray(schema.items)) {
      const items = schema.items;
      value.forEach((v, i) => problems.push(...schemaProblems(v, items, `${at}[${i}]`)));
    }
  }
  if (typeOf(value) === "object") {
    const obj = value as Record<string, unknown>;
    for (const [k, v] of Object.entries(obj)) {
      const sub = schema.properties?.[k] ?? schema.additionalProperties;
      if (sub !== undefined) problems.push(...schemaProblems(v, sub, `${at}.${k}`));
    }
    for (const k of schema.required ?? []) if (!(k in obj)) problems.push(`${at}.${k} is missing`);
  }
  return problems;
}

/** Problems of a pack config against the pack's policies and their config schemas (empty when valid). */
export function packConfigProblems(config: PolicyPackConfig, policies: readonly PackPolicy[]): string[] {
  const byName = new Map(policies.map((p) => [p.name, p]));
  const levels: readonly string[] = ENFORCEMENT_LEVELS;
  const problems: string[] = [];
  for (const [name, entry] of Object.entries(config)) {
    if (name === "all") {
      if (typeof entry !== "string" || !levels.includes(entry))
        problems.push(`"all" is ${JSON.stringify(entry)}; expected one of ${levels.join(", ")}`);
      continue;
    }
    const policy = byName.get(name);
    if (!policy) {
      problems.push(`"${name}" is not a policy of the pack; expected one of ${[...byName.keys()].join(", ")}`);
      continue;
    }
    if (typeof entry === "string") {
      if (!levels.includes(entry))
        problems.push(
          `"${name}" is ${JSON.stringify(entry)}; expected an enforcement level (${levels.join(", ")}) or an object of settings`,
        );
      continue;
    }
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      problems.push(`"${name}" is ${JSON.stringify(entry)}; expected an enforcement level or an object of settings`);
      continue;
    }
    const properties = policy.configSchema?.properties ?? {};
    for (const [key, value] of Object.entries(entry)) {
      if (key === "enforcementLevel") {
        if (typeof value !== "string" || !levels.includes(value))
          problems.push(`"${name}".enforcementLevel is ${JSON.stringify(value)}; expected one of ${levels.join(", ")}`);
        continue;
      }
      const schema = properties[key];
      if (!schema) {
        problems.push(
          `"${name}".${key} is not a setting of that policy; expected one of ${["enforcementLevel", ...Object.keys(properties)].join(", ")}`,
        );
        continue;
      }
      problems.push(...schemaProblems(value, schema, `"${name}".${key}`));
    }
    for (const key of policy.configSchema?.required ?? []) {
      if (!(key in entry)) problems.push(`"${name}".${key} is required by the policy's config schema`);
    }
  }
  return problems;
}

/**
 * The pack config of one stack: the org-wide config plus the stack-derived settings, each on
 * every policy that declares it. Throws a PackConfigError naming every problem.
 */
export function packConfigFor(
  base: PolicyPackConfig,
  settings: StackDerivedSettings,
  policies: readonly PackPolicy[],
  source = "policy pack config",
): PolicyPackConfig {
  const problems = packConfigProblems(base, policies);
  for (const [name, entry] of Object.entries(base)) {
    if (typeof entry !== "object" || entry === null) continue;
    for (const key of STACK_DERIVED_KEYS) {
      if (key in entry) problems.push(`"${name}".${key} comes from each stack's file; remove it from the org-wide config`);
    }
  }
  if (problems.length > 0) throw new PackConfigError(source, problems);

  const out: Record<string, string | Record<string, unknown>> = {};
  for (const [name, entry] of Object.entries(base)) out[name] = typeof entry === "string" ? entry : { ...entry };
  for (const policy of policies) {
    const declared = Object.keys(policy.configSchema?.properties ?? {});
    const derived = STACK_DERIVED_KEYS.filter((k) => declared.includes(k));
    if (derived.length === 0) continue;
    const current = out[policy.name];
    const entry: Record<string, unknown> = typeof current === "string" ? { enforcementLevel: current } : { ...(current ?? {}) };
    for (const key of derived) entry[key] = Array.isArray(settings[key]) ? [...(settings[key] as readonly string[])] : settings[key];
    out[policy.name] = entry;
  }
  const after = packConfigProblems(out, policies);
  if (after.length > 0) throw new PackConfigError(source, after);
  return sortKeys(out) as PolicyPackConfig;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** A Pulumi Cloud policy group: the stacks that share one pack config. */
export interface PolicyGroupPlan {
  readonly name: string;
  /** The boundary the group's stacks are checked against, e.g. `/test-pb-policy`. */
  readonly boundary: string;
  readonly stacks: readonly { readonly project: string; readonly stack: string }[];
  readonly config: PolicyPackConfig;
}

function slug(text: string): string {
  return text
    .replace(/[^A-Za-z0-9_.-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
}

/**
 * Group the stacks by the pack config they need: one policy group per distinct config, named
 * after the pack and the boundary it approves (`<pack name>-test-pb-policy`).
 */
export function planPolicyGroups(
  stacks: readonly CommittedStack[],
  base: PolicyPackConfig,
  policies: readonly PackPolicy[],
  pack: PolicyPackManifest,
  targetProjects: readonly string[],
): PolicyGroupPlan[] {
  const groups = new Map<string, { boundary: string; stacks: { project: string; stack: string }[]; config: PolicyPackConfig }>();
  for (const s of stacks) {
    const settings = stackDerivedSettings(s, targetProjects);
    const config = packConfigFor(base, settings, policies, `policy pack config of ${s.project}/${s.stack}`);
    const key = JSON.stringify(config);
    const group = groups.get(key) ?? { boundary: `${settings.boundaryPolicyPath}${settings.boundaryPolicyName}`, stacks: [], config };
    group.stacks.push({ project: s.project, stack: s.stack });
    groups.set(key, group);
  }
  const plans = [...groups.values()].map((g) => ({ name: slug(`${pack.name}-${g.boundary}`), ...g }));
  const seen = new Map<string, PolicyGroupPlan>();
  for (const p of plans) {
    const other = seen.get(p.name);
    if (other) {
      throw new PackConfigError("policy groups", [
        `stacks ${[...other.stacks, ...p.stacks].map((s) => `${s.project}/${s.stack}`).join(", ")} need different pack configs but would share the group name "${p.name}"`,
      ]);
    }
    seen.set(p.name, p);
  }
  return plans.sort((a, b) => a.name.localeCompare(b.name));
}
