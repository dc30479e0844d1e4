import { oneOrMany, policySize, type PolicyDocument, type PolicyStatement } from "../policy-document";
import { LIMITS } from "../iam-limits";

/**
 * The condition of the hardened groups' allow: MFA rests on the Jump side too, not on every
 * target's trust policy alone. `Bool` in an Allow: a long-term key (key absent) does not match.
 */
export const REQUIRE_MFA = { Bool: { "aws:MultiFactorAuthPresent": "true" } } as const;

/** Whether a group's assume-role allow itself requires MFA (the hardened self-service profile). */
export interface AssumeRoleOptions {
  readonly requireMfa: boolean;
}

const mfaCondition = (o: AssumeRoleOptions) => (o.requireMfa ? { Condition: { ...REQUIRE_MFA } } : {});

/**
 * The article's `test-jump-policy`, generalised: a Jump group may call `sts:AssumeRole` on exactly
 * the target roles mapped to it. The roles' own trust policies still require MFA.
 */
export function assumeRolePolicy(roleArns: readonly string[], o: AssumeRoleOptions = { requireMfa: false }): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: oneOrMany([...roleArns].sort()), ...mfaCondition(o) }],
  };
}

/** Role names (with path) and the accounts where the group may assume each of them. */
export interface RolePattern {
  readonly pathsAndNames: readonly string[];
  readonly accountIds: readonly string[];
}

/**
 * The `role-pattern` form: the role names in any account, narrowed by `aws:ResourceAccount` to
 * the accounts listed. A role of the same name in another account is not matched.
 */
export function assumeRolePatternStatement(p: RolePattern, o: AssumeRoleOptions = { requireMfa: false }): PolicyStatement {
  return {
    Effect: "Allow",
    Action: "sts:AssumeRole",
    Resource: oneOrMany(p.pathsAndNames.map((n) => `arn:aws:iam::*:role${n}`)),
    Condition: { StringEquals: { "aws:ResourceAccount": oneOrMany([...p.accountIds].sort()) }, ...(o.requireMfa ? REQUIRE_MFA : {}) },
  };
}

/**
 * Split items over as few documents as possible, each within the managed-policy quota. `build`
 * makes the document of a chunk; an item that alone exceeds the quota still gets its own
 * document (the quota check then names it).
 */
export function packDocuments<T>(
  items: readonly T[],
  build: (chunk: readonly T[]) => PolicyDocument,
  quota = LIMITS.managedPolicyChars,
): PolicyDocument[] {
  const docs: PolicyDocument[] = [];
  let chunk: T[] = [];
  for (const item of items) {
    const candidate = [...chunk, item];
    if (chunk.length > 0 && policySize(build(candidate)) > quota) {
      docs.push(build(chunk));
      chunk = [item];
    } else {
      chunk = candidate;
    }
  }
  if (chunk.length > 0) docs.push(build(chunk));
  return docs;
}
