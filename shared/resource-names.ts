/**
 * The Pulumi names the components give their children, written once: the components register
 * with them, and `generated-names.ts` proves that no two children of one type share a name
 * (Pulumi would refuse the second with "Duplicate resource URN" half-way through an update).
 * Every name starts with the component's own name, so whether two collide does not depend on it.
 */

/** The component each project's program builds: its name prefixes every child's. */
export const JUMP_COMPONENT = "jump";
export const TARGET_COMPONENT = "target";

export const jumpResourceName = {
  selfServicePolicy: (component: string) => `${component}-self-service`,
  group: (component: string, group: string) => `${component}-group-${group}`,
  groupSelfServiceAttachment: (component: string, group: string) => `${component}-group-${group}-self-service`,
  /** The group's i-th assume-role policy (0-based), and its attachment: one name, two types. */
  groupAssumeRolePolicy: (component: string, group: string, i: number) =>
    `${component}-group-${group}-${i === 0 ? "assume-roles" : `assume-roles-${i + 1}`}`,
  groupMembership: (component: string, group: string) => `${component}-group-${group}-members`,
  user: (component: string, user: string) => `${component}-user-${user}`,
  userLoginProfile: (component: string, user: string) => `${component}-user-${user}-login`,
  passwordPolicy: (component: string) => `${component}-password-policy`,
} as const;

export const targetResourceName = {
  boundary: (component: string) => `${component}-boundary`,
  role: (component: string, role: string) => `${component}-role-${role}`,
  /** Named after the policy's own name (the last part of its ARN), as the first deployments were. */
  roleAttachment: (component: string, role: string, policyArn: string) => `${component}-role-${role}-${policyArn.split("/").pop()}`,
} as const;
