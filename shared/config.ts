/**
 * The one place that reads stack config. Each loader validates every key before the program
 * registers anything, and fails with one line per problem naming the stack, the key, the value
 * given and what was expected.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { AWS_PROVIDER_KEYS, AWS_REGIONS } from "./aws-provider";
import { ACCOUNT_ID } from "./iam-limits";
import { jumpConfigSchema, targetConfigSchema } from "./config-schema";

/** A validated config is read-only all the way down. */
export type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

export type JumpSettings = DeepReadonly<z.output<typeof jumpConfigSchema>>;
export type TargetSettings = DeepReadonly<z.output<typeof targetConfigSchema>>;
export type UserSettings = JumpSettings["users"][number];
export type GroupSettings = JumpSettings["groups"][number];
export type TargetEntry = JumpSettings["targets"][number];
export type RoleSettings = TargetEntry["roles"][number];
export type BoundaryProfile = TargetSettings["boundaryProfile"];

/** Validated config of a jump-account stack. `accountId` comes from `aws:allowedAccountIds`. */
export interface JumpConfig extends JumpSettings {
  readonly accountId: string;
}

/** Validated config of a target-account stack. `accountId` comes from `aws:allowedAccountIds`. */
export interface TargetConfig extends TargetSettings {
  readonly accountId: string;
}

/**
 * A mistake in the user's config. It extends `pulumi.RunError`, which the Pulumi CLI prints
 * without a stack trace.
 */
export class ConfigError extends pulumi.RunError {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }

  /** One line for a command line: the first problem, and how many more there are (fix one, run again). */
  get oneLine(): string {
    const more = this.problems.length - 1;
    return more > 0 ? `${this.problems[0]} (and ${more} more problem${more === 1 ? "" : "s"})` : (this.problems[0] ?? "invalid config");
  }
}

/** What a stack's config looks like before parsing: key (`ns:key`) to the raw string the CLI passes. */
export type RawConfig = Readonly<Record<string, string>>;

export interface StackIdentity {
  readonly project: string;
  readonly stack: string;
}

const ALLOWED_ACCOUNTS_KEY = "aws:allowedAccountIds";
const REGION_KEY = "aws:region";

function show(value: unknown): string {
  if (value === undefined) return "missing";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function keyPath(namespace: string, path: readonly PropertyKey[]): string {
  let out = namespace;
  path.forEach((p, i) => {
    if (typeof p === "number") out += `[${p}]`;
    else out += i === 0 ? `:${String(p)}` : `.${String(p)}`;
  });
  return out;
}

export function problem(id: StackIdentity, key: string, value: unknown, expected: string): string {
  return `stack "${id.stack}": ${key} is ${show(value)}; ${expected}`;
}

/** The schema of a top-level key takes a plain string (so the raw value is not JSON-parsed). */
function takesString(schema: z.ZodType): boolean {
  let s: z.ZodType = schema;
  for (;;) {
    const def = s.def as { type: string; innerType?: z.ZodType };
    if ((def.type === "optional" || def.type === "default") && def.innerType) s = def.innerType;
    else return def.type === "string" || def.type === "enum";
  }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/** What a schema's own messages do not say: zod's defaults, reworded as "expected ..." in this project's terms. */
function expectation(iss: z.core.$ZodRawIssue): string | undefined {
  const inst = (iss as { inst?: { description?: string } }).inst;
  switch (iss.code) {
    case "invalid_type":
      if (iss.input === undefined) return `required: expected ${inst?.description ?? iss.expected}`;
      return `expected ${iss.expected === "int" ? "a whole number" : iss.expected === "array" ? "a list" : iss.expected === "object" ? "a map of keys to values" : `a ${iss.expected}`}`;
    case "too_small":
      return iss.origin === "array" ? `expected at least ${iss.minimum} entries` : `expected at least ${iss.minimum}`;
    case "too_big":
      return iss.origin === "array" ? `expected at most ${iss.maximum} entries` : `expected at most ${iss.maximum}`;
    case "invalid_value":
      return `expected one of ${iss.values.map((v) => JSON.stringify(v)).join(", ")}`;
    default:
      return undefined;
  }
}

/**
 * Parse one project's namespace of raw config with its schema, collecting one line per problem.
 * Every project's loader (jump-account, target-account, governance) goes through here, so a bad
 * value reads the same wherever it is.
 */
export function parseNamespace<S extends z.ZodObject>(
  schema: S,
  raw: RawConfig,
  id: StackIdentity,
  problems: string[],
): z.output<S> | undefined {
  const ns = id.project;
  const values: Record<string, unknown> = {};
  for (const [fullKey, text] of Object.entries(raw)) {
    if (!fullKey.startsWith(`${ns}:`)) continue;
    const key = fullKey.slice(ns.length + 1);
    const field = Object.prototype.hasOwnProperty.call(schema.shape, key) ? (schema.shape[key] as z.ZodType) : undefined;
    if (!field) {
      problems.push(
        problem(
          id,
          fullKey,
          text,
          `unknown key; expected one of ${Object.keys(schema.shape)
            .map((k) => `${ns}:${k}`)
            .join(", ")}`,
        ),
      );
      continue;
    }
    if (takesString(field)) {
      values[key] = text;
      continue;
    }
    try {
      values[key] = JSON.parse(text);
    } catch {
      problems.push(problem(id, fullKey, text, "expected a YAML/JSON value (list, object, number or boolean)"));
    }
  }
  const result = schema.safeParse(values, { reportInput: true, error: expectation });
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const k of issue.keys) {
        const path = [...issue.path, k];
        problems.push(
          problem(
            id,
            keyPath(ns, path),
            valueAt(values, path),
            `unknown key; expected one of ${Object.keys(shapeAt(schema, issue.path)).join(", ")}`,
          ),
        );
      }
      continue;
    }
    problems.push(problem(id, keyPath(ns, issue.path), valueAt(values, issue.path), issue.message));
  }
  return undefined;
}

