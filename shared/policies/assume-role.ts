import { oneOrMany, type PolicyDocument } from "../policy-document";

/**
 * The article's `test-jump-policy`, generalised: a Jump group may call `sts:AssumeRole` on exactly
 * the target roles mapped to it. The roles' own trust policies still require MFA.
 */
export function assumeRolePolicy(roleArns: readonly string[]): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: oneOrMany([...roleArns].sort()) }],
  };
}
