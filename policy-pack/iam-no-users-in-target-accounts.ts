import type { PolicyConfigSchema, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { readTemplate } from "./cloudformation";
import { TARGET_STACK_PROPERTIES, configOf } from "./config";
import { projectOfUrn } from "./resources";
import { knownString, readProp } from "./unknown";

export interface NoUsersConfig {
  readonly targetProjects: readonly string[];
  readonly targetStackTags: Readonly<Record<string, string>>;
}

/**
 * IAM user and group resources, by type token, with what each one is in words. IAM users live in
 * the Jump account only; target accounts are entered by switching role.
 */
export const USER_AND_GROUP_TYPES: Readonly<Record<string, string>> = {
  "aws:iam/user:User": "IAM user",
  "aws:iam/group:Group": "IAM group",
  "aws:iam/accessKey:AccessKey": "IAM access key",
  "aws:iam/userLoginProfile:UserLoginProfile": "IAM user login profile",
  "aws:iam/userPolicy:UserPolicy": "IAM user inline policy",
  "aws:iam/groupPolicy:GroupPolicy": "IAM group inline policy",
  "aws:iam/userPolicyAttachment:UserPolicyAttachment": "IAM user policy attachment",
  "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": "IAM group policy attachment",
  "aws:iam/userPoliciesExclusive:UserPoliciesExclusive": "IAM user inline-policy set",
  "aws:iam/groupPoliciesExclusive:GroupPoliciesExclusive": "IAM group inline-policy set",
  "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive": "IAM user policy-attachment set",
  "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive": "IAM group policy-attachment set",
  "aws:iam/groupMembership:GroupMembership": "IAM group membership",
  "aws:iam/userGroupMembership:UserGroupMembership": "IAM user group membership",
  "aws:iam/sshKey:SshKey": "IAM user SSH key",
  "aws:iam/virtualMfaDevice:VirtualMfaDevice": "IAM virtual MFA device",
  "aws:iam/signingCertificate:SigningCertificate": "IAM user signing certificate",
  "aws:iam/serviceSpecificCredential:ServiceSpecificCredential": "IAM user service-specific credential",
  "aws-native:iam:User": "IAM user",
  "aws-native:iam:Group": "IAM group",
  "aws-native:iam:UserPolicy": "IAM user inline policy",
  "aws-native:iam:GroupPolicy": "IAM group inline policy",
};

/** The same, as CloudFormation resource types inside templates and Cloud Control resources. */
export const CLOUDFORMATION_USER_AND_GROUP_TYPES: Readonly<Record<string, string>> = {
  "AWS::IAM::User": "IAM user",
  "AWS::IAM::Group": "IAM group",
  "AWS::IAM::AccessKey": "IAM access key",
  "AWS::IAM::UserToGroupAddition": "IAM group membership",
  "AWS::IAM::UserPolicy": "IAM user inline policy",
  "AWS::IAM::GroupPolicy": "IAM group inline policy",
};

/** Pure: the IAM users, groups and their credentials a CloudFormation template would create. */
export function templateUsersAndGroups(type: string, props: Record<string, unknown>): string[] {
  const read = readTemplate(type, props);
  if (read.state !== "read") return [];
  const out: string[] = [];
  for (const r of read.resources) {
    const kind = CLOUDFORMATION_USER_AND_GROUP_TYPES[r.type];
    if (kind !== undefined) {
      const login = r.type === "AWS::IAM::User" && r.properties.LoginProfile !== undefined ? " with a login profile" : "";
      out.push(`${kind} "${r.logicalId}" (${r.type})${login}`);
    } else if ((r.type === "AWS::IAM::Policy" || r.type === "AWS::IAM::ManagedPolicy") && (r.properties.Users || r.properties.Groups)) {
      out.push(`policy "${r.logicalId}" (${r.type}) attached to IAM users or groups`);
    }
  }
  return out;
}

/** `aws:iam/policyAttachment:PolicyAttachment` attaches a policy to users, groups and roles at once. */
export const POLICY_ATTACHMENT_TYPE = "aws:iam/policyAttachment:PolicyAttachment";

/** Pure: whether the stack is a target-account stack, and why. */
export function targetStackReason(
  project: string | undefined,
  stackTags: ReadonlyMap<string, string>,
  cfg: NoUsersConfig,
): string | undefined {
  if (project !== undefined && cfg.targetProjects.includes(project)) return `project "${project}" is in targetProjects`;
  for (const [tag, value] of Object.entries(cfg.targetStackTags)) {
    const actual = stackTags.get(tag);
    if (actual !== undefined && (value === "*" || value === actual)) return `the stack carries tag ${tag}=${actual}`;
  }
  return undefined;
}

/**
 * Why the resource's stack is a target-account stack (by its project or its tags); otherwise the
 * policy does not apply to it (`notApplicable` ends the validation).
 */
export function targetStackOrNotApplicable(args: ResourceValidationArgs, cfg: NoUsersConfig): string {
  const project = projectOfUrn(args.urn);
  return (
    targetStackReason(project, args.stackTags, cfg) ?? args.notApplicable(`project "${project ?? "?"}" is not a target-account project`)
  );
}

/** Pure: what makes the resource a user or group resource, or undefined when it is not one. */
export function userOrGroupResource(type: string, props: Record<string, unknown>): string | undefined {
  const kind = USER_AND_GROUP_TYPES[type];
  if (kind !== undefined) {
    const name = ["name", "user", "group", "userName", "groupName"].map((k) => knownString(props, k)).find((n) => n !== undefined);
    return name === undefined ? kind : `${kind} "${name}"`;
  }
  if (type === POLICY_ATTACHMENT_TYPE) {
    const holders = ["users", "groups"].filter((k) => {
      const r = readProp(props, k);
      return r.state === "unknown" || (r.state === "known" && Array.isArray(r.value) && r.value.length > 0);
    });
    if (holders.length > 0) return `policy attachment to IAM ${holders.join(" and ")}`;
  }
  return undefined;
}

const configSchema: PolicyConfigSchema = { properties: { ...TARGET_STACK_PROPERTIES } };

export const iamNoUsersInTargetAccounts: ResourceValidationPolicy = {
  name: "iam-no-users-in-target-accounts",
  description:
    "Target-account stacks hold no IAM users or groups, nor their access keys, login profiles, policies, attachments or memberships, directly or in CloudFormation templates: people sign in to the Jump account and switch role.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Create the user in the jump-account project and give its group the right to assume a role in this account.",
  configSchema,
  validateResource: (args, report) => {
    const cfg = configOf<NoUsersConfig>(configSchema, args);
    const reason = targetStackOrNotApplicable(args, cfg);
    for (const what of templateUsersAndGroups(args.type, args.props)) {
      report(`${what}, created through resource "${args.name}" (${args.type}), is not allowed here: ${reason}.`);
    }
    const what = userOrGroupResource(args.type, args.props);
    if (what === undefined) return;
    report(`${what} (resource "${args.name}", ${args.type}) is not allowed here: ${reason}.`);
  },
};
