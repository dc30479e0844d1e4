/**
 * Delegated tasks: what the restricted role is for, which no boundary profile may break. Each is
 * the requests a platform engineer holding the role makes, evaluated like the methods.
 */
import { DELEGATED_TAG_KEY } from "@jumpenv/shared/policies/boundary";
import { arn, delegatedPolicy, delegatedRole, lambdaFunction, passTo, tagging, trustsAccount, type Scenario, type Step } from "./methods";

export interface Task {
  readonly id: string;
  readonly title: string;
  /** Every request must be allowed under every profile. */
  readonly steps: readonly Step[];
}

const delegatedOidcProvider = (s: Scenario) =>
  arn(s, "oidc-provider", `oidc.eks.${s.region}.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`);
const delegatedInstanceProfile = (s: Scenario) => arn(s, "instance-profile", `${s.delegatedPath.slice(1)}app-profile`);
const DELEGATED = { [DELEGATED_TAG_KEY]: "true" };

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
    title: "Create a role that carries the boundary, with ordinary tags",
    steps: [
      { action: "iam:CreateRole", resource: delegatedRole, boundary: { passed: "ours" }, serviceKeys: tagging({ team: "payments" }) },
      { action: "iam:TagRole", resource: delegatedRole, serviceKeys: tagging({ team: "payments" }) },
    ],
  },
  {
    id: "manage-bounded-role",
    title: "Attach, put and detach policies on a role that carries the boundary, and edit its trust",
    steps: [
      { action: "iam:AttachRolePolicy", resource: delegatedRole, boundary: { current: "ours" } },
      { action: "iam:PutRolePolicy", resource: delegatedRole, boundary: { current: "ours" } },
      { action: "iam:DetachRolePolicy", resource: delegatedRole, boundary: { current: "ours" } },
      { action: "iam:UpdateAssumeRolePolicy", resource: delegatedRole, boundary: { current: "ours" } },
      { action: "iam:PutRolePermissionsBoundary", resource: delegatedRole, boundary: { passed: "ours" } },
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
    id: "instance-profile-for-bounded-role",
    title: "Wrap a delegated role in an instance profile and launch an instance with it",
    steps: [
      { action: "iam:CreateInstanceProfile", resource: delegatedInstanceProfile },
      { action: "iam:AddRoleToInstanceProfile", resource: delegatedInstanceProfile },
      { action: "iam:PassRole", resource: delegatedRole, serviceKeys: passTo("ec2.amazonaws.com") },
      { action: "ec2:RunInstances", resource: (s) => `arn:aws:ec2:${s.region}:${s.accountId}:instance/*` },
    ],
  },
  {
    id: "assume-bounded-role",
    title: "Assume a delegated role to test it, with ordinary session tags",
    steps: [
      { action: "sts:AssumeRole", resource: delegatedRole, trust: trustsAccount },
      { action: "sts:TagSession", resource: delegatedRole, trust: trustsAccount, serviceKeys: tagging({ purpose: "testing" }) },
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
  {
    id: "service-linked-role",
    title: "Create a service-linked role (AWS fixes its policy and trust; it cannot carry a boundary)",
    steps: [
      {
        action: "iam:CreateServiceLinkedRole",
        resource: (s) => arn(s, "role", "aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"),
        serviceKeys: () => ({ "iam:AWSServiceName": "ecs.amazonaws.com" }),
      },
    ],
  },
  {
    id: "oidc-provider-for-application",
    title: `Create an OIDC identity provider for an application (EKS, CI), marked ${DELEGATED_TAG_KEY}=true, and maintain it`,
    steps: [
      { action: "iam:CreateOpenIDConnectProvider", resource: delegatedOidcProvider, serviceKeys: tagging(DELEGATED) },
      { action: "iam:AddClientIDToOpenIDConnectProvider", resource: delegatedOidcProvider, tags: DELEGATED },
      { action: "iam:UpdateOpenIDConnectProviderThumbprint", resource: delegatedOidcProvider, tags: DELEGATED },
      { action: "iam:DeleteOpenIDConnectProvider", resource: delegatedOidcProvider, tags: DELEGATED },
    ],
  },
];
