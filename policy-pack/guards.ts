/**
 * The guards of the article's permissions boundary (`reference/seed-policies/test-pb-policy.json`),
 * as data, and the semantic check that a boundary document still holds each of them.
 *
 * A guard holds when, for every one of its actions, some `Deny` statement of the document applies
 * to that action (Action list or wildcard such as `iam:*`, case-insensitive; or a NotAction that
 * leaves it out), to the guard's resource, and under a condition at least as broad as the guard's.
 * Extra actions, extra statements, Sids and wider resources do not matter; a narrower condition,
 * a missing action or a Resource that misses the target does.
 */
import {
  conditionEntries,
  globMatch,
  parsePolicyDocument,
  statementCoversAction,
  statementCoversAllResources,
  statementCoversResource,
  type PolicyDocument,
  type Statement,
} from "./iam-document";

/**
 * Which condition a guard's Deny needs:
 * - `none`: unconditional;
 * - `boundary-not-equals`: applies whenever `iam:PermissionsBoundary` is *not* this boundary;
 * - `boundary-equals`: applies whenever `iam:PermissionsBoundary` *is* this boundary.
 * An unconditional Deny satisfies every guard (it denies at least as much).
 */
export type GuardCondition = "none" | "boundary-not-equals" | "boundary-equals";

export interface BoundaryGuard {
  /** Stable kebab-case id, used in violation messages. */
  readonly id: string;
  /** What the guard denies, in words. */
  readonly description: string;
  /** Every action the guard's Deny must cover. */
  readonly actions: readonly string[];
  /** `*`: the Deny must apply to every resource; `boundary`: at least to the boundary policy's own ARN. */
  readonly resource: "*" | "boundary";
  readonly condition: GuardCondition;
}

/** The condition key of the boundary guards. */
export const PERMISSIONS_BOUNDARY_KEY = "iam:PermissionsBoundary";

/** The article's four guards. */
export const BOUNDARY_GUARDS: readonly BoundaryGuard[] = [
  {
    id: "deny-user-and-group-management",
    description: "IAM user and group management is denied",
    actions: [
      "iam:CreateUser",
      "iam:CreateLoginProfile",
      "iam:CreateAccessKey",
      "iam:UpdateUser",
      "iam:DeleteUser",
      "iam:CreateGroup",
      "iam:UpdateGroup",
      "iam:DeleteGroup",
      "iam:AddUserToGroup",
      "iam:RemoveUserFromGroup",
      "iam:AttachUserPolicy",
      "iam:DetachUserPolicy",
      "iam:PutUserPolicy",
      "iam:DeleteUserPolicy",
      "iam:AttachGroupPolicy",
      "iam:DetachGroupPolicy",
      "iam:PutGroupPolicy",
      "iam:DeleteGroupPolicy",
    ],
    resource: "*",
    condition: "none",
  },
  {
    id: "deny-role-changes-without-boundary",
    description: "role creation and role-policy changes are denied unless the role carries this boundary",
    actions: [
      "iam:CreateRole",
      "iam:AttachRolePolicy",
      "iam:DetachRolePolicy",
      "iam:PutRolePolicy",
      "iam:DeleteRolePolicy",
      "iam:PutRolePermissionsBoundary",
    ],
    resource: "*",
    condition: "boundary-not-equals",
  },
  {
    id: "deny-boundary-removal",
    description: "removing this boundary from a role is denied",
    actions: ["iam:DeleteRolePermissionsBoundary"],
    resource: "*",
    condition: "boundary-equals",
  },
  {
    id: "deny-boundary-policy-edits",
    description: "editing or deleting this boundary policy is denied",
    actions: ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"],
    resource: "boundary",
    condition: "none",
  },
];

/**
 * Condition operators accepted for each conditional guard. `*Like` and `Arn*` operators take
 * wildcards; `IfExists` variants deny at least as much (a missing key makes them true).
 */
