/**
 * The config schema of both projects, declared once with zod. Every message says what was
 * expected; `config.ts` adds the stack, the key and the value that was given.
 */
import { z } from "zod";
import { ACCOUNT_ID, ADMINISTRATOR_ACCESS_ARN, IAM_NAME, IAM_PATH, LIMITS } from "./iam-limits";

export const accountId = z
  .string({ error: "expected a 12-digit AWS account id, as a quoted string" })
  .regex(ACCOUNT_ID, { error: "expected a 12-digit AWS account id" })
  .describe("12-digit AWS account id (quote it in YAML).");

/** A target account's short alias (profile names, switch-role labels, resource names). */
export const accountAlias = z.string({ error: "expected a short account alias (string)" }).regex(/^[a-z0-9][a-z0-9-]{0,62}$/, {
  error: "expected a short account alias: lower-case letters, digits and -, at most 63 characters",
});

function iamName(kind: string, max: number) {
  return z
    .string({ error: `expected an IAM ${kind} name (string)` })
    .min(1, { error: `expected an IAM ${kind} name of 1 to ${max} characters` })
    .max(max, { error: `expected an IAM ${kind} name of at most ${max} characters` })
    .regex(IAM_NAME, { error: `expected an IAM ${kind} name made of letters, digits and + = , . @ _ -` });
}

export const iamPath = z
  .string({ error: 'expected an IAM path such as "/" or "/jump/"' })
  .max(LIMITS.pathLength, { error: `expected an IAM path of at most ${LIMITS.pathLength} characters` })
  .regex(IAM_PATH, { error: 'expected an IAM path that starts and ends with "/" (e.g. "/" or "/jump/"), without spaces' });

export const USER_NAME = iamName("user", LIMITS.userNameLength);
export const GROUP_NAME = iamName("group", LIMITS.groupNameLength);
export const ROLE_NAME = iamName("role", LIMITS.roleNameLength);
export const POLICY_NAME = iamName("policy", LIMITS.policyNameLength);

export const managedPolicyArn = z.string().regex(/^arn:aws:iam::(aws|\d{12}):policy\/(?:[\x21-\x7e]*\/)?[A-Za-z0-9+=,.@_-]+$/, {
  error: "expected a managed policy ARN such as arn:aws:iam::aws:policy/ReadOnlyAccess",
});

export const userSchema = z
  .object({
    name: USER_NAME.describe("IAM user name (1-64 characters: letters, digits, + = , . @ _ -)."),
    // The self-service policy names a user as `user/${aws:username}` (the article's and AWS's own
    // documented form), which matches only users at path "/": a user under another path could never
    // set up MFA, and so could never switch role.
    path: z
      .literal("/", {
        error:
          'expected "/": Jump users live at the root path, because the self-service policy names each user as user/${aws:username} and a user under another path could never set up MFA',
      })
      .default("/")
      .describe('IAM path of the user: "/" only (the self-service policy names users as `user/${aws:username}`).'),
    groups: z
      .array(GROUP_NAME)
      .min(1, { error: "expected at least one group: a user outside every group cannot set up MFA or switch role" })
      .describe("Jump groups the user belongs to (at least one)."),
    createLoginProfile: z
      .boolean({ error: "expected true or false" })
      .default(true)
      .describe("Create a console login with a generated initial password that must be changed at first sign-in."),
    pgpKey: z
      .string()
      .regex(/^(keybase:[A-Za-z0-9_]+|[A-Za-z0-9+/=\s]{32,})$/, {
        error: 'expected "keybase:<username>" or a base64-encoded PGP public key',
      })
      .optional()
      .describe(
        'Encrypt the initial password with this PGP key ("keybase:<name>" or base64); otherwise the password is a secret stack output.',
      ),
  })
  .strict();

export const groupSchema = z
  .object({
    name: GROUP_NAME.describe("IAM group name."),
    path: iamPath.default("/").describe("IAM path of the group."),
    assumeRolePolicyName: POLICY_NAME.optional().describe(
      'Name of the group\'s managed policy that allows sts:AssumeRole on its target roles (default "<group>-assume-roles").',
    ),
  })
  .strict();

