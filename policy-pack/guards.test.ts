import * as assert from "assert";
import fc from "fast-check";
import { BOUNDARY_GUARDS, missingGuards, missingGuardsIn } from "./guards";
import { parsePolicyDocument, type PolicyDocument } from "./iam-document";
import { SEED_BOUNDARY, SEED_BOUNDARY_ARN as ARN, clone } from "./test/fixtures";

type Doc = typeof SEED_BOUNDARY;
type Stmt = Record<string, unknown>;

function parse(doc: unknown): PolicyDocument {
  const r = parsePolicyDocument(doc);
  if (!r.ok) throw new Error(r.error);
  return r.document;
}

/** The ids of the guards the document misses, for the seed boundary's ARN. */
function missing(doc: unknown, arn = ARN): string[] {
  return missingGuards(parse(doc), arn).map((m) => m.guard.id);
}

/** The seed boundary (or `base`) with statement `i` replaced (or removed with `undefined`). */
function withStatement(i: number, s: Stmt | undefined, base: Doc = SEED_BOUNDARY): Doc {
  const d = clone(base) as { Version: string; Statement: Stmt[] };
  if (s === undefined) d.Statement.splice(i, 1);
  else d.Statement[i] = s;
  return d as unknown as Doc;
}

const stmt = (i: number): Stmt => clone(SEED_BOUNDARY.Statement[i]) as Stmt;

