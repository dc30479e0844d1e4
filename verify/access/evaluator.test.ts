import { strict as assert } from "assert";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { seedBoundaryPolicy, selfServicePolicy, trustPolicy } from "@jumpenv/shared";
import { ADMINISTRATOR_ACCESS, awsManagedPolicy } from "./aws-managed";
import { describeVerdict, evaluate, namedPolicy, type AccessRequest } from "./evaluator";

const T = "444455556666";
const B = `arn:aws:iam::${T}:policy/test-pb-policy`;
const SESSION = `arn:aws:sts::${T}:assumed-role/admin/alice`;
const admin = awsManagedPolicy(ADMINISTRATOR_ACCESS)!;
const boundary = namedPolicy(B, seedBoundaryPolicy({ boundaryArn: B }));

/** A role session with AdministratorAccess capped by the article's boundary, plus request overrides. */
function session(over: Partial<AccessRequest> = {}): AccessRequest {
  return {
    principal: SESSION,
    action: "iam:CreateRole",
    resource: `arn:aws:iam::${T}:role/app`,
    resourceAccount: T,
    context: { "aws:PrincipalArn": `arn:aws:iam::${T}:role/admin`, "aws:PrincipalAccount": T, "aws:MultiFactorAuthPresent": "true" },
    policies: { identity: [admin], boundary },
    ...over,
  };
}

