/**
 * The privilege-escalation catalogue: published ways a principal holding the restricted role
 * could gain more than its boundary allows, each as the requests the attacker would make, with
 * the request context AWS would send. Evaluated against every boundary profile with the same IAM
 * evaluator as the access proof (`evaluate.ts`). Every method names its sources (`sources.ts`).
 */
import type { RequestContext } from "../access/evaluator";
import { DELEGATED_TAG_KEY, HARDENED_SIDS, RESERVED_TAG_KEY_PATTERN } from "@jumpenv/shared/policies/boundary";
import { ARTICLE, AWS_BOUNDARIES, aws, HTC_PRIVESC, htc, pathfinding, pmapper, PROJECT, rhino, type SourceRef } from "./sources";

/** Boundary profiles (shared/config-schema.ts BOUNDARY_PROFILES). */
export type Profile = "seed" | "hardened";

/** What the catalogue expects of a method under a profile. */
export type Expected = "blocked" | "open";

/** The families of methods, as docs/escalations.md groups them. */
export type Category =
  | "users and groups"
  | "roles"
  | "roles with another boundary"
  | "customer policies"
  | "passing a role to a new resource"
  | "code already running as a role"
  | "federation"
  | "tags that ABAC trusts"
  | "account and organisation";

/** The named things of a target account the requests act on. */
export interface Scenario {
  readonly accountId: string;
  readonly region: string;
  /** The restricted role the attacker holds (it carries the boundary). */
  readonly restrictedRole: { readonly name: string; readonly path: string };
  readonly boundaryArn: string;
  readonly delegatedPath: string;
  /** A protected role that exists at path `/` (e.g. OrganizationAccountAccessRole). */
  readonly protectedRoleName: string;
}

/** How `iam:PermissionsBoundary` appears in a request: the boundary it passes, or the entity's current one. */
export interface BoundaryContext {
  readonly passed?: "ours" | "other";
  readonly current?: "ours" | "other";
}

export interface Step {
  readonly action: string;
  /** The resource ARN (or `*`), from the scenario. */
  readonly resource: (s: Scenario) => string;
  readonly boundary?: BoundaryContext;
  /** Keys of the API call itself, e.g. `iam:PassedToService`, `aws:TagKeys`. */
  readonly serviceKeys?: (s: Scenario) => RequestContext;
  /** Tags of the existing resource acted on (sent as `aws:ResourceTag/<k>`). */
  readonly tags?: Readonly<Record<string, string>>;
  /** For `sts:AssumeRole` and `sts:TagSession`: the trust policy of the role. */
  readonly trust?: (s: Scenario) => unknown;
}

export interface Method {
  readonly id: string;
  readonly title: string;
  readonly category: Category;
  readonly sources: readonly SourceRef[];
  /** The requests, in order; the method is blocked when any of them is denied. */
  readonly steps: readonly Step[];
  readonly expected: Readonly<Record<Profile, Expected>>;
  /** The hardened boundary's statement (Sid) whose explicit Deny blocks it. */
  readonly blockedBy?: string;
  /**
   * Set for a method IAM conditions cannot block: what does block it. A residual method is
   * never counted as blocked, whatever a profile denies.
   */
  readonly residual?: string;
}

export const OTHER_ACCOUNT = "999988887777";

