/**
 * The bypasses an adversarial review found, each as a case the pack must refuse next to the
 * nearest case it must pass. The offline runner (bypasses.test.ts) and the packed tarball over
 * gRPC (package.test.ts) both run every case, so each one is proved the way the CLI runs the pack.
 */
import type { PolicyPackConfig } from "@pulumi/policy";
import type { OfflineResource } from "../offline";
import {
  SEED_BOUNDARY,
  SEED_BOUNDARY_NAME,
  TARGET_ACCOUNT,
  UNKNOWN,
  clone,
  resource,
  seedBoundaryPolicy,
  validRole,
  withoutProvider,
} from "./fixtures";

export interface BypassCase {
  readonly name: string;
  readonly resources: readonly OfflineResource[];
  readonly config?: PolicyPackConfig;
  /** `policy level` of every finding, sorted; empty for a case the pack must pass. */
  readonly expect: readonly string[];
}

const OTHER_ACCOUNT = "999999999999";
const seedConfig = (extra: Record<string, unknown> = {}): PolicyPackConfig => ({
  "iam-role-requires-permissions-boundary": { boundaryPolicyName: SEED_BOUNDARY_NAME, ...extra },
  "iam-boundary-policy-integrity": { boundaryPolicyName: SEED_BOUNDARY_NAME, ...extra },
});
const BOUNDARY = "jump-permissions-boundary";
const roleIn = (pb: unknown) => ({
  Type: "AWS::IAM::Role",
  Properties: { RoleName: "cfn-admin", AssumeRolePolicyDocument: {}, ...(pb === undefined ? {} : { PermissionsBoundary: pb }) },
});
const jsonStack = (name: string, resources: Record<string, unknown>, type = "aws:cloudformation/stack:Stack") =>
  resource(type, name, { name, templateBody: JSON.stringify({ Resources: resources }) });
const yamlStack = (name: string, body: string, type = "aws:cloudformation/stack:Stack") =>
  resource(type, name, { name, templateBody: body });
const allowAll = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] });
const copiedBoundary = JSON.stringify(SEED_BOUNDARY).split(TARGET_ACCOUNT).join(OTHER_ACCOUNT);
const trustWith = (condition: Record<string, unknown> | undefined, deny?: Record<string, unknown>) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111122223333:root" },
        Action: "sts:AssumeRole",
        ...(condition ? { Condition: condition } : {}),
      },
      ...(deny ? [{ Effect: "Deny", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: deny }] : []),
    ],
  });

