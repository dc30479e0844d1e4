import * as assert from "assert";
import { iamBoundaryPolicyIntegrity as policy } from "./iam-boundary-policy-integrity";
import {
  SEED_BOUNDARY,
  SEED_BOUNDARY_ARN,
  SEED_BOUNDARY_NAME,
  UNKNOWN,
  check,
  clone,
  messages,
  resource,
  TARGET_ACCOUNT,
  seedBoundaryPolicy,
  withoutProvider,
} from "./test/fixtures";

const config = { boundaryPolicyName: SEED_BOUNDARY_NAME };
type Stmt = Record<string, unknown>;

/** The article's boundary with one change. */
function changed(edit: (statements: Stmt[]) => void): string {
  const d = clone(SEED_BOUNDARY) as unknown as { Statement: Stmt[] };
  edit(d.Statement);
  return JSON.stringify(d);
}

describe("iam-boundary-policy-integrity", () => {
  describe("Compliance", () => {
    it("passes the article's boundary (policy as a JSON string)", async () => {
      const r = await check(policy, seedBoundaryPolicy(), { config });
      assert.deepStrictEqual(r.violations, []);
      assert.deepStrictEqual(r.notApplicable, []);
    });

    it("passes it as an aws-native ManagedPolicy (document as an object)", async () => {
      const r = await check(
        policy,
        resource("aws-native:iam:ManagedPolicy", "b", {
          managedPolicyName: SEED_BOUNDARY_NAME,
          path: "/",
          policyDocument: clone(SEED_BOUNDARY),
        }),
        {
          config,
        },
      );
      assert.deepStrictEqual(r.violations, []);
    });

    it("passes a stricter boundary: more actions in each Deny, Sids, extra statements", async () => {
      const doc = changed((s) => {
        s.forEach((x, i) => (x.Sid = `S${i}`));
        (s[1].Action as string[]).push("iam:UpdateLoginProfile", "iam:TagUser");
        (s[2].Action as string[]).push("iam:UpdateAssumeRolePolicy", "iam:DeleteRole");
        (s[4].Action as string[]).push("iam:TagPolicy");
        s.push({ Effect: "Deny", Action: "iam:PassRole", NotResource: "arn:aws:iam::444455556666:role/delegated/*" });
      });
      assert.deepStrictEqual((await check(policy, seedBoundaryPolicy(doc), { config })).violations, []);
    });

    it("takes the boundary's own ARN from its arn output (stack exports) when nothing else tells the account", async () => {
      const r = await check(policy, withoutProvider(seedBoundaryPolicy(undefined, { arn: SEED_BOUNDARY_ARN })), { config });
      assert.deepStrictEqual(r.violations, []);
      // The same document in another account names a boundary that is not its own.
      const elsewhere = await check(
        policy,
        withoutProvider(seedBoundaryPolicy(undefined, { arn: "arn:aws:iam::999999999999:policy/test-pb-policy" })),
        { config },
      );
      assert.deepStrictEqual(
        messages(elsewhere).map((m) => /missing guard '([^']+)'/.exec(m)?.[1]),
        ["deny-role-changes-without-boundary", "deny-boundary-removal", "deny-boundary-policy-edits"],
      );
    });

    it("does not apply to other policies, or to the name under another path", async () => {
      const r = await check(policy, [
        seedBoundaryPolicy("{}", { name: "other" }),
        seedBoundaryPolicy("{}", { path: "/x/" }),
        seedBoundaryPolicy(),
      ]);
      assert.deepStrictEqual(r.violations, []);
      assert.strictEqual(r.notApplicable.length, 3);
    });
  });

  describe("Noncompliance", () => {
    it("1: a dropped user action names the guard and the action", async () => {
      const doc = changed((s) => (s[1].Action = (s[1].Action as string[]).filter((a) => a !== "iam:CreateUser")));
      const r = await check(policy, seedBoundaryPolicy(doc), { config });
      assert.strictEqual(r.violations[0].enforcementLevel, "mandatory");
      assert.deepStrictEqual(messages(r), [
        'boundary policy "/test-pb-policy": missing guard \'deny-user-and-group-management\' (IAM user and group management is denied): no Deny statement with Resource "*" with no Condition covers iam:CreateUser',
      ]);
    });

    it("2: a removed role guard", async () => {
      const m = messages(await check(policy, seedBoundaryPolicy(changed((s) => s.splice(2, 1))), { config }));
      assert.strictEqual(m.length, 1);
      assert.match(m[0], /missing guard 'deny-role-changes-without-boundary'.*any of its actions: iam:CreateRole, /);
    });

    it("3: boundary removal allowed", async () => {
      const m = messages(await check(policy, seedBoundaryPolicy(changed((s) => (s[3].Effect = "Allow"))), { config }));
      assert.deepStrictEqual(
        m.map((x) => /missing guard '([^']+)'/.exec(x)?.[1]),
        ["deny-boundary-removal"],
      );
    });

    it("4: boundary edits denied on another policy only", async () => {
      const m = messages(
        await check(policy, seedBoundaryPolicy(changed((s) => (s[4].Resource = ["arn:aws:iam::444455556666:policy/other"]))), { config }),
      );
      assert.match(m[0], /missing guard 'deny-boundary-policy-edits'.*covers arn:aws:iam::444455556666:policy\/test-pb-policy/);
    });

    it("5: every guard gone: one violation per guard", async () => {
      const doc = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] });
      const r = await check(policy, seedBoundaryPolicy(doc), { config });
      assert.strictEqual(r.violations.length, 4);
    });

    it("6: conditions naming the boundary in two accounts", async () => {
      const doc = changed(
        (s) =>
          ((s[3].Condition as Record<string, Record<string, string>>).StringEquals["iam:PermissionsBoundary"] =
            "arn:aws:iam::999999999999:policy/test-pb-policy"),
      );
      const m = messages(await check(policy, seedBoundaryPolicy(doc), { config }));
      assert.match(m[0], /missing guard 'deny-boundary-removal'/);
    });

    it("6b: guards that name another account's boundary (a document copied from another stack)", async () => {
      const copied = JSON.stringify(SEED_BOUNDARY).split(TARGET_ACCOUNT).join("999999999999");
      for (const opts of [{ config }, { config: { ...config, boundaryAccountIds: [TARGET_ACCOUNT] } }]) {
        const m = messages(await check(policy, seedBoundaryPolicy(copied), opts));
        assert.deepStrictEqual(
          m.map((x) => /missing guard '([^']+)'/.exec(x)?.[1]),
          ["deny-role-changes-without-boundary", "deny-boundary-removal", "deny-boundary-policy-edits"],
        );
        assert.match(m[0], /StringNotEquals iam:PermissionsBoundary = arn:aws:iam::444455556666:policy\/test-pb-policy/);
      }
    });

    it("6c: when nothing tells the stack's account, the document cannot vouch for itself: fails closed", async () => {
      const r = await check(policy, withoutProvider(seedBoundaryPolicy()), { config });
      assert.deepStrictEqual(
        r.violations.map((v) => v.enforcementLevel),
        ["mandatory"],
      );
      assert.match(messages(r)[0], /the stack's AWS account is unknown, so the pack cannot tell the ARN of boundary policy/);
      const warned = await check(policy, withoutProvider(seedBoundaryPolicy()), { config: { ...config, unknownBoundary: "warn" } });
      assert.deepStrictEqual(
        warned.violations.map((v) => v.enforcementLevel),
        ["advisory"],
      );
    });

    it("6d: an Allow * document whose name or path is unknown during preview: fails closed", async () => {
      const allowAll = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] });
      for (const overrides of [{ name: UNKNOWN }, { path: UNKNOWN }, { name: UNKNOWN, path: UNKNOWN }]) {
        const r = await check(policy, seedBoundaryPolicy(allowAll, overrides), { config });
        assert.deepStrictEqual(
          r.violations.map((v) => v.enforcementLevel),
          ["mandatory"],
          JSON.stringify(overrides),
        );
        assert.match(
          messages(r)[0],
          /unknown during preview, so the pack cannot tell whether it is the approved boundary \/test-pb-policy/,
        );
      }
      // A known name or path that differs still rules the policy out.
      const other = await check(policy, seedBoundaryPolicy(allowAll, { name: "other", path: UNKNOWN }), { config });
      assert.deepStrictEqual(other.violations, []);
    });

    it("7: a document that is not JSON", async () => {
      const m = messages(await check(policy, seedBoundaryPolicy("{not json"), { config }));
      assert.match(m[0], /cannot be read: not valid JSON/);
    });

    it("8: a boundary with no document", async () => {
      const r = await check(policy, resource("aws:iam/policy:Policy", "b", { name: SEED_BOUNDARY_NAME }), { config });
      assert.match(messages(r)[0], /has no document/);
    });

    it("9: the default boundary name is checked without config", async () => {
      const r = await check(
        policy,
        seedBoundaryPolicy(
          changed((s) => s.splice(1, 4)),
          { name: "jump-permissions-boundary" },
        ),
      );
      assert.strictEqual(r.violations.length, 4);
    });
  });

  describe("unknown document during preview", () => {
    it("deny (default): mandatory", async () => {
      const r = await check(policy, seedBoundaryPolicy(UNKNOWN), { config });
      assert.deepStrictEqual(
        r.violations.map((v) => v.enforcementLevel),
        ["mandatory"],
      );
      assert.match(messages(r)[0], /unknown during preview, so its guards were not checked/);
    });

    it("warn: advisory", async () => {
      const r = await check(policy, seedBoundaryPolicy(UNKNOWN), { config: { ...config, unknownBoundary: "warn" } });
      assert.deepStrictEqual(
        r.violations.map((v) => v.enforcementLevel),
        ["advisory"],
      );
    });

    it("an unknown value inside an object document counts as unknown", async () => {
      const doc = clone(SEED_BOUNDARY) as unknown as { Statement: Stmt[] };
      doc.Statement[4].Resource = [UNKNOWN];
      const r = await check(
        policy,
        resource("aws-native:iam:ManagedPolicy", "b", { managedPolicyName: SEED_BOUNDARY_NAME, policyDocument: doc }),
        { config },
      );
      assert.match(messages(r)[0], /unknown during preview/);
    });
  });
});
