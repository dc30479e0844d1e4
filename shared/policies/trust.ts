import { accountRootArn } from "../arn";
import type { TrustSpec } from "../contract";
import { oneOrMany, type ConditionBlock, type PolicyDocument, type PolicyStatement } from "../policy-document";

export interface TrustPolicyArgs {
  /** Who is admitted: listed user ARNs, or Jump IAM users carrying a group tag. */
  readonly trust: TrustSpec;
  /** The Jump account (the principal under the group-tags strategy). */
  readonly jumpAccountId: string;
  /** Optional bound on how long ago the caller authenticated with MFA. */
  readonly mfaMaxAgeSeconds?: number;
}

/**
 * The restricted role's trust policy (the article's, generalised): only the intended Jump users,
 * and only when they signed in with MFA. `Bool` (not `BoolIfExists`) is deliberate: long-term
 * access keys carry no `aws:MultiFactorAuthPresent`, and an Allow must not match them.
 */
export function trustPolicy(args: TrustPolicyArgs): PolicyDocument {
  const mfa: Record<string, Record<string, string>> = { Bool: { "aws:MultiFactorAuthPresent": "true" } };
  if (args.mfaMaxAgeSeconds !== undefined) mfa.NumericLessThan = { "aws:MultiFactorAuthAge": String(args.mfaMaxAgeSeconds) };

  if (args.trust.strategy === "users") {
    return {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: oneOrMany([...args.trust.principalArns].sort()) },
          Action: "sts:AssumeRole",
          Condition: mfa as ConditionBlock,
        },
      ],
    };
  }
  // group-tags: the Jump account is the principal; only its IAM users (not roles), only those
  // carrying a mapped group's tag, which the jump stack sets and users cannot set on themselves.
  // One statement per tag: conditions on different keys are ANDed, statements are ORed.
  const statements: PolicyStatement[] = [...args.trust.tagKeys].sort().map((key) => ({
    Effect: "Allow",
    Principal: { AWS: accountRootArn(args.jumpAccountId) },
    Action: "sts:AssumeRole",
    Condition: {
      ...mfa,
      ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${args.jumpAccountId}:user/*` },
      StringEquals: { [`aws:PrincipalTag/${key}`]: "true" },
    } as ConditionBlock,
  }));
  return { Version: "2012-10-17", Statement: statements };
}
