/**
 * The privilege-escalation catalogue: published ways a principal holding the restricted role
 * could gain more than its boundary allows, each as the requests the attacker would make, and the
 * delegated tasks that must keep working. Evaluated against every boundary profile with the same
 * IAM evaluator as the access proof (`evaluate.ts`).
 *
 * Sources: Rhino Security Labs, "AWS IAM Privilege Escalation – Methods and Mitigation" (the
 * numbered methods); NCC Group's PMapper edge checks (iam, sts, lambda, ec2, cloudformation,
 * codebuild, ssm); AWS IAM User Guide, "Permissions boundaries for IAM entities" (delegation).
 */

/** Boundary profiles (shared/config-schema.ts BOUNDARY_PROFILES). */
export type Profile = "seed" | "hardened";

/** What the catalogue expects of a method under a profile. */
export type Expected = "blocked" | "open";

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
  readonly current?: "ours";
}

export interface Step {
  readonly action: string;
  /** The resource ARN (or `*`), from the scenario. */
  readonly resource: (s: Scenario) => string;
  readonly boundary?: BoundaryContext;
  /** Keys of the API call itself, e.g. `iam:PassedToService`. */
  readonly serviceKeys?: (s: Scenario) => Readonly<Record<string, string>>;
  /** For `sts:AssumeRole`: the trust policy of the role assumed. */
  readonly trust?: (s: Scenario) => unknown;
}

export interface Method {
  readonly id: string;
  readonly title: string;
  readonly source: string;
  /** The requests, in order; the method is blocked when any of them is denied. */
  readonly steps: readonly Step[];
  readonly expected: Readonly<Record<Profile, Expected>>;
  /**
   * Set for a method IAM conditions cannot block: what does block it. A residual method is
   * never counted as blocked, whatever a profile denies.
   */
  readonly residual?: string;
}

export interface Task {
  readonly id: string;
  readonly title: string;
  /** Every request must be allowed under every profile. */
  readonly steps: readonly Step[];
}

