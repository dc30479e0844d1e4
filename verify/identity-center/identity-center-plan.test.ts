import { strict as assert } from "assert";
import * as path from "path";
import { loadEnvironment, planEnvironment, REPO_ROOT, withConfig, type PlannedEnvironment } from "../harness/environment";
import { ProgramError, runStack } from "../harness/mock-run";
import { packConfigFor, planAndProve } from "../plan/plan";
import { main as audit } from "../audit/audit";
import * as fs from "fs";
import * as os from "os";
import { planHolds } from "../plan/report";
import { SSO_TYPES } from "./provisioning";
import { boundaryPolicy, roleArn, SSO_ROLE_PATH, ssoRolesPattern } from "@jumpenv/shared";
import { PROFILES, REFERENCE_SCENARIO, runCatalogue } from "../escalations/evaluate";

const EXAMPLE = path.join(REPO_ROOT, "examples", "identity-center");

/** The environment with the identity-center stack's registered resources filtered. */
function without(type: string) {
  return (plan: PlannedEnvironment): PlannedEnvironment => ({
    ...plan,
    identityCenter: plan.identityCenter && {
      ...plan.identityCenter,
      resources: plan.identityCenter.resources.filter((r) => r.type !== type),
    },
  });
}

describe("IAM Identity Center (examples/identity-center)", function () {
  this.timeout(120_000);

  it("plans the example organisation with every proof holding, the provisioned roles included", async () => {
    const r = await planAndProve(loadEnvironment(EXAMPLE), { keepRequests: false });
    assert.deepEqual(r.violations, []);
    assert.ok(planHolds(r));
    const ic = r.stacks.find((s) => s.project === "identity-center")!;
    assert.deepEqual(
      ic.resources.filter((x) => x.type === SSO_TYPES.boundaryAttachment).map((x) => x.props.permissionsBoundary),
      [0, 1].map(() => ({ customerManagedPolicyReference: { name: "jump-permissions-boundary", path: "/" } })),
    );
    // Sessions of every provisioned role were checked, boundary guards first.
    const subjects = new Set(r.checks.filter((c) => c.expectation.subject.startsWith("AWSReservedSSO_")).map((c) => c.expectation.subject));
    assert.equal(subjects.size, 4);
    const guard = r.checks.find(
      (c) => c.expectation.subject.startsWith("AWSReservedSSO_PlatformAdmin_") && c.expectation.id === "session-no-create-user",
    )!;
    assert.equal(guard.verdict.decision, "ExplicitlyDenied");
    assert.match(guard.expectation.request.principal, /assumed-role\/AWSReservedSSO_PlatformAdmin_[0-9a-f]{16}\//);
    // The analytics account has no jump stack: the boundary, and no restricted role.
    const analytics = r.stacks.find((s) => s.stack === "analytics")!;
    assert.deepEqual(
      analytics.resources.filter((x) => x.custom).map((x) => x.type),
      ["aws:iam/policy:Policy"],
    );
  });

  it("the escalation catalogue ends the same for the Identity Center role as for the restricted admin role (hardened)", async () => {
    const r = await planAndProve(loadEnvironment(EXAMPLE), { keepRequests: false });
    const restricted = r.escalations.find((e) => e.stack === "target-account/workloads" && !e.permissionSet)!;
    const sso = r.escalations.find((e) => e.stack === "target-account/workloads" && e.permissionSet === "PlatformAdmin")!;
    assert.equal(sso.profile, "hardened");
    assert.deepEqual(
      sso.methods.map((m) => [m.id, m.status]),
      restricted.methods.map((m) => [m.id, m.status]),
    );
    assert.ok(sso.ok && restricted.ok);
  });

  it("a permission set without its boundary attachment is refused by the pack, and its roles fail the proof", async () => {
    const r = await planAndProve(loadEnvironment(EXAMPLE), { keepRequests: false, mutate: without(SSO_TYPES.boundaryAttachment) });
    assert.ok(!planHolds(r));
    const pack = r.violations.filter((v) => v.policy === "sso-permission-set-requires-permissions-boundary");
    assert.deepEqual(
      pack.map((v) => v.enforcementLevel),
      ["mandatory", "mandatory"],
    );
    assert.ok(r.checks.some((c) => c.expectation.subject.startsWith("AWSReservedSSO_") && !c.ok));
  });

  it("refuses to plan when an assigned account's stack creates another boundary, or does not shield Identity Center roles", async () => {
    const env = loadEnvironment(EXAMPLE);
    const mismatched = {
      ...env,
      targets: env.targets.map((t) =>
        t.stack === "analytics" ? withConfig(t, { "target-account:boundaryPolicyName": "other-boundary" }) : t,
      ),
    };
    await assert.rejects(planAndProve(mismatched), (e: unknown) => {
      assert.ok(e instanceof ProgramError);
      assert.match(
        String(e.message),
        /identity-center:boundaryPolicyPath and boundaryPolicyName reference arn:aws:iam::555566667777:policy\/jump-permissions-boundary, but target stack "organization\/target-account\/analytics" creates arn:aws:iam::555566667777:policy\/other-boundary/,
      );
      return true;
    });
    const unshielded = {
      ...env,
      targets: env.targets.map((t) => (t.stack === "workloads" ? withConfig(t, { "target-account:identityCenter": undefined }) : t)),
    };
    await assert.rejects(planAndProve(unshielded), /does not set target-account:identityCenter/);
  });

  it("the hardened boundary shields the provisioned roles only where identityCenter is set (existing stacks unchanged)", async () => {
    const env = loadEnvironment(EXAMPLE);
    const jump = await runStack(env.jump);
    const outputs = new Map([["organization/jump-account/jump", jump.outputs]]);
    const workloads = env.targets.find((t) => t.stack === "workloads")!;
    const shieldOf = async (file: typeof workloads) => {
      const run = await runStack(file, { stackOutputs: outputs });
      const doc = JSON.parse(String(run.resources.find((x) => x.type === "aws:iam/policy:Policy")!.props.policy));
      return doc.Statement.find((s: { Sid?: string }) => s.Sid === "ShieldRestrictedAndProtectedRoles").Resource as string[];
    };
    assert.ok((await shieldOf(workloads)).includes("arn:aws:iam::444455556666:role/aws-reserved/sso.amazonaws.com/*"));
    assert.ok(
      !(await shieldOf(withConfig(workloads, { "target-account:identityCenter": undefined }))).some((a) => a.includes("aws-reserved")),
    );
  });

  it("under each profile, the catalogue ends the same for an Identity Center role as for the restricted admin role, but for IAM's own protection of /aws-reserved/ roles", async () => {
    const s = REFERENCE_SCENARIO;
    const sso = { ...s, restrictedRole: { name: "AWSReservedSSO_PlatformAdmin_0123456789abcdef", path: SSO_ROLE_PATH } };
    for (const profile of PROFILES) {
      // One account served both ways: one boundary, shielding the restricted role and Identity Center's roles.
      const boundary = boundaryPolicy(profile, {
        boundaryArn: s.boundaryArn,
        accountId: s.accountId,
        shieldedRoleArns: [
          roleArn(s.accountId, s.restrictedRole.path, s.restrictedRole.name),
          roleArn(s.accountId, "/", s.protectedRoleName),
          ssoRolesPattern(s.accountId),
        ],
        delegatedPath: s.delegatedPath,
      });
      const restricted = await runCatalogue(s, boundary);
      const provisioned = await runCatalogue(sso, boundary);
      const differ = restricted.methods.map((m, i) => [m.method.id, m.status, provisioned.methods[i].status]).filter(([, a, b]) => a !== b);
      assert.deepEqual(
        differ,
        profile === "hardened"
          ? []
          : [
              ["edit-restricted-role-trust", "open", "blocked"],
              ["detach-restricted-role-policy", "open", "blocked"],
              ["delete-restricted-role", "open", "blocked"],
            ],
        profile,
      );
      // What blocks them for the Identity Center role under seed is IAM itself, not the boundary (no statement decided).
      for (const m of provisioned.methods.filter((x) => differ.some(([id]) => id === x.method.id)))
        assert.deepEqual(m.steps[0].verdict.reasons, [], m.method.id);
      assert.deepEqual(
        provisioned.tasks.map((t) => t.allowed),
        restricted.tasks.map((t) => t.allowed),
      );
    }
  });

  it("the pack config of an identity-center stack names the boundary its own file gives its permission sets", () => {
    const file = withConfig(loadEnvironment(EXAMPLE).identityCenter!, {
      "identity-center:boundaryPolicyName": "pb",
      "identity-center:boundaryPolicyPath": "/guard/",
    });
    const entry = packConfigFor(file, "identity-center")["sso-permission-set-requires-permissions-boundary"] as Record<string, unknown>;
    assert.equal(entry.boundaryPolicyName, "pb");
    assert.equal(entry.boundaryPolicyPath, "/guard/");
  });

  it("the provisioned roles admit their account's Identity Center SAML provider, and no other provider or audience", async () => {
    const r = await planAndProve(loadEnvironment(EXAMPLE), { keepRequests: false });
    const of = (id: string) => r.checks.filter((c) => c.expectation.id === id);
    assert.equal(of("sso-trust-saml-provider").length, 4);
    for (const c of of("sso-trust-saml-provider")) assert.equal(c.verdict.decision, "Allowed", c.message);
    assert.equal(of("sso-trust-no-other-saml").length, 8);
    for (const c of of("sso-trust-no-other-saml")) {
      assert.ok(c.ok, c.message);
      assert.ok(
        c.verdict.reasons.some((x) => x.kind === "resource"),
        c.message,
      );
    }
  });

  it("an instance outside us-east-1 provisions its roles under the region's path, and every proof still holds", async () => {
    const env = loadEnvironment(EXAMPLE);
    const r = await planAndProve(
      { ...env, identityCenter: withConfig(env.identityCenter!, { "aws:region": "eu-west-1" }) },
      { keepRequests: false },
    );
    assert.deepEqual(r.violations, []);
    const sso = r.escalations.find((e) => e.permissionSet === "PlatformAdmin" && e.profile === "hardened")!;
    const own = r.checks.find((c) => c.expectation.subject.startsWith(sso.role) && c.expectation.id === "session-no-remove-own-boundary")!;
    assert.match(own.expectation.request.resource, /:role\/aws-reserved\/sso\.amazonaws\.com\/eu-west-1\/AWSReservedSSO_PlatformAdmin_/);
    assert.ok(sso.ok, sso.problems.join("\n"));
    assert.equal(sso.methods.find((m) => m.id === "edit-restricted-role-trust")!.status, "blocked");
  });

  it("npm run audit refuses a stack export of the identity-center stack whose permission set lost its boundary", async () => {
    const env = loadEnvironment(EXAMPLE);
    const plan = await planEnvironment(env);
    const ic = plan.identityCenter!;
    const exportOf = (resources: typeof ic.resources) => ({
      version: 3,
      deployment: {
        manifest: { time: "2026-01-15T09:00:00Z", magic: "x", version: "v3.200.0" },
        resources: resources.map((r) => ({
          urn: r.urn,
          custom: r.custom,
          type: r.type,
          ...(r.custom ? { id: `${r.name}-id`, inputs: r.props, outputs: r.props } : {}),
          ...(r.options.parent ? { parent: r.options.parent } : {}),
          dependencies: r.options.dependsOn,
        })),
      },
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ic-audit-"));
    try {
      const run = async (doc: unknown) => {
        const file = path.join(dir, "export.json");
        fs.writeFileSync(file, JSON.stringify(doc));
        let out = "";
        const code = await audit([file, "--json"], { stdout: (t) => (out += t), stderr: (t) => (out += t) });
        return { code, out };
      };
      const clean = await run(exportOf(ic.resources));
      assert.equal(clean.code, 0, clean.out);
      const bare = await run(exportOf(ic.resources.filter((r) => r.type !== SSO_TYPES.boundaryAttachment)));
      assert.equal(bare.code, 1, bare.out);
      const violations = (JSON.parse(bare.out) as { violations: { policy: string; urn: string }[] }).violations;
      assert.deepEqual(
        violations.map((v) => [v.policy, v.urn.split("::").pop()]),
        [
          ["sso-permission-set-requires-permissions-boundary", "identity-center-PlatformAdmin"],
          ["sso-permission-set-requires-permissions-boundary", "identity-center-ReadOnly"],
        ],
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