function shapeAt(schema: z.ZodType, path: readonly PropertyKey[]): Record<string, unknown> {
  let s: z.ZodType = schema;
  for (const p of path) {
    for (;;) {
      const def = s.def as { type: string; innerType?: z.ZodType; element?: z.ZodType };
      if ((def.type === "optional" || def.type === "default") && def.innerType) s = def.innerType;
      else break;
    }
    const def = s.def as { type: string; element?: z.ZodType; shape?: Record<string, z.ZodType> };
    if (def.type === "array" && typeof p === "number" && def.element) s = def.element;
    else if (def.type === "object" && def.shape && typeof p === "string") s = def.shape[p];
  }
  for (;;) {
    const def = s.def as { type: string; innerType?: z.ZodType };
    if ((def.type === "optional" || def.type === "default") && def.innerType) s = def.innerType;
    else break;
  }
  return ((s.def as { shape?: Record<string, unknown> }).shape ?? {}) as Record<string, unknown>;
}

/** The stack's own account: `aws:allowedAccountIds`, which must name exactly one account. */
export function accountIdOf(raw: RawConfig, id: StackIdentity, problems: string[]): string | undefined {
  const text = raw[ALLOWED_ACCOUNTS_KEY];
  const expected =
    'expected a list of exactly one 12-digit account id, e.g. ["111122223333"]: it pins the AWS provider to this stack\'s account';
  if (text === undefined) {
    problems.push(problem(id, ALLOWED_ACCOUNTS_KEY, undefined, expected));
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = text;
  }
  if (Array.isArray(value) && value.length === 1 && typeof value[0] === "string" && ACCOUNT_ID.test(value[0])) return value[0];
  problems.push(problem(id, ALLOWED_ACCOUNTS_KEY, value, expected));
  return undefined;
}

export function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}

/**
 * Names that IAM would take for the same name: IAM user, group, role and policy names are unique
 * case-insensitively within an account (`alice` and `Alice` are one user). Each clash is reported
 * once, with its second spelling as the value and its first in the message.
 */
export function sameNameIgnoringCase(values: readonly string[]): { readonly first: string; readonly again: string }[] {
  const seen = new Map<string, string>();
  const out: { first: string; again: string }[] = [];
  for (const v of values) {
    const key = v.toLowerCase();
    const first = seen.get(key);
    if (first === undefined) seen.set(key, v);
    else out.push({ first, again: v });
  }
  return out;
}

function clash(kind: string, first: string, again: string): string {
  return first === again
    ? `expected each ${kind} name once (IAM ${kind} names are unique in an account)`
    : `expected each ${kind} name once, ignoring case: IAM takes it for "${first}" (${kind} names are unique case-insensitively in an account)`;
}

/** Default name of a group's assume-role policy. */
export function assumeRolePolicyNameOf(group: GroupSettings): string {
  return group.assumeRolePolicyName ?? `${group.name}-assume-roles`;
}

