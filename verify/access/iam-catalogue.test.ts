import { strict as assert } from "assert";
import { loadEnvironment, planEnvironment, type PlannedEnvironment } from "../harness/environment";
import { MODELLED_AWS_MANAGED_POLICIES, awsManagedPolicy } from "./aws-managed";
import { actionProblem, documentActionProblems, expandActionPattern } from "./iam-catalogue";
import { documentFindings, documentsOf } from "./documents";
import { changeDocument } from "../harness/mutate";

describe("IAM action catalogue check (verify/access/iam-catalogue.ts, documents.ts)", () => {
  let plan: PlannedEnvironment;
  before(async () => {
    plan = await planEnvironment(loadEnvironment());
  });
  const stacks = () => [plan.jump, ...plan.targets];

  it("knows real actions and patterns, whatever their case", async () => {
    for (const a of ["*", "iam:CreateUser", "IAM:createuser", "sts:AssumeRole", "iam:*", "iam:Create*", "s3:Get*"])
      assert.equal(await actionProblem(a), undefined, a);
    assert.ok((await expandActionPattern("iam:Create*")).includes("iam:CreateUser"));
  });

  it("names misspelled actions, patterns that match nothing, unknown services and malformed actions", async () => {
    assert.match(String(await actionProblem("iam:CreateUserr")), /not in the IAM action catalogue/);
    assert.match(String(await actionProblem("iam:Craete*")), /matches no action/);
    assert.match(String(await actionProblem("iamm:CreateUser")), /no AWS service has the prefix "iamm"/);
    assert.match(String(await actionProblem("CreateUser")), /not of the form service:Action/);
  });

  it("checks Action and NotAction and names the statement by Sid or 1-based index", async () => {
    const problems = await documentActionProblems({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: "*", Resource: "*" },
        { Sid: "Block", Effect: "Deny", NotAction: ["iam:ChangePasword"], Resource: "*" },
      ],
    });
    assert.deepEqual(problems, ['statement Block (#2): action "iam:ChangePasword" is not in the IAM action catalogue (misspelled?)']);
  });

  it("Compliance: every action and condition key of every document the example stacks register exists", async () => {
    const r = await documentFindings(stacks());
    assert.deepEqual(r.findings, []);
    assert.equal(r.documents, 9, "4 jump policies, 2 boundaries, 3 trust policies");
    assert.ok(r.actions > 100);
  });

  it("Compliance: the modelled AWS managed policies use real actions only", async () => {
    for (const arn of MODELLED_AWS_MANAGED_POLICIES)
      assert.deepEqual(await documentActionProblems(awsManagedPolicy(arn)!.document), [], arn);
  });

  it("finds the documents of roles (trust policy) and managed policies, parsed from the JSON the program sent", () => {
    const kinds = stacks().flatMap((s) => s.resources.flatMap((r) => documentsOf(r).map((d) => `${r.type} ${d.prop} ${d.kind}`)));
    assert.ok(kinds.includes("aws:iam/role:Role assumeRolePolicy trust"));
    assert.ok(kinds.includes("aws:iam/policy:Policy policy identity"));
  });

  it("Noncompliance: a misspelled action in the boundary's Deny is a mandatory finding naming the stack, resource and statement", async () => {
    const typo = changeDocument(plan, { stack: "seed-target", type: "aws:iam/policy:Policy", name: "test-pb-policy" }, "policy", (doc) => {
      doc.Statement[1].Action = doc.Statement[1].Action.map((a: string) => (a === "iam:CreateUser" ? "iam:CreateUsr" : a));
      return doc;
    });
    const r = await documentFindings([typo.jump, ...typo.targets]);
    assert.equal(r.findings.length, 1);
    const [f] = r.findings;
    assert.equal(f.stack, "target-account/seed-target");
    assert.equal(f.policy, "iam-action-catalogue");
    assert.equal(f.enforcementLevel, "mandatory");
    assert.match(f.urn, /aws:iam\/policy:Policy::target-boundary$/);
    assert.equal(
      f.message,
      'target-boundary.policy: statement #2: action "iam:CreateUsr" is not in the IAM action catalogue (misspelled?)',
    );
  });

  it("Noncompliance: a trust policy IAM would reject is a syntax finding", async () => {
    const bad = changeDocument(
      plan,
      { stack: "sandbox", type: "aws:iam/role:Role", name: "restricted-admin" },
      "assumeRolePolicy",
      (doc) => {
        delete doc.Statement[0].Principal;
        return doc;
      },
    );
    const r = await documentFindings([bad.jump, ...bad.targets]);
    assert.deepEqual(
      r.findings.map((f) => [f.policy, f.stack]),
      [["iam-policy-syntax", "target-account/sandbox"]],
    );
    assert.match(r.findings[0].message, /^target-role-restricted-admin\.assumeRolePolicy: Statement\[0\]/);
  });
});
