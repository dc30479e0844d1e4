import { strict as assert } from "assert";
import { loadEnvironment, planEnvironment, type Environment } from "../harness/environment";
import { generateEnvironment } from "../harness/generate";
import type { Expectation } from "./expectation";
import { accessExpectations } from "./expectations";
import { accessModel, type AccessModel, type PlannedStack } from "./access-model";
import { checkAll, type CheckResult } from "./proof";

/** Plan an environment and run the whole access proof over it. */
async function prove(env: Environment): Promise<{ model: AccessModel; checks: CheckResult[] }> {
  const plan = await planEnvironment(env);
  const planned = (
    run: { project: string; stack: string; resources: PlannedStack["resources"] },
    config: PlannedStack["config"],
  ): PlannedStack => ({ ...run, config });
  const model = accessModel(
    planned(plan.jump, env.jump.config),
    plan.targets.map((t) => planned(t, env.targets.find((f) => f.stack === t.stack)!.config)),
  );
  return { model, checks: await checkAll(await accessExpectations(model, { now: new Date("2026-03-01T12:00:00Z") })) };
}

const ARTICLE_GUARDS = [
  "session-no-create-user",
  "session-no-create-group",
  "session-no-create-role-without-boundary",
  "session-no-remove-boundary",
  "session-no-edit-boundary",
  "trust-mapped-user-with-mfa",
  "trust-no-assume-without-mfa",
  "trust-no-outsider",
  "trust-no-other-account",
];

