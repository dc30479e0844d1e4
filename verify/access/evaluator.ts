/**
 * The one wrapper around the IAM evaluator (`@cloud-copilot/iam-simulate`, AGPL-3.0-or-later, a
 * tool dependency: nothing here ships in the policy pack). A request names the principal, the
 * action, the resource, the exact request context and the policies that apply; the verdict is
 * `Allowed`, `ImplicitlyDenied` or `ExplicitlyDenied` with the statements that decided it.
 *
 * No silent passes: the verdict is `Error` (and lists its problems) when the evaluator rejects the
 * request or a policy, when it drops a context key as not applicable to the action, or when a
 * policy names an action that is not in the IAM action catalogue (the evaluator itself would just
 * never match a misspelled action, so a typo in a Deny would quietly allow).
 */
import {
  getDenialReasons,
  getGrantReasons,
  runSimulation,
  type RequestDenial,
  type RequestGrant,
  type Simulation,
} from "@cloud-copilot/iam-simulate";
import {
  createValidatedPolicy,
  validateIdentityPolicy,
  validateResourcePolicy,
  validateTrustPolicy,
  type ValidatedPolicy,
} from "@cloud-copilot/iam-policy";
import { documentActionProblems } from "./iam-catalogue";
import "./simulator-caches";

export type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

/** Where a policy sits in IAM's evaluation. */
export type PolicyKind = "identity" | "boundary" | "resource" | "session" | "scp" | "rcp" | "vpce";

/** A policy as IAM would see it: a name (its ARN, or `<role> trust policy`) and the document. */
export interface NamedPolicy {
  readonly name: string;
  /** The document as an object (a JSON string is parsed once by `namedPolicy`). */
  readonly document: unknown;
}

/** SCPs or RCPs of one level of the organisation (root first, account last). */
export interface OrgLevelPolicies {
  readonly orgIdentifier: string;
  readonly policies: readonly NamedPolicy[];
}

/** Which policies apply to a request. */
export interface PolicySet {
  /** Managed and inline policies of the principal (for a role session: the role's policies). */
  readonly identity: readonly NamedPolicy[];
  /** The principal's permissions boundary, if it has one. */
  readonly boundary?: NamedPolicy;
  /** The session policy of a role session, if one was passed to AssumeRole. */
  readonly session?: NamedPolicy;
  /** The role's trust policy, for `sts:AssumeRole*` on that role. */
  readonly trust?: NamedPolicy;
  /** Any other resource-based policy (bucket policy, key policy ...). At most one of trust/resource. */
  readonly resource?: NamedPolicy;
  /** Organizations policies; absent = the account is not governed by any. */
  readonly scps?: readonly OrgLevelPolicies[];
  readonly rcps?: readonly OrgLevelPolicies[];
}

/** Context values as AWS sends them: strings, or lists of strings for multivalued keys. */
export type RequestContext = Readonly<Record<string, string | readonly string[]>>;

export interface AccessRequest {
  /** `arn:aws:iam::<acct>:user/<name>`, `arn:aws:sts::<acct>:assumed-role/<role>/<session>`, ... */
  readonly principal: string;
  /** `service:Action`, no wildcards. */
  readonly action: string;
  /** The resource ARN, or `*` for actions that take no resource. */
  readonly resource: string;
  /** The account that owns the resource. */
  readonly resourceAccount: string;
  readonly context: RequestContext;
  readonly policies: PolicySet;
}

/** One statement (or, for an implicit denial, one policy kind without an Allow) behind a verdict. */
export interface Reason {
  readonly kind: PolicyKind;
  readonly effect: "Allow" | "Deny" | "NoAllow";
  /** The policy's name (ARN for managed policies), when the evaluator can tell. */
  readonly policy?: string;
  readonly sid?: string;
  /** 1-based position of the statement in the document. */
  readonly index?: number;
}

export interface Verdict {
  readonly decision: Decision | "Error";
  /**
   * What decided it: for `ExplicitlyDenied` the Deny statements; for `ImplicitlyDenied` the kinds
   * of policy that lack an Allow (the blocking ones first); for `Allowed` the granting statements.
   */
  readonly reasons: readonly Reason[];
  /** Why the verdict is `Error`: evaluator errors, ignored context keys, unknown actions. Empty otherwise. */
  readonly problems: readonly string[];
}

const KIND_OF: Readonly<Record<string, PolicyKind>> = {
  identity: "identity",
  pb: "boundary",
  resource: "resource",
  scp: "scp",
  rcp: "rcp",
  vpce: "vpce",
  session: "session",
};

/** A named policy from a document given as an object or as the JSON string a program registered. */
export function namedPolicy(name: string, document: unknown): NamedPolicy {
  return { name, document: typeof document === "string" ? JSON.parse(document) : document };
}