describe("boundary guards", () => {
  it("are the article's four Deny statements, action for action", () => {
    const denies = SEED_BOUNDARY.Statement.filter((s) => s.Effect === "Deny");
    assert.deepStrictEqual(
      BOUNDARY_GUARDS.map((g) => g.actions),
      denies.map((s) => s.Action),
    );
    assert.deepStrictEqual(
      BOUNDARY_GUARDS.map((g) => [g.resource, g.condition]),
      [
        ["*", "none"],
        ["*", "boundary-not-equals"],
        ["*", "boundary-equals"],
        ["boundary", "none"],
      ],
    );
  });

  describe("hold", () => {
    it("in the article's boundary", () => assert.deepStrictEqual(missing(SEED_BOUNDARY), []));

    it("with wildcards and other case covering the actions", () => {
      const base = withStatement(4, {
        Effect: "Deny",
        Action: ["iam:*PolicyVersion", "iam:deletepolicy"],
        Resource: "arn:aws:iam::*:policy/*",
      });
      assert.deepStrictEqual(missing(base), []);
      const userGroup = ["IAM:*User*", "iam:*Group*", "iam:Create*", "iam:*Profile"];
      assert.deepStrictEqual(missing(withStatement(1, { Effect: "Deny", Action: userGroup, Resource: "*" }, base)), []);
      assert.deepStrictEqual(missing(withStatement(1, { Effect: "Deny", Action: "iam:*", Resource: "*" }, base)), []);
      // Without iam:Create*, CreateLoginProfile and CreateAccessKey name neither users nor groups.
      assert.deepStrictEqual(
        missingGuards(parse(withStatement(1, { Effect: "Deny", Action: userGroup.slice(0, 2), Resource: "*" }, base)), ARN).map(
          (m) => m.missingActions,
        ),
        [["iam:CreateLoginProfile", "iam:CreateAccessKey"]],
      );
    });

    it("when a guard is split over several statements with Sids", () => {
      const s1 = stmt(1);
      const actions = s1.Action as string[];
      const d = withStatement(1, { Sid: "A", ...s1, Action: actions.slice(0, 9) });
      (d.Statement as Stmt[]).push({ Sid: "B", Effect: "Deny", Action: actions.slice(9), Resource: ["*"] });
      assert.deepStrictEqual(missing(d), []);
    });

    it("with NotAction leaving the guard's actions in", () => {
      const d = withStatement(1, { Effect: "Deny", NotAction: ["s3:*", "iam:Get*"], Resource: "*" });
      assert.deepStrictEqual(missing(d), []);
    });

    it("with the accepted variants of each condition", () => {
      for (const [op, value] of [
        ["StringNotEqualsIfExists", ARN],
        ["ArnNotEquals", ARN],
        ["ArnNotLike", "arn:aws:iam::*:policy/test-pb-policy"],
        ["StringNotLike", "arn:aws:iam::4444555?6666:policy/test-pb-policy"],
      ]) {
        const d = withStatement(2, { ...stmt(2), Condition: { [op]: { "iam:permissionsboundary": value } } });
        assert.deepStrictEqual(missing(d), [], op);
      }
      const equalsCases: [string, string | string[]][] = [
        ["ArnEquals", ARN],
        ["StringLike", "arn:aws:iam::*:policy/*"],
        ["StringEqualsIfExists", [ARN, "arn:aws:iam::444455556666:policy/other"]],
      ];
      for (const [op, value] of equalsCases) {
        const d = withStatement(3, { ...stmt(3), Condition: { [op]: { "iam:PermissionsBoundary": value } } });
        assert.deepStrictEqual(missing(d), [], op);
      }
    });

    it("with unconditional Denies, which deny at least as much", () => {
      const base = withStatement(2, { ...stmt(2), Condition: undefined });
      const d = withStatement(3, { Effect: "Deny", Action: "iam:DeleteRolePermissionsBoundary", Resource: "*" }, base);
      assert.deepStrictEqual(Object.keys(d.Statement[2]).includes("Condition"), false);
      assert.deepStrictEqual(missing(d), []);
    });

    it("with NotResource that leaves the boundary in", () => {
      const d = withStatement(4, { Effect: "Deny", Action: stmt(4).Action, NotResource: "arn:aws:iam::444455556666:policy/delegated/*" });
      assert.deepStrictEqual(missing(d), []);
    });
  });

  describe("are missing", () => {
    it("1: when one action is dropped, naming that action", () => {
      const d = withStatement(1, { ...stmt(1), Action: (stmt(1).Action as string[]).filter((a) => a !== "iam:CreateAccessKey") });
      const m = missingGuards(parse(d), ARN);
      assert.deepStrictEqual(
        m.map((x) => [x.guard.id, x.missingActions]),
        [["deny-user-and-group-management", ["iam:CreateAccessKey"]]],
      );
    });

    it("2: when a statement is removed", () => {
      assert.deepStrictEqual(missing(withStatement(2, undefined)), ["deny-role-changes-without-boundary"]);
      assert.deepStrictEqual(missing(withStatement(4, undefined)), ["deny-boundary-policy-edits"]);
    });

    it("3: when a Deny becomes an Allow", () => {
      assert.deepStrictEqual(missing(withStatement(3, { ...stmt(3), Effect: "Allow" })), ["deny-boundary-removal"]);
    });

    it("4: when the Resource no longer covers what the guard needs", () => {
      assert.deepStrictEqual(missing(withStatement(1, { ...stmt(1), Resource: "arn:aws:iam::444455556666:user/*" })), [
        "deny-user-and-group-management",
      ]);
      assert.deepStrictEqual(missing(withStatement(4, { ...stmt(4), Resource: "arn:aws:iam::444455556666:policy/other" })), [
        "deny-boundary-policy-edits",
      ]);
      assert.deepStrictEqual(missing(withStatement(4, { ...stmt(4), Resource: undefined, NotResource: "arn:aws:iam::*:policy/test-*" })), [
        "deny-boundary-policy-edits",
      ]);
    });

    it("5: when the condition names another boundary, or more than this one", () => {
      const other = "arn:aws:iam::444455556666:policy/weaker";
      assert.deepStrictEqual(
        missing(withStatement(2, { ...stmt(2), Condition: { StringNotEquals: { "iam:PermissionsBoundary": other } } })),
        ["deny-role-changes-without-boundary"],
      );
      assert.deepStrictEqual(
        missing(withStatement(2, { ...stmt(2), Condition: { StringNotEquals: { "iam:PermissionsBoundary": [ARN, other] } } })),
        ["deny-role-changes-without-boundary"],
      );
      assert.deepStrictEqual(missing(withStatement(3, { ...stmt(3), Condition: { StringEquals: { "iam:PermissionsBoundary": other } } })), [
        "deny-boundary-removal",
      ]);
    });

    it("6: when a wildcard in a not-equals condition lets any policy through", () => {
      for (const value of ["*", "arn:aws:iam::444455556666:policy/*", "arn:aws:iam::*:policy/test-pb-*"]) {
        const d = withStatement(2, { ...stmt(2), Condition: { StringNotLike: { "iam:PermissionsBoundary": value } } });
        assert.deepStrictEqual(missing(d), ["deny-role-changes-without-boundary"], value);
      }
    });

    it("7: when the operator is reversed or exact-matches a pattern", () => {
      assert.deepStrictEqual(missing(withStatement(2, { ...stmt(2), Condition: { StringEquals: { "iam:PermissionsBoundary": ARN } } })), [
        "deny-role-changes-without-boundary",
      ]);
      assert.deepStrictEqual(
        missing(withStatement(3, { ...stmt(3), Condition: { StringNotEquals: { "iam:PermissionsBoundary": ARN } } })),
        ["deny-boundary-removal"],
      );
      assert.deepStrictEqual(
        missing(
          withStatement(2, {
            ...stmt(2),
            Condition: { StringNotEquals: { "iam:PermissionsBoundary": "arn:aws:iam::*:policy/test-pb-policy" } },
          }),
        ),
        ["deny-role-changes-without-boundary"],
      );
    });

    it("8: when an extra condition narrows a Deny", () => {
      const d = withStatement(1, { ...stmt(1), Condition: { StringEquals: { "aws:RequestedRegion": "us-east-1" } } });
      assert.deepStrictEqual(missing(d), ["deny-user-and-group-management"]);
      const d2 = withStatement(2, {
        ...stmt(2),
        Condition: { StringNotEquals: { "iam:PermissionsBoundary": ARN }, Bool: { "aws:ViaAWSService": "false" } },
      });
      assert.deepStrictEqual(missing(d2), ["deny-role-changes-without-boundary"]);
    });

    it("9: when NotAction leaves a guard's action out", () => {
      const d = withStatement(1, { Effect: "Deny", NotAction: "iam:CreateUser", Resource: "*" });
      assert.deepStrictEqual(
        missingGuards(parse(d), ARN).map((m) => m.missingActions),
        [["iam:CreateUser"]],
      );
    });

    it("10: for a boundary whose own ARN is another", () => {
      assert.deepStrictEqual(missing(SEED_BOUNDARY, "arn:aws:iam::444455556666:policy/jump-permissions-boundary"), [
        "deny-role-changes-without-boundary",
        "deny-boundary-removal",
        "deny-boundary-policy-edits",
      ]);
    });
  });

  it("missingGuardsIn reads a document given as a string or an object, and refuses anything else", () => {
    assert.deepStrictEqual(missingGuardsIn(JSON.stringify(SEED_BOUNDARY), ARN), []);
    assert.deepStrictEqual(
      missingGuardsIn(withStatement(3, undefined), ARN).map((m) => m.guard.id),
      ["deny-boundary-removal"],
    );
    assert.throws(() => missingGuardsIn("{", ARN), /not a policy document: not valid JSON/);
  });

  it("property: dropping any one action of any guard names exactly that guard and action", () => {
    const pairs = BOUNDARY_GUARDS.flatMap((g, gi) => g.actions.map((a) => [gi, a] as const));
    fc.assert(
      fc.property(fc.constantFrom(...pairs), ([gi, action]) => {
        const i = gi + 1; // statement 0 is the Allow
        const s = stmt(i);
        const d = withStatement(i, { ...s, Action: (s.Action as string[]).filter((a) => a !== action) });
        const m = missingGuards(parse(d), ARN);
        assert.deepStrictEqual(
          m.map((x) => [x.guard.id, x.missingActions]),
          [[BOUNDARY_GUARDS[gi].id, [action]]],
        );
      }),
      { numRuns: 100 },
    );
  });

  it("property: adding statements never breaks a guard that holds", () => {
    const extra = fc.record({
      Effect: fc.constantFrom("Allow", "Deny"),
      Action: fc.array(fc.constantFrom("s3:*", "iam:PassRole", "iam:CreateUser", "ec2:*", "iam:*"), { minLength: 1 }),
      Resource: fc.constantFrom("*", ARN, "arn:aws:iam::*:role/*"),
    });
    fc.assert(
      fc.property(fc.array(extra, { maxLength: 4 }), (extras) => {
        const d = clone(SEED_BOUNDARY) as unknown as { Statement: Stmt[] };
        d.Statement.push(...extras);
        assert.deepStrictEqual(missing(d), []);
      }),
      { numRuns: 100 },
    );
  });
});
