import { strict as assert } from "assert";
import * as path from "path";
import { ConfigError } from "@jumpenv/shared";
import { loadEnvironment, planEnvironment, REPO_ROOT, withConfig, type Environment } from "./environment";
import { ProgramError } from "./mock-run";
import { planInWorker } from "./plan-in-worker";

/** What a rejected plan gave: the error's class, message, the stack it names, its cause and what was registered. */
async function failure(plan: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await plan;
  } catch (e) {
    assert.ok(e instanceof ProgramError, String(e));
    return {
      message: e.message,
      stack: e.stackFile.stack,
      cause: e.cause instanceof ConfigError ? { config: e.cause.problems, oneLine: e.cause.oneLine } : String(e.cause),
      resources: e.resources,
    };
  }
  assert.fail("expected the plan to fail");
}

describe("planning on a worker thread (verify/harness/plan-in-worker.ts)", () => {
  const examples: [string, Environment][] = [
    ["the committed example", loadEnvironment()],
    ["examples/identity-center", loadEnvironment(path.join(REPO_ROOT, "examples", "identity-center"))],
  ];

  for (const [name, env] of examples)
    it(`plans ${name} exactly as this thread does`, async () => {
      const here = await planEnvironment(env);
      const there = await planInWorker(env);
      assert.ok(here.targets.length > 0);
      assert.deepEqual(there, here);
    });

  it("a program's config error comes back as the same ProgramError, ConfigError cause and registered resources", async () => {
    const [example] = examples[0][1].targets;
    const env = { ...examples[0][1], targets: [withConfig(example, { "target-account:jumpStack": "organization/jump-account/nope" })] };
    const there = await failure(planInWorker(env));
    assert.deepEqual(there, await failure(planEnvironment(env)));
    assert.match(String((there.cause as { oneLine: string }).oneLine), /target-account:jumpStack is "organization\/jump-account\/nope"/);
  });

  it("a program that throws something else comes back as an error with its message", async () => {
    const env = examples[0][1];
    const broken = { ...env, jump: { ...env.jump, projectDir: path.join(REPO_ROOT, "no-such-project") } };
    await assert.rejects(planInWorker(broken), (e: unknown) => {
      assert.ok(e instanceof Error && !(e instanceof ConfigError));
      assert.match(e.message, /no-such-project/);
      return true;
    });
  });
});