describe("access proof of the example environment (verify/access/expectations.ts)", () => {
  let checks: CheckResult[];
  let model: AccessModel;
  before(async () => {
    ({ model, checks } = await prove(loadEnvironment()));
  });
  const of = (subject: string, id: string): CheckResult[] =>
    checks.filter((c) => c.expectation.subject === subject && c.expectation.id === id);
  const one = (subject: string, id: string, pick: (e: Expectation) => boolean = () => true): CheckResult => {
    const found = of(subject, id).filter((c) => pick(c.expectation));
    assert.equal(found.length, 1, `${subject} ${id}: ${found.length} checks`);
    return found[0];
  };

  it("holds: every check is decided by the evaluator (none errors) as expected", () => {
    assert.equal(checks.length, 147);
    assert.deepEqual(
      checks.filter((c) => !c.ok).map((c) => c.message),
      [],
    );
    assert.deepEqual(
      checks.filter((c) => c.verdict.decision === "Error"),
      [],
    );
  });

  it("gives every target role the article's checks, and the AdministratorAccess roles their legitimate work", () => {
    for (const t of model.targets) {
      for (const r of t.roles) {
        const subject = `${r.name}@${t.name}`;
        for (const id of ARTICLE_GUARDS) assert.ok(of(subject, id).length > 0, `${subject} lacks ${id}`);
        assert.deepEqual(
          of(subject, "session-no-edit-boundary").map((c) => c.expectation.request.action),
          ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"],
        );
        if (r.capability === "admin") {
          assert.equal(one(subject, "session-create-role-with-boundary").verdict.decision, "Allowed");
          assert.deepEqual(
            [...new Set(of(subject, "session-ordinary-work").map((c) => c.expectation.request.action))],
            ["s3:CreateBucket", "ec2:RunInstances"],
          );
        }
      }
    }
    assert.deepEqual(
      model.targets.flatMap((t) => t.roles.map((r) => `${r.name}@${t.name}:${r.capability}`)),
      ["test-restricted-admin-role@seed-target:admin", "restricted-admin@sandbox:admin", "read-only@sandbox:read-only"],
    );
  });

  it("derives who may assume each role from the config's group mapping", () => {
    const principals = (subject: string, id: string) => [...new Set(of(subject, id).map((c) => c.expectation.request.principal))].sort();
    assert.deepEqual(principals("read-only@sandbox", "trust-mapped-user-with-mfa"), [
      "arn:aws:iam::111122223333:user/alice",
      "arn:aws:iam::111122223333:user/carol",
    ]);
    assert.deepEqual(principals("read-only@sandbox", "trust-no-outsider"), ["arn:aws:iam::111122223333:user/test-pb-user"]);
    assert.deepEqual(principals("restricted-admin@sandbox", "trust-mapped-user-with-mfa"), ["arn:aws:iam::111122223333:user/alice"]);
    assert.deepEqual(principals("restricted-admin@sandbox", "trust-no-outsider"), [
      "arn:aws:iam::111122223333:user/carol",
      "arn:aws:iam::111122223333:user/test-pb-user",
    ]);
    assert.deepEqual(principals("restricted-admin@sandbox", "trust-no-other-account"), ["arn:aws:iam::999988887777:user/alice"]);
  });

  it("the article's boundary denies CreateUser by its second statement; the hardened one by DenyUserAndGroupManagement", () => {
    const seed = one("test-restricted-admin-role@seed-target", "session-no-create-user");
    assert.equal(seed.verdict.decision, "ExplicitlyDenied");
    assert.deepEqual(seed.verdict.reasons, [
      { kind: "boundary", effect: "Deny", policy: "arn:aws:iam::444455556666:policy/test-pb-policy", index: 2 },
    ]);
    const hardened = one("restricted-admin@sandbox", "session-no-create-user");
    assert.deepEqual(hardened.verdict.reasons, [
      {
        kind: "boundary",
        effect: "Deny",
        policy: "arn:aws:iam::555566667777:policy/jump-permissions-boundary",
        sid: "DenyUserAndGroupManagement",
        index: 2,
      },
    ]);
  });

  it("may create a role only with the boundary: with it allowed by AdministratorAccess and the boundary's Allow, without it denied", () => {
    const with_ = one("test-restricted-admin-role@seed-target", "session-create-role-with-boundary");
    assert.equal(with_.expectation.request.context["iam:PermissionsBoundary"], "arn:aws:iam::444455556666:policy/test-pb-policy");
    assert.deepEqual(
      with_.verdict.reasons.map((r) => `${r.kind} ${r.effect} ${r.index}`),
      ["identity Allow 1", "boundary Allow 1"],
    );
    const without = one("test-restricted-admin-role@seed-target", "session-no-create-role-without-boundary");
    assert.equal("iam:PermissionsBoundary" in without.expectation.request.context, false);
    assert.equal(without.verdict.decision, "ExplicitlyDenied");
  });

  it("a bounded role's boundary cannot be removed: the key is the role's current boundary", () => {
    const c = one("restricted-admin@sandbox", "session-no-remove-boundary");
    assert.equal(c.expectation.request.context["iam:PermissionsBoundary"], "arn:aws:iam::555566667777:policy/jump-permissions-boundary");
    assert.deepEqual(
      c.verdict.reasons.map((r) => r.sid),
      ["DenyBoundaryRemoval"],
    );
  });

  it("a Jump user without MFA is refused by the trust policy, on the console and with a long-term key", () => {
    const denied = of("test-restricted-admin-role@seed-target", "trust-no-assume-without-mfa");
    assert.deepEqual(
      denied.map((c) => c.expectation.request.context["aws:MultiFactorAuthPresent"]),
      ["false", undefined],
    );
    for (const c of denied)
      assert.deepEqual(c.verdict.reasons, [
        { kind: "resource", effect: "NoAllow", policy: "trust policy of role test-restricted-admin-role" },
      ]);
  });

  it("checks the MFA age bound only where a role sets mfaMaxAgeSeconds, and it is decided by the trust policy", () => {
    const old = checks.filter((c) => c.expectation.id === "trust-no-assume-with-old-mfa");
    assert.deepEqual(
      old.map((c) => [c.expectation.subject, c.expectation.request.context["aws:MultiFactorAuthAge"]]),
      [["restricted-admin@sandbox", "3660"]],
    );
    assert.equal(old[0].verdict.decision, "ImplicitlyDenied");
  });

  it("self-service: a user without MFA may set up their own MFA but not create access keys, which the MFA gate denies", () => {
    const enable = of("alice@jump", "self-enable-mfa").map((c) => [
      c.expectation.request.action,
      c.expectation.request.resource,
      c.verdict.decision,
    ]);
    assert.deepEqual(enable, [
      ["iam:CreateVirtualMFADevice", "arn:aws:iam::111122223333:mfa/alice", "Allowed"],
      ["iam:EnableMFADevice", "arn:aws:iam::111122223333:user/alice", "Allowed"],
      ["iam:ListMFADevices", "arn:aws:iam::111122223333:user/alice", "Allowed"],
    ]);
    const gate = of("alice@jump", "self-mfa-gate");
    assert.equal(gate.length, 2);
    for (const c of gate)
      assert.deepEqual(
        c.verdict.reasons.map((r) => r.sid),
        ["BlockMostAccessUnlessSignedInWithMFA"],
      );
  });

  it("sends exactly the context AWS would: aws:username for users only, MFA keys only with temporary credentials or an MFA code, iam:PermissionsBoundary only where it applies", () => {
    for (const c of checks) {
      const { request, how } = c.expectation;
      const ctx = request.context;
      const isUser = /^arn:aws:iam::\d{12}:user\//.test(request.principal);
      assert.equal("aws:username" in ctx, isUser, `${c.message}: aws:username`);
      assert.equal("aws:MultiFactorAuthPresent" in ctx, how !== "long-term access key, no MFA", `${c.message}: aws:MultiFactorAuthPresent`);
      assert.equal("aws:MultiFactorAuthAge" in ctx, ctx["aws:MultiFactorAuthPresent"] === "true", `${c.message}: aws:MultiFactorAuthAge`);
      if ("iam:PermissionsBoundary" in ctx) {
        assert.ok(
          ["iam:CreateRole", "iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary", "iam:AttachRolePolicy"].includes(
            request.action,
          ),
          request.action,
        );
      }
      for (const [k, v] of Object.entries(ctx))
        assert.ok(typeof v === "string" || (Array.isArray(v) && v.every((x) => typeof x === "string")), k);
    }
  });
});

