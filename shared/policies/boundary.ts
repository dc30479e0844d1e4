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

/** Edits of the boundary policy itself; the hardened profile also denies them on customer policies outside the delegated path. */
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

/**
 * The article's user and group guard as patterns, for the hardened profile: every action of
 * USER_AND_GROUP_ACTIONS (the policy pack checks it), and the reads of users and groups with them.
 * `iam:*Group` also matches AddUserToGroup and RemoveUserFromGroup; `iam:*User` matches TagUser.
 */
export const USER_AND_GROUP_PATTERNS = ["iam:*User", "iam:*UserPolicy", "iam:*Group", "iam:*GroupPolicy"];

/**
 * Credentials and identity changes on existing users (escalation by taking over a user). As
 * patterns, to keep the boundary within the managed-policy quota: they also match a few reads of
 * users (GetLoginProfile, GetSSHPublicKey, GetMFADevice), which no target account needs.
 */
export const USER_CREDENTIAL_ACTIONS = [
  "iam:*LoginProfile",
  "iam:*AccessKey",
  "iam:*ServiceSpecificCredential",
  "iam:*SSHPublicKey",
  "iam:*SigningCertificate",
  "iam:*MFADevice",
  "iam:*UserPermissionsBoundary",
];

/**
 * Role changes that, for any action but CreateRole, IAM evaluates against the role's *current*
 * boundary: denied on every role that does not already carry ours.
 */
export const ROLE_CHANGE_ACTIONS = ["iam:UpdateAssumeRolePolicy", "iam:UpdateRole*", "iam:DeleteRole"];

/**
 * ROLE_PERMISSION_ACTIONS without CreateRole, as patterns where a pattern matches only writes
 * (`iam:*tachRolePolicy` is Attach and Detach), to keep the boundary within the quota.
 */
const ROLE_POLICY_WRITES = ["iam:*tachRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy"];

/** Everything that edits, re-trusts, re-tags or deletes a role (`iam:*agRole`: TagRole and UntagRole). */
export const ROLE_SHIELD_ACTIONS = [...ROLE_POLICY_WRITES, "iam:*RolePermissionsBoundary", ...ROLE_CHANGE_ACTIONS, "iam:*agRole"];

/**
 * The Sids of the hardened boundary's statements: the escalation catalogue names the statement
 * that must block each method by these.
 */
export const HARDENED_SIDS = {
  users: "DenyUserAndGroupManagement",
  roleChanges: "DenyRoleChangesWithoutThisBoundary",
  boundaryRemoval: "DenyBoundaryRemoval",
  boundaryPolicy: "DenyBoundaryPolicyEdits",
  shield: "ShieldRestrictedAndProtectedRoles",
  policyVersions: "DenyPolicyVersionsOutsideDelegatedPath",
  assumeOwnAccount: "DenyAssumingOwnAccountRolesOutsideDelegatedPath",
  assumeOtherAccounts: "DenyAssumingRolesInOtherAccounts",
  rolesOutsidePath: "DenyRolesOutsideDelegatedPath",
  reservedTags: "DenyReservedTagKeys",
  samlProviders: "DenySAMLProviderChanges",
  providerChanges: "DenyProviderChangesUnlessDelegated",
  providerCreation: "DenyProviderCreationUnlessDelegated",
  account: "DenyAccountAndOrganizationChanges",
} as const;

/**
 * The tag that marks an OIDC provider or a Roles Anywhere trust anchor or profile as created by a
 * bounded principal for an application: only those may be changed or deleted under the boundary.
 */
export const DELEGATED_TAG_KEY = "jumpenv:delegated";

/**
 * Tag keys no bounded role or session may carry: the project's own namespace, which the
 * group-tags trust strategy and attribute-based access control read as `aws:PrincipalTag`.
 */
export const RESERVED_TAG_KEY_PATTERN = "jumpenv:*";

/**
 * RESERVED_TAG_KEY_PATTERN in every letter case. IAM matches the tag key of
 * `aws:PrincipalTag/<key>` and `aws:ResourceTag/<key>` without regard to case (a role tagged
 * `JumpEnv:group/x` satisfies a condition on `aws:PrincipalTag/jumpenv:group/x`), but StringLike
 * compares `aws:TagKeys` case-sensitively and IAM has no case-insensitive wildcard operator. All
 * 2^7 spellings would not fit the quota, so the first two letters are spelt in their four cases
 * and every further letter is `?`: a superset that also refuses the rare key of a seven-character
 * namespace starting with "ju".
 */