const arn = (s: Scenario, kind: string, rest: string) => `arn:aws:iam::${s.accountId}:${kind}/${rest}`;
const unboundedRole = (s: Scenario) => arn(s, "role", "legacy-deploy-role");
const restrictedRole = (s: Scenario) => arn(s, "role", `${s.restrictedRole.path.slice(1)}${s.restrictedRole.name}`);
const protectedRole = (s: Scenario) => arn(s, "role", s.protectedRoleName);
const customerPolicy = (s: Scenario) => arn(s, "policy", "legacy-deploy-policy");
const existingUser = (s: Scenario) => arn(s, "user", "ci-bot");
const existingGroup = (s: Scenario) => arn(s, "group", "operators");
const delegatedRole = (s: Scenario) => arn(s, "role", `${s.delegatedPath.slice(1)}app-role`);
const delegatedPolicy = (s: Scenario) => arn(s, "policy", `${s.delegatedPath.slice(1)}app-policy`);
const lambdaFunction = (s: Scenario, name: string) => `arn:aws:lambda:${s.region}:${s.accountId}:function:${name}`;
const trustsAccount = (s: Scenario) => ({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${s.accountId}:root` }, Action: "sts:AssumeRole" }],
});
const passTo = (service: string) => () => ({ "iam:PassedToService": service });

const both = (e: Expected) => ({ seed: e, hardened: e });
const closedByHardened = { seed: "open", hardened: "blocked" } as const;

export const METHODS: readonly Method[] = [
  {
    id: "create-policy-version",
    title: "Rewrite a customer policy attached to an unbounded principal (CreatePolicyVersion --set-as-default)",
    source: "Rhino Security Labs method 1; PMapper iam edge",
    steps: [{ action: "iam:CreatePolicyVersion", resource: customerPolicy }],
    expected: closedByHardened,
  },
  {
    id: "set-default-policy-version",
    title: "Switch a customer policy to a more permissive old version (SetDefaultPolicyVersion)",
    source: "Rhino Security Labs method 2",
    steps: [{ action: "iam:SetDefaultPolicyVersion", resource: customerPolicy }],
    expected: closedByHardened,
  },
  {
    id: "create-access-key",
    title: "Create an access key for an existing user",
    source: "Rhino Security Labs method 4; PMapper iam edge",
    steps: [{ action: "iam:CreateAccessKey", resource: existingUser }],
    expected: both("blocked"),
  },
  {
    id: "create-login-profile",
    title: "Give an existing user a console password",
    source: "Rhino Security Labs method 5",
    steps: [{ action: "iam:CreateLoginProfile", resource: existingUser }],
    expected: both("blocked"),
  },
  {
    id: "update-login-profile",
    title: "Reset an existing user's console password",
    source: "Rhino Security Labs method 6; PMapper iam edge",
    steps: [{ action: "iam:UpdateLoginProfile", resource: existingUser }],
    expected: closedByHardened,
  },
  {
    id: "attach-user-policy",
    title: "Attach a policy to an existing user",
    source: "Rhino Security Labs method 7",
    steps: [{ action: "iam:AttachUserPolicy", resource: existingUser }],
    expected: both("blocked"),
  },
  {
    id: "attach-group-policy",
    title: "Attach a policy to an existing group",
    source: "Rhino Security Labs method 8",
    steps: [{ action: "iam:AttachGroupPolicy", resource: existingGroup }],
    expected: both("blocked"),
  },
  {
    id: "attach-role-policy-unbounded",
    title: "Attach a policy to an existing role without the boundary",
    source: "Rhino Security Labs method 9",
    steps: [{ action: "iam:AttachRolePolicy", resource: unboundedRole }],
    expected: both("blocked"),
  },
  {
    id: "put-role-policy-unbounded",
    title: "Put an inline policy on an existing role without the boundary",
    source: "Rhino Security Labs method 12",
    steps: [{ action: "iam:PutRolePolicy", resource: unboundedRole }],
    expected: both("blocked"),
  },
  {
    id: "add-user-to-group",
    title: "Add an existing user to a more privileged group",
    source: "Rhino Security Labs method 13",
    steps: [{ action: "iam:AddUserToGroup", resource: existingGroup }],
    expected: both("blocked"),
  },
  {
    id: "update-assume-role-policy-unbounded",
    title: "Make an existing unbounded role trust the attacker, then assume it",
    source: "Rhino Security Labs method 14; PMapper iam edge",
    steps: [
      { action: "iam:UpdateAssumeRolePolicy", resource: unboundedRole },
      { action: "sts:AssumeRole", resource: unboundedRole, trust: trustsAccount },
    ],
    expected: closedByHardened,
  },
  {
    id: "assume-same-account-role",
    title: "Assume an existing unbounded role that already trusts the whole account",
    source: "PMapper sts edge",
    steps: [{ action: "sts:AssumeRole", resource: unboundedRole, trust: trustsAccount }],
    expected: closedByHardened,
  },
  {
    id: "pass-role-ec2",
    title: "Pass an unbounded role to a new EC2 instance and use its credentials",
    source: "Rhino Security Labs method 3; PMapper ec2 edge",
    steps: [
      { action: "iam:PassRole", resource: unboundedRole, serviceKeys: passTo("ec2.amazonaws.com") },
      { action: "ec2:RunInstances", resource: (s) => `arn:aws:ec2:${s.region}:${s.accountId}:instance/*` },
    ],
    expected: closedByHardened,
  },
  {
    id: "pass-role-lambda",
    title: "Pass an unbounded role to a new Lambda function and invoke it",
    source: "Rhino Security Labs methods 15-16; PMapper lambda edge",
    steps: [
      { action: "iam:PassRole", resource: unboundedRole, serviceKeys: passTo("lambda.amazonaws.com") },
      { action: "lambda:CreateFunction", resource: (s) => lambdaFunction(s, "escalate") },
      { action: "lambda:InvokeFunction", resource: (s) => lambdaFunction(s, "escalate") },
    ],
    expected: closedByHardened,
  },
  {
    id: "pass-role-cloudformation",
    title: "Pass an unbounded role to a CloudFormation stack that creates anything",
    source: "Rhino Security Labs method 18; PMapper cloudformation edge",
    steps: [
      { action: "iam:PassRole", resource: unboundedRole, serviceKeys: passTo("cloudformation.amazonaws.com") },
      { action: "cloudformation:CreateStack", resource: (s) => `arn:aws:cloudformation:${s.region}:${s.accountId}:stack/escalate/*` },
    ],
    expected: closedByHardened,
  },
  {
    id: "edit-restricted-role-trust",
    title: "Edit the restricted role's own trust policy to drop MFA or admit an outsider",
    source: "Jump-account pattern (this project)",
    steps: [{ action: "iam:UpdateAssumeRolePolicy", resource: restrictedRole, boundary: { current: "ours" } }],
    expected: closedByHardened,
  },
  {
    id: "detach-restricted-role-policy",
    title: "Detach the restricted role's policies (or attach more)",
    source: "Jump-account pattern (this project)",
    steps: [{ action: "iam:DetachRolePolicy", resource: restrictedRole, boundary: { current: "ours" } }],
    expected: closedByHardened,
  },
  {
    id: "delete-restricted-role",
    title: "Delete the restricted role",
    source: "Jump-account pattern (this project)",
    steps: [{ action: "iam:DeleteRole", resource: restrictedRole, boundary: { current: "ours" } }],
    expected: closedByHardened,
  },
  {
    id: "edit-protected-role",
    title: "Re-trust a protected role (OrganizationAccountAccessRole)",
    source: "Jump-account pattern (this project)",
    steps: [{ action: "iam:UpdateAssumeRolePolicy", resource: protectedRole }],
    expected: closedByHardened,
  },
  {
    id: "delete-boundary-from-role",
    title: "Remove the boundary from a bounded role",
    source: "The article's boundary",
    steps: [{ action: "iam:DeleteRolePermissionsBoundary", resource: restrictedRole, boundary: { current: "ours" } }],
    expected: both("blocked"),
  },
  {
    id: "replace-boundary",
    title: "Replace a role's boundary with a permissive policy",
    source: "The article's boundary",
    steps: [{ action: "iam:PutRolePermissionsBoundary", resource: delegatedRole, boundary: { passed: "other" } }],
    expected: both("blocked"),
  },
  {
    id: "create-unbounded-role",
    title: "Create a role without the boundary",
    source: "The article's boundary",
    steps: [{ action: "iam:CreateRole", resource: (s) => arn(s, "role", "escalate") }],
    expected: both("blocked"),
  },
  {
    id: "edit-boundary-policy",
    title: "Rewrite the boundary policy itself",
    source: "The article's boundary",
    steps: [{ action: "iam:CreatePolicyVersion", resource: (s) => s.boundaryArn }],
    expected: both("blocked"),
  },
  {
    id: "update-lambda-code",
    title: "Replace the code of an existing Lambda function whose role has no boundary",
    source: "Rhino Security Labs method 17; PMapper lambda edge",
    steps: [{ action: "lambda:UpdateFunctionCode", resource: (s) => lambdaFunction(s, "legacy-fn") }],
    expected: both("open"),
    residual:
      "IAM cannot see a function's execution role in this request. Block it with an SCP that denies lambda:UpdateFunctionCode and UpdateFunctionConfiguration outside a delegated name prefix, or give every execution role the boundary (the policy pack's iam-role-requires-permissions-boundary).",
  },
  {
    id: "ssm-send-command",
    title: "Run commands on an existing instance whose instance profile has no boundary",
    source: "PMapper ssm edge",
    steps: [{ action: "ssm:SendCommand", resource: (s) => `arn:aws:ec2:${s.region}:${s.accountId}:instance/i-0123456789abcdef0` }],
    expected: both("open"),
    residual:
      "IAM cannot see the instance's role. Block it with an SCP or tag-based condition (ssm:resourceTag) on instances whose profile is unbounded, and keep every instance role bounded (policy pack).",
  },
  {
    id: "codebuild-start-build",
    title: "Start a build of an existing CodeBuild project whose service role has no boundary",
    source: "PMapper codebuild edge",
    steps: [{ action: "codebuild:StartBuild", resource: (s) => `arn:aws:codebuild:${s.region}:${s.accountId}:project/legacy-build` }],
    expected: both("open"),
    residual:
      "IAM cannot see the project's service role. Block it with an SCP on existing projects, and keep every service role bounded (policy pack).",
  },
];

export const TASKS: readonly Task[] = [
  {
    id: "ordinary-work",
    title: "Ordinary service work (S3, EC2)",
    steps: [
      { action: "s3:CreateBucket", resource: () => "arn:aws:s3:::team-data-bucket" },
      { action: "ec2:RunInstances", resource: (s) => `arn:aws:ec2:${s.region}:${s.accountId}:instance/*` },
    ],
  },
  {
    id: "create-bounded-role",
    title: "Create a role that carries the boundary",
    steps: [{ action: "iam:CreateRole", resource: delegatedRole, boundary: { passed: "ours" } }],
  },
  {
    id: "manage-bounded-role",
    title: "Attach, put and detach policies on a role that carries the boundary",
    steps: [
      { action: "iam:AttachRolePolicy", resource: delegatedRole, boundary: { current: "ours" } },
      { action: "iam:PutRolePolicy", resource: delegatedRole, boundary: { current: "ours" } },
      { action: "iam:DetachRolePolicy", resource: delegatedRole, boundary: { current: "ours" } },
      { action: "iam:UpdateAssumeRolePolicy", resource: delegatedRole, boundary: { current: "ours" } },
    ],
  },
  {
    id: "pass-bounded-role",
    title: "Pass a delegated role to Lambda",
    steps: [
      { action: "iam:PassRole", resource: delegatedRole, serviceKeys: passTo("lambda.amazonaws.com") },
      { action: "lambda:CreateFunction", resource: (s) => lambdaFunction(s, "app") },
    ],
  },
  {
    id: "version-delegated-policy",
    title: "Create and version a customer policy under the delegated path",
    steps: [
      { action: "iam:CreatePolicy", resource: delegatedPolicy },
      { action: "iam:CreatePolicyVersion", resource: delegatedPolicy },
    ],
  },
  {
    id: "delete-bounded-role",
    title: "Delete a role that carries the boundary",
    steps: [{ action: "iam:DeleteRole", resource: delegatedRole, boundary: { current: "ours" } }],
  },
];
