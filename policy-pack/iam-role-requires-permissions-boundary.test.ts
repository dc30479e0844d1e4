import * as assert from "assert";
import { iamRoleRequiresPermissionsBoundary as policy } from "./iam-role-requires-permissions-boundary";
import {
  BOUNDARY_ARN,
  TARGET_ACCOUNT,
  UNKNOWN,
  awsProvider,
  check,
  messages,
  resource,
  validNativeRole,
  validRole,
  withoutProvider,
} from "./test/fixtures";

describe("iam-role-requires-permissions-boundary", () => {
  describe("Compliance", () => {
    it("passes the restricted role with the default approved boundary", async () => {
      const r = await check(policy, validRole());
      assert.deepStrictEqual(r.violations, []);
      assert.deepStrictEqual(r.notApplicable, []);
    });

    it("passes an aws-native role with the approved boundary", async () => {
      assert.deepStrictEqual((await check(policy, validNativeRole())).violations, []);
    });

    it("passes the configured path and name in the account the stack's provider is pinned to", async () => {
      const config = { boundaryPolicyName: "pb", boundaryPolicyPath: "/guard/" };
      for (const account of [TARGET_ACCOUNT, "000000000001"]) {
        const role = { ...validRole({ permissionsBoundary: `arn:aws:iam::${account}:policy/guard/pb` }), provider: awsProvider(account) };
        assert.deepStrictEqual((await check(policy, role, { config })).violations, [], account);
      }
    });

    it("passes the boundary of the account that boundaryAccountIds names, whatever the provider says", async () => {
      const role = { ...validRole(), provider: undefined };
      assert.deepStrictEqual((await check(policy, role, { config: { boundaryAccountIds: [TARGET_ACCOUNT] } })).violations, []);
    });

    it("passes the boundary of the role's own account in a stack export, when nothing else tells the account", async () => {
      const role = withoutProvider(validRole({ arn: `arn:aws:iam::${TARGET_ACCOUNT}:role/test-restricted-admin-role` }));
      assert.deepStrictEqual((await check(policy, role)).violations, []);
    });

    it("passes an approved boundary in a listed account", async () => {
      const r = await check(policy, validRole(), { config: { boundaryAccountIds: ["999999999999", TARGET_ACCOUNT] } });
      assert.deepStrictEqual(r.violations, []);
    });

    it("does not apply to other resource types", async () => {
      const r = await check(policy, resource("aws:iam/policy:Policy", "p", { name: "x", policy: "{}" }));
      assert.deepStrictEqual(r.violations, []);
      assert.strictEqual(r.notApplicable.length, 1);
    });

    it("exempts a role whose name matches exemptRoleNamePatterns, and says why", async () => {
      const r = await check(policy, validRole({ name: "break-glass-admin", permissionsBoundary: undefined }), {
        config: { exemptRoleNamePatterns: ["break-glass-*"] },
      });
      assert.deepStrictEqual(r.violations, []);
      assert.match(r.notApplicable[0].reason ?? "", /break-glass-\*/);
    });
  });

  describe("Noncompliance", () => {
    it("1: a role without a boundary is a mandatory violation naming the role and the approved ARN", async () => {
      const r = await check(policy, validRole({ permissionsBoundary: undefined }));
      assert.strictEqual(r.violations.length, 1);
      assert.strictEqual(r.violations[0].enforcementLevel, "mandatory");
      assert.strictEqual(r.violations[0].urn, validRole().urn);
      assert.match(messages(r)[0], /IAM role "test-restricted-admin-role" has no permissions boundary/);
      assert.match(messages(r)[0], /set permissionsBoundary to arn:aws:iam::444455556666:policy\/jump-permissions-boundary\.$/);
    });

    it("2: an empty boundary", async () => {
      assert.match(messages(await check(policy, validRole({ permissionsBoundary: "" })))[0], /has no permissions boundary/);
    });

    it("3: a boundary with another name", async () => {
      const other = `arn:aws:iam::${TARGET_ACCOUNT}:policy/weaker-boundary`;
      const m = messages(await check(policy, validRole({ permissionsBoundary: other })));
      assert.deepStrictEqual(m, [
        `IAM role "test-restricted-admin-role" carries permissions boundary ${other}, not the approved boundary ${BOUNDARY_ARN}.`,
      ]);
    });

    it("4: the approved name under another path", async () => {
      const r = await check(
        policy,
        validRole({ permissionsBoundary: `arn:aws:iam::${TARGET_ACCOUNT}:policy/other/jump-permissions-boundary` }),
      );
      assert.strictEqual(r.violations.length, 1);
    });

    it("5: an AWS managed policy as boundary", async () => {
      const r = await check(policy, validRole({ permissionsBoundary: "arn:aws:iam::aws:policy/AdministratorAccess" }));
      assert.strictEqual(r.violations.length, 1);
    });

    it("6: the approved boundary in an account outside boundaryAccountIds", async () => {
      const r = await check(policy, validRole(), { config: { boundaryAccountIds: ["999999999999"] } });
      assert.match(
        messages(r)[0],
        /of another account; this stack's account is 999999999999, so its boundary is arn:aws:iam::999999999999:policy\/jump-permissions-boundary/,
      );
    });

    it("6b: another account's boundary, copied from its stack, in a stack pinned to this account", async () => {
      const copied = "arn:aws:iam::555566667777:policy/jump-permissions-boundary";
      for (const opts of [{}, { config: { boundaryAccountIds: [TARGET_ACCOUNT] } }]) {
        const r = await check(policy, validRole({ permissionsBoundary: copied }), opts);
        assert.deepStrictEqual(
          r.violations.map((v) => v.enforcementLevel),
          ["mandatory"],
        );
        assert.match(messages(r)[0], /of another account; this stack's account is 444455556666/);
      }
    });

    it("6c: the approved name in some account, when nothing tells the stack's account: fails closed", async () => {
      const r = await check(policy, withoutProvider(validRole()));
      assert.deepStrictEqual(
        r.violations.map((v) => v.enforcementLevel),
        ["mandatory"],
      );
      assert.match(messages(r)[0], /the stack's AWS account is unknown, so nothing has checked that it is this account's boundary/);
      const warned = await check(policy, withoutProvider(validRole()), { config: { unknownBoundary: "warn" } });
      assert.deepStrictEqual(
        warned.violations.map((v) => v.enforcementLevel),
        ["advisory"],
      );
    });

    it("7: the default boundary when another name is configured", async () => {
      const r = await check(policy, validRole(), { config: { boundaryPolicyName: "test-pb-policy" } });
      assert.strictEqual(r.violations.length, 1);
    });

    it("8: an aws-native role without a boundary", async () => {
      const m = messages(await check(policy, validNativeRole({ permissionsBoundary: undefined })));
      assert.match(m[0], /IAM role "native-admin" has no permissions boundary/);
    });

    it("9: a role whose name is unknown is never exempt", async () => {
      const r = await check(policy, validRole({ name: UNKNOWN, permissionsBoundary: undefined }), {
        config: { exemptRoleNamePatterns: ["*"] },
      });
      assert.strictEqual(r.violations.length, 1);
      assert.match(messages(r)[0], /IAM role resource "target-role-test-restricted-admin-role"/);
    });
  });

  describe("unknown boundary during preview", () => {
    it("deny (default): a mandatory violation that says how to make the value known, not the framework's advisory", async () => {
      const r = await check(policy, validRole({ permissionsBoundary: UNKNOWN }));
      assert.strictEqual(r.violations.length, 1);
      assert.strictEqual(r.violations[0].enforcementLevel, "mandatory");
      assert.doesNotMatch(r.violations[0].message, /can't run policy/);
      assert.match(messages(r)[0], /unknown during preview/);
      assert.match(messages(r)[0], /Build the ARN from known strings/);
    });

    it("warn: the same finding as advisory", async () => {
      const r = await check(policy, validRole({ permissionsBoundary: UNKNOWN }), { config: { unknownBoundary: "warn" } });
      assert.deepStrictEqual(
        r.violations.map((v) => v.enforcementLevel),
        ["advisory"],
      );
      assert.ok(r.violations[0].message.startsWith(`${policy.description}\n`));
      assert.match(r.violations[0].message, /unknown during preview/);
    });

    it("other unknown props do not stop the check", async () => {
      const r = await check(policy, validRole({ tags: UNKNOWN, assumeRolePolicy: UNKNOWN }));
      assert.deepStrictEqual(r.violations, []);
    });
  });

  describe("remediation (enforcement level remediate)", () => {
    it("gives a role without a boundary the approved one in the single configured account, then passes", async () => {
      const r = await check(policy, validRole({ permissionsBoundary: undefined }), {
        enforcementLevel: "remediate",
        config: { boundaryAccountIds: [TARGET_ACCOUNT] },
      });
      assert.strictEqual(r.remediations.length, 1);
      assert.strictEqual(r.remediations[0].props.permissionsBoundary, BOUNDARY_ARN);
      assert.strictEqual(r.remediations[0].props.name, "test-restricted-admin-role");
      assert.deepStrictEqual(r.violations, []);
    });

    it("replaces a wrong boundary with the approved one in the same account", async () => {
      const r = await check(policy, validRole({ permissionsBoundary: `arn:aws:iam::${TARGET_ACCOUNT}:policy/weaker` }), {
        enforcementLevel: "remediate",
      });
      assert.strictEqual(r.resources[0].props.permissionsBoundary, BOUNDARY_ARN);
      assert.deepStrictEqual(r.violations, []);
    });

    it("takes the account from the role's own ARN", async () => {
      const r = await check(
        policy,
        validRole({ permissionsBoundary: undefined, arn: `arn:aws:iam::${TARGET_ACCOUNT}:role/test-restricted-admin-role` }),
        {
          enforcementLevel: "remediate",
        },
      );
      assert.strictEqual(r.resources[0].props.permissionsBoundary, BOUNDARY_ARN);
    });

    it("keeps unknown values of other props as they are", async () => {
      const r = await check(policy, validRole({ permissionsBoundary: undefined, tags: UNKNOWN }), {
        enforcementLevel: "remediate",
        config: { boundaryAccountIds: [TARGET_ACCOUNT] },
      });
      assert.strictEqual(r.remediations[0].props.tags, UNKNOWN);
      assert.strictEqual(r.remediations[0].props.permissionsBoundary, BOUNDARY_ARN);
    });

    it("leaves the role alone, and reports it as mandatory, when the account cannot be told", async () => {
      const r = await check(policy, withoutProvider(validRole({ permissionsBoundary: undefined })), { enforcementLevel: "remediate" });
      assert.deepStrictEqual(r.remediations, []);
      assert.deepStrictEqual(
        r.violations.map((v) => v.enforcementLevel),
        ["mandatory"],
      );
    });

    it("does not touch an unknown boundary", async () => {
      const r = await check(policy, validRole({ permissionsBoundary: UNKNOWN }), {
        enforcementLevel: "remediate",
        config: { boundaryAccountIds: [TARGET_ACCOUNT] },
      });
      assert.deepStrictEqual(r.remediations, []);
      assert.strictEqual(r.violations.length, 1);
    });

    it("does not remediate at level mandatory", async () => {
      const r = await check(policy, validRole({ permissionsBoundary: undefined }), { config: { boundaryAccountIds: [TARGET_ACCOUNT] } });
      assert.deepStrictEqual(r.remediations, []);
      assert.strictEqual(r.violations.length, 1);
    });
  });
});