export const GUARD_CONDITION_OPERATORS: Readonly<Record<Exclude<GuardCondition, "none">, readonly string[]>> = {
  "boundary-not-equals": [
    "StringNotEquals",
    "StringNotEqualsIfExists",
    "StringNotLike",
    "StringNotLikeIfExists",
    "ArnNotEquals",
    "ArnNotEqualsIfExists",
    "ArnNotLike",
    "ArnNotLikeIfExists",
  ],
  "boundary-equals": [
    "StringEquals",
    "StringEqualsIfExists",
    "StringLike",
    "StringLikeIfExists",
    "ArnEquals",
    "ArnEqualsIfExists",
    "ArnLike",
    "ArnLikeIfExists",
  ],
};

/** A guard the document no longer holds, with the actions no Deny statement covers. */
export interface MissingGuard {
  readonly guard: BoundaryGuard;
  readonly missingActions: readonly string[];
}

/**
 * The guards `document` does not hold, for a boundary whose own ARN is `boundaryArn`.
 * Empty when every guard holds.
 */
export function missingGuards(document: PolicyDocument, boundaryArn: string): MissingGuard[] {
  const denies = document.statements.filter((s) => s.effect === "Deny" && s.principal === undefined && s.notPrincipal === undefined);
  const out: MissingGuard[] = [];
  for (const guard of BOUNDARY_GUARDS) {
    const candidates = denies.filter((s) => resourceHolds(s, guard, boundaryArn) && conditionHolds(s, guard.condition, boundaryArn));
    const missingActions = guard.actions.filter((a) => !candidates.some((s) => statementCoversAction(s, a)));
    if (missingActions.length > 0) out.push({ guard, missingActions });
  }
  return out;
}

/**
 * `missingGuards` for a document given as a JSON string or an object (e.g. a boundary builder's
 * output). Throws when the document cannot be read.
 */
export function missingGuardsIn(document: unknown, boundaryArn: string): MissingGuard[] {
  const parsed = parsePolicyDocument(document);
  if (!parsed.ok) throw new Error(`not a policy document: ${parsed.error}`);
  return missingGuards(parsed.document, boundaryArn);
}

/** One line per missing guard, naming it and the actions left uncovered. */
export function describeMissingGuard(m: MissingGuard, boundaryArn: string): string {
  const where = m.guard.resource === "*" ? 'Resource "*"' : `a Resource that covers ${boundaryArn}`;
  const how =
    m.guard.condition === "none"
      ? "with no Condition"
      : `with ${m.guard.condition === "boundary-not-equals" ? "StringNotEquals" : "StringEquals"} ${PERMISSIONS_BOUNDARY_KEY} = ${boundaryArn} (or an equivalent operator)`;
  const all = m.missingActions.length === m.guard.actions.length;
  return (
    `missing guard '${m.guard.id}' (${m.guard.description}): no Deny statement with ${where} ${how} covers ` +
    `${all ? "any of its actions: " : ""}${m.missingActions.join(", ")}`
  );
}

function resourceHolds(s: Statement, guard: BoundaryGuard, boundaryArn: string): boolean {
  return guard.resource === "*" ? statementCoversAllResources(s) : statementCoversResource(s, boundaryArn);
}

function conditionHolds(s: Statement, required: GuardCondition, boundaryArn: string): boolean {
  const entries = conditionEntries(s);
  if (entries.length === 0) return true; // an unconditional Deny denies at least as much
  if (required === "none" || entries.length !== 1) return false; // more conditions only narrow a Deny
  const [{ operator, key, values }] = entries;
  if (key.toLowerCase() !== PERMISSIONS_BOUNDARY_KEY.toLowerCase()) return false;
  const op = GUARD_CONDITION_OPERATORS[required].find((o) => o.toLowerCase() === operator.toLowerCase());
  if (!op || values.length === 0) return false;
  const exact = op.startsWith("StringEquals") || op.startsWith("StringNotEquals");
  const names = (v: unknown) => typeof v === "string" && (exact ? v === boundaryArn : globMatch(v, boundaryArn));
  if (required === "boundary-equals") return values.some(names);
  // A "not equals" Deny lets through every value it lists, so each must name this boundary
  // and nothing else: wildcards may stand for the partition or account, never the policy.
  return values.every((v) => names(v) && !/[*?]/.test(resourcePart(String(v))));
}

/** The part of an ARN after its fifth colon (`policy/path/name`), or the whole string. */
function resourcePart(arn: string): string {
  const parts = arn.split(":");
  return parts.length >= 6 ? parts.slice(5).join(":") : arn;
}
