import { strict as assert } from "assert";
import * as path from "path";
import { ConfigError, parseIdentityCenterConfig } from "@jumpenv/shared";
import { loadEnvironment, planEnvironment, REPO_ROOT, withConfig, type PlannedEnvironment } from "../verify/harness/environment";
import { ProgramError, runStack, stackNames, type RegisteredResource, type StackRun } from "../verify/harness/mock-run";

const EXAMPLE = path.join(REPO_ROOT, "examples", "identity-center");
const T = {
  set: "aws:ssoadmin/permissionSet:PermissionSet",
  managed: "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment",
  boundary: "aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment",
  assignment: "aws:ssoadmin/accountAssignment:AccountAssignment",
};

function ofType(run: StackRun, type: string): RegisteredResource[] {
  return run.resources.filter((r) => r.type === type);
}

describe("identity-center program (examples/identity-center, under mocks)", () => {
  const env = loadEnvironment(EXAMPLE);
  let plan: PlannedEnvironment;
  let ic: StackRun;
  /** Every stack run before the identity-center stack, behind its StackReferences. */
  const outputs = () => {
    const m = new Map<string, Record<string, unknown>>();
    for (const run of [plan.jump, ...plan.targets]) for (const n of stackNames(run)) m.set(n, run.outputs);
    return m;
  };
  const rerun = (changes: Record<string, string | undefined>) =>
    runStack(withConfig(env.identityCenter!, changes), { stackOutputs: outputs() });

  before(async () => {
    plan = await planEnvironment(env);
    ic = plan.identityCenter!;
  });

  it("registers each permission set with its policies, its session duration and the boundary by name and path, under the component", () => {
    const [component] = ofType(ic, "jumpenv:index:IdentityCenter");
    for (const r of ic.resources.filter((x) => x !== component)) assert.equal(r.options.parent, component.urn);
    assert.deepEqual(
      ofType(ic, T.set).map((s) => [s.props.name, s.props.sessionDuration, s.props.instanceArn]),
      [
        ["PlatformAdmin", "PT1H", "arn:aws:sso:::instance/ssoins-72230e4b2bd6e7c1"],
        ["ReadOnly", "PT4H", "arn:aws:sso:::instance/ssoins-72230e4b2bd6e7c1"],
      ],
    );
    for (const set of ofType(ic, T.set)) {
      const tied = (r: RegisteredResource) => r.options.dependsOn.includes(set.urn);
      assert.deepEqual(
        ofType(ic, T.boundary)
          .filter(tied)
          .map((b) => b.props.permissionsBoundary),
        [{ customerManagedPolicyReference: { name: "jump-permissions-boundary", path: "/" } }],
      );
      assert.deepEqual(
        ofType(ic, T.managed)
          .filter(tied)
          .map((m) => m.props.managedPolicyArn),
        [set.props.name === "PlatformAdmin" ? "arn:aws:iam::aws:policy/AdministratorAccess" : "arn:aws:iam::aws:policy/ReadOnlyAccess"],
      );
    }
  });

  it("assigns groups to accounts only after their set carries its policies and its boundary", () => {
    const assignments = ofType(ic, T.assignment);
    assert.deepEqual(
      assignments
        .map((a) => `${a.props.targetId} ${a.props.principalType} ${String(a.props.principalId).slice(11, 19)} ${a.props.targetType}`)
        .sort(),
      [
        "444455556666 GROUP 5f1c7b4a AWS_ACCOUNT",
        "444455556666 GROUP 7a2e9c3d AWS_ACCOUNT",
        "555566667777 GROUP 5f1c7b4a AWS_ACCOUNT",
        "555566667777 GROUP 5f1c7b4a AWS_ACCOUNT",
        "555566667777 GROUP 7a2e9c3d AWS_ACCOUNT",
      ],
    );
    for (const a of assignments) {
      const boundary = ofType(ic, T.boundary).find((b) => a.options.dependsOn.includes(b.urn));
      assert.ok(boundary, `${a.name} does not wait for a boundary attachment`);
    }
  });

  it("exports the permission set ARNs and the boundary it references", () => {
    assert.deepEqual(Object.keys(ic.outputs.permissionSetArns as object), ["PlatformAdmin", "ReadOnly"]);
    assert.equal(ic.outputs.boundaryPolicyName, "jump-permissions-boundary");
    assert.deepEqual(ic.outputs.assignedAccountIds, ["444455556666", "555566667777"]);
  });

  it("registers nothing when an assigned account's stack creates another boundary (one line naming both)", async () => {
    await assert.rejects(rerun({ "identity-center:boundaryPolicyPath": "/guard/" }), (e: unknown) => {
      assert.ok(e instanceof ProgramError && e.cause instanceof ConfigError);
      assert.equal(e.resources.length, 0);
      assert.equal(e.cause.problems.length, 2);
      assert.match(
        e.cause.problems[0],
        /^stack "org": identity-center:boundaryPolicyPath and boundaryPolicyName reference arn:aws:iam::444455556666:policy\/guard\/jump-permissions-boundary, but target stack "organization\/target-account\/workloads" creates arn:aws:iam::444455556666:policy\/jump-permissions-boundary; expected the same name and path/,
      );
      return true;
    });
  });

  it("registers nothing when a target stack names another account than the config says", async () => {
    const targets = JSON.parse(env.identityCenter!.config["identity-center:targets"]);
    [targets[0].targetStack, targets[1].targetStack] = [targets[1].targetStack, targets[0].targetStack];
    await assert.rejects(
      rerun({ "identity-center:targets": JSON.stringify(targets) }),
      /targets\[1\]\.accountId is "555566667777", but its targetStack .* is account 444455556666/,
    );
  });

  it("fails loudly when a target stack was never deployed", async () => {
    const targets = JSON.parse(env.identityCenter!.config["identity-center:targets"]);
    targets[0].targetStack = "organization/target-account/missing";
    await assert.rejects(
      rerun({ "identity-center:targets": JSON.stringify(targets) }),
      /stack reference "organization\/target-account\/missing"/,
    );
  });
});

