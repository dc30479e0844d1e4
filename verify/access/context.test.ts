import { strict as assert } from "assert";
import { permissionsBoundaryKey, principalOf, requestContext, type Caller, type RequestEnvironment, type UserCaller } from "./context";

const env: RequestEnvironment = { now: new Date("2026-01-15T09:30:00Z"), region: "eu-west-1" };
const alice = (credentials: UserCaller["credentials"]): UserCaller => ({
  kind: "user",
  account: "111122223333",
  name: "alice",
  path: "/",
  tags: { team: "a" },
  credentials,
});
const session: Caller = {
  kind: "role-session",
  account: "444455556666",
  roleName: "read-only",
  rolePath: "/jump/",
  sessionName: "alice",
  tags: {},
  mfaAgeSeconds: 300,
};
const B = "arn:aws:iam::444455556666:policy/boundary";

describe("request context (verify/access/context.ts)", () => {
  it("sends aws:MultiFactorAuthPresent=false for a console sign-in without MFA (temporary credentials)", () => {
    const c = requestContext(alice({ kind: "console" }), "iam:ChangePassword", { resource: "arn:aws:iam::111122223333:user/alice" }, env);
    assert.equal(c["aws:MultiFactorAuthPresent"], "false");
    assert.equal(c["aws:MultiFactorAuthAge"], undefined);
    assert.ok(c["aws:TokenIssueTime"]);
  });

  it("sends no MFA keys and no token issue time for a long-term access key", () => {
    const c = requestContext(
      alice({ kind: "access-key" }),
      "iam:CreateAccessKey",
      { resource: "arn:aws:iam::111122223333:user/alice" },
      env,
    );
    assert.equal("aws:MultiFactorAuthPresent" in c, false);
    assert.equal("aws:MultiFactorAuthAge" in c, false);
    assert.equal("aws:TokenIssueTime" in c, false);
  });

  it("sends MultiFactorAuthPresent=true with the MFA age after an MFA sign-in, and with an MFA code on a long-term key", () => {
    const console = requestContext(
      alice({ kind: "console", mfaAgeSeconds: 120 }),
      "sts:AssumeRole",
      { resource: "arn:aws:iam::444455556666:role/x" },
      env,
    );
    assert.deepEqual([console["aws:MultiFactorAuthPresent"], console["aws:MultiFactorAuthAge"]], ["true", "120"]);
    const cli = requestContext(
      alice({ kind: "access-key-with-mfa-code" }),
      "sts:AssumeRole",
      { resource: "arn:aws:iam::444455556666:role/x" },
      env,
    );
    assert.deepEqual(
      [cli["aws:MultiFactorAuthPresent"], cli["aws:MultiFactorAuthAge"], cli["aws:TokenIssueTime"]],
      ["true", "0", undefined],
    );
  });

  it("sends aws:username and the user's tags for an IAM user, never for a role session", () => {
    const u = requestContext(alice({ kind: "console" }), "iam:ChangePassword", { resource: "arn:aws:iam::111122223333:user/alice" }, env);
    assert.equal(u["aws:username"], "alice");
    assert.equal(u["aws:PrincipalType"], "User");
    assert.equal(u["aws:PrincipalTag/team"], "a");
    assert.match(String(u["aws:userid"]), /^AIDA[A-Z2-7]{17}$/);
    const r = requestContext(session, "s3:CreateBucket", { resource: "arn:aws:s3:::b", account: "444455556666" }, env);
    assert.equal("aws:username" in r, false);
    assert.equal(r["aws:PrincipalType"], "AssumedRole");
    assert.equal(r["aws:PrincipalArn"], "arn:aws:iam::444455556666:role/jump/read-only");
    assert.match(String(r["aws:userid"]), /^AROA[A-Z2-7]{17}:alice$/);
    assert.equal(r["aws:MultiFactorAuthPresent"], "true");
  });

  it("names a role session by its assumed-role ARN, which never carries the role's path", () => {
    assert.equal(principalOf(session), "arn:aws:sts::444455556666:assumed-role/read-only/alice");
    assert.equal(principalOf(alice({ kind: "console" })), "arn:aws:iam::111122223333:user/alice");
  });

  it("sends aws:ResourceAccount for a resource ARN and not for '*', and the global region for IAM", () => {
    const withArn = requestContext(session, "iam:CreateRole", { resource: "arn:aws:iam::444455556666:role/x" }, env);
    assert.equal(withArn["aws:ResourceAccount"], "444455556666");
    assert.equal(withArn["aws:RequestedRegion"], "us-east-1");
    const star = requestContext(session, "ec2:DescribeInstances", { resource: "*" }, env);
    assert.equal("aws:ResourceAccount" in star, false);
    assert.equal(star["aws:RequestedRegion"], "eu-west-1");
  });

  it("sends the resource's tags as aws:ResourceTag, and also as iam:ResourceTag for IAM users and roles only", () => {
    const role = requestContext(
      session,
      "iam:DeleteRolePermissionsBoundary",
      { resource: "arn:aws:iam::444455556666:role/x", tags: { k: "v" } },
      env,
    );
    assert.deepEqual([role["aws:ResourceTag/k"], role["iam:ResourceTag/k"]], ["v", "v"]);
    const policy = requestContext(session, "iam:DeletePolicy", { resource: B, tags: { k: "v" } }, env);
    assert.deepEqual([policy["aws:ResourceTag/k"], policy["iam:ResourceTag/k"]], ["v", undefined]);
  });

  it('uses only strings (AWS sends "true", not true)', () => {
    const c = requestContext(
      alice({ kind: "console", mfaAgeSeconds: 5 }),
      "iam:ChangePassword",
      { resource: "arn:aws:iam::111122223333:user/alice" },
      env,
    );
    for (const [k, v] of Object.entries(c)) assert.equal(typeof v, "string", k);
    assert.equal(c["aws:CurrentTime"], "2026-01-15T09:30:00Z");
    assert.equal(c["aws:EpochTime"], String(Date.parse("2026-01-15T09:30:00Z") / 1000));
  });

  describe("iam:PermissionsBoundary", () => {
    it("is the boundary the request passes for CreateRole and Put*PermissionsBoundary, absent when it passes none", async () => {
      assert.deepEqual(await permissionsBoundaryKey("iam:CreateRole", { passed: B, current: "ignored" }), { "iam:PermissionsBoundary": B });
      assert.deepEqual(await permissionsBoundaryKey("iam:CreateRole", { current: B }), {});
      assert.deepEqual(
        await permissionsBoundaryKey("iam:PutRolePermissionsBoundary", {
          passed: "arn:aws:iam::aws:policy/AdministratorAccess",
          current: B,
        }),
        {
          "iam:PermissionsBoundary": "arn:aws:iam::aws:policy/AdministratorAccess",
        },
      );
    });

    it("is the role's current boundary for other role actions, absent when the role has none", async () => {
      assert.deepEqual(await permissionsBoundaryKey("iam:DeleteRolePermissionsBoundary", { current: B }), { "iam:PermissionsBoundary": B });
      assert.deepEqual(await permissionsBoundaryKey("iam:AttachRolePolicy", {}), {});
    });

    it("is never sent for actions it does not apply to", async () => {
      assert.deepEqual(await permissionsBoundaryKey("iam:CreateGroup", { passed: B, current: B }), {});
      assert.deepEqual(await permissionsBoundaryKey("iam:DeletePolicy", { passed: B, current: B }), {});
      assert.deepEqual(await permissionsBoundaryKey("s3:CreateBucket", { passed: B, current: B }), {});
    });
  });
});
