/**
 * The config schema of the identity-center project: permission sets, the Identity Center groups
 * they are assigned to, and the target accounts each is assigned in. The boundary keys are the
 * target-account project's own fields (same names, same defaults), so both projects describe the
 * boundary with one definition.
 */
import { z } from "zod";
import { ADMINISTRATOR_ACCESS_ARN } from "./iam-limits";
import { STACK_NAME, accountAlias, accountId, managedPolicyArn, targetConfigSchema } from "./config-schema";

/** Identity Center's own limits (IAM Identity Center API reference: CreatePermissionSet, CreateAccountAssignment). */
export const IDENTITY_CENTER_LIMITS = {
  permissionSetNameLength: 32,
  descriptionLength: 700,
  /** Managed policies attached to one permission set (default quota). */
  managedPoliciesPerPermissionSet: 20,
  minSessionSeconds: 3600,
  maxSessionSeconds: 43200,
} as const;

/** `PT1H`, `PT90M`, `PT1H30M`: the ISO-8601 durations CreatePermissionSet takes. */
export const SESSION_DURATION = /^PT(?:(\d{1,2})H)?(?:(\d{1,3})M)?$/;

/** Seconds of an ISO-8601 session duration, or undefined when it is not one. */
export function sessionSeconds(duration: string): number | undefined {
  const m = SESSION_DURATION.exec(duration);
  if (!m || (m[1] === undefined && m[2] === undefined)) return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60;
}

const sessionError = "expected an ISO-8601 duration of 1 to 12 hours, such as PT1H, PT90M or PT12H";

export const permissionSetSchema = z
  .object({
    name: z
      .string({ error: "expected a permission set name (string)" })
      .regex(new RegExp(`^[\\w+=,.@-]{1,${IDENTITY_CENTER_LIMITS.permissionSetNameLength}}$`), {
        error: `expected a permission set name of 1 to ${IDENTITY_CENTER_LIMITS.permissionSetNameLength} letters, digits and + = , . @ _ -`,
      })
      .describe("Permission set name (1-32 characters); the roles Identity Center provisions are named AWSReservedSSO_<name>_<suffix>."),
    description: z
      .string()
      .max(IDENTITY_CENTER_LIMITS.descriptionLength, { error: `expected at most ${IDENTITY_CENTER_LIMITS.descriptionLength} characters` })
      .optional()
      .describe("Description shown in the AWS access portal."),
    managedPolicyArns: z
      .array(managedPolicyArn)
      .min(1, { error: "expected at least one managed policy ARN" })
      .max(IDENTITY_CENTER_LIMITS.managedPoliciesPerPermissionSet, {
        error: `expected at most ${IDENTITY_CENTER_LIMITS.managedPoliciesPerPermissionSet} managed policies per permission set`,
      })
      .refine((arns) => arns.every((a) => a.startsWith("arn:aws:iam::aws:policy/")), {
        error:
          "expected AWS managed policies (arn:aws:iam::aws:policy/...): a permission set references a customer managed policy by name, in every account",
      })
      .default([ADMINISTRATOR_ACCESS_ARN])
      .describe("AWS managed policies of the permission set; the permissions boundary caps them all."),
    sessionDuration: z
      .string({ error: sessionError })
      .refine(
        (d) => {
          const s = sessionSeconds(d);
          return s !== undefined && s >= IDENTITY_CENTER_LIMITS.minSessionSeconds && s <= IDENTITY_CENTER_LIMITS.maxSessionSeconds;
        },
        { error: sessionError },
      )
      .default("PT1H")
      .describe("Session duration (ISO-8601, PT1H to PT12H)."),
  })
  .strict();

/** Identity store principal ids (CreateAccountAssignment's PrincipalId pattern). */
const PRINCIPAL_ID = /^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/;

export const identityCenterGroupSchema = z
  .object({
    name: z
      .string({ error: "expected a group name (string)" })
      .min(1, { error: "expected a group name" })
      .describe("Name of the group, as config refers to it (the identity store's display name)."),
    id: z
      .string({ error: "expected the group's identity store id (string)" })
      .regex(PRINCIPAL_ID, { error: "expected an identity store group id such as 9067d4d8c1-5f1c7b4a-1111-2222-3333-444455556666" })
      .describe("The group's id in the identity store (aws identitystore list-groups)."),
  })
  .strict();

export const assignmentSchema = z
  .object({
    permissionSet: z.string({ error: "expected a permission set name (string)" }).describe("A permission set declared in permissionSets."),
    groups: z
      .array(z.string())
      .min(1, { error: "expected at least one group" })
      .describe("Groups (declared in groups) whose members get the permission set in the account."),
  })
  .strict();

export const identityCenterTargetSchema = z
  .object({
    accountId,
    name: accountAlias.describe("Short alias of the account."),
    targetStack: STACK_NAME.describe(
      "The account's target-account stack (<organization>/target-account/<stack>): it creates the boundary the permission sets reference.",
    ),
    assignments: z
      .array(assignmentSchema)
      .min(1, { error: "expected at least one assignment" })
      .describe("Permission sets assigned in the account, and to which groups."),
  })
  .strict();

/** Keys of the identity-center project (namespace = project name). */
export const identityCenterConfigSchema = z
  .object({
    instanceArn: z
      .string({ error: "expected the Identity Center instance ARN (string)" })
      .regex(/^arn:aws[a-z-]*:sso:::instance\/(?:sso)?ins-[a-zA-Z0-9-.]{16}$/, {
        error: "expected an Identity Center instance ARN such as arn:aws:sso:::instance/ssoins-0123456789abcdef",
      })
      .describe("ARN of the IAM Identity Center instance (aws sso-admin list-instances)."),
    boundaryPolicyName: targetConfigSchema.shape.boundaryPolicyName.describe(
      "Name of the boundary policy every permission set references; every assigned account's target stack must create it (checked).",
    ),
    boundaryPolicyPath: targetConfigSchema.shape.boundaryPolicyPath.describe("IAM path of that boundary policy (checked likewise)."),
    groups: z
      .array(identityCenterGroupSchema)
      .min(1, { error: "expected at least one group" })
      .describe("Identity Center groups the permission sets are assigned to: name, id."),
    permissionSets: z
      .array(permissionSetSchema)
      .min(1, { error: "expected at least one permission set" })
      .describe("Permission sets: name, description, managedPolicyArns, sessionDuration."),
    targets: z
      .array(identityCenterTargetSchema)
      .min(1, { error: "expected at least one target account" })
      .describe("Target accounts: accountId, name, targetStack, assignments (permissionSet, groups)."),
  })
  .strict();

export type IdentityCenterConfigInput = z.input<typeof identityCenterConfigSchema>;