describe("identity-center config (shared/identity-center-config.ts)", () => {
  const env = loadEnvironment(EXAMPLE);
  const raw = env.identityCenter!.config;
  const id = { project: "identity-center", stack: "org" };
  const parse = (changes: Record<string, unknown>) => {
    const next: Record<string, string> = { ...raw };
    for (const [k, v] of Object.entries(changes)) next[`identity-center:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
    return () => parseIdentityCenterConfig(next, id);
  };
  const sets = () => JSON.parse(raw["identity-center:permissionSets"]) as Record<string, unknown>[];
  const targets = () => JSON.parse(raw["identity-center:targets"]) as { assignments: { permissionSet: string; groups: string[] }[] }[];

  it("parses the example with defaults applied", () => {
    const cfg = parseIdentityCenterConfig(raw, id);
    assert.equal(cfg.accountId, "123456789012");
    assert.equal(cfg.boundaryPolicyName, "jump-permissions-boundary");
    assert.deepEqual(cfg.permissionSets[0].managedPolicyArns, ["arn:aws:iam::aws:policy/AdministratorAccess"]);
    assert.equal(cfg.permissionSets[0].sessionDuration, "PT1H");
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    [
      "a session longer than 12 hours",
      { permissionSets: [{ name: "A", sessionDuration: "PT13H" }] },
      /permissionSets\[0\]\.sessionDuration is "PT13H"; expected an ISO-8601 duration of 1 to 12 hours/,
    ],
    ["a session in days", { permissionSets: [{ name: "A", sessionDuration: "P1D" }] }, /sessionDuration is "P1D"/],
    [
      "a permission set name over 32 characters",
      { permissionSets: [{ name: "A".repeat(33) }] },
      /permissionSets\[0\]\.name is .*expected a permission set name of 1 to 32/,
    ],
    [
      "a customer managed policy ARN",
      { permissionSets: [{ name: "A", managedPolicyArns: ["arn:aws:iam::444455556666:policy/x"] }] },
      /expected AWS managed policies/,
    ],
    [
      "two sets whose names differ only in case",
      { permissionSets: [...sets(), { name: "platformadmin" }] },
      /permissionSets is "platformadmin"; expected each permission set name once/,
    ],
    [
      "an assignment of an undeclared set",
      { targets: targets().map((t, i) => (i === 0 ? { ...t, assignments: [{ permissionSet: "Nope", groups: ["auditors"] }] } : t)) },
      /targets\[0\]\.assignments\[0\]\.permissionSet is "Nope"; expected a permission set declared/,
    ],
    [
      "an assignment to an undeclared group",
      { targets: targets().map((t, i) => (i === 1 ? { ...t, assignments: [{ permissionSet: "ReadOnly", groups: ["nobody"] }] } : t)) },
      /targets\[1\]\.assignments\[0\]\.groups\[0\] is "nobody"; expected a group declared/,
    ],
    [
      "a group id that is not an identity store id",
      { groups: [{ name: "g", id: "not-an-id" }] },
      /groups\[0\]\.id is "not-an-id"; expected an identity store group id/,
    ],
    [
      "an instance ARN of another service",
      { instanceArn: "arn:aws:iam::123456789012:instance/x" },
      /instanceArn is .*expected an Identity Center instance ARN/,
    ],
    ["an unknown key", { boundaryArn: "x" }, /identity-center:boundaryArn is "x"; unknown key/],
  ];
  for (const [what, changes, message] of bad) {
    it(`refuses ${what}, in one line naming the key and the value`, () => {
      assert.throws(parse(changes), (e: unknown) => e instanceof ConfigError && e.problems.some((p) => message.test(p)));
    });
  }
});
