import { strict as assert } from "assert";
import { loadEnvironment } from "../harness/environment";
import { planAndProve } from "./plan";
import { planHolds, renderText, toJson, type PlanReport } from "./report";

describe("plan report (verify/plan/report.ts)", () => {
  let report: PlanReport;
  before(async () => {
    report = await planAndProve(loadEnvironment(), { now: new Date("2026-03-01T12:00:00Z") });
  });

  it("groups the access table by account and role, one row per guarantee with its request count and deciding statements", () => {
    const text = renderText(report);
    const access = text.slice(text.indexOf("Access proof:"), text.indexOf("Escalation catalogue:"));
    const sections = access.split("\n").filter((l) => /^ {2}\S/.test(l) && !l.startsWith("  note:"));
    assert.deepEqual(sections, [
      "  seed-target 444455556666 · role test-restricted-admin-role",
      "  sandbox 555566667777 · role restricted-admin",
      "  sandbox 555566667777 · role read-only",
      "  Jump account 111122223333 · every Jump user (self-service)",
    ]);
    assert.match(
      text,
      /^ {4}✔ may not edit or delete the boundary policy ×4 +denied: jump-permissions-boundary statement DenyBoundaryPolicyEdits, jump-permissions-boundary statement DenyPolicyVersionsOutsideDelegatedPath$/m,
    );
    assert.match(text, /^ {2}note: ReadOnlyAccess is modelled approximately \(verify\/access\/aws-managed\.ts\) for read-only@sandbox$/m);
    assert.ok(planHolds(report));
  });

  it("marks a failed guarantee ✘, lists each failed request under it, and ends with a FAILED summary", () => {
    const broken: PlanReport = {
      ...report,
      checks: report.checks.map((c) =>
        c.expectation.id === "self-no-access-keys" && c.expectation.subject === "carol@jump"
          ? { ...c, ok: false, message: "carol@jump: broken on purpose" }
          : c,
      ),
    };
    const text = renderText(broken);
    assert.match(
      text,
      /^ {4}✘ may not create access keys ×9 +denied: .*\n {8}✘ carol@jump: broken on purpose\n {8}✘ carol@jump: broken on purpose\n {8}✘ carol@jump: broken on purpose\n/m,
    );
    assert.match(text, /^FAILED: 3 stacks, \d+ resources, 0 violations, (\d+)\/\d+ access checks hold/m);
    assert.equal(planHolds(broken), false);
  });

  it("an advisory violation is reported but does not fail the plan; a mandatory one does", () => {
    const v = {
      stack: "target-account/sandbox",
      policy: "some-policy",
      urn: "urn:pulumi:sandbox::target-account::x::y",
      message: "desc\nwhat is wrong",
      enforcementLevel: "advisory" as const,
    };
    assert.equal(planHolds({ ...report, violations: [v] }), true);
    assert.match(renderText({ ...report, violations: [v] }), /^ {2}! some-policy target-account\/sandbox y: what is wrong$/m);
    assert.equal(planHolds({ ...report, violations: [{ ...v, enforcementLevel: "mandatory" }] }), false);
  });

  it("--json: checks carry the request (principal, action, resource, full context) and the expected and actual verdicts", () => {
    const doc = toJson(report);
    assert.equal(doc.checks.length, report.checks.length);
    const c = doc.checks.find((x) => x.action === "sts:AssumeRole" && x.context["aws:MultiFactorAuthPresent"] === "false")!;
    assert.deepEqual([c.expected, c.actual, c.ok], ["Denied", "ImplicitlyDenied", true]);
    assert.equal(c.context["aws:CurrentTime"], "2026-03-01T12:00:00Z");
    assert.equal(JSON.parse(JSON.stringify(doc)).checks.length, doc.checks.length, "plain JSON");
  });
});
