/**
 * The pack over what the real programs register: the committed jump-account and target-account
 * stacks run under Pulumi's runtime mocks (verify/harness/environment.ts), jump first, its outputs feeding
 * the targets' stack references: all as `pulumi up`, and the targets as `pulumi preview` (their
 * resources' outputs unknown) against a deployed jump stack, which is what a pull request's
 * preview sees. Each stack gets the pack config CI gives it (`npm run policy-config`: its boundary's
 * name and path, and its account).
 */
import * as assert from "assert";
import * as pulumiOutput from "@pulumi/pulumi/output";
import { loadEnvironment, planEnvironment, type PlannedEnvironment } from "../../verify/harness/environment";
import { runStack, stackNames, type StackRun } from "../../verify/harness/mock-run";
import { packConfigFor } from "../../verify/plan/plan";
import { runPolicies, type OfflineResource, type RunResult } from "../offline";

function resourcesOf(run: StackRun): OfflineResource[] {
  return run.resources.map((r) => ({
    type: r.type,
    urn: r.urn,
    name: r.name,
    props: r.props,
    parent: r.options.parent,
    dependencies: r.options.dependsOn,
  }));
}

describe("whole program: the pack over the committed stacks under mocks", function () {
  this.timeout(120_000);
  const env = loadEnvironment();
  const fileOf = (run: StackRun) => [env.jump, ...env.targets].find((f) => f.stack === run.stack && f.project === run.project)!;
  const check = (run: StackRun, resources = resourcesOf(run)): Promise<RunResult> =>
    runPolicies(resources, {
      config: packConfigFor(fileOf(run), fileOf(run) === env.jump ? "jump" : "target"),
      project: run.project,
      stack: run.stack,
    });

  for (const mode of ["up", "preview"] as const) {
    describe(`as \`pulumi ${mode}\``, () => {
      let planned: PlannedEnvironment;
      before(async () => {
        planned = await planEnvironment(env);
        if (mode === "preview") {
          const stackOutputs = new Map(stackNames(planned.jump).map((n) => [n, planned.jump.outputs]));
          const targets: StackRun[] = [];
          for (const t of env.targets) targets.push(await runStack(t, { preview: true, stackOutputs }));
          planned = { jump: planned.jump, targets };
        }
      });

      it("every stack passes with no violation at all, and the pack saw roles, a boundary and users", async () => {
        const seen = new Set<string>();
        for (const run of [planned.jump, ...planned.targets]) {
          const r = await check(run);
          assert.deepStrictEqual(r.violations, [], `${run.project}/${run.stack}`);
          for (const x of run.resources) seen.add(x.type);
        }
        for (const t of ["aws:iam/role:Role", "aws:iam/policy:Policy", "aws:iam/user:User"]) assert.ok(seen.has(t), t);
        assert.ok(planned.targets.length >= 2);
      });

      it("a variant with a role lacking the boundary fails, naming that role", async () => {
        for (const run of planned.targets) {
          const resources = resourcesOf(run);
          const role = resources.find((r) => r.type === "aws:iam/role:Role");
          assert.ok(role, `${run.stack} registers a role`);
          const variant = resources.map((r) => {
            if (r !== role) return r;
            const { permissionsBoundary: _dropped, ...props } = r.props;
            return { ...r, props };
          });
          const { violations } = await check(run, variant);
          assert.deepStrictEqual(
            violations.map((v) => [v.policy, v.urn, v.enforcementLevel]),
            [["iam-role-requires-permissions-boundary", role.urn, "mandatory"]],
            run.stack,
          );
          assert.match(violations[0].message, new RegExp(`IAM role "${String(role.props.name)}" has no permissions boundary`));
        }
      });

      if (mode === "preview") {
        it("a variant whose boundary is another resource's output (unknown in preview) fails closed", async () => {
          const run = planned.targets[0];
          const resources = resourcesOf(run);
          const role = resources.find((r) => r.type === "aws:iam/role:Role")!;
          // What the runtime records for `permissionsBoundary: boundary.arn` during preview.
          const variant = resources.map((r) =>
            r === role ? { ...r, props: { ...r.props, permissionsBoundary: pulumiOutput.unknown } } : r,
          );
          const { violations } = await check(run, variant);
          assert.deepStrictEqual(
            violations.map((v) => [v.policy, v.urn, v.enforcementLevel]),
            [["iam-role-requires-permissions-boundary", role.urn, "mandatory"]],
          );
          assert.match(violations[0].message, /is unknown during preview/);
        });
      }

      it("the jump stack's users would fail in a target-account stack", async () => {
        const users = resourcesOf(planned.jump).filter((r) => r.type.startsWith("aws:iam/user"));
        assert.ok(users.length > 0);
        const moved = users.map((r) => ({ ...r, urn: r.urn.replace("::jump-account::", "::target-account::") }));
        const { violations } = await runPolicies(moved);
        assert.strictEqual(violations.length, users.length);
      });
    });
  }
});