/** Checks across keys that a schema of one key cannot make. */
function crossCheckJump(cfg: JumpConfig, id: StackIdentity, problems: string[]): void {
  const ns = id.project;
  const groupNames = new Set(cfg.groups.map((g) => g.name));
  for (const d of sameNameIgnoringCase(cfg.users.map((u) => u.name)))
    problems.push(problem(id, `${ns}:users`, d.again, clash("user", d.first, d.again)));
  for (const d of sameNameIgnoringCase(cfg.groups.map((g) => g.name)))
    problems.push(problem(id, `${ns}:groups`, d.again, clash("group", d.first, d.again)));
  cfg.users.forEach((u, i) => {
    for (const d of duplicates(u.groups)) problems.push(problem(id, `${ns}:users[${i}].groups`, d, "expected each group once"));
  });
  for (const d of duplicates(cfg.targets.map((t) => t.accountId)))
    problems.push(problem(id, `${ns}:targets`, d, "expected each target account id once"));
  for (const d of duplicates(cfg.targets.map((t) => t.name)))
    problems.push(problem(id, `${ns}:targets`, d, "expected each target name once"));
  cfg.users.forEach((u, i) =>
    u.groups.forEach((g, j) => {
      if (!groupNames.has(g))
        problems.push(
          problem(id, `${ns}:users[${i}].groups[${j}]`, g, `expected a group declared in ${ns}:groups (${[...groupNames].join(", ")})`),
        );
    }),
  );
  cfg.targets.forEach((t, i) => {
    if (t.accountId === cfg.accountId)
      problems.push(
        problem(id, `${ns}:targets[${i}].accountId`, t.accountId, "expected a target account other than the Jump account itself"),
      );
    for (const d of sameNameIgnoringCase(t.roles.map((r) => r.name)))
      problems.push(problem(id, `${ns}:targets[${i}].roles`, d.again, `${clash("role", d.first, d.again)}, whatever the path`));
    t.roles.forEach((r, j) => {
      for (const d of duplicates(r.groups))
        problems.push(problem(id, `${ns}:targets[${i}].roles[${j}].groups`, d, "expected each group once"));
      for (const d of duplicates(r.managedPolicyArns))
        problems.push(problem(id, `${ns}:targets[${i}].roles[${j}].managedPolicyArns`, d, "expected each managed policy once"));
    });
    t.roles.forEach((r, j) =>
      r.groups.forEach((g, k) => {
        if (!groupNames.has(g))
          problems.push(
            problem(
              id,
              `${ns}:targets[${i}].roles[${j}].groups[${k}]`,
              g,
              `expected a group declared in ${ns}:groups (${[...groupNames].join(", ")})`,
            ),
          );
      }),
    );
  });
  const policyNames = [cfg.selfServicePolicyName, ...cfg.groups.map(assumeRolePolicyNameOf)];
  for (const d of sameNameIgnoringCase(policyNames))
    problems.push(
      problem(
        id,
        `${ns}:groups`,
        d.again,
        `${clash("policy", d.first, d.again)}; the group assume-role policies and selfServicePolicyName are all managed policies of the Jump account`,
      ),
    );
  cfg.groups.forEach((g, i) => {
    const name = assumeRolePolicyNameOf(g);
    if (name.length > 128)
      problems.push(
        problem(
          id,
          `${ns}:groups[${i}].assumeRolePolicyName`,
          name,
          "expected a policy name of at most 128 characters: set assumeRolePolicyName explicitly",
        ),
      );
  });
}

export function fail(problems: readonly string[]): never {
  throw new ConfigError(problems);
}

/** Keys of a namespace: a list of the keys its reader knows, or any key (the CLI's own `pulumi:` keys). */
export type NamespaceKeys = Readonly<Record<string, readonly string[] | "any">>;

/** The namespaces a jump-account or target-account stack may set besides its project's own. */
const AWS_STACK_NAMESPACES: NamespaceKeys = { aws: AWS_PROVIDER_KEYS, pulumi: "any" };

/**
 * Keys outside the project's namespace that no reader would take: a namespace nobody reads, or a
 * key the provider does not have (`aws:Region`). Either would be silently ignored while the value
 * the user meant to set stays at its default.
 */