export const RESERVED_TAG_KEY_PATTERNS = caseInsensitivePatterns(RESERVED_TAG_KEY_PATTERN, 2);

function caseInsensitivePatterns(pattern: string, spelt: number): string[] {
  const head = pattern.slice(0, spelt);
  const tail = pattern.slice(spelt).replace(/[a-z]/gi, "?");
  let heads = [""];
  for (const ch of head) heads = heads.flatMap((h) => [...new Set([h + ch.toLowerCase(), h + ch.toUpperCase()])]);
  return heads.map((h) => h + tail);
}

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
      { Sid: HARDENED_SIDS.users, Effect: "Deny", Action: [...USER_AND_GROUP_PATTERNS, ...USER_CREDENTIAL_ACTIONS], Resource: "*" },
      {
        Sid: HARDENED_SIDS.roleChanges,
        Effect: "Deny",
        Action: ["iam:CreateRole", ...ROLE_POLICY_WRITES, "iam:PutRolePermissionsBoundary", ...ROLE_CHANGE_ACTIONS],
        Resource: "*",
        Condition: { StringNotEquals: { "iam:PermissionsBoundary": args.boundaryArn } },
      },
      // Unconditional: a role that carries another, stricter boundary must keep it too.
      { Sid: HARDENED_SIDS.boundaryRemoval, Effect: "Deny", Action: ["iam:DeleteRolePermissionsBoundary"], Resource: "*" },
      {
        Sid: HARDENED_SIDS.reservedTags,
        Effect: "Deny",
        Action: [...ROLE_TAGGING_ACTIONS],
        Resource: "*",
        Condition: { "ForAnyValue:StringLike": { "aws:TagKeys": [...RESERVED_TAG_KEY_PATTERNS] } },
      },
      {
        Sid: HARDENED_SIDS.boundaryPolicy,
        Effect: "Deny",
        Action: [...BOUNDARY_POLICY_EDIT_ACTIONS, "iam:TagPolicy", "iam:UntagPolicy"],
        Resource: [args.boundaryArn],
      },
      {
        Sid: HARDENED_SIDS.shield,
        Effect: "Deny",
        Action: [...ROLE_SHIELD_ACTIONS],
        Resource: [...args.shieldedRoleArns].sort(),
      },
      {
        // PassRole sends no boundary key, and for PutRolePermissionsBoundary iam:PermissionsBoundary
        // shows only the new boundary, never the old one: putting this boundary on a platform or
        // unbounded role would make it "ours" and then editable. Tag requests carry no boundary key
        // at all. Only the path tells delegated roles (all created with this boundary) apart.
        Sid: HARDENED_SIDS.rolesOutsidePath,
        Effect: "Deny",
        Action: ["iam:PassRole", "iam:PutRolePermissionsBoundary", "iam:*agRole"],
        NotResource: delegatedRoles,
      },
      {
        Sid: HARDENED_SIDS.policyVersions,
        Effect: "Deny",
        Action: [...BOUNDARY_POLICY_EDIT_ACTIONS],
        NotResource: delegatedPolicies,
      },
      {
        Sid: HARDENED_SIDS.assumeOwnAccount,
        Effect: "Deny",
        Action: "sts:AssumeRole",
        NotResource: delegatedRoles,
        Condition: { StringEquals: { "aws:ResourceAccount": args.accountId } },
      },
      {
        // Roles of other accounts that trust this one are reached through the Jump account, with MFA.
        Sid: HARDENED_SIDS.assumeOtherAccounts,
        Effect: "Deny",
        Action: "sts:AssumeRole",
        Resource: "*",
        Condition: { StringNotEquals: { "aws:ResourceAccount": args.accountId } },
      },
      { Sid: HARDENED_SIDS.samlProviders, Effect: "Deny", Action: [...SAML_PROVIDER_ACTIONS], Resource: "*" },
      {
        // An absent tag makes StringNotEquals true: untagged providers are denied.
        Sid: HARDENED_SIDS.providerChanges,
        Effect: "Deny",
        Action: [...IDENTITY_PROVIDER_CHANGE_ACTIONS],
        Resource: "*",
        Condition: { StringNotEquals: { [`aws:ResourceTag/${DELEGATED_TAG_KEY}`]: "true" } },
      },
      {
        Sid: HARDENED_SIDS.providerCreation,
        Effect: "Deny",
        Action: [...IDENTITY_PROVIDER_CREATE_ACTIONS],
        Resource: "*",
        Condition: { StringNotEquals: { [`aws:RequestTag/${DELEGATED_TAG_KEY}`]: "true" } },
      },
      { Sid: HARDENED_SIDS.account, Effect: "Deny", Action: [...ACCOUNT_AND_ORGANIZATION_ACTIONS], Resource: "*" },
    ],
  };
}

