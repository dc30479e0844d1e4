/**
 * The `--policy-pack-config` document (policy name or `all` -> an enforcement level or the
 * policy's settings): the one validation of it, and how `@pulumi/policy` reconciles it into each
 * policy's level and `getConfig()` values. The audit, the offline runner, CI's `policy-config` and
 * the governance project's Pulumi Cloud policy groups all validate through `validateConfig`.
 */
import type { EnforcementLevel, PolicyConfigSchema, PolicyPackConfig } from "@pulumi/policy";
import type { PolicyConfigJSONSchemaDefinition } from "@pulumi/policy/schema";

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** What validation needs of a policy: its name and config schema. */
export interface ConfigurablePolicy {
  readonly name: string;
  readonly enforcementLevel?: EnforcementLevel;
  readonly configSchema?: PolicyConfigSchema;
}

export interface ValidateOptions {
  /**
   * Require every entry to be an object (`{"enforcementLevel": ...}`), the form Pulumi Cloud
   * reads a policy group's config in; the CLI's `--policy-pack-config` also takes a bare level.
   */
  readonly objectEntries?: boolean;
}

/**
 * Problems with a `--policy-pack-config` document against the policies' `configSchema`s (the CLI
 * checks the same with JSON Schema before it runs a pack). Unknown policies and keys are errors.
 * Each problem names the entry, the value and what was expected.
 */
export function validateConfig(policies: readonly ConfigurablePolicy[], config: unknown, options: ValidateOptions = {}): string[] {
  if (config === null || typeof config !== "object" || Array.isArray(config))
    return [`the config is ${describe(config)}; expected a JSON object of policy name -> settings`];
  const byName = new Map(policies.map((p) => [p.name, p]));
  const levels = ENFORCEMENT_LEVELS.join(", ");
  const problems: string[] = [];
  for (const [name, entry] of Object.entries(config as Record<string, unknown>)) {
    const policy = byName.get(name);
    if (name !== "all" && !policy) {
      problems.push(`"${name}" is not a policy of the pack; expected one of ${[...byName.keys()].join(", ")}`);
      continue;
    }
    if (typeof entry === "string" && !options.objectEntries) {
      if (!ENFORCEMENT_LEVELS.includes(entry as EnforcementLevel))
        problems.push(`"${name}" is ${describe(entry)}; expected one of ${levels}`);
      continue;
    }
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      problems.push(
        options.objectEntries
          ? `"${name}" is ${describe(entry)}; expected an object such as {"enforcementLevel": "mandatory"} (Pulumi Cloud reads each policy's config as an object)`
          : `"${name}" is ${describe(entry)}; expected an enforcement level (${levels}) or an object of settings`,
      );
      continue;
    }
    const properties = policy?.configSchema?.properties ?? {};
    for (const [key, value] of Object.entries(entry as Record<string, unknown>)) {
      if (key === "enforcementLevel") {
        if (!ENFORCEMENT_LEVELS.includes(value as EnforcementLevel))
          problems.push(`"${name}".enforcementLevel is ${describe(value)}; expected one of ${levels}`);
        continue;
      }
      const schema = properties[key];
      if (!schema) {
        const known = name === "all" ? ["enforcementLevel"] : ["enforcementLevel", ...Object.keys(properties)];
        problems.push(
          `"${name}".${key} is not a setting of ${name === "all" ? '"all"' : "that policy"}; expected one of ${known.join(", ")}`,
        );
        continue;
      }
      problems.push(...schemaProblems(value, schema, `"${name}".${key}`));
    }
    for (const key of policy?.configSchema?.required ?? []) {
      if (!(key in entry)) problems.push(`"${name}".${key} is required by the policy's config schema`);
    }
  }
  return problems;
}

function describe(value: unknown): string {
  return value === undefined ? "undefined" : JSON.stringify(value);
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** The subset of JSON Schema the pack's config schemas use. */
function schemaProblems(value: unknown, schema: PolicyConfigJSONSchemaDefinition, at: string): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${at}: no value is allowed here`];
  const got = describe(value);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const actual = typeOf(value);
    if (!types.some((t) => t === actual || (t === "number" && actual === "integer")))
      return [`${at} is ${got}; expected ${types.join(" or ")}`];
  }
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value)))
    return [`${at} is ${got}; expected one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}`];
  const problems: string[] = [];
  if (typeof value === "string") {
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value))
      problems.push(`${at} is ${got}; expected a match of /${schema.pattern}/`);
    if (schema.minLength !== undefined && value.length < schema.minLength)
      problems.push(`${at} is ${got}; expected at least ${schema.minLength} characters`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength)
      problems.push(`${at} is ${got}; expected at most ${schema.maxLength} characters`);
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

/** The config a policy runs with: its enforcement level and the properties `getConfig()` returns. */
export interface EffectivePolicyConfig {
  readonly enforcementLevel: EnforcementLevel;
  readonly props: Record<string, unknown>;
}

/**
 * Reconciles a `--policy-pack-config` document the way `@pulumi/policy` reads it after the CLI's
 * Configure call: `all` sets every policy's level, a policy's own entry overrides it, and the
 * remaining keys are what `getConfig()` returns (no schema defaults: the policies apply those).
 */
export function effectiveConfig(
  policies: readonly ConfigurablePolicy[],
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