export function namespaceProblems(raw: RawConfig, id: StackIdentity, known: NamespaceKeys, problems: string[]): void {
  const namespaces = [id.project, ...Object.keys(known)];
  for (const [fullKey, text] of Object.entries(raw)) {
    const at = fullKey.indexOf(":");
    const ns = fullKey.slice(0, at);
    const key = fullKey.slice(at + 1);
    if (ns === id.project) continue;
    const keys = Object.prototype.hasOwnProperty.call(known, ns) ? known[ns] : undefined;
    if (keys === undefined) {
      problems.push(problem(id, fullKey, text, `unknown namespace "${ns}"; expected keys of ${namespaces.map((n) => `${n}:`).join(", ")}`));
    } else if (keys !== "any" && !keys.includes(key)) {
      const near = keys.find((k) => k.toLowerCase() === key.toLowerCase());
      problems.push(
        problem(
          id,
          fullKey,
          text,
          near
            ? `unknown key; did you mean ${ns}:${near}? (keys are case-sensitive)`
            : `unknown key; the ${ns} provider has no such setting`,
        ),
      );
    }
  }
}

/**
 * `aws:region`: a region of the aws partition, as the provider lists them. The provider refuses
 * anything else (unless `aws:skipRegionValidation` is true, which this project does not support:
 * the pipelines read the stack's region to choose where to preview).
 */
function regionOf(raw: RawConfig, id: StackIdentity, problems: string[]): void {
  const region = raw[REGION_KEY];
  if (region !== undefined && AWS_REGIONS.includes(region)) return;
  problems.push(problem(id, REGION_KEY, region, `expected a region of the aws partition (${AWS_REGIONS.join(", ")})`));
}

/** The keys a project requires (no default): what an empty stack file is missing. */
function requiredKeys(schema: z.ZodObject, project: string): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => !(field as z.ZodType).safeParse(undefined).success)
    .map(([k]) => `${project}:${k}`);
}

/** Checks every AWS stack makes before its project's own keys: an empty file, the provider's keys, the region, the account. */
function stackProblems(raw: RawConfig, id: StackIdentity, schema: z.ZodObject, problems: string[]): string | undefined {
  if (Object.keys(raw).length === 0) {
    problems.push(
      `stack "${id.stack}": the stack file sets no config; expected at least ${[REGION_KEY, ALLOWED_ACCOUNTS_KEY, ...requiredKeys(schema, id.project)].join(", ")}`,
    );
    return undefined;
  }
  namespaceProblems(raw, id, AWS_STACK_NAMESPACES, problems);
  regionOf(raw, id, problems);
  return accountIdOf(raw, id, problems);
}

/**
 * Pure: parse one stack's raw config (as the CLI passes it) with its project's schema, then the
 * checks across keys; every problem is collected before the one ConfigError is thrown.
 */
export function parseStackConfig<Settings, Config extends Settings & { readonly accountId: string }>(
  schema: z.ZodObject,
  raw: RawConfig,
  id: StackIdentity,
  crossCheck: (cfg: Config, id: StackIdentity, problems: string[]) => void = () => {},
): Config {
  const problems: string[] = [];
  const accountId = stackProblems(raw, id, schema, problems);
  if (problems.length > 0 && Object.keys(raw).length === 0) fail(problems);
  const settings = parseNamespace(schema, raw, id, problems);
  if (!settings || !accountId || problems.length > 0) fail(problems);
  const cfg = { ...(settings as Settings), accountId } as Config;
  crossCheck(cfg, id, problems);
  if (problems.length > 0) fail(problems);
  return cfg;
}

/** Pure: parse a jump-account stack's raw config into `JumpConfig`. */
export function parseJumpConfig(raw: RawConfig, id: StackIdentity): JumpConfig {
  return parseStackConfig<JumpSettings, JumpConfig>(jumpConfigSchema, raw, id, crossCheckJump);
}

/** Pure: parse a target-account stack's raw config into `TargetConfig`. */
export function parseTargetConfig(raw: RawConfig, id: StackIdentity): TargetConfig {
  return parseStackConfig<TargetSettings, TargetConfig>(targetConfigSchema, raw, id);
}

function currentStack(): { raw: RawConfig; id: StackIdentity } {
  return { raw: pulumi.runtime.allConfig(), id: { project: pulumi.getProject(), stack: pulumi.getStack() } };
}

/** Load and validate the running jump-account stack's config. */
export function loadJumpConfig(): JumpConfig {
  const { raw, id } = currentStack();
  return parseJumpConfig(raw, id);
}

/** Load and validate the running target-account stack's config. */
export function loadTargetConfig(): TargetConfig {
  const { raw, id } = currentStack();
  return parseTargetConfig(raw, id);
}
