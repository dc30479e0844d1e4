/**
 * IAM's own naming rules and quotas, written once. Config validation, the quota model and the
 * tests all read them from here.
 * Sources: IAM User Guide, "IAM and AWS STS quotas" and the CreateUser/CreateRole/CreatePolicy
 * API references.
 */

/** A 12-digit AWS account id. */
export const ACCOUNT_ID = /^\d{12}$/;

/** Users, groups, roles and policies share this character set ([\w+=,.@-]). */
export const IAM_NAME = /^[A-Za-z0-9+=,.@_-]+$/;

/** IAM paths: `/` or `/a/b/`, printable ASCII without spaces, at most 512 characters. */
export const IAM_PATH = /^\/(?:[\x21-\x7e]*\/)?$/;

export const LIMITS = {
  userNameLength: 64,
  groupNameLength: 128,
  roleNameLength: 64,
  policyNameLength: 128,
  pathLength: 512,
  /** Managed policy document, whitespace not counted. */
  managedPolicyChars: 6144,
  /** Role trust policy, default quota (raisable to 4,096 through Service Quotas). */
  trustPolicyCharsDefault: 2048,
  trustPolicyCharsMax: 4096,
  /** Managed policies attached to one group (fixed). */
  managedPoliciesPerGroup: 10,
  /** Managed policies attached to one role, default (raisable to 20). */
  managedPoliciesPerRoleDefault: 10,
  managedPoliciesPerRoleMax: 20,
  /** Role MaxSessionDuration range, seconds. */
  minSessionDuration: 3600,
  maxSessionDuration: 43200,
} as const;

/** The AWS managed policy that the article gives the restricted admin role. */
export const ADMINISTRATOR_ACCESS_ARN = "arn:aws:iam::aws:policy/AdministratorAccess";
