/**
 * What IAM Identity Center provisions from a planned identity-center stack: for every account a
 * permission set is assigned in, one role `AWSReservedSSO_<set>_<suffix>` under
 * `/aws-reserved/sso.amazonaws.com/`, with the set's managed policies, the boundary its
 * customer managed policy reference resolves to in that account, and a trust policy that admits
 * only the account's Identity Center SAML provider. The roles are derived from what the program
 * registered (sets, attachments and assignments, matched through their dependencies on the set),
 * never from config, so a program that registers the wrong thing is caught.
 */
import { createHash } from "crypto";
import {
  parseIdentityCenterConfig,
  policyArn,
  roleArn,
  SAML_AUDIENCE,
  ssoRoleName,
  ssoRolePath,
  ssoSamlProviderArn,
  type PolicyDocument,
} from "@jumpenv/shared";
import type { RegisteredResource, StackFile, StackRun } from "../harness/mock-run";

export const SSO_TYPES = {
  permissionSet: "aws:ssoadmin/permissionSet:PermissionSet",
  managedPolicyAttachment: "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment",
  boundaryAttachment: "aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment",
  accountAssignment: "aws:ssoadmin/accountAssignment:AccountAssignment",
} as const;

export interface ProvisionedRole {
  readonly account: string;
  /** The account's name in the identity-center config, or its id. */
  readonly targetName: string;
  readonly permissionSet: string;
  /** URN of the registered permission set. */
  readonly urn: string;
  readonly name: string;
  readonly path: string;
  readonly arn: string;
  readonly managedPolicyArns: readonly string[];
  /** The boundary the set's attachment resolves to in this account, if it has one. */
  readonly boundaryArn?: string;
  readonly trust: PolicyDocument;
  /** The account's Identity Center SAML provider, the one principal the trust admits. */
  readonly samlProviderArn: string;
  /** Groups (identity store ids) assigned the set in this account. */
  readonly principalIds: readonly string[];
}

function hex16(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/** The trust policy Identity Center writes on every role it provisions. */
export function ssoTrustPolicy(samlProviderArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: samlProviderArn },
        Action: ["sts:AssumeRoleWithSAML", "sts:TagSession"],
        Condition: { StringEquals: { "SAML:aud": SAML_AUDIENCE } },
      },
    ],
  };
}

const dependsOn = (r: RegisteredResource, set: RegisteredResource) => r.options.dependsOn.includes(set.urn);

/** The boundary a permissions-boundary attachment names, in `account`. */
export function boundaryOfAttachment(a: RegisteredResource, account: string): string | undefined {
  const pb = a.props.permissionsBoundary as
    { customerManagedPolicyReference?: { name?: unknown; path?: unknown }; managedPolicyArn?: unknown } | undefined;
  const ref = pb?.customerManagedPolicyReference;
  if (ref && typeof ref.name === "string") return policyArn(account, typeof ref.path === "string" ? ref.path : "/", ref.name);
  return typeof pb?.managedPolicyArn === "string" ? pb.managedPolicyArn : undefined;
}

/** Every role Identity Center would provision from a planned identity-center stack. */
export function provisionedRoles(run: StackRun, file: StackFile): ProvisionedRole[] {
  const cfg = parseIdentityCenterConfig(file.config, { project: file.project, stack: file.stack });
  const region = file.config["aws:region"] ?? "us-east-1";
  const names = new Map(cfg.targets.map((t) => [t.accountId, t.name]));
  const of = (type: string) => run.resources.filter((r) => r.type === type);
  const out: ProvisionedRole[] = [];
  for (const set of of(SSO_TYPES.permissionSet)) {
    const setName = String(set.props.name);
    const managed = of(SSO_TYPES.managedPolicyAttachment)
      .filter((a) => dependsOn(a, set))
      .map((a) => String(a.props.managedPolicyArn));
    const boundary = of(SSO_TYPES.boundaryAttachment).find((a) => dependsOn(a, set));
    const byAccount = new Map<string, string[]>();
    for (const a of of(SSO_TYPES.accountAssignment).filter((x) => dependsOn(x, set) && x.props.targetType === "AWS_ACCOUNT")) {
      const account = String(a.props.targetId);
      byAccount.set(account, [...(byAccount.get(account) ?? []), String(a.props.principalId)]);
    }
    for (const [account, principalIds] of byAccount) {
      const path = ssoRolePath(region);
      const name = ssoRoleName(setName, hex16(`${String(set.props.instanceArn)}/${setName}`));
      const boundaryArn = boundary ? boundaryOfAttachment(boundary, account) : undefined;
      const samlProviderArn = ssoSamlProviderArn(account, hex16(`${String(set.props.instanceArn)}/${account}`));
      out.push({
        account,
        targetName: names.get(account) ?? account,
        permissionSet: setName,
        urn: set.urn,
        name,
        path,
        arn: roleArn(account, path, name),
        managedPolicyArns: managed,
        ...(boundaryArn ? { boundaryArn } : {}),
        trust: ssoTrustPolicy(samlProviderArn),
        samlProviderArn,
        principalIds,
      });
    }
  }
  return out;
}
