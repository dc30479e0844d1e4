/**
 * `npm run bench`: what the offline plan costs. For the example environment and for generated
 * environments of 10 and 50 target stacks (written to a temporary folder and read back through
 * the same `--env` loader), it prints the wall time of planning the stacks under mocks (and per
 * stack), of the policy pack, of the access proof, and the evaluator's checks per second.
 *
 * Then the speed a user feels, each figure beside its goal and floor (bench/speed.ts): `npm start`
 * against the time to load its own dependencies, `npm test`, and with `--scale` the 1,000 x 1,000
 * plan and its `--json` form.
 *
 *   npm run bench                    sizes 10 and 50, npm start, npm test
 *   npm run bench -- 10 100 --users 20
 *   npm run bench -- --no-test       without timing npm test (about a minute)
 *   npm run bench -- --scale         also the 1,000 x 1,000 plan (minutes)
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { evaluate } from "../verify/access/evaluator";
import { benchScale, renderScale } from "./bench-scale";
import { generateEnvironment, writeEnvironment } from "../verify/harness/generate";
import { loadEnvironment } from "../verify/harness/environment";
import { planAndProve } from "../verify/plan/plan";
import type { PlanReport } from "../verify/plan/report";
import { loadLine, renderScaleRuns, renderStart, renderTest, scaleRuns, startFigures, testSeconds } from "./speed";

export interface BenchRow {
  readonly label: string;
  readonly stacks: number;
  readonly resources: number;
  readonly planSeconds: number;
  readonly packSeconds: number;
  readonly accessSeconds: number;
  readonly evaluateSeconds: number;
  readonly checks: number;
  readonly failed: number;
}

function row(label: string, r: PlanReport): BenchRow {
  return {
    label,
    stacks: r.stacks.length,
    resources: r.stacks.reduce((n, s) => n + s.resources.length, 0),
    planSeconds: r.seconds.plan,
    packSeconds: r.seconds.pack,
    accessSeconds: r.seconds.access,
    evaluateSeconds: r.seconds.evaluate,
    checks: r.checks.length,
    failed: r.checks.filter((c) => !c.ok).length + r.violations.filter((v) => v.enforcementLevel === "mandatory").length,
  };
}

/** Plan a generated environment of `accounts` target stacks through the `--env` loader. */
export async function benchGenerated(accounts: number, users: number): Promise<BenchRow> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jumpenv-bench-"));
  try {
    writeEnvironment(dir, generateEnvironment({ accounts, users }));
    const report = await planAndProve(loadEnvironment(dir));
    return row(`generated: ${accounts} targets, ${users} users`, report);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchExample(): Promise<BenchRow> {
  return row("example environment", await planAndProve(loadEnvironment()));
}

/** The evaluator alone: one realistic role-session request (AdministratorAccess, the seed boundary), `n` times. */
export async function evaluatorThroughput(n = 2000): Promise<number> {
  const report = await planAndProve(loadEnvironment());
  const sample = report.checks.find((c) => c.expectation.id === "session-no-create-role-without-boundary")!.expectation.request;
  await evaluate(sample);
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await evaluate(sample);
  return n / (Number(process.hrtime.bigint() - t) / 1e9);
}

function fmt(s: number): string {
  return `${s.toFixed(2)} s`;
}

export function renderRows(rows: readonly BenchRow[]): string {
  const head = ["environment", "stacks", "resources", "plan", "per stack", "pack", "access proof", "checks", "checks/s", "failed"];
  const body = rows.map((r) => [
    r.label,
    String(r.stacks),
    String(r.resources),
    fmt(r.planSeconds),
    `${Math.round((r.planSeconds / r.stacks) * 1000)} ms`,
    fmt(r.packSeconds),
    fmt(r.accessSeconds),
    String(r.checks),
    String(Math.round(r.checks / r.evaluateSeconds)),
    String(r.failed),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(head), ...body.map(line)].join("\n");
}

export async function main(argv: readonly string[]): Promise<number> {
  const sizes: number[] = [];
  let users = 10;
  let suite = true;
  let scale = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--users") users = Number(argv[++i]);
    else if (argv[i] === "--no-test") suite = false;
    else if (argv[i] === "--scale") scale = true;
    else sizes.push(Number(argv[i]));
  }
  if (sizes.length === 0) sizes.push(10, 50);
  if (![...sizes, users].every((n) => Number.isInteger(n) && n > 0)) {
    process.stderr.write("error: usage: npm run bench -- [TARGETS...] [--users N] [--no-test] [--scale]\n");
    return 2;
  }
  process.stdout.write(`Offline plan benchmark (Node ${process.version}, ${os.cpus()[0]?.model ?? "cpu"}); warming up...\n`);
  await benchExample(); // the first run pays for loading the programs and the SDKs
  const rows = [await benchExample()];
  for (const n of sizes) rows.push(await benchGenerated(n, users));
  process.stdout.write(`${renderRows(rows)}\n`);
  process.stdout.write(
    `plan = the stack programs under Pulumi's mocks; access proof = catalogue, model, expectations and evaluation; checks/s = evaluation only\n`,
  );
  process.stdout.write(`evaluator alone, one role-session request 2000 times: ${Math.round(await evaluatorThroughput())} checks/s\n`);
  process.stdout.write(`\nScale (names at IAM's maximum, 3 groups, 2 role kinds per account, hardened boundaries):\n`);
  const scaleRows = [];
  for (const n of [10, 100, 1000]) scaleRows.push(await benchScale(n));
  process.stdout.write(`${renderScale(scaleRows)}\n`);

  process.stdout.write(`\nThe speed a user feels (goal and floor beside each figure; ${loadLine()}):\n`);
  for (const line of renderStart(startFigures())) process.stdout.write(`${line}\n`);
  if (suite) for (const line of renderTest(testSeconds())) process.stdout.write(`${line}\n`);
  if (scale) {
    process.stdout.write(`(generating 1,000 x 1,000 and planning it twice; ${loadLine()})\n`);
    for (const line of renderScaleRuns(scaleRuns())) process.stdout.write(`${line}\n`);
    process.stdout.write(`${loadLine()}\n`);
  } else process.stdout.write("1,000 x 1,000 plan: npm run bench -- --scale (minutes; docs/scale.md has the last figures)\n");
  return rows.some((r) => r.failed > 0) || scaleRows.some((r) => r.problems > 0) ? 1 : 0;
}
