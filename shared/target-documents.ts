/**
 * The documents of one target account, built from its settings and the jump stack's contract,
 * as plain values: the component registers them, the quota check measures them first.
 */
import { policyArn, roleArn } from "./arn";
import type { BoundaryProfile, StackIdentity } from "./config";
import type { RoleContract } from "./contract";
import { LIMITS } from "./iam-limits";
import { policySize, type PolicyDocument } from "./policy-document";
import { boundaryPolicy } from "./policies/boundary";
import { trustPolicy } from "./policies/trust";
import { ssoRolesPattern } from "./sso-roles";

export interface TargetDocumentArgs {
  readonly accountId: string;
  /** The Jump account its roles trust; unset for an account only IAM Identity Center reaches (no roles). */
  readonly jumpAccountId?: string;
  readonly boundaryPolicyName: string;
  readonly boundaryPolicyPath: string;
  readonly boundaryProfile: BoundaryProfile;
  readonly roles: readonly RoleContract[];
  readonly protectedRoleNames: readonly string[];
  readonly delegatedPath: string;
  /** The trust-policy length quota (from the contract). */
  readonly trustPolicyMaxChars: number;
  /** IAM Identity Center provisions roles here: the hardened boundary shields them like the restricted roles. */
  readonly identityCenter?: boolean;
}

export interface TargetDocuments {
  readonly boundaryPolicyArn: string;
  readonly boundary: PolicyDocument;
  readonly trustPolicies: ReadonlyMap<string, PolicyDocument>;
}

export function targetDocuments(args: TargetDocumentArgs): TargetDocuments {
  const boundaryPolicyArn = policyArn(args.accountId, args.boundaryPolicyPath, args.boundaryPolicyName);
  const shieldedRoleArns = [
    ...args.roles.map((r) => r.arn),
    ...args.protectedRoleNames.map((n) => roleArn(args.accountId, "/", n)),
    ...(args.identityCenter ? [ssoRolesPattern(args.accountId)] : []),
  ];
  const jumpAccountId = (): string => {
    if (args.jumpAccountId === undefined)
      throw new Error(`account ${args.accountId}: restricted roles need the Jump account that they trust`);
    return args.jumpAccountId;
  };
  return {
    boundaryPolicyArn,
    boundary: boundaryPolicy(args.boundaryProfile, {
      boundaryArn: boundaryPolicyArn,
      accountId: args.accountId,
      shieldedRoleArns,
      delegatedPath: args.delegatedPath,
    }),
    trustPolicies: new Map(
      args.roles.map((r) => [
        r.name,
        trustPolicy({ trust: r.trust, jumpAccountId: jumpAccountId(), mfaMaxAgeSeconds: r.mfaMaxAgeSeconds }),
      ]),
    ),
  };
}

/** Quota problems of a target account's documents. */
export function targetQuotaProblems(args: TargetDocumentArgs, docs: TargetDocuments, id: StackIdentity): string[] {
  const problems: string[] = [];
  const size = policySize(docs.boundary);
  if (size > LIMITS.managedPolicyChars) {
    problems.push(
      `stack "${id.stack}": the boundary policy "${args.boundaryPolicyName}" (${args.boundaryProfile}) is ${size} characters; the IAM quota is ${LIMITS.managedPolicyChars} (managed policy size); use shorter role paths, fewer roles in this account or fewer ${id.project}:protectedRoleNames`,
    );
  }
  for (const [role, doc] of docs.trustPolicies) {
    const n = policySize(doc);
    if (n > args.trustPolicyMaxChars) {
      problems.push(
        `stack "${id.stack}": the trust policy of role ${role} is ${n} characters; the IAM quota is ${args.trustPolicyMaxChars} (role trust policy length); set jump-account:trustStrategy to "group-tags" or "auto" in the jump stack, or raise the quota to 4096 and set jump-account:trustPolicyMaxChars`,
      );
    }
  }
  return problems;
}
