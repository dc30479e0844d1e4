/**
 * Mutated environments: the committed example stacks, planned, then one registered document or
 * property changed the way a buggy program or a careless edit would change it. Each mutation
 * must make exactly the matching guarantee fail, with a message that names it.
 */
import { strict as assert } from "assert";
import { changeDocument, changeResource } from "../harness/mutate";
import { loadEnvironment, type PlannedEnvironment } from "../harness/environment";
import { main, planAndProve } from "./plan";
import type { PlanReport } from "./report";

const env = loadEnvironment();
const NOW = new Date("2026-03-01T12:00:00Z");
const SEED_BOUNDARY = { stack: "seed-target", type: "aws:iam/policy:Policy", name: "test-pb-policy" };
const SANDBOX_BOUNDARY = { stack: "sandbox", type: "aws:iam/policy:Policy", name: "jump-permissions-boundary" };
const SEED_ROLE = { stack: "seed-target", type: "aws:iam/role:Role", name: "test-restricted-admin-role" };
const SANDBOX_ADMIN = { stack: "sandbox", type: "aws:iam/role:Role", name: "restricted-admin" };
const SELF_SERVICE = { stack: "jump", type: "aws:iam/policy:Policy", name: "test-self-control-policy" };

function plan(mutate: (p: PlannedEnvironment) => PlannedEnvironment): Promise<PlanReport> {
  return planAndProve(env, { mutate, now: NOW });
}

/** `subject id` of every failed check, deduplicated, in order. */
function failedIds(r: PlanReport): string[] {
  return [...new Set(r.checks.filter((c) => !c.ok).map((c) => `${c.expectation.subject} ${c.expectation.id}`))];
}

function failedMessages(r: PlanReport, id: string): string[] {
  return r.checks.filter((c) => !c.ok && c.expectation.id === id).map((c) => c.message);
}

