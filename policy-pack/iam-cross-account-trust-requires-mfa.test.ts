import * as assert from "assert";
import { iamCrossAccountTrustRequiresMfa as policy } from "./iam-cross-account-trust-requires-mfa";
import {
  SEED_TRUST,
  TARGET_ACCOUNT,
  UNKNOWN,
  check,
  clone,
  messages,
  resource,
  validNativeRole,
  validRole,
  withoutProvider,
} from "./test/fixtures";

type Stmt = Record<string, unknown>;

/** The article's trust policy with one change to its statement. */
function trust(edit: (s: Stmt) => void): string {
  const d = clone(SEED_TRUST) as unknown as { Statement: Stmt[] };
  edit(d.Statement[0]);
  return JSON.stringify(d);
}

const role = (assumeRolePolicy: unknown, overrides: Record<string, unknown> = {}) => validRole({ assumeRolePolicy, ...overrides });

describe("iam-cross-account-trust-requires-mfa", () => {
  describe("Compliance", () => {
    it("passes the article's trust policy (Jump user, Bool MFA)", async () => {
      const r = await check(policy, validRole());
      assert.deepStrictEqual(r.violations, []);
      assert.deepStrictEqual(r.notApplicable, []);
    });

    it("passes an aws-native role with an object document, and an MFA-age bound beside Bool", async () => {
      const doc = clone(SEED_TRUST) as unknown as { Statement: Stmt[] };
      doc.Statement[0].Condition = { Bool: { "aws:MultiFactorAuthPresent": true }, NumericLessThan: { "aws:MultiFactorAuthAge": "3600" } };
      assert.deepStrictEqual((await check(policy, validNativeRole({ assumeRolePolicyDocument: doc }))).violations, []);
    });

    it("passes same-account and service principals without MFA", async () => {
      const doc = {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${TARGET_ACCOUNT}:root` }, Action: "sts:AssumeRole" },
          { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
      };
      assert.deepStrictEqual((await check(policy, role(JSON.stringify(doc)))).violations, []);
    });

    it('recognises MFA required by meaning: StringEquals "true", Bool "True", an MFA age bound, a Deny unless MFA', async () => {
      const denyUnlessMfa = (condition: Record<string, unknown>) => (d: { Statement: Stmt[] }) => {
        delete d.Statement[0].Condition;
        d.Statement.push({ Effect: "Deny", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: condition });
      };
      const forms: [string, (d: { Statement: Stmt[] }) => void][] = [
        ["StringEquals true", (d) => (d.Statement[0].Condition = { StringEquals: { "aws:MultiFactorAuthPresent": "true" } })],
        ["Bool True", (d) => (d.Statement[0].Condition = { Bool: { "aws:multifactorauthpresent": "True" } })],
        ["Bool boolean true", (d) => (d.Statement[0].Condition = { Bool: { "aws:MultiFactorAuthPresent": true } })],
        [
          "StringEqualsIgnoreCase TRUE",
          (d) => (d.Statement[0].Condition = { StringEqualsIgnoreCase: { "aws:MultiFactorAuthPresent": "TRUE" } }),
        ],
        ["MFA age bound alone", (d) => (d.Statement[0].Condition = { NumericLessThan: { "aws:MultiFactorAuthAge": "3600" } })],
        ["Null age false", (d) => (d.Statement[0].Condition = { Null: { "aws:MultiFactorAuthAge": "false" } })],
        ["Deny unless MFA (BoolIfExists false)", denyUnlessMfa({ BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } })],
        ["Deny unless MFA (Null age)", denyUnlessMfa({ Null: { "aws:MultiFactorAuthAge": "true" } })],
      ];
      for (const [name, edit] of forms) {
        const d = clone(SEED_TRUST) as unknown as { Statement: Stmt[] };
        edit(d);
        const r = await check(policy, role(JSON.stringify(d)));
        assert.deepStrictEqual(r.violations, [], name);
      }
    });

    it("ignores Deny statements and Allows of other actions", async () => {
      const tagOnly = trust((s) => {
        delete s.Condition;
        s.Action = "sts:TagSession";
      });
      const deny = trust((s) => {
        delete s.Condition;
        s.Effect = "Deny";
        s.Principal = "*";
      });
      assert.deepStrictEqual((await check(policy, [role(tagOnly), role(deny)])).violations, []);
    });

    it("does not apply to a configured machine role, or to other types", async () => {
      const r = await check(
        policy,
        [
          role(
            trust((s) => delete s.Condition),
            { name: "ci-deployer" },
          ),
          resource("aws:s3/bucket:Bucket", "b", {}),
        ],
        {
          config: { machineRoleNamePatterns: ["ci-*"] },
        },
      );
      assert.deepStrictEqual(r.violations, []);
      assert.match(r.notApplicable[0].reason ?? "", /machine role.*"ci-\*"/);
    });

    it("a role without a trust policy has nothing to check", async () => {
      assert.deepStrictEqual((await check(policy, role(undefined))).violations, []);
    });
  });

  describe("Noncompliance", () => {
    it("1: no MFA condition", async () => {
      const r = await check(policy, role(trust((s) => delete s.Condition)));
      assert.strictEqual(r.violations[0].enforcementLevel, "mandatory");
      assert.deepStrictEqual(messages(r), [
        `IAM role "test-restricted-admin-role": statement 0 lets arn:aws:iam::111122223333:user/test-pb-user (not account ${TARGET_ACCOUNT}) assume the role without requiring MFA (long-term access keys and sessions without MFA pass); add Condition Bool aws:MultiFactorAuthPresent = "true".`,
      ]);
    });

    it("2: BoolIfExists instead of Bool", async () => {
      const m = messages(
        await check(policy, role(trust((s) => (s.Condition = { BoolIfExists: { "aws:MultiFactorAuthPresent": "true" } })))),
      );
      assert.match(m[0], /with BoolIfExists aws:MultiFactorAuthPresent: long-term access keys carry no MFA key, so they pass; use Bool\./);
    });

    it("3: Bool false, or true and false", async () => {
      for (const v of ["false", ["true", "false"]]) {
        const r = await check(policy, role(trust((s) => (s.Condition = { Bool: { "aws:MultiFactorAuthPresent": v } }))));
        assert.strictEqual(r.violations.length, 1, JSON.stringify(v));
      }
    });

    it("3b: conditions that read like MFA but admit callers without it", async () => {
      const cases: [string, Record<string, unknown>, RegExp][] = [
        ["StringNotEquals false", { StringNotEquals: { "aws:MultiFactorAuthPresent": "false" } }, /long-term access keys pass/],
        ["StringLike *", { StringLike: { "aws:MultiFactorAuthPresent": "*" } }, /sessions without MFA pass/],
        ["Null present", { Null: { "aws:MultiFactorAuthPresent": "false" } }, /sessions without MFA pass/],
        ["ForAllValues", { "ForAllValues:StringEquals": { "aws:MultiFactorAuthPresent": "true" } }, /long-term access keys pass/],
        [
          "age IfExists",
          { NumericLessThanIfExists: { "aws:MultiFactorAuthAge": "3600" } },
          /long-term access keys and sessions without MFA pass/,
        ],
      ];
      for (const [name, condition, expected] of cases) {
        const m = messages(await check(policy, role(trust((s) => (s.Condition = condition)))));
        assert.strictEqual(m.length, 1, name);
        assert.match(m[0], expected, name);
      }
    });

    it("3c: a Deny that only sometimes applies does not stand in for MFA", async () => {
      const d = clone(SEED_TRUST) as unknown as { Statement: Stmt[] };
      delete d.Statement[0].Condition;
      d.Statement.push({
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: "sts:AssumeRole",
        Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" }, IpAddress: { "aws:SourceIp": "203.0.113.0/24" } },
      });
      assert.strictEqual(messages(await check(policy, role(JSON.stringify(d)))).length, 1);
    });

    it("4: a 12-digit account principal, everyone, and NotPrincipal", async () => {
      for (const edit of [
        (s: Stmt) => (s.Principal = { AWS: "111122223333" }),
        (s: Stmt) => (s.Principal = "*"),
        (s: Stmt) => (s.Principal = { AWS: "*" }),
        (s: Stmt) => {
          delete s.Principal;
          s.NotPrincipal = { AWS: `arn:aws:iam::${TARGET_ACCOUNT}:root` };
        },
      ]) {
        const r = await check(policy, role(trust((s) => (edit(s), delete s.Condition))));
        assert.strictEqual(r.violations.length, 1, String(edit));
      }
    });

    it("5: an Allow of sts:* or * covers AssumeRole", async () => {
      for (const action of ["sts:*", "*", "STS:assumerole"]) {
        const r = await check(policy, role(trust((s) => ((s.Action = action), delete s.Condition))));
        assert.strictEqual(r.violations.length, 1, action);
      }
    });

    it("6: the role's account unknown: every account principal counts as another account", async () => {
      const doc = trust((s) => ((s.Principal = { AWS: `arn:aws:iam::${TARGET_ACCOUNT}:root` }), delete s.Condition));
      const r = await check(policy, withoutProvider(role(doc, { permissionsBoundary: undefined })));
      assert.match(messages(r)[0], /the role's account is unknown/);
      // The stack's provider, pinned to the role's account, tells it: a same-account principal needs no MFA.
      assert.deepStrictEqual((await check(policy, role(doc, { permissionsBoundary: undefined }))).violations, []);
    });

    it("7: an unreadable trust policy", async () => {
      assert.match(
        messages(await check(policy, role('{"Statement": [{"Effect": "Maybe"}]}')))[0],
        /cannot be read: statement 0: Effect must be/,
      );
    });
  });

  describe("unknown trust policy during preview", () => {
    it("warn (default): advisory", async () => {
      const r = await check(policy, role(UNKNOWN));
      assert.deepStrictEqual(
        r.violations.map((v) => v.enforcementLevel),
        ["advisory"],
      );
      assert.match(messages(r)[0], /unknown during preview/);
    });

    it("deny: mandatory", async () => {
      const r = await check(policy, role(UNKNOWN), { config: { unknownTrustPolicy: "deny" } });
      assert.deepStrictEqual(
        r.violations.map((v) => v.enforcementLevel),
        ["mandatory"],
      );
    });
  });
});