export const roleSchema = z
  .object({
    name: ROLE_NAME.describe("Role name in the target account (1-64 characters)."),
    path: iamPath.default("/").describe("IAM path of the role."),
    groups: z
      .array(GROUP_NAME)
      .min(1, { error: "expected at least one Jump group allowed to assume this role" })
      .describe("Jump groups whose members may assume the role (with MFA)."),
    managedPolicyArns: z
      .array(managedPolicyArn)
      .min(1, { error: "expected at least one managed policy ARN" })
      .max(LIMITS.managedPoliciesPerRoleMax, {
        error: `expected at most ${LIMITS.managedPoliciesPerRoleMax} managed policies (the IAM per-role maximum)`,
      })
      .default([ADMINISTRATOR_ACCESS_ARN])
      .describe("Managed policies attached to the role; the boundary caps them all."),
    maxSessionDuration: z
      .number({ error: "expected a whole number of seconds" })
      .int({ error: "expected a whole number of seconds" })
      .min(LIMITS.minSessionDuration, {
        error: `expected a session duration of ${LIMITS.minSessionDuration} to ${LIMITS.maxSessionDuration} seconds (1 to 12 hours)`,
      })
      .max(LIMITS.maxSessionDuration, {
        error: `expected a session duration of ${LIMITS.minSessionDuration} to ${LIMITS.maxSessionDuration} seconds (1 to 12 hours)`,
      })
      .default(3600)
      .describe("Maximum session length in seconds (3600-43200)."),
    mfaMaxAgeSeconds: z
      .number({ error: "expected a whole number of seconds" })
      .int({ error: "expected a whole number of seconds" })
      .min(60, { error: "expected an MFA age bound of 60 to 129600 seconds" })
      .max(129600, { error: "expected an MFA age bound of 60 to 129600 seconds" })
      .optional()
      .describe("If set, the trust policy also requires that MFA sign-in happened at most this many seconds ago."),
  })
  .strict();

export const targetSchema = z
  .object({
    accountId,
    name: accountAlias.describe("Short alias of the account, used in CLI profile names and switch-role labels."),
    roles: z
      .array(roleSchema)
      .min(1, { error: "expected at least one role in each target account" })
      .describe("Roles to create in the account, and which groups may assume each."),
  })
  .strict();

export const passwordPolicySchema = z
  .object({
    minimumPasswordLength: z
      .number()
      .int()
      .min(8, { error: "expected at least 8 (AWS allows 6; 8 is this project's floor)" })
      .max(128)
      .default(14)
      .describe("Minimum password length (8-128)."),
    requireLowercaseCharacters: z.boolean().default(true).describe("Require at least one lower-case letter."),
    requireUppercaseCharacters: z.boolean().default(true).describe("Require at least one upper-case letter."),
    requireNumbers: z.boolean().default(true).describe("Require at least one digit."),
    requireSymbols: z.boolean().default(true).describe("Require at least one symbol."),
    allowUsersToChangePassword: z.boolean().default(true).describe("Let users change their own password (the first sign-in needs it)."),
    passwordReusePrevention: z.number().int().min(1).max(24).default(24).describe("How many previous passwords cannot be reused (1-24)."),
    maxPasswordAge: z
      .number()
      .int()
      .min(0, { error: "expected 0 (never expires) to 1095 days" })
      .max(1095, { error: "expected 0 (never expires) to 1095 days" })
      .default(0)
      .describe("Days before a password expires; 0 = never (NIST SP 800-63B advises against forced rotation)."),
    hardExpiry: z.boolean().default(false).describe("Block sign-in after a password expires until an administrator resets it."),
  })
  .strict();

/** `jump-account:selfServiceProfile` values: the article's self-service policy, or the hardened one. */
export const SELF_SERVICE_PROFILES = ["seed", "hardened"] as const;

export const TRUST_STRATEGIES = ["auto", "users", "group-tags"] as const;
export const ASSUME_ROLE_STRATEGIES = ["auto", "role-arns", "role-pattern"] as const;

