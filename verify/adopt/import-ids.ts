/**
 * How `pulumi import` finds each resource type the programs register, as the AWS provider
 * documents it in the "## Import" section of its type (`node_modules/@pulumi/aws/iam/*.d.ts`),
 * whether the snapshot shows the resource exists, and which of its inputs force a replacement
 * when they differ from what AWS holds (ForceNew in the upstream provider's schema).
 */
import { policyArn } from "@jumpenv/shared";
import type { RegisteredResource } from "../harness/mock-run";
import type { AccountSnapshot } from "../snapshot/snapshot";

export interface ImportRule {
  /** The sentence of the provider's "## Import" section this rule follows. */
  readonly documented: string;
  /** The import ID of a registered resource. */
  readonly id: (props: Record<string, unknown>, account: string) => string;
  /**
   * Whether the snapshot holds it: true or false, or a string saying why the snapshot cannot tell
   * (`aws iam get-account-authorization-details` lists no login profiles nor the password policy).
   */
  readonly exists: (props: Record<string, unknown>, snapshot: AccountSnapshot) => boolean | string;
  /**
   * Inputs whose change replaces the resource, with the value AWS holds for them; the programs'
   * inputs must equal these (or be in `ignoreChanges`) for the preview after the import to show no
   * replacement.
   */
  readonly forceNew?: (props: Record<string, unknown>, snapshot: AccountSnapshot) => Record<string, unknown> | undefined;
}

const s = (v: unknown): string => String(v);
const path = (props: Record<string, unknown>): string => (typeof props.path === "string" ? props.path : "/");
const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export const IMPORT_RULES: Readonly<Record<string, ImportRule>> = {
  "aws:iam/policy:Policy": {
    documented: "import IAM Policies using the `arn`",
    id: (p, account) => policyArn(account, path(p), s(p.name)),
    exists: (p, snap) => snap.policies.some((x) => same(x.PolicyName, s(p.name))),
    // name, path and description are ForceNew (IAM has no call that renames a policy or edits its description).
    forceNew: (p, snap) => {
      const x = snap.policies.find((y) => same(y.PolicyName, s(p.name)));
      return x && { name: x.PolicyName, path: x.Path, description: x.Description ?? "" };
    },
  },
  "aws:iam/role:Role": {
    documented: "import IAM Roles using the `name`",
    id: (p) => s(p.name),
    exists: (p, snap) => snap.roles.some((x) => same(x.RoleName, s(p.name))),
    forceNew: (p, snap) => {
      const x = snap.roles.find((y) => same(y.RoleName, s(p.name)));
      return x && { name: x.RoleName, path: x.Path };
    },
  },
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
    documented: "import IAM role policy attachments using the role name and policy arn separated by `/`",
    id: (p) => `${s(p.role)}/${s(p.policyArn)}`,
    exists: (p, snap) =>
      snap.roles.some((x) => same(x.RoleName, s(p.role)) && x.AttachedManagedPolicies.some((a) => a.PolicyArn === p.policyArn)),
  },
  "aws:iam/group:Group": {
    documented: "import IAM Groups using the `name`",
    id: (p) => s(p.name),
    exists: (p, snap) => snap.groups.some((x) => same(x.GroupName, s(p.name))),
  },
  "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": {
    documented: "import IAM group policy attachments using the group name and policy arn separated by `/`",
    id: (p) => `${s(p.group)}/${s(p.policyArn)}`,
    exists: (p, snap) =>
      snap.groups.some((x) => same(x.GroupName, s(p.group)) && x.AttachedManagedPolicies.some((a) => a.PolicyArn === p.policyArn)),
  },
  "aws:iam/user:User": {
    documented: "import IAM Users using the `name`",
    id: (p) => s(p.name),
    exists: (p, snap) => snap.users.some((x) => same(x.UserName, s(p.name))),
  },
  "aws:iam/userPolicyAttachment:UserPolicyAttachment": {
    documented: "import IAM user policy attachments using the user name and policy arn separated by `/`",
    id: (p) => `${s(p.user)}/${s(p.policyArn)}`,
    exists: (p, snap) =>
      snap.users.some((x) => same(x.UserName, s(p.user)) && x.AttachedManagedPolicies.some((a) => a.PolicyArn === p.policyArn)),
  },
  "aws:iam/userLoginProfile:UserLoginProfile": {
    documented: "import IAM User Login Profiles without password information via the IAM User name",
    id: (p) => s(p.user),
    exists: (p, snap) => {
      if (!snap.users.some((x) => same(x.UserName, s(p.user)))) return false;
      if (snap.credentials) return snap.credentials.some((c) => same(c.user, s(p.user)) && c.passwordEnabled);
      return `the snapshot does not say who has a console password: give the credential report (\`aws iam get-credential-report\`), or check with \`aws iam get-login-profile --user-name ${s(p.user)}\` and drop this entry if the user has none`;
    },
  },
  "aws:iam/accountPasswordPolicy:AccountPasswordPolicy": {
    documented: "import IAM Account Password Policy using the word `iam-account-password-policy`",
    id: () => "iam-account-password-policy",
    exists: () =>
      "the snapshot does not hold the account password policy: check with `aws iam get-account-password-policy`, and drop this entry if the account has none",
  },
};

/** Types the programs register that `pulumi import` cannot adopt, with what happens instead. */
export const NOT_IMPORTABLE: Readonly<Record<string, string>> = {
  "aws:iam/groupMembership:GroupMembership":
    "the provider has no import for group memberships: the first `pulumi up` creates it, which adds the configured users to the group (a no-op for existing members) and, memberships being exclusive, removes every other member",
};

/** What the programs never manage, so nothing is imported for them: what the user does instead. */
export const LEFT_TO_USERS: readonly { readonly what: string; readonly instead: string }[] = [
  {
    what: "console passwords (login profiles' passwords)",
    instead:
      "imported login profiles keep each user's current password; the stack's `initialPasswords` output stays empty for them (the program ignores password changes after creation)",
  },
  {
    what: "MFA devices",
    instead: "each user keeps the MFA device they registered; the self-service policy still lets them replace it themselves",
  },
];

/** The registered resources adopt looks at: every custom resource and component, not the stack itself. */
export function isAdoptable(r: RegisteredResource): boolean {
  return r.type !== "pulumi:pulumi:Stack";
}