describe("access evaluator (verify/access/evaluator.ts)", () => {
  it("allows CreateRole with the boundary and names the granting statements", async () => {
    const v = await evaluate(session({ context: { ...session().context, "iam:PermissionsBoundary": B } }));
    assert.equal(v.decision, "Allowed");
    assert.deepEqual(v.problems, []);
    assert.ok(v.reasons.some((r) => r.kind === "identity" && r.policy === ADMINISTRATOR_ACCESS && r.effect === "Allow"));
    assert.ok(v.reasons.some((r) => r.kind === "boundary" && r.policy === B && r.index === 1));
  });

  it("denies CreateRole without the boundary, naming the boundary policy and its statement (no Sid: 1-based index)", async () => {
    const v = await evaluate(session());
    assert.equal(v.decision, "ExplicitlyDenied");
    assert.deepEqual(v.reasons, [{ kind: "boundary", effect: "Deny", policy: B, index: 3 }]);
    assert.equal(describeVerdict(v), "ExplicitlyDenied (denied by test-pb-policy statement #3)");
  });

  it("names a deciding statement by its Sid when it has one", async () => {
    const user = "arn:aws:iam::111122223333:user/alice";
    const v = await evaluate({
      principal: user,
      action: "iam:CreateAccessKey",
      resource: user,
      resourceAccount: "111122223333",
      context: { "aws:username": "alice", "aws:MultiFactorAuthPresent": "false" },
      policies: { identity: [namedPolicy("arn:aws:iam::111122223333:policy/self", selfServicePolicy("seed"))] },
    });
    assert.equal(v.decision, "ExplicitlyDenied");
    assert.deepEqual(v.reasons, [
      {
        kind: "identity",
        effect: "Deny",
        policy: "arn:aws:iam::111122223333:policy/self",
        sid: "BlockMostAccessUnlessSignedInWithMFA",
        index: 7,
      },
    ]);
  });

  it("evaluates cross-account AssumeRole against the caller's policies and the trust policy, naming the trust policy when it lacks an Allow", async () => {
    const role = `arn:aws:iam::${T}:role/admin`;
    const alice = "arn:aws:iam::111122223333:user/alice";
    const trust = namedPolicy(
      "trust policy of role admin",
      trustPolicy({ trust: { strategy: "users", principalArns: [alice] }, jumpAccountId: "111122223333" }),
    );
    const allow = namedPolicy("assume", {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: role }],
    });
    const req = (context: Record<string, string>): AccessRequest => ({
      principal: alice,
      action: "sts:AssumeRole",
      resource: role,
      resourceAccount: T,
      context: { "aws:PrincipalArn": alice, "sts:RoleSessionName": "alice", ...context },
      policies: { identity: [allow], trust },
    });
    assert.equal((await evaluate(req({ "aws:MultiFactorAuthPresent": "true" }))).decision, "Allowed");
    const noMfa = await evaluate(req({ "aws:MultiFactorAuthPresent": "false" }));
    assert.equal(noMfa.decision, "ImplicitlyDenied");
    assert.deepEqual(noMfa.reasons, [{ kind: "resource", effect: "NoAllow", policy: "trust policy of role admin" }]);
    assert.equal((await evaluate(req({}))).decision, "ImplicitlyDenied", "a long-term key (no MFA key at all) must not match Bool");
  });

  describe("no silent passes", () => {
    it("Noncompliance: an action the catalogue does not know", async () => {
      const v = await evaluate(session({ action: "iam:CreateUserr" }));
      assert.equal(v.decision, "Error");
      assert.match(v.problems[0], /invalid\.action .*not in the IAM action catalogue/);
    });

    it("Noncompliance: a misspelled action inside a Deny, which the evaluator alone would let through", async () => {
      const typo = namedPolicy(B, {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: "*", Resource: "*" },
          { Sid: "DenyUsers", Effect: "Deny", Action: ["iam:CreateUserr"], Resource: "*" },
        ],
      });
      const raw = await runSimulation(
        {
          request: {
            principal: SESSION,
            action: "iam:CreateUser",
            resource: { resource: `arn:aws:iam::${T}:user/x`, accountId: T },
            contextVariables: {},
          },
          identityPolicies: [{ name: admin.name, policy: admin.document }],
          permissionBoundaryPolicies: [{ name: B, policy: typo.document }],
          serviceControlPolicies: [],
          resourceControlPolicies: [],
        },
        {},
      );
      assert.equal(raw.resultType !== "error" && raw.overallResult, "Allowed", "the evaluator itself quietly allows");
      const v = await evaluate(
        session({ action: "iam:CreateUser", resource: `arn:aws:iam::${T}:user/x`, policies: { identity: [admin], boundary: typo } }),
      );
      assert.equal(v.decision, "Error");
      assert.deepEqual(v.problems, [
        `${B}: statement DenyUsers (#2): action "iam:CreateUserr" is not in the IAM action catalogue (misspelled?)`,
      ]);
    });

    it("Noncompliance: a wildcard pattern that matches no action, and an unknown service", async () => {
      const doc = namedPolicy("p", {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Deny", Action: ["iam:Creat*Userz", "iamm:CreateUser"], Resource: "*" },
          { Effect: "Allow", Action: "*", Resource: "*" },
        ],
      });
      const v = await evaluate(session({ policies: { identity: [doc] } }));
      assert.equal(v.decision, "Error");
      assert.deepEqual(v.problems, [
        'p: statement #1: action pattern "iam:Creat*Userz" matches no action in the IAM action catalogue',
        'p: statement #1: action "iamm:CreateUser": no AWS service has the prefix "iamm"',
      ]);
    });

    it("Noncompliance: a misspelled condition key", async () => {
      const doc = namedPolicy("p", {
        Version: "2012-10-17",
        Statement: [{ Effect: "Deny", Action: "*", Resource: "*", Condition: { BoolIfExists: { "aws:MultiFactorAuthPresnt": "false" } } }],
      });
      const v = await evaluate(session({ policies: { identity: [admin, doc] } }));
      assert.equal(v.decision, "Error");
      assert.match(v.problems[0], /condition key "aws:MultiFactorAuthPresnt" is not a global or service condition key/);
    });

    it("Noncompliance: a context key AWS would not send with this action", async () => {
      const v = await evaluate(session({ context: { ...session().context, "iam:PermissionsBoundary": B, "s3:prefix": "logs/" } }));
      assert.equal(v.decision, "Error");
      assert.deepEqual(v.problems, [
        "context key s3:prefix not applicable to iam:CreateRole on arn:aws:iam::444455556666:role/app: AWS would not send it",
      ]);
    });

    it("Noncompliance: a context value that is not a string", async () => {
      const v = await evaluate(session({ context: { "aws:MultiFactorAuthPresent": true as unknown as string } }));
      assert.equal(v.decision, "Error");
      assert.match(v.problems[0], /aws:MultiFactorAuthPresent must be a string/);
    });

    it("Noncompliance: a resource of the wrong type for the action, and a resource for an action that takes none", async () => {
      assert.match((await evaluate(session({ resource: "arn:aws:s3:::bucket" }))).problems[0], /no\.resource\.types/);
      assert.match((await evaluate(session({ action: "iam:ListRoles" }))).problems[0], /must\.use\.wildcard/);
    });

    it("Noncompliance: a document IAM would reject", async () => {
      const bad = namedPolicy("bad", {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allowed", Action: "iam:CreateRole", Resource: "*" }],
      });
      const v = await evaluate(session({ policies: { identity: [bad] } }));
      assert.equal(v.decision, "Error");
      assert.match(v.problems[0], /^bad: Statement\[0\]\.Effect: Effect must be present and exactly "Allow" or "Deny"/);
    });

    it("Compliance: the same request without those mistakes is decided", async () => {
      const v = await evaluate(session({ context: { ...session().context, "iam:PermissionsBoundary": B } }));
      assert.deepEqual([v.decision, v.problems], ["Allowed", []]);
    });
  });
});
