/**
 * IAM policy documents as the pack reads them: one parser (a resource's policy arrives as a JSON
 * string from `aws` and as an object from `aws-native`), and the wildcard matching IAM applies.
 */

export type OneOrMany<T> = T | readonly T[];

/** A statement after parsing: every list element normalised to an array. */
export interface Statement {
  readonly index: number;
  readonly sid?: string;
  readonly effect: "Allow" | "Deny";
  readonly principal?: Principal;
  readonly notPrincipal?: Principal;
  readonly action?: readonly string[];
  readonly notAction?: readonly string[];
  readonly resource?: readonly string[];
  readonly notResource?: readonly string[];
  /** operator -> key -> values; empty when the statement has no Condition. */
  readonly condition: Readonly<Record<string, Readonly<Record<string, readonly ConditionValue[]>>>>;
}

export type ConditionValue = string | boolean | number;

/** `"*"`, or principal type (`AWS`, `Service`, `Federated`, `CanonicalUser`) -> values. */
export type Principal = "*" | Readonly<Record<string, readonly string[]>>;

export interface PolicyDocument {
  readonly version?: string;
  readonly statements: readonly Statement[];
}

export type ParseResult = { readonly ok: true; readonly document: PolicyDocument } | { readonly ok: false; readonly error: string };

/** Parses a policy document given as a JSON string or as an object; never throws. */
export function parsePolicyDocument(value: unknown): ParseResult {
  let doc: unknown = value;
  if (typeof value === "string") {
    try {
      doc = JSON.parse(value);
    } catch (e) {
      return { ok: false, error: `not valid JSON (${(e as Error).message})` };
    }
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return { ok: false, error: "not a JSON object" };
  const raw = doc as Record<string, unknown>;
  const stmts = raw.Statement;
  if (stmts === undefined) return { ok: false, error: "no Statement element" };
  const list = Array.isArray(stmts) ? stmts : [stmts];
  const statements: Statement[] = [];
  for (let i = 0; i < list.length; i++) {
    const s = parseStatement(list[i], i);
    if (typeof s === "string") return { ok: false, error: `statement ${i}: ${s}` };
    statements.push(s);
  }
  return { ok: true, document: { version: typeof raw.Version === "string" ? raw.Version : undefined, statements } };
}

function parseStatement(value: unknown, index: number): Statement | string {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return "not an object";
  const s = value as Record<string, unknown>;
  if (s.Effect !== "Allow" && s.Effect !== "Deny") return `Effect must be "Allow" or "Deny", got ${JSON.stringify(s.Effect)}`;
  const lists: Record<string, readonly string[] | undefined> = {};
  for (const key of ["Action", "NotAction", "Resource", "NotResource"]) {
    const l = stringList(s[key]);
    if (l === null) return `${key} must be a string or a list of strings`;
    lists[key] = l;
  }
  const principal = parsePrincipal(s.Principal);
  if (principal === null) return "Principal is malformed";
  const notPrincipal = parsePrincipal(s.NotPrincipal);
  if (notPrincipal === null) return "NotPrincipal is malformed";
  const condition = parseCondition(s.Condition);
  if (condition === null) return "Condition is malformed";
  return {
    index,
    sid: typeof s.Sid === "string" ? s.Sid : undefined,
    effect: s.Effect,
    principal,
    notPrincipal,
    action: lists.Action,
    notAction: lists.NotAction,
    resource: lists.Resource,
    notResource: lists.NotResource,
    condition,
  };
}

/** undefined when absent, null when malformed. */
function stringList(v: unknown): readonly string[] | undefined | null {
  if (v === undefined) return undefined;
  if (typeof v === "string") return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
  return null;
}

function parsePrincipal(v: unknown): Principal | undefined | null {
  if (v === undefined) return undefined;
  if (v === "*") return "*";
  if (v === null || typeof v !== "object" || Array.isArray(v)) return null;
  const out: Record<string, readonly string[]> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    const l = stringList(val);
    if (!l) return null;
    out[k] = l;
  }
  return out;
}

function parseCondition(v: unknown): Statement["condition"] | null {
  if (v === undefined) return {};
  if (v === null || typeof v !== "object" || Array.isArray(v)) return null;
  const out: Record<string, Record<string, readonly ConditionValue[]>> = {};
  for (const [op, block] of Object.entries(v as Record<string, unknown>)) {
    if (block === null || typeof block !== "object" || Array.isArray(block)) return null;
    out[op] = {};
    for (const [key, raw] of Object.entries(block as Record<string, unknown>)) {
      const values = Array.isArray(raw) ? raw : [raw];
      if (!values.every((x) => typeof x === "string" || typeof x === "boolean" || typeof x === "number")) return null;
      out[op][key] = values as ConditionValue[];
    }
  }
  return out;
}

const globCache = new Map<string, RegExp>();

/**
 * IAM wildcard matching: `*` matches any run of characters, `?` any single one. Action names
 * match case-insensitively; ARNs and other values are case-sensitive.
 */
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === "*") return true;
  if (!pattern.includes("*") && !pattern.includes("?")) {
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }
  const cacheKey = `${ignoreCase ? "i" : "s"}${pattern}`;
  let re = globCache.get(cacheKey);
  if (!re) {
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    re = new RegExp(`^${body}$`, ignoreCase ? "is" : "s");
    globCache.set(cacheKey, re);
  }
  return re.test(value);
}

/** Whether the statement's Action (or NotAction) element applies to `action`. */
export function statementCoversAction(s: Statement, action: string): boolean {
  if (s.action) return s.action.some((p) => globMatch(p, action, true));
  if (s.notAction) return !s.notAction.some((p) => globMatch(p, action, true));
  return false;
}

/** Whether the statement's Resource (or NotResource) element applies to the resource `arn`. */
export function statementCoversResource(s: Statement, arn: string): boolean {
  if (s.resource) return s.resource.some((p) => globMatch(p, arn));
  if (s.notResource) return !s.notResource.some((p) => globMatch(p, arn));
  return false;
}

/** Whether the statement applies to every resource: a Resource of only wildcards such as `*`. */
export function statementCoversAllResources(s: Statement): boolean {
  return (s.resource ?? []).some((p) => /^\*+$/.test(p));
}

/** The condition's operator -> key -> values, with keys looked up case-insensitively (as IAM does). */
export function conditionValues(s: Statement, operator: string, key: string): readonly ConditionValue[] | undefined {
  const block = s.condition[operator];
  if (!block) return undefined;
  const k = Object.keys(block).find((x) => x.toLowerCase() === key.toLowerCase());
  return k === undefined ? undefined : block[k];
}

/** Every (operator, key) pair of the statement's Condition. */
export function conditionEntries(s: Statement): { operator: string; key: string; values: readonly ConditionValue[] }[] {
  const out: { operator: string; key: string; values: readonly ConditionValue[] }[] = [];
  for (const [operator, block] of Object.entries(s.condition)) {
    for (const [key, values] of Object.entries(block)) out.push({ operator, key, values });
  }
  return out;
}

/** "statement 2 (Sid DenyX)" for messages. */
export function describeStatement(s: Statement): string {
  return s.sid ? `statement ${s.index} (Sid ${s.sid})` : `statement ${s.index}`;
}
