import type { PolicyDocument } from "../policy-document";

/** IAM user and group management: the boundary denies all of it (the article's second statement). */
export const USER_AND_GROUP_ACTIONS = [
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
];

/** Role creation and role-permission changes: denied unless the role carries the boundary. */
export const ROLE_PERMISSION_ACTIONS = [
  "iam:CreateRole",
  "iam:AttachRolePolicy",
  "iam:DetachRolePolicy",
  "iam:PutRolePolicy",
  "iam:DeleteRolePolicy",
  "iam:PutRolePermissionsBoundary",
];

/** Edits of the boundary policy itself. */
export const BOUNDARY_POLICY_EDIT_ACTIONS = [
  "iam:CreatePolicyVersion",
  "iam:DeletePolicy",
  "iam:DeletePolicyVersion",
  "iam:SetDefaultPolicyVersion",
];

export interface BoundaryArgs {
  /** The boundary's own ARN: its conditions name it, so it must be known before it exists. */
  readonly boundaryArn: string;
}

export interface HardenedBoundaryArgs extends BoundaryArgs {
  readonly accountId: string;
  /** Roles nobody holding the boundary may edit, delete or re-trust: the restricted roles and the protected ones. */
  readonly shieldedRoleArns: readonly string[];
  /** The path under which bounded principals may pass roles and version customer policies, e.g. `/delegated/`. */
  readonly delegatedPath: string;
}

/** The article's `test-pb-policy`, exactly: the `seed` profile. */
export function seedBoundaryPolicy(args: BoundaryArgs): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: "*", Resource: "*" },
      { Effect: "Deny", Action: [...USER_AND_GROUP_ACTIONS], Resource: "*" },
      {
        Effect: "Deny",
        Action: [...ROLE_PERMISSION_ACTIONS],
        Resource: "*",
        Condition: { StringNotEquals: { "iam:PermissionsBoundary": args.boundaryArn } },
      },
      {
        Effect: "Deny",
        Action: ["iam:DeleteRolePermissionsBoundary"],
        Resource: "*",
        Condition: { StringEquals: { "iam:PermissionsBoundary": args.boundaryArn } },
      },
      { Effect: "Deny", Action: [...BOUNDARY_POLICY_EDIT_ACTIONS], Resource: [args.boundaryArn] },
    ],
  };
}

/** Credentials and identity changes on existing users (escalation by taking over a user). */
export const USER_CREDENTIAL_ACTIONS = [
  "iam:UpdateLoginProfile",
  "iam:DeleteLoginProfile",
  "iam:UpdateAccessKey",
  "iam:DeleteAccessKey",
  "iam:CreateServiceSpecificCredential",
  "iam:ResetServiceSpecificCredential",
  "iam:UpdateServiceSpecificCredential",
  "iam:UploadSSHPublicKey",
  "iam:UpdateSSHPublicKey",
  "iam:UploadSigningCertificate",
  "iam:UpdateSigningCertificate",
  "iam:EnableMFADevice",
  "iam:DeactivateMFADevice",
  "iam:ResyncMFADevice",
  "iam:PutUserPermissionsBoundary",
  "iam:DeleteUserPermissionsBoundary",
  "iam:TagUser",
  "iam:UntagUser",
];

/**
 * Role changes that, for any action but CreateRole, IAM evaluates against the role's *current*
 * boundary: denied on every role that does not already carry ours.
 */
export const ROLE_CHANGE_ACTIONS = ["iam:UpdateAssumeRolePolicy", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:DeleteRole"];

/** Everything that edits, re-trusts, re-tags or deletes a role. */
export const ROLE_SHIELD_ACTIONS = [
  ...ROLE_PERMISSION_ACTIONS.filter((a) => a !== "iam:CreateRole"),
  "iam:DeleteRolePermissionsBoundary",
  ...ROLE_CHANGE_ACTIONS,
  "iam:TagRole",
  "iam:UntagRole",
];

/** Customer-policy changes that would rewrite a policy someone else may have attached. */
export const POLICY_VERSION_ACTIONS = [
  "iam:CreatePolicyVersion",
  "iam:SetDefaultPolicyVersion",
  "iam:DeletePolicyVersion",
  "iam:DeletePolicy",
];

/**
 * The `hardened` profile: every guard of the article's boundary, plus the escalations that IAM
 * conditions can close (see docs/escalations.md): user take-over, edits of unbounded roles,
 * edits of the restricted and protected roles themselves, passing roles or rewriting customer
 * policies outside the delegated path, and assuming same-account roles outside that path.
 */
export function hardenedBoundaryPolicy(args: HardenedBoundaryArgs): PolicyDocument {
  const delegatedRoles = `arn:aws:iam::${args.accountId}:role${args.delegatedPath}*`;
  const delegatedPolicies = `arn:aws:iam::${args.accountId}:policy${args.delegatedPath}*`;
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "AllowAll", Effect: "Allow", Action: "*", Resource: "*" },
      { Sid: "DenyUserAndGroupManagement", Effect: "Deny", Action: [...USER_AND_GROUP_ACTIONS, ...USER_CREDENTIAL_ACTIONS], Resource: "*" },
      {
        Sid: "DenyRoleChangesWithoutThisBoundary",
        Effect: "Deny",
        Action: [...ROLE_PERMISSION_ACTIONS, ...ROLE_CHANGE_ACTIONS],
        Resource: "*",
        Condition: { StringNotEquals: { "iam:PermissionsBoundary": args.boundaryArn } },
      },
      {
        Sid: "DenyBoundaryRemoval",
        Effect: "Deny",
        Action: ["iam:DeleteRolePermissionsBoundary"],
        Resource: "*",
        Condition: { StringEquals: { "iam:PermissionsBoundary": args.boundaryArn } },
      },
      {
        Sid: "DenyBoundaryPolicyEdits",
        Effect: "Deny",
        Action: [...BOUNDARY_POLICY_EDIT_ACTIONS, "iam:TagPolicy", "iam:UntagPolicy"],
        Resource: [args.boundaryArn],
      },
      {
        Sid: "ShieldRestrictedAndProtectedRoles",
        Effect: "Deny",
        Action: [...ROLE_SHIELD_ACTIONS],
        Resource: [...args.shieldedRoleArns].sort(),
      },
      { Sid: "DenyPassingRolesOutsideDelegatedPath", Effect: "Deny", Action: "iam:PassRole", NotResource: delegatedRoles },
      {
        Sid: "DenyPolicyVersionsOutsideDelegatedPath",
        Effect: "Deny",
        Action: [...POLICY_VERSION_ACTIONS],
        NotResource: delegatedPolicies,
      },
      {
        Sid: "DenyAssumingOwnAccountRolesOutsideDelegatedPath",
        Effect: "Deny",
        Action: "sts:AssumeRole",
        NotResource: delegatedRoles,
        Condition: { StringEquals: { "aws:ResourceAccount": args.accountId } },
      },
    ],
  };
}

export type BoundaryPolicyArgs = HardenedBoundaryArgs;

/** The boundary document of a profile. */
export function boundaryPolicy(profile: "seed" | "hardened", args: BoundaryPolicyArgs): PolicyDocument {
  return profile === "seed" ? seedBoundaryPolicy(args) : hardenedBoundaryPolicy(args);
}