type Validator = (policy: unknown) => ReturnType<typeof validateIdentityPolicy>;
type Slot = "identity" | "trust" | "resource";
const VALIDATORS: Readonly<Record<Slot, Validator>> = {
  identity: validateIdentityPolicy,
  trust: validateTrustPolicy,
  resource: validateResourcePolicy,
};

/**
 * Validation and the catalogue check run once per document object: documents are reused across
 * thousands of requests, and the evaluator reuses a `ValidatedPolicy`'s result.
 */
interface Prepared {
  readonly validated: ValidatedPolicy;
  readonly problems: readonly string[];
}
const prepared: Record<Slot, WeakMap<object, Promise<Prepared>>> = {
  identity: new WeakMap(),
  trust: new WeakMap(),
  resource: new WeakMap(),
};

function prepare(slot: Slot, p: NamedPolicy): Promise<Prepared> {
  const doc = p.document;
  if (doc === null || typeof doc !== "object") {
    return Promise.resolve({
      validated: createValidatedPolicy(doc, VALIDATORS[slot]),
      problems: [`${p.name}: not a policy document (${typeof doc})`],
    });
  }
  let entry = prepared[slot].get(doc);
  if (!entry) {
    entry = (async () => {
      const validated = createValidatedPolicy(doc, VALIDATORS[slot]);
      const problems = [
        ...validated.errors.map((e) => `${p.name}: ${e.path}: ${e.message}`),
        ...(await documentActionProblems(doc)).map((m) => `${p.name}: ${m}`),
      ];
      return { validated, problems };
    })();
    prepared[slot].set(doc, entry);
  }
  return entry;
}

function describeErrors(errors: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(errors)) {
    if (key === "message") continue;
    out.push(`${key}: ${JSON.stringify(value)}`);
  }
  const message = String(errors.message);
  const hint: Record<string, string> = {
    "invalid.action": "the action is not in the IAM action catalogue",
    "invalid.service": "the service prefix is not in the IAM action catalogue",
    "no.resource.types": "the resource ARN is not a resource type of this action",
    "must.use.wildcard": 'this action takes no resource: use "*"',
    "multiple.resource.types": "the resource ARN matches several resource types of this action",
  };
  return [`evaluator error ${message}${hint[message] ? ` (${hint[message]})` : ""}`, ...out];
}

function denialReason(d: RequestDenial, names: { trust?: string; resource?: string }): Reason {
  const kind = KIND_OF[d.policyType] ?? "identity";
  if (d.denialType === "Implicit") {
    const policy = kind === "resource" ? (names.trust ?? names.resource) : d.identifier;
    return { kind, effect: "NoAllow", ...(policy ? { policy } : {}) };
  }
  const policy = d.policyIdentifier ?? (kind === "resource" ? (names.trust ?? names.resource) : undefined);
  return { kind, effect: "Deny", ...(policy ? { policy } : {}), ...(d.statementId ? { sid: d.statementId } : {}), index: d.statementIndex };
}

function grantReason(g: RequestGrant, names: { trust?: string; resource?: string }): Reason {
  const kind = KIND_OF[g.policyType] ?? "identity";
  const policy = "policyIdentifier" in g ? g.policyIdentifier : (names.trust ?? names.resource);
  return {
    kind,
    effect: "Allow",
    ...(policy ? { policy } : {}),
    ...(g.statementId ? { sid: g.statementId } : {}),
    index: g.statementIndex,
  };
}

