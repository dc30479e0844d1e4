import { oneOrMany, type ConditionBlock, type PolicyDocument } from "../policy-document";

export interface TrustPolicyArgs {
  /** The Jump principals (user ARNs) admitted to the role. */
  readonly principalArns: readonly string[];
  /** Optional bound on how long ago the caller authenticated with MFA. */
  readonly mfaMaxAgeSeconds?: number;
}

/**
 * The restricted role's trust policy (the article's trust policy, generalised): only the named Jump
 * principals, and only when they signed in with MFA. `Bool` (not `BoolIfExists`) is deliberate:
 * long-term access keys carry no `aws:MultiFactorAuthPresent`, and an Allow must not match them.
 */
export function trustPolicy(args: TrustPolicyArgs): PolicyDocument {
  const condition: Record<string, Record<string, string>> = { Bool: { "aws:MultiFactorAuthPresent": "true" } };
  if (args.mfaMaxAgeSeconds !== undefined) condition.NumericLessThan = { "aws:MultiFactorAuthAge": String(args.mfaMaxAgeSeconds) };
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: oneOrMany([...args.principalArns].sort()) },
        Action: "sts:AssumeRole",
        Condition: condition as ConditionBlock,
      },
    ],
  };
}
