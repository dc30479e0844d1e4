/**
 * The access proof and the escalation catalogue for the roles Identity Center provisions: each
 * role is modelled like a restricted role (its managed policies, the boundary registered in its
 * account, its SAML trust), so the same session expectations hold for it, and its trust admits no
 * IAM principal at all: not the Jump users, not another account.
 */
import { parseTargetConfig, policyArn, SAML_AUDIENCE, type RoleSettings } from "@jumpenv/shared";
import {
  capabilityOf,
  managedPolicies,
  resolve,
  tagsOf,
  type PlannedStack,
  type RoleModel,
  type TargetModel,
} from "../access/access-model";
import { namedPolicy, type AccessRequest, type NamedPolicy } from "../access/evaluator";
import { stackLabel } from "../access/documents";
import type { Expectation } from "../access/expectation";
import { assumeRoleRequest, probeAllowAssume, userCaller } from "../access/requests";
import { foreignAccount } from "../access/trust-expectations";
import type { RequestEnvironment } from "../access/context";
import type { ProvisionedRole } from "./provisioning";

export interface SsoRoleModel {
  readonly target: TargetModel;
  readonly role: RoleModel;
  readonly samlProviderArn: string;
}

/** One provisioned role, in the planned target stack of its account, as the access proof models it. */
export function ssoRoleModel(role: ProvisionedRole, stack: PlannedStack): SsoRoleModel {
  const cfg = parseTargetConfig(stack.config, { project: stack.project, stack: stack.stack });
  const problems: string[] = [];
  const approximations: string[] = [];
  const local = managedPolicies(stack, role.account);
  const intendedBoundaryArn = policyArn(role.account, cfg.boundaryPolicyPath, cfg.boundaryPolicyName);
  const boundaryResource = stack.resources.find(
    (r) =>
      r.type === "aws:iam/policy:Policy" &&
      policyArn(role.account, typeof r.props.path === "string" ? r.props.path : "/", String(r.props.name)) === intendedBoundaryArn,
  );
  let boundary: NamedPolicy | undefined;
  if (!role.boundaryArn) problems.push(`permission set ${role.permissionSet} has no permissions boundary attachment`);
  else {
    boundary = local.get(role.boundaryArn);
    if (!boundary)
      problems.push(
        `permission set ${role.permissionSet} references the boundary ${role.boundaryArn}, which ${stackLabel(stack)} does not create: Identity Center cannot provision its role in account ${role.account}`,
      );
  }
  const policies = role.managedPolicyArns.map((a) => resolve(a, local, problems, approximations)).filter((p): p is NamedPolicy => !!p);
  const settings: RoleSettings = {
    name: role.name,
    path: role.path,
    groups: [],
    managedPolicyArns: [...role.managedPolicyArns],
    maxSessionDuration: 3600,
  };
  const target: TargetModel = {
    account: role.account,
    name: role.targetName,
    stack: stackLabel(stack),
    config: cfg,
    region: stack.config["aws:region"] ?? "us-east-1",
    intendedBoundaryArn,
    boundaryTags: tagsOf(boundaryResource),
    roles: [],
  };
  return {
    target,
    samlProviderArn: role.samlProviderArn,
    role: {
      settings,
      account: role.account,
      targetName: role.targetName,
      name: role.name,
      path: role.path,
      arn: role.arn,
      urn: role.urn,
      tags: {},
      trust: namedPolicy(`trust policy of role ${role.name}`, role.trust),
      ...(role.boundaryArn ? { boundaryArn: role.boundaryArn } : {}),
      ...(boundary ? { boundary } : {}),
      policies,
      intendedUsers: [],
      capability: capabilityOf(settings),
      approximations,
      problems,
    },
  };
}

/**
 * `sts:AssumeRoleWithSAML` as the access portal sends it: the account's SAML provider as the
 * federated principal, the assertion's audience as `SAML:aud`.
 */
function samlRequest(
  m: SsoRoleModel,
  provider: string,
  audience: string,
  env: RequestEnvironment,
  identity: readonly NamedPolicy[] = [],
): AccessRequest {
  return {
    principal: provider,
    action: "sts:AssumeRoleWithSAML",
    resource: m.role.arn,
    resourceAccount: m.role.account,
    context: {
      "aws:CurrentTime": env.now.toISOString(),
      "aws:EpochTime": String(Math.floor(env.now.getTime() / 1000)),
      "aws:SecureTransport": "true",
      "SAML:aud": audience,
    },
    policies: { identity, ...(m.role.trust ? { trust: m.role.trust } : {}) },
  };
}

/** A federated principal has no identity policies: the probe grants it, so only the trust policy can refuse. */
function probeAllowSaml(roleArn: string): NamedPolicy {
  return {
    name: "probe: a policy allowing sts:AssumeRoleWithSAML of the role",
    document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRoleWithSAML", Resource: roleArn }] },
  };
}

/** Only Identity Center's SAML provider may assume the role: no other provider, no Jump user, no other account. */
export function ssoTrustExpectations(
  m: SsoRoleModel,
  jump: { readonly account: string; readonly users: readonly { readonly name: string }[] },
  accounts: readonly string[],
  env: RequestEnvironment,
): Expectation[] {
  const { role, target } = m;
  const subject = `${role.name}@${target.name}`;
  const how = "console, signed in with MFA";
  const mfa = { kind: "console", mfaAgeSeconds: 300 } as const;
  const out: Expectation[] = [];
  const add = (id: string, guarantee: string, caller: ReturnType<typeof userCaller>) =>
    out.push({
      id,
      guarantee,
      subject,
      how,
      account: target.account,
      request: assumeRoleRequest(caller, [probeAllowAssume(role.arn)], role, env),
      expected: "Denied",
      deniedBy: "resource",
      ...(role.problems.length ? { problems: role.problems } : {}),
    });
  const saml = (id: string, guarantee: string, request: AccessRequest, expected: Expectation["expected"]) =>
    out.push({
      id,
      guarantee,
      subject,
      how: "access portal sign-in (SAML assertion)",
      account: target.account,
      request,
      expected,
      ...(expected !== "Allowed" ? { deniedBy: "resource" as const } : {}),
      ...(role.problems.length ? { problems: role.problems } : {}),
    });
  saml(
    "sso-trust-saml-provider",
    "Identity Center's SAML provider may assume the role (sts:AssumeRoleWithSAML)",
    samlRequest(m, m.samlProviderArn, SAML_AUDIENCE, env),
    "Allowed",
  );
  saml(
    "sso-trust-no-other-saml",
    "another SAML provider of the account may not assume the role",
    samlRequest(m, `arn:aws:iam::${target.account}:saml-provider/jump-proof-provider`, SAML_AUDIENCE, env, [probeAllowSaml(role.arn)]),
    "Denied",
  );
  saml(
    "sso-trust-no-other-saml",
    "an assertion for another audience may not assume the role",
    samlRequest(m, m.samlProviderArn, "https://jump-proof.example/saml", env, [probeAllowSaml(role.arn)]),
    "Denied",
  );
  const jumpUser = jump.users[0]?.name ?? "jump-proof-user";
  add(
    "sso-trust-no-iam-principal",
    `a Jump user (${jumpUser}) may not assume the Identity Center role, even with MFA and an Allow of their own`,
    userCaller({ account: jump.account, name: jumpUser, path: "/", tags: {} }, mfa),
  );
  const foreign = foreignAccount({ accounts });
  add(
    "trust-no-other-account",
    `a principal of another account (${foreign}) may not assume the Identity Center role`,
    userCaller({ account: foreign, name: jumpUser, path: "/", tags: {} }, mfa),
  );
  return out;
}