function dedupe(reasons: Reason[]): Reason[] {
  const seen = new Set<string>();
  return reasons.filter((r) => {
    const key = JSON.stringify(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Evaluate one request as IAM would. Never throws for a bad request: the verdict says `Error`. */
export async function evaluate(request: AccessRequest): Promise<Verdict> {
  const p = request.policies;
  const problems: string[] = [];
  if (p.trust && p.resource) problems.push("a request takes one resource-based policy: give either trust or resource, not both");
  for (const [key, value] of Object.entries(request.context)) {
    if (typeof value !== "string" && !(Array.isArray(value) && value.every((v) => typeof v === "string"))) {
      problems.push(`context key ${key} must be a string or a list of strings (AWS sends "true", not true)`);
    }
  }
  const identity = await Promise.all(p.identity.map((x) => prepare("identity", x)));
  const boundary = p.boundary ? await prepare("identity", p.boundary) : undefined;
  const session = p.session ? await prepare("identity", p.session) : undefined;
  const resourcePolicy = p.trust ? await prepare("trust", p.trust) : p.resource ? await prepare("resource", p.resource) : undefined;
  const scps = await Promise.all(
    (p.scps ?? []).map(async (l) => ({ l, prep: await Promise.all(l.policies.map((x) => prepare("identity", x))) })),
  );
  const rcps = await Promise.all(
    (p.rcps ?? []).map(async (l) => ({ l, prep: await Promise.all(l.policies.map((x) => prepare("identity", x))) })),
  );
  for (const x of [...identity, boundary, session, resourcePolicy, ...scps.flatMap((s) => s.prep), ...rcps.flatMap((s) => s.prep)]) {
    if (x) problems.push(...x.problems);
  }
  if (problems.length > 0) return { decision: "Error", reasons: [], problems: [...new Set(problems)] };

  const simulation: Simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount },
      contextVariables: request.context as Record<string, string | string[]>,
    },
    identityPolicies: p.identity.map((x, i) => ({ name: x.name, policy: identity[i].validated })),
    ...(boundary && p.boundary ? { permissionBoundaryPolicies: [{ name: p.boundary.name, policy: boundary.validated }] } : {}),
    ...(session ? { sessionPolicy: session.validated } : {}),
    ...(resourcePolicy ? { resourcePolicy: resourcePolicy.validated } : {}),
    serviceControlPolicies: scps.map(({ l, prep }) => ({
      orgIdentifier: l.orgIdentifier,
      policies: l.policies.map((x, i) => ({ name: x.name, policy: prep[i].validated })),
    })),
    resourceControlPolicies: rcps.map(({ l, prep }) => ({
      orgIdentifier: l.orgIdentifier,
      policies: l.policies.map((x, i) => ({ name: x.name, policy: prep[i].validated })),
    })),
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === "error")
    return { decision: "Error", reasons: [], problems: describeErrors(result.errors as unknown as Record<string, unknown>) };

  const results = result.resultType === "single" ? [result.result] : result.results;
  if (results.length === 0)
    return {
      decision: "Error",
      reasons: [],
      problems: [`the wildcard resource ${request.resource} matched no resource pattern of any policy`],
    };
  const ignored = [...new Set(results.flatMap((r) => r.ignoredContextKeys ?? []))];
  if (ignored.length > 0) {
    return {
      decision: "Error",
      reasons: [],
      problems: [
        `context key${ignored.length > 1 ? "s" : ""} ${ignored.join(", ")} not applicable to ${request.action} on ${request.resource}: AWS would not send ${ignored.length > 1 ? "them" : "it"}`,
      ],
    };
  }
  const names = { trust: p.trust?.name, resource: p.resource?.name };
  const decision = result.overallResult;
  const reasons: Reason[] = [];
  for (const r of results) {
    if (decision === "Allowed") reasons.push(...getGrantReasons(r.analysis).map((g) => grantReason(g, names)));
    else if (r.analysis.result !== "Allowed") {
      const denials = getDenialReasons(r.analysis);
      // Explicit denials decide; among implicit ones, those that blocked an otherwise allowed request first.
      const explicit = denials.filter((d) => d.denialType === "Explicit");
      const chosen =
        decision === "ExplicitlyDenied" ? explicit : [...denials.filter((d) => d.blocking), ...denials.filter((d) => !d.blocking)];
      reasons.push(...chosen.map((d) => denialReason(d, names)));
    }
  }
  return { decision, reasons: dedupe(reasons), problems: [] };
}

/** `arn:aws:iam::111122223333:policy/jump/test-pb-policy` -> `test-pb-policy`; other names unchanged. */
export function shortPolicyName(name: string): string {
  const m = /^arn:aws[a-z-]*:iam::(?:\d{12}|aws):policy\/(?:.*\/)?([^/]+)$/.exec(name);
  return m ? m[1] : name;
}

/** `test-pb-policy statement #2`, `jump-permissions-boundary statement DenyBoundaryRemoval (#4)`, `no Allow in ...`. */
export function describeReason(r: Reason): string {
  const what = r.policy ? shortPolicyName(r.policy) : `the ${r.kind} policy`;
  if (r.effect === "NoAllow") {
    if (r.kind === "identity" && !r.policy) return "no Allow in the principal's identity policies";
    if (r.kind === "boundary" && !r.policy) return "no Allow in the permissions boundary";
    return `no Allow in ${what}`;
  }
  const statement = r.sid ? `statement ${r.sid} (#${r.index})` : `statement #${r.index}`;
  return `${what} ${statement}`;
}

/** One line: `ExplicitlyDenied (denied by test-pb-policy statement #2)`. */
export function describeVerdict(v: Verdict): string {
  if (v.decision === "Error") return `Error: ${v.problems.join("; ")}`;
  if (v.reasons.length === 0) return v.decision;
  const verb = v.decision === "Allowed" ? "allowed by" : v.decision === "ExplicitlyDenied" ? "denied by" : "denied:";
  return `${v.decision} (${verb} ${v.reasons.map(describeReason).join("; ")})`;
}
