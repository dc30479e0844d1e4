import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadEnvironment, REPO_ROOT, type PlannedEnvironment } from "../harness/environment";
import { changeResource } from "../harness/mutate";
import { generateEnvironment, writeEnvironment } from "../harness/generate";
import { main, parseArgs, planAndProve, UsageError, type PlanOptions } from "./plan";
import { planHolds, toJson, type PlanJson } from "./report";
import { useSimulatorCaches } from "../access/simulator-caches";

/** `npm start` as a user runs it (`--silent`: npm prints its own banner on stdout otherwise). */
function npmStart(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync("npm", ["start", "--silent", "--", ...args], { cwd: REPO_ROOT, encoding: "utf8", timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "jumpenv-plan-test-"));
}

describe("npm start (verify/plan/plan.ts)", () => {
  // Spawned once: what a user sees from `npm start`, through npm and cli/run.ts. The other cases
  // call `main` in this process, where only the process boundary itself would differ.
  let report: ReturnType<typeof npmStart> | undefined;
  const exampleReport = () => (report ??= npmStart([]));

  it("plans the example environment and prints the report, exit 0", () => {
    const r = exampleReport();
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, "");
    assert.match(
      r.stdout,
      /^Stacks \(deploy order\)\n {2}jump-account\/jump +\d+ resources\n {2}target-account\/sandbox +\d+ resources\n {2}target-account\/seed-target +\d+ resources$/m,
    );
    assert.match(r.stdout, /^Policy pack jump-account-guardrails: \d+ policies over \d+ resources: no violations$/m);
    assert.match(r.stdout, /^ {4}✔ may not create IAM users +denied: test-pb-policy statement #2$/m);
    assert.match(
      r.stdout,
      /^ {4}✔ its Jump users may not assume it without MFA \(console, access key\) ×2 +denied: no Allow in the trust policy$/m,
    );
    assert.doesNotMatch(r.stdout, /✘/);
    assert.match(r.stdout, /^OK: 3 stacks, \d+ resources, 0 violations, (\d+)\/\1 access checks hold \(\d+\.\d s\)\n$/m);
    // Below the size from which workers start by default, the proof stays on this thread.
    assert.match(r.stdout, /^Time: .* checks evaluated at \d+ checks\/s on this thread\)$/m);
  });

  it("the README's sample report is what npm start prints (every line of the excerpt, in order)", () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Sample report"));
    const excerpt = section.slice(section.indexOf("```text\n") + 8, section.indexOf("\n```", section.indexOf("```text\n")));
    const r = exampleReport();
    assert.equal(r.status, 0, r.stderr);
    const actual = r.stdout.split("\n");
    let at = 0;
    for (const line of excerpt.split("\n")) {
      if (line.trim().startsWith("...")) continue;
      // The wall time is the one thing that differs from run to run.
      const pattern = new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\\\(\d+\\\.\d s\\\)/, "\\(\\d+\\.\\d s\\)")}$`);
      const found = actual.findIndex((a, i) => i >= at && pattern.test(a));
      assert.ok(found >= 0, `README sample line not in the report (or out of order): ${JSON.stringify(line)}`);
      at = found + 1;
    }
  });

  it("--json prints one JSON document carrying every stack, violation and check, in the issue's shape", async () => {
    const r = await run(["--json"]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as PlanJson;
    assert.deepEqual(Object.keys(doc), ["stacks", "violations", "checks", "escalations"]);
    assert.deepEqual(
      doc.stacks.map((s) => `${s.project}/${s.stack}`),
      ["jump-account/jump", "target-account/sandbox", "target-account/seed-target"],
    );
    for (const s of doc.stacks) {
      assert.deepEqual(Object.keys(s), ["project", "stack", "resources", "outputs"]);
      for (const res of s.resources) assert.deepEqual(Object.keys(res), ["type", "name", "urn", "props", "options"]);
    }
    const role = doc.stacks[2].resources.find((x) => x.type === "aws:iam/role:Role")!;
    assert.equal(typeof role.props.assumeRolePolicy, "string", "props as the program passed them: the document is a JSON string");
    assert.equal(doc.stacks[0].outputs.jumpAccountId, "111122223333");
    assert.deepEqual(doc.violations, []);
    assert.ok(doc.checks.length > 100);
    for (const c of doc.checks) {
      assert.deepEqual(Object.keys(c), ["account", "principal", "action", "resource", "context", "expected", "actual", "ok"]);
      assert.equal(c.ok, true);
    }
    const createUser = doc.checks.find((c) => c.action === "iam:CreateUser" && c.account === "444455556666")!;
    assert.deepEqual(
      [createUser.principal, createUser.expected, createUser.actual],
      ["arn:aws:sts::444455556666:assumed-role/test-restricted-admin-role/test-pb-user", "Denied", "ExplicitlyDenied"],
    );
    assert.equal(createUser.context["aws:PrincipalArn"], "arn:aws:iam::444455556666:role/test-restricted-admin-role");
  });

  // --json writes its document as the checks are evaluated; it must still be the one document.
  const streamed = async (argv: string[], opts: PlanOptions) => {
    const writes: string[] = [];
    const code = await main(argv, { stdout: (s) => writes.push(s), stderr: (s) => writes.push(`stderr: ${s}`) }, opts);
    return { code, writes };
  };
  const now = new Date("2026-06-01T00:00:00Z");

  it("--json is written check by check, byte for byte the document of the whole report", async () => {
    const { code, writes } = await streamed(["--json"], { now });
    assert.equal(code, 0, writes.join(""));
    const whole = await planAndProve(loadEnvironment(), { now });
    assert.equal(writes.join(""), `${JSON.stringify(toJson(whole), null, 2)}\n`);
    assert.equal(writes.length, whole.checks.length + 2, "the head, one write per check, the end");
  });

  it("--json streamed with sampling, violations and failed checks is still the whole report's document", async () => {
    // The seed role registered without its boundary: the pack and the proof both fail it.
    const mutate = (p: PlannedEnvironment) =>
      changeResource(p, { stack: "seed-target", type: "aws:iam/role:Role", name: "test-restricted-admin-role" }, (props) => ({
        ...props,
        permissionsBoundary: undefined,
      }));
    const opts: PlanOptions = { now, mutate, sampleAbovePairs: 1, usersPerRole: 1 };
    const { code, writes } = await streamed(["--json"], opts);
    const whole = await planAndProve(loadEnvironment(), opts);
    assert.ok(whole.sampling, "the proof sampled");
    assert.ok(
      whole.violations.some((v) => v.enforcementLevel === "mandatory"),
      "a mandatory violation",
    );
    assert.ok(
      whole.checks.some((c) => !c.ok),
      "a failed check",
    );
    assert.equal(code, 1);
    assert.equal(writes.join(""), `${JSON.stringify(toJson(whole), null, 2)}\n`);
    // --json keeps only the failed checks in memory once written: exactly those, so a failed check alone still fails the run.
    const failedOnly = await planAndProve(loadEnvironment(), { ...opts, keepPassingChecks: false });
    assert.equal(JSON.stringify(toJson(failedOnly).checks), JSON.stringify(toJson(whole).checks.filter((c) => !c.ok)));
    assert.equal(planHolds({ violations: [], checks: failedOnly.checks }), false);
  });

  it("the evaluator's caches change no verdict: --json with them off is byte for byte the same document", async () => {
    // Denials, failures and sampling too: the mutated environment of the case above.
    const mutate = (p: PlannedEnvironment) =>
      changeResource(p, { stack: "seed-target", type: "aws:iam/role:Role", name: "test-restricted-admin-role" }, (props) => ({
        ...props,
        permissionsBoundary: undefined,
      }));
    for (const opts of [{ now }, { now, mutate, sampleAbovePairs: 1, usersPerRole: 1 }] as PlanOptions[]) {
      const cachedDoc = JSON.stringify(toJson(await planAndProve(loadEnvironment(), opts)), null, 2);
      useSimulatorCaches(false);
      try {
        const uncachedDoc = JSON.stringify(toJson(await planAndProve(loadEnvironment(), opts)), null, 2);
        assert.equal(cachedDoc, uncachedDoc);
      } finally {
        useSimulatorCaches(true);
      }
    }
  });

  it("checks and escalation catalogues evaluated on worker threads give the same document, in the same order, as on this thread", async () => {
    const mutate = (p: PlannedEnvironment) =>
      changeResource(p, { stack: "seed-target", type: "aws:iam/role:Role", name: "test-restricted-admin-role" }, (props) => ({
        ...props,
        permissionsBoundary: undefined,
      }));
    const dir = tempDir();
    try {
      writeEnvironment(dir, generateEnvironment({ accounts: 4, users: 9 }));
      for (const [env, opts] of [
        [loadEnvironment(), { now, mutate, sampleAbovePairs: 1, usersPerRole: 1 }],
        [loadEnvironment(dir), { now }],
        // Identity Center's provisioned role plays the catalogue's attacker too.
        [loadEnvironment(path.join(REPO_ROOT, "examples", "identity-center")), { now }],
      ] as const) {
        const one = await planAndProve(env, { ...opts, workers: 0 });
        // One worker (the default on 2 cores): this thread evaluates every batch the worker has no room for.
        const two = await planAndProve(env, { ...opts, workers: 1 });
        assert.ok(one.checks.length > 50);
        assert.equal(JSON.stringify(toJson(two), null, 2), JSON.stringify(toJson(one), null, 2));
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("--env DIR with a bad config value exits 2 with one line naming the stack, key and value, and no stack trace", () => {
    const dir = tempDir();
    try {
      const gen = generateEnvironment({ accounts: 1, users: 2 });
      writeEnvironment(dir, { ...gen, jumpConfig: { ...gen.jumpConfig, "jump-account:cliSourceProfile": "no spaces allowed" } });
      const r = npmStart(["--env", dir]);
      assert.equal(r.status, 2);
      assert.equal(r.stdout, "");
      assert.equal(
        r.stderr,
        'error: stack "jump": jump-account:cliSourceProfile is "no spaces allowed"; expected an AWS CLI profile name\n',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("--env DIR plans that environment's stacks instead of the committed ones", async () => {
    const dir = tempDir();
    try {
      writeEnvironment(dir, generateEnvironment({ accounts: 2, users: 3 }));
      const r = await run(["--json", "--env", dir]);
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout) as PlanJson;
      assert.deepEqual(
        doc.stacks.map((s) => `${s.project}/${s.stack}`),
        ["jump-account/jump", "target-account/t0", "target-account/t1"],
      );
      assert.deepEqual([...new Set(doc.checks.map((c) => c.account))].sort(), ["111111111111", "200000000000", "200000000001"]);
      assert.ok(doc.checks.every((c) => c.ok));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("exits 2 with one line on bad arguments", async () => {
    for (const [argv, line] of [
      [["--bogus"], 'error: unknown argument "--bogus" (see --help)\n'],
      [["--env"], "error: --env needs a directory: --env DIR (see --help)\n"],
      [["--env", "/no/such/dir"], "error: --env /no/such/dir: no such directory (see --help)\n"],
    ] as const) {
      const r = await run([...argv]);
      assert.deepEqual([r.code, r.stdout, r.stderr], [2, "", line], argv.join(" "));
    }
    // --help answers whatever else is given.
    const help = await run(["--workers", "many", "--bogus", "-h"]);
    assert.deepEqual([help.code, help.stderr], [0, ""]);
    assert.match(help.stdout, /^usage: npm start -- /);
  });

  it("exits 2 when --env DIR holds no jump-account stack", async () => {
    const dir = tempDir();
    try {
      const r = await run(["--env", dir]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^error: .*jump-account: expected exactly one jump-account stack file \(Pulumi\.<stack>\.yaml\), found 0\n$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("parses its arguments", () => {
    assert.deepEqual(parseArgs([]), { json: false, help: false });
    assert.deepEqual(parseArgs(["--json", "--env=x"]), { json: true, help: false, envDir: "x" });
    assert.deepEqual(parseArgs(["--env", "x", "--help"]), { json: false, help: true, envDir: "x" });
    assert.throws(() => parseArgs(["--env", "a", "--env", "b"]), UsageError);
    assert.deepEqual(parseArgs(["--workers", "0"]), { json: false, help: false, workers: 0 });
    assert.deepEqual(parseArgs(["--workers=3", "--json"]), { json: true, help: false, workers: 3 });
    for (const [argv, message] of [
      [["--workers"], /^--workers needs a whole number from 0 to 64, got nothing$/],
      [["--workers", "-1"], /got "-1"$/],
      [["--workers", "1.5"], /got "1\.5"$/],
      [["--workers", "65"], /got "65"$/],
      [["--workers", "1e3"], /got "1e3"$/],
      [["--workers=", "2"], /got ""$/],
      [["--workers", "2", "--workers", "2"], /^--workers given twice$/],
    ] as const)
      assert.throws(
        () => parseArgs(argv),
        (e: Error) => e instanceof UsageError && message.test(e.message),
        argv.join(" "),
      );
  });

  it("--workers N evaluates the proof on N worker threads (the report says how many)", async () => {
    const runWith = async (...argv: string[]) => {
      let stdout = "";
      const code = await main(argv, { stdout: (s) => (stdout += s), stderr: () => undefined });
      return { code, time: /^Time: .*$/m.exec(stdout)?.[0] ?? stdout };
    };
    // The example has no workers by default (the example's report test says so).
    const one = await runWith("--workers", "1");
    assert.equal(one.code, 0);
    assert.match(one.time, / checks\/s by this thread and 1 worker thread\)$/);
    // Never more workers than there is work for: the example has a few batches (a role or a user each), not 64.
    const capped = Number(/ by this thread and (\d+) worker threads?\)$/.exec((await runWith("--workers", "64")).time)?.[1]);
    assert.ok(capped >= 1 && capped < 64, String(capped));
    let stderr = "";
    assert.equal(await main(["--workers", "many"], { stdout: () => undefined, stderr: (s) => (stderr += s) }), 2);
    assert.match(stderr, /^error: --workers needs a whole number from 0 to 64, got "many" \(see --help\)\n$/);
  });
});