export const BYPASS_CASES: readonly BypassCase[] = [
  // The boundary's ARN is a fact of the stack.
  { name: "boundary policy with guards naming this account", resources: [seedBoundaryPolicy()], config: seedConfig(), expect: [] },
  {
    name: "boundary policy with guards naming another account's ARN",
    resources: [seedBoundaryPolicy(copiedBoundary)],
    config: seedConfig(),
    expect: Array(3).fill("iam-boundary-policy-integrity mandatory"),
  },
  {
    name: "boundary policy with guards naming another account's ARN, account from config only",
    resources: [withoutProvider(seedBoundaryPolicy(copiedBoundary))],
    config: seedConfig({ boundaryAccountIds: [TARGET_ACCOUNT] }),
    expect: Array(3).fill("iam-boundary-policy-integrity mandatory"),
  },
  {
    name: "role with another account's boundary",
    resources: [validRole({ permissionsBoundary: `arn:aws:iam::${OTHER_ACCOUNT}:policy/${BOUNDARY}` })],
    expect: ["iam-role-requires-permissions-boundary mandatory"],
  },
  // Fail closed where the pack cannot see.
  {
    name: "Allow * boundary document whose name is unknown",
    resources: [seedBoundaryPolicy(allowAll, { name: UNKNOWN })],
    config: seedConfig(),
    expect: ["iam-boundary-policy-integrity mandatory"],
  },
  {
    name: "Allow * boundary document whose path is unknown",
    resources: [seedBoundaryPolicy(allowAll, { path: UNKNOWN })],
    config: seedConfig(),
    expect: ["iam-boundary-policy-integrity mandatory"],
  },
  {
    name: "managed policy of another known name with an unknown path",
    resources: [seedBoundaryPolicy(allowAll, { name: "app", path: UNKNOWN })],
    config: seedConfig(),
    expect: [],
  },
  // Roles created out of sight: CloudFormation templates.
  {
    name: "CloudFormation JSON role with the boundary",
    resources: [jsonStack("cfn", { R: roleIn(`arn:aws:iam::${TARGET_ACCOUNT}:policy/${BOUNDARY}`) })],
    expect: [],
  },
  {
    name: "CloudFormation JSON role without a boundary",
    resources: [jsonStack("cfn", { R: roleIn(undefined) })],
    expect: ["iam-role-requires-permissions-boundary mandatory"],
  },
  {
    name: "CloudFormation YAML role with !Sub boundary",
    resources: [
      yamlStack(
        "cfn-yaml",
        `Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {}\n      PermissionsBoundary: !Sub "arn:\${AWS::Partition}:iam::\${AWS::AccountId}:policy/${BOUNDARY}"\n      Tags:\n        - Key: x\n          Value: !Ref AWS::StackName\n`,
      ),
    ],
    expect: [],
  },
  {
    name: "CloudFormation YAML role without a boundary",
    resources: [
      yamlStack(
        "cfn-yaml",
        `Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: !Join ["-", [a, !Ref AWS::Region]]\n      AssumeRolePolicyDocument: {}\n`,
      ),
    ],
    expect: ["iam-role-requires-permissions-boundary mandatory"],
  },
  {
    name: "CloudFormation stack set role with a literal boundary of this account",
    resources: [
      jsonStack("set", { R: roleIn(`arn:aws:iam::${TARGET_ACCOUNT}:policy/${BOUNDARY}`) }, "aws:cloudformation/stackSet:StackSet"),
    ],
    expect: ["iam-role-requires-permissions-boundary mandatory"],
  },
  {
    name: "CloudFormation stack set role with each account's boundary",
    resources: [
      jsonStack(
        "set",
        { R: roleIn({ "Fn::Sub": `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:policy/${BOUNDARY}` }) },
        "aws:cloudformation/stackSet:StackSet",
      ),
    ],
    expect: [],
  },
  {
    name: "aws-native CloudFormation stack role without a boundary",
    resources: [jsonStack("native", { R: roleIn(undefined) }, "aws-native:cloudformation:Stack")],
    expect: ["iam-role-requires-permissions-boundary mandatory"],
  },
  {
    name: "Cloud Control role without a boundary",
    resources: [
      resource("aws:cloudcontrol/resource:Resource", "cc", {
        typeName: "AWS::IAM::Role",
        desiredState: JSON.stringify({ AssumeRolePolicyDocument: {} }),
      }),
    ],
    expect: ["iam-role-requires-permissions-boundary mandatory"],
  },
  {
    name: "CloudFormation users, groups, access keys and login profiles in a target stack",
    resources: [
      jsonStack("users", {
        U: { Type: "AWS::IAM::User", Properties: { LoginProfile: { Password: "x" } } },
        G: { Type: "AWS::IAM::Group" },
        K: { Type: "AWS::IAM::AccessKey", Properties: { UserName: { Ref: "U" } } },
      }),
    ],
    expect: Array(3).fill("iam-no-users-in-target-accounts mandatory"),
  },
  {
    name: "CloudFormation template given only by URL",
    resources: [resource("aws:cloudformation/stack:Stack", "url", { name: "url", templateUrl: "https://example.com/t.yaml" })],
    expect: ["iam-principals-out-of-sight mandatory"],
  },
  {
    name: "CloudFormation template given only by URL, templateUrl warn",
    resources: [resource("aws:cloudformation/stack:Stack", "url", { name: "url", templateUrl: "https://example.com/t.yaml" })],
    config: { "iam-principals-out-of-sight": { templateUrl: "warn" } },
    expect: ["iam-principals-out-of-sight advisory"],
  },
  // Principals created by code.
  {
    name: "dynamic provider and command in a target stack",
    resources: [
      resource("pulumi-nodejs:dynamic:Resource", "dyn", { __provider: "x" }),
      resource("command:local:Command", "cmd", { create: "aws iam create-user --user-name x" }),
    ],
    expect: Array(2).fill("iam-principals-out-of-sight mandatory"),
  },
  {
    name: "a reviewed command type in allowedTypes",
    resources: [resource("command:local:Command", "cmd", { create: "echo" })],
    config: { "iam-principals-out-of-sight": { allowedTypes: ["command:*"] } },
    expect: [],
  },
  {
    name: "a command in the jump-account project",
    resources: [resource("command:local:Command", "cmd", { create: "echo" }, "jump-account")],
    expect: [],
  },
  // Trust policies that require MFA in other valid forms.
  {
    name: 'trust with StringEquals "true"',
    resources: [validRole({ assumeRolePolicy: trustWith({ StringEquals: { "aws:MultiFactorAuthPresent": "true" } }) })],
    expect: [],
  },
  {
    name: 'trust with Bool "True"',
    resources: [validRole({ assumeRolePolicy: trustWith({ Bool: { "aws:MultiFactorAuthPresent": "True" } }) })],
    expect: [],
  },
  {
    name: "trust with a Deny unless MFA",
    resources: [validRole({ assumeRolePolicy: trustWith(undefined, { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } }) })],
    expect: [],
  },
  {
    name: 'trust with StringNotEquals "false" (long-term keys pass)',
    resources: [validRole({ assumeRolePolicy: trustWith({ StringNotEquals: { "aws:MultiFactorAuthPresent": "false" } }) })],
    expect: ["iam-cross-account-trust-requires-mfa mandatory"],
  },
];

/** What a run's findings look like in `expect`. */
export function findingKeys(violations: readonly { policy: string; enforcementLevel: string }[]): string[] {
  return violations.map((v) => `${v.policy} ${v.enforcementLevel}`).sort();
}

/** A deep copy of a case's config, so that no run can change another's. */
export function configOf(c: BypassCase): PolicyPackConfig {
  return clone(c.config ?? {});
}
