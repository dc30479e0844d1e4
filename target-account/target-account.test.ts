import { strict as assert } from "assert";
import { ConfigError } from "@jumpenv/shared";
import { loadEnvironment, planEnvironment, withConfig, type PlannedEnvironment } from "../verify/harness/environment";
import { ProgramError, runStack, stackNames, type RegisteredResource, type StackRun } from "../verify/harness/mock-run";

function ofType(run: StackRun, type: string): RegisteredResource[] {
  return run.resources.filter((r) => r.type === type);
}

describe("target-account program (example stacks, under mocks)", () => {
  let plan: PlannedEnvironment;
  let seed: StackRun;
  let sandbox: StackRun;
  const env = loadEnvironment();
  const jumpOutputs = () => new Map(stackNames(plan.jump).map((n) => [n, plan.jump.outputs]));

  before(async () => {
    plan = await planEnvironment(env);
    seed = plan.targets.find((t) => t.stack === "seed-target")!;
    sandbox = plan.targets.find((t) => t.stack === "sandbox")!;
  });

  it("creates the boundary and one role per contract role, all under the TargetAccount component", () => {
    const [component] = ofType(sandbox, "jumpenv:index:TargetAccount");
    for (const r of sandbox.resources.filter((x) => x !== component)) assert.equal(r.options.parent, component.urn);
    assert.deepEqual(
      ofType(sandbox, "aws:iam/role:Role")
        .map((r) => r.props.name)
        .sort(),
      ["read-only", "restricted-admin"],
    );
    assert.equal(ofType(sandbox, "aws:iam/policy:Policy").length, 1);
  });

  it("caps every role with the boundary, by its deterministic ARN, created after it", () => {
    for (const run of [seed, sandbox]) {
      const [boundary] = ofType(run, "aws:iam/policy:Policy");
      const expected = `arn:aws:iam::${run.outputs.accountId}:policy/${boundary.props.name}`;
      assert.equal(run.outputs.boundaryPolicyArn, expected);
      for (const role of ofType(run, "aws:iam/role:Role")) {
        assert.equal(role.props.permissionsBoundary, expected);
        assert.ok(role.options.dependsOn.includes(boundary.urn), `${role.name} does not depend on the boundary`);
      }
    }
  });

  it("attaches AdministratorAccess by default and the configured policies otherwise", () => {
    const attached = ofType(sandbox, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
      .map((a) => `${a.props.role} ${a.props.policyArn}`)
      .sort();
    assert.deepEqual(attached, [
      "read-only arn:aws:iam::aws:policy/ReadOnlyAccess",
      "restricted-admin arn:aws:iam::aws:policy/AdministratorAccess",
    ]);
  });

  it("trusts only the mapped Jump users, only with MFA, with the optional MFA age bound", () => {
    const roles = Object.fromEntries(
      ofType(sandbox, "aws:iam/role:Role").map((r) => [r.props.name, JSON.parse(String(r.props.assumeRolePolicy))]),
    );
    const admin = roles["restricted-admin"].Statement[0];
    assert.equal(admin.Principal.AWS, "arn:aws:iam::111122223333:user/alice");
    assert.deepEqual(admin.Condition, {
      Bool: { "aws:MultiFactorAuthPresent": "true" },
      NumericLessThan: { "aws:MultiFactorAuthAge": "3600" },
    });
    assert.deepEqual(roles["read-only"].Statement[0].Principal.AWS, [
      "arn:aws:iam::111122223333:user/alice",
      "arn:aws:iam::111122223333:user/carol",
    ]);
  });

  it("applies maxSessionDuration from config", () => {
    const admin = ofType(sandbox, "aws:iam/role:Role").find((r) => r.props.name === "restricted-admin")!;
    assert.equal(admin.props.maxSessionDuration, 7200);
  });

  it("protects the boundary and the roles by default, and not when enableProtection is false", () => {
    for (const r of [...ofType(seed, "aws:iam/policy:Policy"), ...ofType(seed, "aws:iam/role:Role")])
      assert.equal(r.options.protect, true, r.name);
    for (const r of [...ofType(sandbox, "aws:iam/policy:Policy"), ...ofType(sandbox, "aws:iam/role:Role")])
      assert.equal(r.options.protect, false, r.name);
  });

  it("knows the boundary ARN during preview, before anything exists", async () => {
    const preview = await runStack(env.targets[0], { stackOutputs: jumpOutputs(), preview: true });
    for (const role of ofType(preview, "aws:iam/role:Role"))
      assert.match(String(role.props.permissionsBoundary), /^arn:aws:iam::\d{12}:policy\//);
  });

  it("refuses an account the jump stack does not list, and registers no AWS resource", async () => {
    const wrong = withConfig(env.targets[0], { "aws:allowedAccountIds": '["999988887777"]' });
    await assert.rejects(runStack(wrong, { stackOutputs: jumpOutputs() }), (e: unknown) => {
      assert.ok(e instanceof ProgramError && e.cause instanceof ConfigError);
      assert.match(
        e.message,
        /aws:allowedAccountIds is \["999988887777"\], but jump stack "organization\/jump-account\/jump" lists no such target/,
      );
      assert.deepEqual(
        e.resources.filter((r) => r.type.startsWith("aws:")),
        [],
      );
      return true;
    });
  });

  it("reads the jump stack's outputs the same way every time: a repeated read answers as the first, and the outputs are frozen", async () => {
    // The planner serializes one outputs object once for all the targets (verify/harness/mock-run.ts).
    const outputs = structuredClone(plan.jump.outputs);
    const refs = new Map(stackNames(plan.jump).map((n) => [n, outputs]));
    const first = await runStack(env.targets[0], { stackOutputs: refs });
    const again = await runStack(env.targets[0], { stackOutputs: refs });
    assert.deepEqual(again.resources, first.resources);
    assert.deepEqual(
      first.resources.map((r) => r.props),
      plan.targets.find((t) => t.stack === env.targets[0].stack)!.resources.map((r) => r.props),
    );
    assert.ok(Object.isFrozen(outputs) && Object.isFrozen((outputs.targets as object[])[0]));
    assert.throws(() => {
      (outputs.targets as { name: string }[])[0].name = "changed";
    }, TypeError);
  });

  it("fails loudly, naming the output, when the jump stack lacks a contract output", async () => {
    const partial = new Map(stackNames(plan.jump).map((n) => [n, { ...plan.jump.outputs, targets: undefined }]));
    await assert.rejects(runStack(env.targets[0], { stackOutputs: partial }), (e: unknown) => {
      assert.ok(e instanceof ProgramError && e.cause instanceof ConfigError);
      assert.match(e.message, /has no output "targets"/);
      assert.deepEqual(
        e.resources.filter((r) => r.type.startsWith("aws:")),
        [],
      );
      return true;
    });
  });

  it("a jump stack that cannot be read is one line naming target-account:jumpStack, not the runtime's trace", async () => {
    const wrong = withConfig(env.targets[0], { "target-account:jumpStack": "organization/jump-account/nope" });
    await assert.rejects(runStack(wrong, { stackOutputs: jumpOutputs() }), (e: unknown) => {
      assert.ok(e instanceof ProgramError && e.cause instanceof ConfigError, String(e));
      assert.equal(e.cause.problems.length, 1);
      assert.match(
        e.cause.problems[0],
        /^stack "sandbox": target-account:jumpStack is "organization\/jump-account\/nope", which could not be read \(.*\); expected the fully qualified name of a deployed jump-account stack/,
      );
      assert.ok(!e.cause.problems[0].includes("\n"));
      return true;
    });
  });

  it("registers nothing when its own config is bad", async () => {
    const bad = withConfig(env.targets[0], { "target-account:boundaryPolicyPath": "policies" });
    await assert.rejects(runStack(bad, { stackOutputs: jumpOutputs() }), (e: unknown) => {
      assert.ok(e instanceof ProgramError && e.cause instanceof ConfigError);
      assert.match(e.message, /target-account:boundaryPolicyPath is "policies"; expected an IAM path/);
      assert.equal(e.resources.length, 0);
      return true;
    });
  });
});