export const arn = (s: Scenario, kind: string, rest: string) => `arn:aws:iam::${s.accountId}:${kind}/${rest}`;
const unboundedRole = (s: Scenario) => arn(s, "role", "legacy-deploy-role");
/** A platform team's role that carries a stricter boundary of its own (current boundary: "other"). */
const platformRole = (s: Scenario) => arn(s, "role", "platform/pipeline-role");
const restrictedRole = (s: Scenario) => arn(s, "role", `${s.restrictedRole.path.slice(1)}${s.restrictedRole.name}`);
const protectedRole = (s: Scenario) => arn(s, "role", s.protectedRoleName);
const customerPolicy = (s: Scenario) => arn(s, "policy", "legacy-deploy-policy");
const existingUser = (s: Scenario) => arn(s, "user", "ci-bot");
const existingGroup = (s: Scenario) => arn(s, "group", "operators");
export const delegatedRole = (s: Scenario) => arn(s, "role", `${s.delegatedPath.slice(1)}app-role`);
export const delegatedPolicy = (s: Scenario) => arn(s, "policy", `${s.delegatedPath.slice(1)}app-policy`);
const otherAccountRole = () => `arn:aws:iam::${OTHER_ACCOUNT}:role/cross-account-deploy`;
const samlProvider = (s: Scenario) => arn(s, "saml-provider", "CorporateIdP");
const oidcProvider = (s: Scenario) => arn(s, "oidc-provider", "token.actions.githubusercontent.com");
const rogueOidcProvider = (s: Scenario) => arn(s, "oidc-provider", "attacker.example.com");
const trustAnchor = (s: Scenario) => `arn:aws:rolesanywhere:${s.region}:${s.accountId}:trust-anchor/11111111-2222-3333-4444-555555555555`;
export const lambdaFunction = (s: Scenario, name: string) => `arn:aws:lambda:${s.region}:${s.accountId}:function:${name}`;
const instance = (s: Scenario) => `arn:aws:ec2:${s.region}:${s.accountId}:instance/i-0123456789abcdef0`;
const newInstances = (s: Scenario) => `arn:aws:ec2:${s.region}:${s.accountId}:instance/*`;
const stack = (s: Scenario, name: string) => `arn:aws:cloudformation:${s.region}:${s.accountId}:stack/${name}/*`;
export const trustsAccount = (s: Scenario) => ({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${s.accountId}:root` }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
});
export const passTo = (service: string) => () => ({ "iam:PassedToService": service });
/** Keys of a request that sets tags. */
export const tagging = (tags: Readonly<Record<string, string>>) => () => ({
  "aws:TagKeys": Object.keys(tags),
  ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
});
/** A tag key inside the project's reserved namespace: what the trust strategies and ABAC read. */
const RESERVED_TAG = RESERVED_TAG_KEY_PATTERN.replace("*", "group/platform-admins");
/** The same key as IAM reads it (tag keys match without regard to case), spelt to slip past a case-sensitive StringLike. */
const RESERVED_TAG_OTHER_CASE = `JumpEnv${RESERVED_TAG.slice("JumpEnv".length)}`;

const both = (e: Expected) => ({ seed: e, hardened: e });
const closedByHardened = { seed: "open", hardened: "blocked" } as const;
const S = HARDENED_SIDS;

/** A new compute resource run as an existing role: `iam:PassRole` with the service, then the service's own calls. */
function passRole(id: string, title: string, sources: readonly SourceRef[], service: string, calls: readonly Step[]): Method {
  return {
    id,
    title,
    category: "passing a role to a new resource",
    sources,
    steps: [{ action: "iam:PassRole", resource: unboundedRole, serviceKeys: passTo(service) }, ...calls],
    expected: closedByHardened,
    blockedBy: S.rolesOutsidePath,
  };
}

const RESIDUAL_EXISTING =
  "IAM cannot see which role the resource already runs as. Keep every role bounded (the policy pack's iam-role-requires-permissions-boundary) so no unbounded role is attached to compute; for roles the pack does not manage, an SCP that denies these writes on resources tagged as platform-owned.";

/** Code run as a role already attached to a resource: no PassRole, nothing in the request names the role. */
function existing(id: string, title: string, sources: readonly SourceRef[], steps: readonly Step[], residual = RESIDUAL_EXISTING): Method {
  return { id, title, category: "code already running as a role", sources, steps, expected: both("open"), residual };
}

export const METHODS: readonly Method[] = [
  // Users and groups: taking over an existing principal.
  {
    id: "create-access-key",
    title: "Create an access key for an existing user",
    category: "users and groups",
    sources: [rhino(4), HTC_PRIVESC, pmapper("iam_edges"), pathfinding("iam-002")],
    steps: [{ action: "iam:CreateAccessKey", resource: existingUser }],
    expected: both("blocked"),
    blockedBy: S.users,
  },
  {
    id: "create-login-profile",
    title: "Give an existing user a console password",
    category: "users and groups",
    sources: [rhino(5), HTC_PRIVESC, pathfinding("iam-004")],
    steps: [{ action: "iam:CreateLoginProfile", resource: existingUser }],
    expected: both("blocked"),
    blockedBy: S.users,
  },
  {
    id: "update-login-profile",
    title: "Reset an existing user's console password",
    category: "users and groups",
    sources: [rhino(6), HTC_PRIVESC, pmapper("iam_edges"), pathfinding("iam-006")],
    steps: [{ action: "iam:UpdateLoginProfile", resource: existingUser }],
    expected: closedByHardened,
    blockedBy: S.users,
  },
  {
    id: "attach-user-policy",
    title: "Attach a policy to an existing user",
    category: "users and groups",
    sources: [rhino(7), HTC_PRIVESC, pathfinding("iam-008")],
    steps: [{ action: "iam:AttachUserPolicy", resource: existingUser }],
    expected: both("blocked"),
    blockedBy: S.users,
  },
  {
    id: "put-user-policy",
    title: "Put an inline policy on an existing user",
    category: "users and groups",
    sources: [rhino(10), HTC_PRIVESC, pathfinding("iam-007")],
    steps: [{ action: "iam:PutUserPolicy", resource: existingUser }],
    expected: both("blocked"),
    blockedBy: S.users,
  },
  {
    id: "delete-user-deny-policy",
    title: "Delete the inline policy that holds an existing user back",
    category: "users and groups",
    sources: [HTC_PRIVESC],
    steps: [{ action: "iam:DeleteUserPolicy", resource: existingUser }],
    expected: both("blocked"),
    blockedBy: S.users,
  },
  {
    id: "delete-user-boundary",
    title: "Remove an existing user's permissions boundary",
    category: "users and groups",
    sources: [HTC_PRIVESC, AWS_BOUNDARIES],
    steps: [{ action: "iam:DeleteUserPermissionsBoundary", resource: existingUser }],
    expected: closedByHardened,
    blockedBy: S.users,
  },
  {
    id: "attach-group-policy",
    title: "Attach a policy to an existing group",
    category: "users and groups",
    sources: [rhino(8), HTC_PRIVESC, pathfinding("iam-010")],
    steps: [{ action: "iam:AttachGroupPolicy", resource: existingGroup }],
    expected: both("blocked"),
    blockedBy: S.users,
  },
  {
    id: "put-group-policy",
    title: "Put an inline policy on an existing group",
    category: "users and groups",
    sources: [rhino(11), HTC_PRIVESC, pathfinding("iam-011")],
    steps: [{ action: "iam:PutGroupPolicy", resource: existingGroup }],
    expected: both("blocked"),
    blockedBy: S.users,
  },
  {
    id: "add-user-to-group",
    title: "Add an existing user to a more privileged group",
    category: "users and groups",
    sources: [rhino(13), HTC_PRIVESC, pathfinding("iam-013")],
    steps: [{ action: "iam:AddUserToGroup", resource: existingGroup }],
    expected: both("blocked"),
    blockedBy: S.users,
  },
  {
    id: "create-user",
    title: "Create a new IAM user",
    category: "users and groups",
    sources: [AWS_BOUNDARIES, ARTICLE],
    steps: [{ action: "iam:CreateUser", resource: (s) => arn(s, "user", "escalate") }],
    expected: both("blocked"),
    blockedBy: S.users,
  },

  // Roles.
  {
    id: "create-unbounded-role",
    title: "Create a role without the boundary",
    category: "roles",
    sources: [AWS_BOUNDARIES, pmapper("iam_edges"), ARTICLE],
    steps: [{ action: "iam:CreateRole", resource: (s) => arn(s, "role", "escalate") }],
    expected: both("blocked"),
    blockedBy: S.roleChanges,
  },
  {
    id: "attach-role-policy-unbounded",
    title: "Attach a policy to an existing role without the boundary",
    category: "roles",
    sources: [rhino(9), HTC_PRIVESC, pathfinding("iam-009")],
    steps: [{ action: "iam:AttachRolePolicy", resource: unboundedRole }],
    expected: both("blocked"),
    blockedBy: S.roleChanges,
  },
  {
    id: "put-role-policy-unbounded",
    title: "Put an inline policy on an existing role without the boundary",
    category: "roles",
    sources: [rhino(12), HTC_PRIVESC, pathfinding("iam-005")],
    steps: [{ action: "iam:PutRolePolicy", resource: unboundedRole }],
    expected: both("blocked"),
    blockedBy: S.roleChanges,
  },
  {
    id: "detach-role-deny-unbounded",
    title: "Detach the deny policy that holds an unbounded role back",
    category: "roles",
    sources: [HTC_PRIVESC],
    steps: [{ action: "iam:DetachRolePolicy", resource: unboundedRole }],
    expected: both("blocked"),
    blockedBy: S.roleChanges,
  },
  {
    id: "update-assume-role-policy-unbounded",
    title: "Make an existing unbounded role trust the attacker, then assume it",
    category: "roles",
    sources: [rhino(14), HTC_PRIVESC, pmapper("iam_edges"), pathfinding("iam-012")],
    steps: [
      { action: "iam:UpdateAssumeRolePolicy", resource: unboundedRole },
      { action: "sts:AssumeRole", resource: unboundedRole, trust: trustsAccount },
    ],
    expected: closedByHardened,
    blockedBy: S.roleChanges,
  },
  {
    id: "delete-recreate-role",
    title: "Delete an unbounded role and recreate its name, which resource policies match by aws:PrincipalArn",
    category: "roles",
    sources: [htc("general-knowledge/why_recreating_an_iam_role_doesnt_restore_trust_a_gotcha_in_role_arns")],
    steps: [{ action: "iam:DeleteRole", resource: unboundedRole }],
    expected: closedByHardened,
    blockedBy: S.roleChanges,
  },
  {
    id: "put-our-boundary-on-unbounded-role",
    title: "Put this boundary on an unbounded role outside the delegated path, then re-trust it (the role's identity changes hands)",
    category: "roles",
    sources: [HTC_PRIVESC, AWS_BOUNDARIES],
    steps: [
      { action: "iam:PutRolePermissionsBoundary", resource: unboundedRole, boundary: { passed: "ours" } },
      { action: "iam:UpdateAssumeRolePolicy", resource: unboundedRole, boundary: { current: "ours" } },
    ],
    expected: closedByHardened,
    blockedBy: S.rolesOutsidePath,
  },
  {
    id: "assume-same-account-role",
    title: "Assume an existing unbounded role that already trusts the whole account",
    category: "roles",
    sources: [pmapper("sts_edges"), pathfinding("sts-001")],
    steps: [{ action: "sts:AssumeRole", resource: unboundedRole, trust: trustsAccount }],
    expected: closedByHardened,
    blockedBy: S.assumeOwnAccount,
  },
  {
    id: "assume-other-account-role",
    title: "Assume a role in another account that trusts this account",
    category: "roles",
    sources: [pmapper("cross_account_edges"), htc("general-knowledge/aws_organizations_defaults")],
    steps: [{ action: "sts:AssumeRole", resource: otherAccountRole, trust: trustsAccount }],
    expected: closedByHardened,
    blockedBy: S.assumeOtherAccounts,
  },
  {
    id: "edit-restricted-role-trust",
    title: "Edit the restricted role's own trust policy to drop MFA or admit an outsider",
    category: "roles",
    sources: [PROJECT],
    steps: [{ action: "iam:UpdateAssumeRolePolicy", resource: restrictedRole, boundary: { current: "ours" } }],
    expected: closedByHardened,
    blockedBy: S.shield,
  },
  {
    id: "detach-restricted-role-policy",
    title: "Detach the restricted role's policies (or attach more)",
    category: "roles",
    sources: [PROJECT],
    steps: [{ action: "iam:DetachRolePolicy", resource: restrictedRole, boundary: { current: "ours" } }],
    expected: closedByHardened,
    blockedBy: S.shield,
  },
  {
    id: "delete-restricted-role",
    title: "Delete the restricted role",
    category: "roles",
    sources: [PROJECT],
    steps: [{ action: "iam:DeleteRole", resource: restrictedRole, boundary: { current: "ours" } }],
    expected: closedByHardened,
    blockedBy: S.shield,
  },
  {
    id: "edit-protected-role",
    title: "Re-trust a protected role (OrganizationAccountAccessRole)",
    category: "roles",
    sources: [htc("general-knowledge/aws_organizations_defaults"), PROJECT],
    steps: [{ action: "iam:UpdateAssumeRolePolicy", resource: protectedRole }],
    expected: closedByHardened,
    blockedBy: S.roleChanges,
  },
  {
    id: "delete-boundary-from-role",
    title: "Remove the boundary from a bounded role",
    category: "roles",
    sources: [HTC_PRIVESC, ARTICLE],
    steps: [{ action: "iam:DeleteRolePermissionsBoundary", resource: restrictedRole, boundary: { current: "ours" } }],
    expected: both("blocked"),
    blockedBy: S.boundaryRemoval,
  },
  {
    id: "replace-boundary",
    title: "Replace a role's boundary with a permissive policy",
    category: "roles",
    sources: [HTC_PRIVESC, ARTICLE],
    steps: [{ action: "iam:PutRolePermissionsBoundary", resource: delegatedRole, boundary: { passed: "other" } }],
    expected: both("blocked"),
    blockedBy: S.roleChanges,
  },

  // Roles that carry a boundary other than ours (a stricter one a platform team set).
  {
    id: "delete-other-boundary",
    title: "Remove the stricter boundary a platform team set on its own role",
    category: "roles with another boundary",
    sources: [HTC_PRIVESC],
    steps: [{ action: "iam:DeleteRolePermissionsBoundary", resource: platformRole, boundary: { current: "other" } }],
    expected: closedByHardened,
    blockedBy: S.boundaryRemoval,
  },
  {
    id: "swap-other-boundary-for-ours",
    title: "Replace a platform role's stricter boundary with this one, then re-trust the role",
    category: "roles with another boundary",
    sources: [HTC_PRIVESC, AWS_BOUNDARIES],
    steps: [
      { action: "iam:PutRolePermissionsBoundary", resource: platformRole, boundary: { passed: "ours" } },
      { action: "iam:UpdateAssumeRolePolicy", resource: platformRole, boundary: { current: "ours" } },
    ],
    expected: closedByHardened,
    blockedBy: S.rolesOutsidePath,
  },
  {
    id: "attach-policy-other-boundary",
    title: "Attach a policy to a role that carries another boundary",
    category: "roles with another boundary",
    sources: [HTC_PRIVESC, rhino(9)],
    steps: [{ action: "iam:AttachRolePolicy", resource: platformRole, boundary: { current: "other" } }],
    expected: both("blocked"),
    blockedBy: S.roleChanges,
  },
  {
    id: "update-trust-other-boundary",
    title: "Make a role that carries another boundary trust the attacker",
    category: "roles with another boundary",
    sources: [HTC_PRIVESC, rhino(14)],
    steps: [{ action: "iam:UpdateAssumeRolePolicy", resource: platformRole, boundary: { current: "other" } }],
    expected: closedByHardened,
    blockedBy: S.roleChanges,
  },

  // Customer-managed policies.
  {
    id: "create-policy-version",
    title: "Rewrite a customer policy attached to an unbounded principal (CreatePolicyVersion --set-as-default)",
    category: "customer policies",
    sources: [rhino(1), HTC_PRIVESC, pathfinding("iam-001")],
    steps: [{ action: "iam:CreatePolicyVersion", resource: customerPolicy }],
    expected: closedByHardened,
    blockedBy: S.policyVersions,
  },
  {
    id: "set-default-policy-version",
    title: "Switch a customer policy to a more permissive old version (SetDefaultPolicyVersion)",
    category: "customer policies",
    sources: [rhino(2), HTC_PRIVESC],
    steps: [{ action: "iam:SetDefaultPolicyVersion", resource: customerPolicy }],
    expected: closedByHardened,
    blockedBy: S.policyVersions,
  },
  {
    id: "delete-policy-version",
    title: "Delete the version of a customer policy that carried a deny",
    category: "customer policies",
    sources: [HTC_PRIVESC],
    steps: [{ action: "iam:DeletePolicyVersion", resource: customerPolicy }],
    expected: closedByHardened,
    blockedBy: S.policyVersions,
  },
  {
    id: "edit-boundary-policy",
    title: "Rewrite the boundary policy itself",
    category: "customer policies",
    sources: [AWS_BOUNDARIES, aws("https://github.com/aws-samples/example-permissions-boundary README.md"), ARTICLE],
    steps: [{ action: "iam:CreatePolicyVersion", resource: (s) => s.boundaryArn }],
    expected: both("blocked"),
    blockedBy: S.boundaryPolicy,
  },

  // Passing an existing role to a new resource.
  passRole(
    "pass-role-ec2",
    "Pass an unbounded role to a new EC2 instance and read its credentials",
    [rhino(3), pmapper("ec2_edges"), pathfinding("ec2-001")],
    "ec2.amazonaws.com",
    [{ action: "ec2:RunInstances", resource: newInstances }],
  ),
  passRole(
    "pass-role-ec2-associate-profile",
    "Attach an instance profile of an unbounded role to a running instance",
    [pmapper("ec2_edges")],
    "ec2.amazonaws.com",
    [{ action: "ec2:AssociateIamInstanceProfile", resource: instance }],
  ),
  passRole(
    "pass-role-ec2-spot",
    "Request a spot instance with an unbounded role's instance profile",
    [pathfinding("ec2-003")],
    "ec2.amazonaws.com",
    [{ action: "ec2:RequestSpotInstances", resource: (s) => `arn:aws:ec2:${s.region}:${s.accountId}:spot-instances-request/*` }],
  ),
  passRole(
    "pass-role-autoscaling",
    "Launch configuration with an unbounded role's instance profile, run by Auto Scaling",
    [HTC_PRIVESC, pmapper("autoscaling_edges")],
    "ec2.amazonaws.com",
    [
      {
        action: "autoscaling:CreateLaunchConfiguration",
        resource: (s) => `arn:aws:autoscaling:${s.region}:${s.accountId}:launchConfiguration:*:launchConfigurationName/escalate`,
      },
    ],
  ),
  passRole(
    "pass-role-lambda",
    "Pass an unbounded role to a new Lambda function and invoke it",
    [rhino(15, 16), HTC_PRIVESC, pmapper("lambda_edges"), pathfinding("lambda-001")],
    "lambda.amazonaws.com",
    [
      { action: "lambda:CreateFunction", resource: (s) => lambdaFunction(s, "escalate") },
      { action: "lambda:InvokeFunction", resource: (s) => lambdaFunction(s, "escalate") },
    ],
  ),
  passRole(
    "pass-role-lambda-event-source",
    "New Lambda function with an unbounded role, triggered by an event source",
    [rhino(17), pathfinding("lambda-002")],
    "lambda.amazonaws.com",
    [
      { action: "lambda:CreateFunction", resource: (s) => lambdaFunction(s, "escalate") },
      { action: "lambda:CreateEventSourceMapping", resource: () => "*" },
    ],
  ),
  passRole(
    "pass-role-cloudformation",
    "Pass an unbounded role to a CloudFormation stack that creates anything",
    [rhino(21), pmapper("cloudformation_edges"), pathfinding("cloudformation-001")],
    "cloudformation.amazonaws.com",
    [{ action: "cloudformation:CreateStack", resource: (s) => stack(s, "escalate") }],
  ),
  passRole(
    "pass-role-cloudformation-stackset",
    "StackSet whose administration role is unbounded",
    [pathfinding("cloudformation-003")],
    "cloudformation.amazonaws.com",
    [{ action: "cloudformation:CreateStackSet", resource: () => "*" }],
  ),
  passRole(
    "pass-role-codebuild",
    "New CodeBuild project with an unbounded service role, then a build",
    [pmapper("codebuild_edges"), pathfinding("codebuild-001")],
    "codebuild.amazonaws.com",
    [{ action: "codebuild:CreateProject", resource: (s) => `arn:aws:codebuild:${s.region}:${s.accountId}:project/escalate` }],
  ),
  passRole(
    "pass-role-glue",
    "Glue development endpoint with an unbounded role",
    [rhino(19), HTC_PRIVESC, pathfinding("glue-001")],
    "glue.amazonaws.com",
    [{ action: "glue:CreateDevEndpoint", resource: () => "*" }],
  ),
  passRole(
    "pass-role-sagemaker",
    "SageMaker notebook instance with an unbounded execution role",
    [rhino(27), pmapper("sagemaker_edges"), pathfinding("sagemaker-001")],
    "sagemaker.amazonaws.com",
    [
      {
        action: "sagemaker:CreateNotebookInstance",
        resource: (s) => `arn:aws:sagemaker:${s.region}:${s.accountId}:notebook-instance/escalate`,
      },
    ],
  ),
  passRole(
    "pass-role-ecs",
    "ECS task definition with an unbounded task role, then run it",
    [HTC_PRIVESC, pathfinding("ecs-001")],
    "ecs-tasks.amazonaws.com",
    [{ action: "ecs:RegisterTaskDefinition", resource: () => "*" }],
  ),
  passRole(
    "pass-role-datapipeline",
    "Data Pipeline run as an unbounded role",
    [rhino(22), HTC_PRIVESC, pathfinding("datapipeline-001")],
    "datapipeline.amazonaws.com",
    [{ action: "datapipeline:CreatePipeline", resource: () => "*" }],
  ),
  passRole(
    "pass-role-apprunner",
    "App Runner service with an unbounded instance role",
    [pathfinding("apprunner-001")],
    "tasks.apprunner.amazonaws.com",
    [{ action: "apprunner:CreateService", resource: (s) => `arn:aws:apprunner:${s.region}:${s.accountId}:service/escalate/*` }],
  ),
  passRole(
    "pass-role-bedrock-agentcore",
    "Bedrock AgentCore code interpreter with an unbounded execution role",
    [pathfinding("bedrock-001")],
    "bedrock-agentcore.amazonaws.com",
    [{ action: "bedrock-agentcore:CreateCodeInterpreter", resource: () => "*" }],
  ),

  // Code already running as a role: nothing in the request names the role.
  existing(
    "update-lambda-code",
    "Replace the code of an existing Lambda function whose role has no boundary",
    [rhino(18), HTC_PRIVESC, pmapper("lambda_edges"), pathfinding("lambda-003")],
    [{ action: "lambda:UpdateFunctionCode", resource: (s) => lambdaFunction(s, "legacy-fn") }],
  ),
  existing(
    "update-lambda-configuration",
    "Add a layer or change the handler of an existing function whose role has no boundary",
    [rhino(26), HTC_PRIVESC],
    [{ action: "lambda:UpdateFunctionConfiguration", resource: (s) => lambdaFunction(s, "legacy-fn") }],
  ),
  existing(
    "ssm-send-command",
    "Run commands on an existing instance whose instance profile has no boundary",
    [pmapper("ssm_edges"), pathfinding("ssm-001")],
    [{ action: "ssm:SendCommand", resource: instance }],
  ),
  existing(
    "ec2-instance-connect",
    "Push an SSH key to an existing instance whose instance profile has no boundary",
    [pathfinding("ec2instanceconnect-003")],
    [{ action: "ec2-instance-connect:SendSSHPublicKey", resource: instance }],
  ),
  existing(
    "ec2-user-data",
    "Change an existing instance's user data and restart it",
    [pathfinding("ec2-002")],
    [{ action: "ec2:ModifyInstanceAttribute", resource: instance }],
  ),
  existing(
    "codebuild-start-build",
    "Start a build of an existing CodeBuild project whose service role has no boundary",
    [pmapper("codebuild_edges"), pathfinding("codebuild-002")],
    [{ action: "codebuild:StartBuild", resource: (s) => `arn:aws:codebuild:${s.region}:${s.accountId}:project/legacy-build` }],
  ),
  existing(
    "glue-update-dev-endpoint",
    "Replace the SSH key of an existing Glue development endpoint",
    [rhino(20), HTC_PRIVESC, pathfinding("glue-002")],
    [{ action: "glue:UpdateDevEndpoint", resource: (s) => `arn:aws:glue:${s.region}:${s.accountId}:devEndpoint/legacy` }],
  ),
  existing(
    "cloudformation-update-stack",
    "Update a stack that reuses its stored, privileged service role",
    [pmapper("cloudformation_edges"), pathfinding("cloudformation-002")],
    [{ action: "cloudformation:UpdateStack", resource: (s) => stack(s, "platform-pipeline") }],
  ),
  existing(
    "sagemaker-presigned-notebook",
    "Open an existing SageMaker notebook whose execution role has no boundary",
    [rhino(28), pathfinding("sagemaker-004")],
    [
      {
        action: "sagemaker:CreatePresignedNotebookInstanceUrl",
        resource: (s) => `arn:aws:sagemaker:${s.region}:${s.accountId}:notebook-instance/legacy`,
      },
    ],
  ),

  // Federation: identity providers that roles trust.
  {
    id: "saml-provider-metadata",
    title: "Replace the signing metadata of a SAML provider that unbounded roles trust, then forge assertions",
    category: "federation",
    sources: [
      aws("https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_saml.html"),
      htc("post_exploitation/iam_persistence"),
    ],
    steps: [{ action: "iam:UpdateSAMLProvider", resource: samlProvider }],
    expected: closedByHardened,
    blockedBy: S.samlProviders,
  },
  {
    id: "saml-provider-rogue",
    title: "Create a SAML provider of the attacker's IdP: a human sign-in path that bypasses the Jump account and its MFA",
    category: "federation",
    sources: [htc("post_exploitation/iam_rogue_oidc_identity_provider"), htc("post_exploitation/iam_persistence")],
    steps: [{ action: "iam:CreateSAMLProvider", resource: (s) => arn(s, "saml-provider", "attacker") }],
    expected: closedByHardened,
    blockedBy: S.samlProviders,
  },
  {
    id: "oidc-provider-add-client-id",
    title: "Add an audience the attacker can obtain to an OIDC provider that roles trust without an aud condition",
    category: "federation",
    sources: [htc("exploitation/Misconfigured_Resource-Based_Policies/exploiting_misconfigured_gitlab_oidc_aws_iam_roles")],
    steps: [{ action: "iam:AddClientIDToOpenIDConnectProvider", resource: oidcProvider }],
    expected: closedByHardened,
    blockedBy: S.providerChanges,
  },
  {
    id: "oidc-provider-thumbprint",
    title: "Change the thumbprint of an OIDC provider that roles trust",
    category: "federation",
    sources: [htc("post_exploitation/iam_rogue_oidc_identity_provider")],
    steps: [{ action: "iam:UpdateOpenIDConnectProviderThumbprint", resource: oidcProvider }],
    expected: closedByHardened,
    blockedBy: S.providerChanges,
  },
  {
    id: "oidc-provider-delete-recreate",
    title: "Delete an OIDC provider that roles trust and recreate its issuer with the attacker's client IDs",
    category: "federation",
    sources: [htc("post_exploitation/iam_rogue_oidc_identity_provider")],
    steps: [{ action: "iam:DeleteOpenIDConnectProvider", resource: oidcProvider }],
    expected: closedByHardened,
    blockedBy: S.providerChanges,
  },
  {
    id: "oidc-provider-claim-as-delegated",
    title: "Tag an existing OIDC provider as delegated, to edit it afterwards",
    category: "federation",
    sources: [htc("post_exploitation/iam_rogue_oidc_identity_provider")],
    steps: [{ action: "iam:TagOpenIDConnectProvider", resource: oidcProvider, serviceKeys: tagging({ [DELEGATED_TAG_KEY]: "true" }) }],
    expected: closedByHardened,
    blockedBy: S.providerChanges,
  },
  {
    id: "oidc-provider-rogue-untagged",
    title: "Create an OIDC provider of the attacker's issuer without marking it delegated",
    category: "federation",
    sources: [htc("post_exploitation/iam_rogue_oidc_identity_provider")],
    steps: [{ action: "iam:CreateOpenIDConnectProvider", resource: rogueOidcProvider }],
    expected: closedByHardened,
    blockedBy: S.providerCreation,
  },
  {
    id: "oidc-provider-rogue-bounded-role",
    title:
      "Create a delegated OIDC provider of the attacker's issuer and a bounded role that trusts it: MFA-free access at the attacker's own level",
    category: "federation",
    sources: [htc("post_exploitation/iam_rogue_oidc_identity_provider"), htc("post_exploitation/iam_persistence")],
    steps: [
      { action: "iam:CreateOpenIDConnectProvider", resource: rogueOidcProvider, serviceKeys: tagging({ [DELEGATED_TAG_KEY]: "true" }) },
      { action: "iam:CreateRole", resource: delegatedRole, boundary: { passed: "ours" } },
    ],
    expected: both("open"),
    residual:
      "Persistence, not escalation: the role is capped by this boundary, but its trust (invisible to IAM conditions) admits the attacker's IdP without the Jump account's MFA. Block it with a resource control policy that denies sts:AssumeRoleWithWebIdentity and sts:AssumeRoleWithSAML unless the provider is an approved one, and watch IAM Access Analyzer's external-access findings.",
  },
  {
    id: "bounded-role-external-trust",
    title: "Re-trust a delegated role to an external account: MFA-free, Jump-less access at the attacker's own level",
    category: "federation",
    sources: [htc("post_exploitation/iam_persistence")],
    steps: [{ action: "iam:UpdateAssumeRolePolicy", resource: delegatedRole, boundary: { current: "ours" } }],
    expected: both("open"),
    residual:
      "Persistence, not escalation: no condition key shows a trust policy's principals. Block it with a resource control policy that denies sts:AssumeRole* unless aws:PrincipalOrgID is the organisation's, and watch IAM Access Analyzer's external-access findings.",
  },
  {
    id: "roles-anywhere-trust-anchor",
    title: "Point an existing IAM Roles Anywhere trust anchor at the attacker's CA, then get credentials for the roles its profiles map",
    category: "federation",
    sources: [htc("post_exploitation/iam_roles_anywhere_persistence")],
    steps: [{ action: "rolesanywhere:UpdateTrustAnchor", resource: trustAnchor }],
    expected: closedByHardened,
    blockedBy: S.providerChanges,
  },
  {
    id: "roles-anywhere-disable-crl",
    title:
      "Disable the certificate revocation list of an IAM Roles Anywhere trust anchor, so a revoked certificate the attacker kept works again",
    category: "federation",
    sources: [aws("https://docs.aws.amazon.com/rolesanywhere/latest/APIReference/API_DisableCrl.html")],
    steps: [
      {
        action: "rolesanywhere:DisableCrl",
        resource: (s) => `arn:aws:rolesanywhere:${s.region}:${s.accountId}:crl/11111111-2222-3333-4444-555555555555`,
      },
    ],
    expected: closedByHardened,
    blockedBy: S.providerChanges,
  },
  {
    id: "roles-anywhere-attribute-mapping",
    title:
      "Change which certificate fields an IAM Roles Anywhere profile maps to session tags, so a tag-based trust or deny reads other values",
    category: "tags that ABAC trusts",
    sources: [aws("https://docs.aws.amazon.com/rolesanywhere/latest/APIReference/API_PutAttributeMapping.html")],
    steps: [
      {
        action: "rolesanywhere:PutAttributeMapping",
        resource: (s) => `arn:aws:rolesanywhere:${s.region}:${s.accountId}:profile/11111111-2222-3333-4444-555555555555`,
      },
    ],
    expected: closedByHardened,
    blockedBy: S.providerChanges,
  },
  {
    id: "roles-anywhere-rogue-anchor",
    title: "Create an IAM Roles Anywhere trust anchor of the attacker's CA without marking it delegated",
    category: "federation",
    sources: [htc("post_exploitation/iam_roles_anywhere_persistence")],
    steps: [{ action: "rolesanywhere:CreateTrustAnchor", resource: () => "*" }],
    expected: closedByHardened,
    blockedBy: S.providerCreation,
  },

  // Tags that attribute-based access control trusts.
  {
    id: "create-role-reserved-tags",
    title: `Create a bounded role carrying a reserved tag (${RESERVED_TAG}) that trust policies or ABAC read`,
    category: "tags that ABAC trusts",
    sources: [
      pmapper("cross_account_edges"),
      aws("https://docs.aws.amazon.com/IAM/latest/UserGuide/introduction_attribute-based-access-control.html"),
    ],
    steps: [
      { action: "iam:CreateRole", resource: delegatedRole, boundary: { passed: "ours" }, serviceKeys: tagging({ [RESERVED_TAG]: "true" }) },
    ],
    expected: closedByHardened,
    blockedBy: S.reservedTags,
  },
  {
    id: "tag-unbounded-role",
    title: "Tag an unbounded role so that a tag-based allow (sts:AssumeRole on iam:ResourceTag) matches it",
    category: "tags that ABAC trusts",
    sources: [aws("https://docs.aws.amazon.com/IAM/latest/UserGuide/access_iam-tags.html")],
    steps: [{ action: "iam:TagRole", resource: unboundedRole, serviceKeys: tagging({ team: "platform" }) }],
    expected: closedByHardened,
    blockedBy: S.rolesOutsidePath,
  },
  {
    id: "untag-unbounded-role",
    title: "Untag an unbounded role so that a tag-based deny or guard no longer matches it",
    category: "tags that ABAC trusts",
    sources: [aws("https://docs.aws.amazon.com/IAM/latest/UserGuide/access_iam-tags.html")],
    steps: [{ action: "iam:UntagRole", resource: unboundedRole, serviceKeys: () => ({ "aws:TagKeys": ["protected"] }) }],
    expected: closedByHardened,
    blockedBy: S.rolesOutsidePath,
  },
  {
    id: "session-reserved-tags",
    title: `Assume a role with a reserved session tag (${RESERVED_TAG}) that downstream policies read as aws:PrincipalTag`,
    category: "tags that ABAC trusts",
    sources: [aws("https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html")],
    steps: [{ action: "sts:TagSession", resource: delegatedRole, trust: trustsAccount, serviceKeys: tagging({ [RESERVED_TAG]: "true" }) }],
    expected: closedByHardened,
    blockedBy: S.reservedTags,
  },

  {
    id: "create-role-reserved-tags-other-case",
    title: `Create a bounded role carrying a reserved tag spelt in other letter case (${RESERVED_TAG_OTHER_CASE}): IAM reads it as ${RESERVED_TAG}`,
    category: "tags that ABAC trusts",
    sources: [
      aws("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principaltag"),
      aws("https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html#id_tags_rules_creating"),
    ],
    steps: [
      {
        action: "iam:CreateRole",
        resource: delegatedRole,
        boundary: { passed: "ours" },
        serviceKeys: tagging({ [RESERVED_TAG_OTHER_CASE]: "true" }),
      },
    ],
    expected: closedByHardened,
    blockedBy: S.reservedTags,
  },
  {
    id: "session-reserved-tags-other-case",
    title: `Assume a role with a reserved session tag spelt in other letter case (${RESERVED_TAG_OTHER_CASE})`,
    category: "tags that ABAC trusts",
    sources: [
      aws("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principaltag"),
      aws("https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html"),
    ],
    steps: [
      {
        action: "sts:TagSession",
        resource: delegatedRole,
        trust: trustsAccount,
        serviceKeys: tagging({ [RESERVED_TAG_OTHER_CASE]: "true" }),
      },
    ],
    expected: closedByHardened,
    blockedBy: S.reservedTags,
  },

  // Account-level escape from the organisation's guard rails.
  {
    id: "leave-organization",
    title: "Leave the organisation, so its SCPs, RCPs and organisation trail no longer apply",
    category: "account and organisation",
    sources: [
      aws("https://docs.aws.amazon.com/organizations/latest/APIReference/API_LeaveOrganization.html"),
      aws("https://aws.amazon.com/blogs/mt/essential-security-controls-to-prevent-unauthorized-account-removal-in-aws-organizations"),
    ],
    steps: [{ action: "organizations:LeaveOrganization", resource: () => "*" }],
    expected: closedByHardened,
    blockedBy: S.account,
  },
  {
    id: "detach-scp",
    title: "Detach or rewrite a service control policy where the account is a delegated administrator",
    category: "account and organisation",
    sources: [htc("general-knowledge/aws_organizations_defaults")],
    steps: [{ action: "organizations:DetachPolicy", resource: () => "*" }],
    expected: closedByHardened,
    blockedBy: S.account,
  },
  {
    id: "alternate-contacts",
    title: "Redirect the account's security contact, so AWS's security notices reach the attacker",
    category: "account and organisation",
    sources: [aws("https://docs.aws.amazon.com/accounts/latest/reference/API_PutAlternateContact.html")],
    steps: [{ action: "account:PutAlternateContact", resource: (s) => `arn:aws:account::${s.accountId}:account` }],
    expected: closedByHardened,
    blockedBy: S.account,
  },
  {
    id: "close-account",
    title: "Close the account",
    category: "account and organisation",
    sources: [aws("https://docs.aws.amazon.com/accounts/latest/reference/API_CloseAccount.html")],
    steps: [{ action: "account:CloseAccount", resource: (s) => `arn:aws:account::${s.accountId}:account` }],
    expected: closedByHardened,
    blockedBy: S.account,
  },
  {
    id: "assume-root-member-account",
    title:
      "Start a root session in another member account (the account is the delegated administrator for centralised root access), then set a root password there",
    category: "account and organisation",
    sources: [
      aws("https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoot.html"),
      aws("https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user-privileged-task.html"),
    ],
    // AssumeRoot consults no resource policy of the member account, only the caller's policies:
    // the step names this account's root so the evaluator does not look for a cross-account allow.
    steps: [{ action: "sts:AssumeRoot", resource: (s) => `arn:aws:iam::${s.accountId}:root` }],
    expected: closedByHardened,
    blockedBy: S.account,
  },
  {
    id: "identity-center-assignment",
    title: "Assign a permission set to oneself in any member account (the account is IAM Identity Center's delegated administrator)",
    category: "account and organisation",
    sources: [
      aws("https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_CreateAccountAssignment.html"),
      aws("https://docs.aws.amazon.com/singlesignon/latest/userguide/delegated-admin.html"),
    ],
    steps: [{ action: "sso:CreateAccountAssignment", resource: () => "arn:aws:sso:::instance/ssoins-1111111111111111" }],
    expected: closedByHardened,
    blockedBy: S.account,
  },
  {
    id: "identity-center-permission-set-edit",
    title:
      "Rewrite a permission set already assigned to oneself (inline policy, then provision), where the account is IAM Identity Center's delegated administrator",
    category: "account and organisation",
    sources: [aws("https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_PutInlinePolicyToPermissionSet.html")],
    steps: [
      {
        action: "sso:PutInlinePolicyToPermissionSet",
        resource: () => "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-1111111111111111",
      },
    ],
    expected: closedByHardened,
    blockedBy: S.account,
  },
  {
    id: "identity-store-group-membership",
    title:
      "Add oneself to an Identity Center group that holds administrator assignments (the account is IAM Identity Center's delegated administrator)",
    category: "account and organisation",
    sources: [aws("https://docs.aws.amazon.com/singleSignOn/latest/IdentityStoreAPIReference/API_CreateGroupMembership.html")],
    steps: [
      {
        action: "identitystore:CreateGroupMembership",
        resource: (s) => `arn:aws:identitystore::${s.accountId}:identitystore/d-1111111111`,
      },
    ],
    expected: closedByHardened,
    blockedBy: S.account,
  },
  {
    id: "primary-email-update",
    title:
      "Change the root email address of another member account (the account is the delegated administrator for account management), then reset its root password",
    category: "account and organisation",
    sources: [aws("https://docs.aws.amazon.com/accounts/latest/reference/API_StartPrimaryEmailUpdate.html")],
    steps: [
      {
        action: "account:StartPrimaryEmailUpdate",
        resource: (s) => `arn:aws:account::${s.accountId}:account/o-exampleorgid/${OTHER_ACCOUNT}`,
      },
    ],
    expected: closedByHardened,
    blockedBy: S.account,
  },
];