describe("mutated environments fail the matching guarantee", () => {
  it("Noncompliance: a boundary that lost its iam:CreateUser guard lets the role session create users", async () => {
    const r = await plan((p) =>
      changeDocument(p, SEED_BOUNDARY, "policy", (doc) => {
        doc.Statement[1].Action = doc.Statement[1].Action.filter((a: string) => a !== "iam:CreateUser");
        return doc;
      }),
    );
    assert.deepEqual(failedIds(r), ["test-restricted-admin-role@seed-target session-no-create-user"]);
    assert.deepEqual(failedMessages(r, "session-no-create-user"), [
      "test-restricted-admin-role@seed-target: may not create IAM users (iam:CreateUser) [role session obtained with MFA]: expected Denied by the boundary policy, got Allowed (allowed by AdministratorAccess statement #1; test-pb-policy statement #1)",
    ]);
  });

  it("Noncompliance: a boundary that lost its DeleteRolePermissionsBoundary guard lets the boundary be removed", async () => {
    const r = await plan((p) =>
      changeDocument(p, SEED_BOUNDARY, "policy", (doc) => {
        doc.Statement = doc.Statement.filter((s) => !JSON.stringify(s.Action).includes("DeleteRolePermissionsBoundary"));
        return doc;
      }),
    );
    assert.deepEqual(failedIds(r), [
      "test-restricted-admin-role@seed-target session-no-remove-own-boundary",
      "test-restricted-admin-role@seed-target session-no-remove-boundary",
    ]);
    for (const m of [...failedMessages(r, "session-no-remove-own-boundary"), ...failedMessages(r, "session-no-remove-boundary")]) {
      assert.match(
        m,
        /may not remove the boundary from .* \(iam:DeleteRolePermissionsBoundary\) .*: expected Denied by the boundary policy, got Allowed/,
      );
    }
  });

  it("Compliance: the hardened boundary without DenyBoundaryPolicyEdits still protects itself, through DenyPolicyVersionsOutsideDelegatedPath", async () => {
    const r = await plan((p) =>
      changeDocument(p, SANDBOX_BOUNDARY, "policy", (doc) => {
        doc.Statement = doc.Statement.filter((s) => s.Sid !== "DenyBoundaryPolicyEdits");
        return doc;
      }),
    );
    const edits = r.checks.filter(
      (c) => c.expectation.id === "session-no-edit-boundary" && c.expectation.subject === "restricted-admin@sandbox",
    );
    assert.equal(edits.length, 4);
    for (const c of edits) {
      assert.ok(c.ok, c.message);
      assert.deepEqual(
        c.verdict.reasons.map((x) => x.sid),
        ["DenyPolicyVersionsOutsideDelegatedPath"],
      );
    }
  });

  it("Noncompliance: a hardened boundary that lost its shield of the restricted roles fails the escalation catalogue", async () => {
    const mutate = (p: PlannedEnvironment) =>
      changeDocument(p, SANDBOX_BOUNDARY, "policy", (doc) => {
        doc.Statement = doc.Statement.filter((s) => s.Sid !== "ShieldRestrictedAndProtectedRoles");
        return doc;
      });
    const r = await plan(mutate);
    const sandbox = r.escalations.find((e) => e.stack === "target-account/sandbox")!;
    assert.equal(sandbox.ok, false);
    assert.deepEqual(sandbox.problems, [
      "escalation edit-restricted-role-trust is open under this hardened boundary; the catalogue expects blocked",
      "escalation detach-restricted-role-policy is open under this hardened boundary; the catalogue expects blocked",
      "escalation delete-restricted-role is open under this hardened boundary; the catalogue expects blocked",
    ]);
    assert.ok(r.escalations.find((e) => e.stack === "target-account/seed-target")!.ok, "the other target is unaffected");
    assert.deepEqual(
      r.violations.filter((v) => v.policy === "escalation-catalogue").map((v) => v.stack),
      ["target-account/sandbox", "target-account/sandbox", "target-account/sandbox"],
    );
    let out = "";
    const code = await main([], { stdout: (s) => (out += s), stderr: (s) => (out += s) }, { mutate, now: NOW });
    assert.equal(code, 1);
    assert.match(
      out,
      /✘ target-account\/sandbox \(hardened\) +72 blocked, 11 residual, 3 open; 10\/10 delegated tasks work\n +✘ escalation edit-restricted-role-trust is open/,
    );
  });

  it("Noncompliance: a trust policy without the MFA condition admits the Jump user without MFA", async () => {
    const r = await plan((p) =>
      changeDocument(p, SANDBOX_ADMIN, "assumeRolePolicy", (doc) => {
        delete doc.Statement[0].Condition;
        return doc;
      }),
    );
    assert.deepEqual(failedIds(r), [
      "restricted-admin@sandbox trust-no-assume-without-mfa",
      "restricted-admin@sandbox trust-no-assume-with-old-mfa",
    ]);
    assert.deepEqual(failedMessages(r, "trust-no-assume-without-mfa"), [
      "restricted-admin@sandbox: alice may not assume the role without MFA, even if their own policies allowed it [console, signed in without MFA]: expected Denied by the trust/resource policy, got Allowed (allowed by probe: an identity policy allowing sts:AssumeRole of the role statement #1; trust policy of role restricted-admin statement #1)",
      "restricted-admin@sandbox: alice may not assume the role without MFA, even if their own policies allowed it [long-term access key, no MFA]: expected Denied by the trust/resource policy, got Allowed (allowed by probe: an identity policy allowing sts:AssumeRole of the role statement #1; trust policy of role restricted-admin statement #1)",
    ]);
    assert.ok(
      r.violations.some((v) => v.policy === "iam-cross-account-trust-requires-mfa" && v.stack === "target-account/sandbox"),
      "the pack flags it too",
    );
  });

  it("Noncompliance: a role without the boundary is refused by the pack and loses every guard; npm start exits 1 naming them", async () => {
    const mutate = (p: PlannedEnvironment) =>
      changeResource(p, SEED_ROLE, (props) => {
        delete props.permissionsBoundary;
        return props;
      });
    const r = await plan(mutate);
    assert.ok(
      r.violations.some(
        (v) =>
          v.policy === "iam-role-requires-permissions-boundary" &&
          v.enforcementLevel === "mandatory" &&
          v.urn.endsWith("target-role-test-restricted-admin-role"),
      ),
    );
    const failed = failedIds(r).map((x) => x.split(" ")[1]);
    for (const id of [
      "session-no-create-user",
      "session-no-create-group",
      "session-no-create-role-without-boundary",
      "session-no-remove-own-boundary",
      "session-no-edit-boundary",
    ]) {
      assert.ok(failed.includes(id), `${id} should fail`);
    }
    assert.ok(
      failedIds(r).every((x) => x.startsWith("test-restricted-admin-role@seed-target ")),
      "only that role is affected",
    );
    const own = r.checks.find(
      (c) => c.expectation.id === "session-no-remove-own-boundary" && c.expectation.subject.endsWith("@seed-target"),
    )!;
    assert.equal(
      "iam:PermissionsBoundary" in own.expectation.request.context,
      false,
      "a role without a boundary sends no iam:PermissionsBoundary",
    );

    let out = "";
    const code = await main([], { stdout: (s) => (out += s), stderr: (s) => (out += s) }, { mutate, now: NOW });
    assert.equal(code, 1);
    assert.match(out, /✘ iam-role-requires-permissions-boundary target-account\/seed-target/);
    assert.match(out, /✘ may not create IAM users +allowed/);
    assert.match(
      out,
      /✘ test-restricted-admin-role@seed-target: may not create IAM users \(iam:CreateUser\) \[role session obtained with MFA\]: expected Denied by the boundary policy, got Allowed \(allowed by AdministratorAccess statement #1\)/,
    );
    assert.match(out, /^FAILED: 3 stacks, \d+ resources, [1-9]\d* violations?, \d+\/\d+ access checks hold/m);
  });

  it("Noncompliance: a trust policy that admits the whole Jump account lets an outsider in once their own policies allow it", async () => {
    const r = await plan((p) =>
      changeDocument(p, SANDBOX_ADMIN, "assumeRolePolicy", (doc) => {
        doc.Statement[0].Principal = { AWS: "arn:aws:iam::111122223333:root" };
        return doc;
      }),
    );
    assert.deepEqual(failedIds(r), ["restricted-admin@sandbox trust-no-outsider"]);
    assert.deepEqual(
      failedMessages(r, "trust-no-outsider")
        .map((m) => m.split(":")[1].trim())
        .sort(),
      [
        "carol (not in a mapped group) may not assume the role, even if their own policies allowed it [console, signed in with MFA]",
        "test-pb-user (not in a mapped group) may not assume the role, even if their own policies allowed it [console, signed in with MFA]",
      ],
    );
  });

  it("Noncompliance: a self-service policy without its MFA gate lets a user without MFA use whatever else they are granted", async () => {
    const r = await plan((p) =>
      changeDocument(p, SELF_SERVICE, "policy", (doc) => {
        doc.Statement = doc.Statement.filter((s) => s.Sid !== "BlockMostAccessUnlessSignedInWithMFA");
        return doc;
      }),
    );
    assert.deepEqual(failedIds(r), ["test-pb-user@jump self-mfa-gate", "alice@jump self-mfa-gate", "carol@jump self-mfa-gate"]);
    assert.match(failedMessages(r, "self-mfa-gate")[0], /expected ExplicitlyDenied by the identity policy, got Allowed/);
  });

  it("Noncompliance: a misspelled action in a Deny fails the plan instead of quietly allowing", async () => {
    const mutate = (p: PlannedEnvironment) =>
      changeDocument(p, SEED_BOUNDARY, "policy", (doc) => {
        doc.Statement[1].Action = doc.Statement[1].Action.map((a: string) => (a === "iam:CreateUser" ? "iam:CreateUsers" : a));
        return doc;
      });
    const r = await plan(mutate);
    assert.deepEqual(
      r.violations.filter((v) => v.policy === "iam-action-catalogue").map((v) => [v.stack, v.enforcementLevel, v.message]),
      [
        [
          "target-account/seed-target",
          "mandatory",
          'target-boundary.policy: statement #2: action "iam:CreateUsers" is not in the IAM action catalogue (misspelled?)',
        ],
      ],
    );
    assert.ok(
      r.violations.some((v) => v.policy === "iam-boundary-policy-integrity"),
      "the pack sees the lost guard too",
    );
    const seedChecks = r.checks.filter(
      (c) => c.expectation.subject === "test-restricted-admin-role@seed-target" && c.expectation.id.startsWith("session-"),
    );
    assert.ok(seedChecks.length > 0);
    for (const c of seedChecks) {
      assert.equal(c.verdict.decision, "Error");
      assert.equal(c.ok, false);
    }
    let out = "";
    assert.equal(await main([], { stdout: (s) => (out += s), stderr: (s) => (out += s) }, { mutate, now: NOW }), 1);
    assert.match(
      out,
      /✘ iam-action-catalogue target-account\/seed-target: target-boundary\.policy: statement #2: action "iam:CreateUsers" is not in the IAM action catalogue/,
    );
  });
});