/** Keys of the jump-account project (namespace = project name). */
export const jumpConfigSchema = z
  .object({
    users: z
      .array(userSchema)
      .min(1, { error: "expected at least one user" })
      .describe("IAM users of the Jump account: name, path, groups, createLoginProfile, pgpKey."),
    groups: z
      .array(groupSchema)
      .min(1, { error: "expected at least one group" })
      .describe("IAM groups of the Jump account: name, path, assumeRolePolicyName."),
    targets: z
      .array(targetSchema)
      .min(1, { error: "expected at least one target account" })
      .describe("Target accounts: accountId, name, roles (name, path, groups, managedPolicyArns, maxSessionDuration, mfaMaxAgeSeconds)."),
    selfServicePolicyName: POLICY_NAME.default("jump-self-service").describe(
      "Name of the self-service policy (own password and MFA only until signed in with MFA), attached to every group.",
    ),
    selfServiceProfile: z
      .enum(SELF_SERVICE_PROFILES, { error: `expected one of ${SELF_SERVICE_PROFILES.join(", ")}` })
      .default("hardened")
      .describe(
        'Self-service policy and group assume-role policies: "seed" (the article\'s, unchanged) or "hardened" (MFA registration only from a console session, never with a long-term access key; every action but the MFA bootstrap needs MFA; the groups\' sts:AssumeRole allow requires MFA too).',
      ),
    createAccountPasswordPolicy: z
      .boolean({ error: "expected true or false" })
      .default(true)
      .describe("Manage the Jump account's password policy (passwordPolicy)."),
    passwordPolicy: passwordPolicySchema
      .default(passwordPolicySchema.parse({}))
      .describe("Account password policy settings; defaults follow the CIS AWS Foundations benchmark."),
    trustStrategy: z
      .enum(TRUST_STRATEGIES, { error: `expected one of ${TRUST_STRATEGIES.join(", ")}` })
      .default("auto")
      .describe(
        'How role trust policies admit Jump users: "users" lists their ARNs (the article\'s way, about 35 users within the default quota), "group-tags" admits Jump IAM users tagged with a mapped group, "auto" lists users while the policy fits and uses group tags beyond.',
      ),
    assumeRoleStrategy: z
      .enum(ASSUME_ROLE_STRATEGIES, { error: `expected one of ${ASSUME_ROLE_STRATEGIES.join(", ")}` })
      .default("auto")
      .describe(
        'How a group\'s policy names its target roles: "role-arns" lists them (split over several managed policies if needed), "role-pattern" names each role name once for every account with an aws:ResourceAccount condition, "auto" lists ARNs while one policy holds them.',
      ),
    trustPolicyMaxChars: z
      .number({ error: "expected a whole number of characters" })
      .int({ error: "expected a whole number of characters" })
      .min(LIMITS.trustPolicyCharsDefault, { error: `expected ${LIMITS.trustPolicyCharsDefault} to ${LIMITS.trustPolicyCharsMax}` })
      .max(LIMITS.trustPolicyCharsMax, { error: `expected ${LIMITS.trustPolicyCharsDefault} to ${LIMITS.trustPolicyCharsMax}` })
      .default(LIMITS.trustPolicyCharsDefault)
      .describe("Role trust policy length quota of the target accounts (2048 by default; raise it to 4096 through Service Quotas first)."),
    roleManagedPolicyQuota: z
      .number({ error: "expected a whole number" })
      .int({ error: "expected a whole number" })
      .min(LIMITS.managedPoliciesPerRoleDefault, {
        error: `expected ${LIMITS.managedPoliciesPerRoleDefault} to ${LIMITS.managedPoliciesPerRoleMax}`,
      })
      .max(LIMITS.managedPoliciesPerRoleMax, {
        error: `expected ${LIMITS.managedPoliciesPerRoleDefault} to ${LIMITS.managedPoliciesPerRoleMax}`,
      })
      .default(LIMITS.managedPoliciesPerRoleDefault)
      .describe("Managed policies per role quota of the target accounts (10 by default; raisable to 20)."),
    cliSourceProfile: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, { error: "expected an AWS CLI profile name" })
      .default("jump")
      .describe("AWS CLI profile holding the Jump user's own credentials, named in the generated ~/.aws/config snippets."),
  })
  .strict();

/** A stack another stack reads through a StackReference. */
export const STACK_NAME = z
  .string({ error: 'expected a stack name, e.g. "acme/jump-account/jump"' })
  .regex(/^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+){0,2}$/, { error: "expected a stack name of the form <organization>/<project>/<stack>" });

export const BOUNDARY_PROFILES = ["seed", "hardened"] as const;

/** Keys of the target-account project (namespace = project name). */
export const targetConfigSchema = z
  .object({
    jumpStack: STACK_NAME.optional().describe(
      "Fully qualified name of the jump-account stack to read (<organization>/jump-account/<stack>). Unset: the account is reached only through IAM Identity Center, and the stack creates the boundary without restricted roles.",
    ),
    boundaryPolicyName: POLICY_NAME.default("jump-permissions-boundary").describe("Name of the permissions-boundary policy."),
    boundaryPolicyPath: iamPath.default("/").describe("IAM path of the permissions-boundary policy."),
    boundaryProfile: z
      .enum(BOUNDARY_PROFILES, { error: `expected one of ${BOUNDARY_PROFILES.join(", ")}` })
      .default("hardened")
      .describe('Boundary document: "seed" (the article\'s, unchanged) or "hardened" (also closes the known escalation paths).'),
    enableProtection: z
      .boolean({ error: "expected true or false" })
      .default(true)
      .describe("Protect the boundary policy and the roles from deletion (turn off only for sandboxes)."),
    protectedRoleNames: z
      .array(ROLE_NAME)
      .default(["OrganizationAccountAccessRole"])
      .describe("Existing roles at path / that the hardened boundary shields from edits and deletion."),
    delegatedPath: iamPath
      // Under "/" every role and customer policy of the account would count as delegated: the
      // hardened boundary would let bounded principals pass, assume, tag and version all of them.
      .refine((p) => p !== "/", { error: 'expected a path other than "/" (under "/" every role of the account counts as delegated)' })
      .refine((p) => !/^\/aws-(service-role|reserved)\//.test(p), {
        error: "expected a path outside AWS's own /aws-service-role/ and /aws-reserved/ (the roles there are AWS's, not delegated ones)",
      })
      .default("/delegated/")
      .describe(
        'Path under which bounded principals may pass roles and version customer policies (hardened profile); neither "/" nor under AWS\'s /aws-service-role/ or /aws-reserved/.',
      ),
    identityCenter: z
      .boolean({ error: "expected true or false" })
      .default(false)
      .describe(
        "IAM Identity Center assigns permission sets in this account: the hardened boundary also shields the roles it provisions (/aws-reserved/sso.amazonaws.com/), and the identity-center stack may name this account.",
      ),
  })
  .strict();

export type JumpConfigInput = z.input<typeof jumpConfigSchema>;
export type TargetConfigInput = z.input<typeof targetConfigSchema>;
