/**
 * The stack-output contract between the jump-account stack and the target-account stacks.
 * The jump stack exports exactly these outputs; the target stacks read them through one typed
 * reader (`target-account/jump-stack.ts`), which validates them with `jumpContractSchema`.
 */
import { z } from "zod";

export const CONTRACT_VERSION = 1;

/** How a role's trust policy admits its Jump users (see docs on scale strategies). */
export const trustSpecSchema = z.discriminatedUnion("strategy", [
  /** The article's way: the users' ARNs, listed. */
  z.object({ strategy: z.literal("users"), principalArns: z.array(z.string()).min(1) }),
  /** The Jump account as principal, admitting only IAM users that carry one of these tags (set by the jump stack). */
  z.object({ strategy: z.literal("group-tags"), tagKeys: z.array(z.string()).min(1) }),
]);

export const roleContractSchema = z.object({
  name: z.string(),
  path: z.string(),
  arn: z.string(),
  groups: z.array(z.string()),
  managedPolicyArns: z.array(z.string()),
  maxSessionDuration: z.number().int(),
  mfaMaxAgeSeconds: z.number().int().optional(),
  /** Who the role's trust policy admits (always with MFA). */
  trust: trustSpecSchema,
});

export const targetContractSchema = z.object({
  accountId: z.string(),
  name: z.string(),
  roles: z.array(roleContractSchema),
});

export const jumpContractSchema = z.object({
  contractVersion: z.literal(CONTRACT_VERSION),
  jumpAccountId: z.string(),
  /** The trust-policy length quota the jump stack sized the trust policies for. */
  trustPolicyMaxChars: z.number().int(),
  targets: z.array(targetContractSchema),
});

export type TrustSpec = z.infer<typeof trustSpecSchema>;
export type RoleContract = z.infer<typeof roleContractSchema>;
export type TargetContract = z.infer<typeof targetContractSchema>;
export type JumpContract = z.infer<typeof jumpContractSchema>;

/** The output names of the contract, as the jump stack exports them. */
export const CONTRACT_OUTPUTS = Object.keys(jumpContractSchema.shape) as (keyof JumpContract)[];