describe("access proof of a generated environment (any --env gets its own proof)", () => {
  it("holds under the group-tags trust and role-pattern strategies: the tag and aws:ResourceAccount decide, outsiders and other accounts are refused", async () => {
    const gen = generateEnvironment({ accounts: 3, users: 5, jump: { trustStrategy: "group-tags", assumeRoleStrategy: "role-pattern" } });
    const { model, checks } = await prove(gen.environment);
    assert.deepEqual(
      checks.filter((c) => !c.ok).map((c) => c.message),
      [],
    );
    assert.equal(model.targets.length, 3);
    const trust = model.targets[0].roles[0].trust!.document as { Statement: { Principal: { AWS: string } }[] };
    assert.equal(trust.Statement[0].Principal.AWS, "arn:aws:iam::111111111111:root", "the strategy under test");
    const mapped = checks.filter((c) => c.expectation.id === "trust-mapped-user-with-mfa");
    assert.ok(mapped.length > 0);
    for (const c of mapped)
      assert.ok(
        Object.keys(c.expectation.request.context).some((k) => k.startsWith("aws:PrincipalTag/jumpenv:group/")),
        "the user's group tag is in the request",
      );
    const outsiders = checks.filter((c) => c.expectation.id === "trust-no-outsider" && c.expectation.guarantee.includes("even if"));
    assert.ok(outsiders.length > 0);
    for (const c of outsiders)
      assert.ok(
        c.verdict.reasons.some((r) => r.kind === "resource"),
        c.message,
      );
  });
});
