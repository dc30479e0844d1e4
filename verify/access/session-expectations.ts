/** What a session of each target role may and may not do. */
import { ADMINISTRATOR_ACCESS } from "./aws-managed";
import { type RequestEnvironment } from "./context";
import type { AccessRequest, PolicyKind } from "./evaluator";
import type { RoleModel, TargetModel } from "./access-model";
import { PROBE, type Expectation, type Expected } from "./expectation";
import { createBucketTarget, runInstancesTargets, sessionRequest } from "./requests";

const HOW_SESSION = "role session obtained with MFA";

/** What a session of each target role may and may not do. */
export async function sessionExpectations(target: TargetModel, role: RoleModel, env: RequestEnvironment): Promise<Expectation[]> {
  const out: Expectation[] = [];
  const T = target.account;
  const B = target.intendedBoundaryArn;
  const subject = `${role.name}@${target.name}`;
  const guardBy: PolicyKind | undefined = role.capability === "admin" ? "boundary" : undefined;
  const problems = role.problems;
  const add = (id: string, guarantee: string, request: AccessRequest, expected: Expected, deniedBy?: PolicyKind) =>
    out.push({
      id,
      guarantee,
      subject,
      how: HOW_SESSION,
      account: T,
      request,
      expected,
      ...(deniedBy && expected !== "Allowed" ? { deniedBy } : {}),
      ...(problems.length ? { problems } : {}),
    });
  const iam = (kind: string, name: string, path = "/") => `arn:aws:iam::${T}:${kind}${path}${name}`;
  const delegatedRole = iam("role", PROBE.role, target.config.delegatedPath);
  const unboundedRole = iam("role", PROBE.unboundedRole);

  // The boundary's guards: they hold for every role, whatever its policies.
  add(
    "session-no-create-user",
    "may not create IAM users (iam:CreateUser)",
    await sessionRequest(role, "iam:CreateUser", { resource: iam("user", PROBE.user) }, env),
    "Denied",
    guardBy,
  );
  add(
    "session-no-create-group",
    "may not create IAM groups (iam:CreateGroup)",
    await sessionRequest(role, "iam:CreateGroup", { resource: iam("group", PROBE.group) }, env),
    "Denied",
    guardBy,
  );
  add(
    "session-no-create-role-without-boundary",
    "may not create a role without the boundary",
    await sessionRequest(role, "iam:CreateRole", { resource: delegatedRole }, env),
    "Denied",
    guardBy,
  );
  add(
    "session-no-create-role-with-other-boundary",
    "may not create a role with another boundary (AdministratorAccess)",
    await sessionRequest(role, "iam:CreateRole", { resource: delegatedRole }, env, {}, { passed: ADMINISTRATOR_ACCESS }),
    "Denied",
    guardBy,
  );
  add(
    "session-no-remove-own-boundary",
    "may not remove the boundary from its own role (iam:DeleteRolePermissionsBoundary)",
    await sessionRequest(
      role,
      "iam:DeleteRolePermissionsBoundary",
      { resource: role.arn, tags: role.tags },
      env,
      {},
      { current: role.boundaryArn },
    ),
    "Denied",
    guardBy,
  );
  add(
    "session-no-remove-boundary",
    "may not remove the boundary from a bounded role (iam:DeleteRolePermissionsBoundary)",
    await sessionRequest(role, "iam:DeleteRolePermissionsBoundary", { resource: delegatedRole, tags: {} }, env, {}, { current: B }),
    "Denied",
    guardBy,
  );
  add(
    "session-no-swap-boundary",
    "may not replace a role's boundary with another (iam:PutRolePermissionsBoundary)",
    await sessionRequest(
      role,
      "iam:PutRolePermissionsBoundary",
      { resource: delegatedRole, tags: {} },
      env,
      {},
      { passed: ADMINISTRATOR_ACCESS, current: B },
    ),
    "Denied",
    guardBy,
  );
  add(
    "session-no-grant-unbounded-role",
    "may not attach policies to a role without the boundary (iam:AttachRolePolicy)",
    await sessionRequest(
      role,
      "iam:AttachRolePolicy",
      { resource: unboundedRole, tags: {} },
      env,
      { "iam:PolicyARN": ADMINISTRATOR_ACCESS },
      {},
    ),
    "Denied",
    guardBy,
  );
  for (const action of ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"]) {
    add(
      `session-no-edit-boundary`,
      `may not edit or delete the boundary policy (${action})`,
      await sessionRequest(role, action, { resource: B, tags: target.boundaryTags }, env),
      "Denied",
      guardBy,
    );
  }

  // Delegated and ordinary work: what the role's configured policies are for. An
  // AdministratorAccess role must keep every legitimate task; a read-only role must not write.
  if (role.capability !== "custom") {
    const admin = role.capability === "admin";
    const write = (id: string, guarantee: string) =>
      admin
        ? { id, guarantee: `may ${guarantee}`, expected: "Allowed" as Expected }
        : { id: "session-no-write", guarantee: `may not ${guarantee} (read-only policies)`, expected: "Denied" as Expected };
    const w1 = write("session-create-role-with-boundary", "create a role that carries the boundary (iam:CreateRole)");
    add(
      w1.id,
      w1.guarantee,
      await sessionRequest(role, "iam:CreateRole", { resource: delegatedRole }, env, {}, { passed: B }),
      w1.expected,
    );
    const w2 = write("session-grant-bounded-role", "attach policies to a role that carries the boundary (iam:AttachRolePolicy)");
    add(
      w2.id,
      w2.guarantee,
      await sessionRequest(
        role,
        "iam:AttachRolePolicy",
        { resource: delegatedRole, tags: {} },
        env,
        { "iam:PolicyARN": ADMINISTRATOR_ACCESS },
        { current: B },
      ),
      w2.expected,
    );
    const bucket = createBucketTarget(T, target.region);
    const w3 = write("session-ordinary-work", "do ordinary work: s3:CreateBucket");
    add(w3.id, w3.guarantee, await sessionRequest(role, "s3:CreateBucket", bucket.target, env, bucket.keys), w3.expected);
    for (const r of runInstancesTargets(T, target.region)) {
      const w = write("session-ordinary-work", `do ordinary work: ec2:RunInstances (${r.kind})`);
      add(w.id, w.guarantee, await sessionRequest(role, "ec2:RunInstances", r.target, env, r.keys), w.expected);
    }
    add(
      "session-read",
      "may read: ec2:DescribeInstances",
      await sessionRequest(role, "ec2:DescribeInstances", { resource: "*" }, env, { "ec2:Region": target.region }),
      "Allowed",
    );
    const { "s3:locationconstraint": _unused, ...s3Keys } = bucket.keys;
    add(
      "session-read",
      "may read: s3:ListAllMyBuckets",
      await sessionRequest(role, "s3:ListAllMyBuckets", { resource: "*" }, env, s3Keys),
      "Allowed",
    );
  }
  return out;
}