/** SAML providers: a human sign-in path. Humans come through the Jump account, so no bounded principal manages one. */
export const SAML_PROVIDER_ACTIONS = [
  "iam:CreateSAMLProvider",
  "iam:UpdateSAMLProvider",
  "iam:DeleteSAMLProvider",
  "iam:TagSAMLProvider",
  "iam:UntagSAMLProvider",
];

/**
 * Changes of an existing identity provider (OIDC, Roles Anywhere) that roles may trust: none of
 * these requests names the roles that trust it, so only providers created as delegated may change.
 */
export const IDENTITY_PROVIDER_CHANGE_ACTIONS = [
  // Add and Remove ClientID; Tag and Untag (patterns, to keep the boundary within the quota).
  "iam:*ClientID*",
  "iam:UpdateOpenIDConnectProviderThumbprint",
  "iam:DeleteOpenIDConnectProvider",
  "iam:*agOpenIDConnectProvider",
  "rolesanywhere:Update*",
  "rolesanywhere:Enable*",
  "rolesanywhere:Delete*",
  // DisableCrl makes revoked certificates valid again; PutAttributeMapping changes which
  // certificate fields become the session tags that trust policies read.
  "rolesanywhere:Disable*",
  "rolesanywhere:Put*",
  "rolesanywhere:TagResource",
  "rolesanywhere:UntagResource",
];

/** Creating an identity provider: allowed only when the request marks it delegated. */
export const IDENTITY_PROVIDER_CREATE_ACTIONS = [
  "iam:CreateOpenIDConnectProvider",
  "rolesanywhere:CreateTrustAnchor",
  "rolesanywhere:CreateProfile",
];

/**
 * Account-level escapes from the organisation's guard rails: leaving it, editing its policies
 * where the account is a delegated administrator, redirecting or closing the account.
 */
export const ACCOUNT_AND_ORGANIZATION_ACTIONS = [
  "organizations:LeaveOrganization",
  // Attach, Detach, Create, Update, Delete (and Describe) Policy; Enable and Disable PolicyType.
  "organizations:*Policy",
  "organizations:*PolicyType",
  "organizations:*DelegatedAdministrator",
  "account:CloseAccount",
  // Alternate contacts, contact information, account name.
  "account:Put*",
  "account:Delete*",
  // The account's email address and name (and its password policy).
  "iam:UpdateAccount*",
  // Where the account is the organisation's delegated administrator for account management or
  // for centralised root access: the root email address of other member accounts (then a root
  // password reset), and root sessions in them (a root password, or deleting a bucket policy).
  "account:*PrimaryEmailUpdate",
  "sts:AssumeRoot",
  // Where the account is IAM Identity Center's delegated administrator: assigning or rewriting
  // permission sets (every Attach, Put, Delete, Provision ...PermissionSet), and group membership
  // or the email address of Identity Center users, reach every member account.
  "sso:*AccountAssignment",
  "sso:*PermissionSet",
  "identitystore:*GroupMembership",
  "identitystore:UpdateUser",
];

/** Role actions that carry tags in the request: a bounded role must not carry a reserved key. */
export const ROLE_TAGGING_ACTIONS = ["iam:CreateRole", "iam:TagRole", "sts:TagSession"];

export type BoundaryPolicyArgs = HardenedBoundaryArgs;

/** The boundary document of a profile. */
export function boundaryPolicy(profile: "seed" | "hardened", args: BoundaryPolicyArgs): PolicyDocument {
  return profile === "seed" ? seedBoundaryPolicy(args) : hardenedBoundaryPolicy(args);
}
