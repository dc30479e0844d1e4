/**
 * The speed a user feels, each figure beside its goal and its floor (`npm run bench`):
 *   - `npm start` on the example, as a user runs it (through npm), median of several runs, against
 *     the floor: a bare `node` loading the same packages `npm start` loads (found by tracing one
 *     run), which no change to this repository's own code can go below;
 *   - `npm test`, the whole suite CI runs, wall time;
 *   - with `--scale`, the 1,000 accounts x 1,000 users plan (`npm start -- --env DIR`) and its
 *     `--json` form: wall time, peak memory, and the access proof's checks per second.
 * Timings are wall clock on a shared machine: the load average is printed with them.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { generateEnvironment, writeEnvironment } from "../verify/harness/generate";

export const REPO_ROOT = path.resolve(__dirname, "..");

/** The goals a user feels, in seconds (and bytes, and checks per second). */
export const GOALS = {
  startSeconds: 2.5,
  /** `npm start` within this many times the time to load its own dependencies. */
  startOverFloor: 2,
  testSeconds: 60,
  scalePlanSeconds: 4 * 60,
  scaleJsonSeconds: 6 * 60,
  scaleJsonBytes: 1024 ** 3,
  scaleChecksPerSecond: 2000,
} as const;

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface Timed {
  readonly seconds: number;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run a command to completion and time it (wall clock). With `stdoutFile`, its stdout goes to that
 * file instead of this process's memory (a 1,000 x 1,000 `--json` document is hundreds of MB).
 */
export function timed(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, stdoutFile?: string): Timed {
  const fd = stdoutFile === undefined ? undefined : fs.openSync(stdoutFile, "w");
  try {
    const t = process.hrtime.bigint();
    const r = spawnSync(command, args, {
      cwd: REPO_ROOT,
      env,
      encoding: "utf8",
      maxBuffer: 64 * 1024 ** 2,
      stdio: ["ignore", fd ?? "pipe", "pipe"],
    });
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    if (r.error) throw r.error;
    return { seconds, status: r.status, stdout: r.stdout ?? "", stderr: r.stderr };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * A preload for `node --require`: in the process running `cli/start.ts` only (npm itself is a node
 * process too), it records the packages the repository's own files require and, at exit, the
 * process's peak memory, into the file named by JUMPENV_TRACE.
 */
const TRACER = `
const Module = require("module");
const fs = require("fs");
if (process.env.JUMPENV_TRACE && process.argv.some((a) => a.endsWith("cli/start.ts"))) {
  const packages = new Set();
  const load = Module._load;
  Module._load = function (request, parent) {
    const from = (parent && parent.filename) || "";
    if (!from.includes("/node_modules/") && !/^[./]/.test(request) && !request.startsWith("node:") && !Module.builtinModules.includes(request))
      packages.add(request);
    return load.apply(this, arguments);
  };
  process.on("exit", () => {
    fs.writeFileSync(process.env.JUMPENV_TRACE, JSON.stringify({ packages: [...packages], maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
  });
}
`;

interface Trace {
  readonly packages: readonly string[];
  readonly maxRssBytes: number;
}

/** `npm start --silent -- ...args` with the tracer preloaded: its run, the packages it loaded and its peak memory. */
export function tracedStart(args: readonly string[], stdoutFile?: string): Timed & Trace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jumpenv-trace-"));
  try {
    const tracer = path.join(dir, "tracer.js");
    const out = path.join(dir, "trace.json");
    fs.writeFileSync(tracer, TRACER);
    const env = { ...process.env, JUMPENV_TRACE: out, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${tracer}`.trim() };
    const run = timed("npm", ["start", "--silent", "--", ...args], env, stdoutFile);
    if (!fs.existsSync(out)) throw new Error(`npm start ${args.join(" ")} left no trace (exit ${run.status}): ${run.stderr.trim()}`);
    return { ...run, ...(JSON.parse(fs.readFileSync(out, "utf8")) as Trace) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface StartFigures {
  readonly runs: number;
  readonly startSeconds: number;
  readonly floorSeconds: number;
  readonly packages: readonly string[];
}

/**
 * `npm start` on the example, median of `runs`, and its floor: `node` requiring the packages
 * `npm start` loads (the TypeScript hook among them), median of as many runs.
 */
export function startFigures(runs = 5): StartFigures {
  const traced = tracedStart([]);
  if (traced.status !== 0) throw new Error(`npm start failed (exit ${traced.status}): ${traced.stderr.trim()}`);
  // The repository's own workspaces (@jumpenv/shared) are code of this repository, not a floor.
  const packages = traced.packages.filter((p) =>
    fs.realpathSync(require.resolve(p, { paths: [REPO_ROOT] })).includes(`${path.sep}node_modules${path.sep}`),
  );
  const load = `for (const p of ${JSON.stringify(packages)}) require(require.resolve(p, { paths: [${JSON.stringify(REPO_ROOT)}] }));`;
  const start: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < runs; i++) {
    start.push(timed("npm", ["start", "--silent"]).seconds);
    floor.push(timed(process.execPath, ["-e", load]).seconds);
  }
  return { runs, startSeconds: median(start), floorSeconds: median(floor), packages };
}

/** `npm test` as CI runs it, wall clock. */
export function testSeconds(): { seconds: number; status: number | null; summary: string } {
  const r = timed("npm", ["test", "--silent"]);
  const summary = `${r.stdout}${r.stderr}`.match(/^\s*(\d+ passing.*|\d+ failing.*)$/gm) ?? [];
  return { seconds: r.seconds, status: r.status, summary: summary.map((s) => s.trim()).join(", ") };
}

export interface ScaleRun {
  readonly seconds: number;
  readonly maxRssBytes: number;
  readonly status: number | null;
  readonly summary: string;
  readonly checksPerSecond?: number;
}

/** The 1,000 x 1,000 plan (names at IAM's maximum, as docs/scale.md), as text and as `--json`. */
export function scaleRuns(accounts = 1000, users = 1000): { text: ScaleRun; json: ScaleRun } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jumpenv-scale-"));
  try {
    writeEnvironment(dir, generateEnvironment({ accounts, users, groups: 3, roleKinds: 2, nameLength: 64 }));
    const text = tracedStart(["--env", dir]);
    const timing = /^Time: .*?([\d,]+) checks evaluated at ([\d,]+) checks\/s/m.exec(text.stdout);
    const summary = /^(OK|FAILED): .*$/m.exec(text.stdout)?.[0] ?? text.stderr.trim().split("\n")[0];
    const document = path.join(dir, "plan.json");
    const json = tracedStart(["--json", "--env", dir], document);
    const bytes = fs.statSync(document).size;
    return {
      text: {
        seconds: text.seconds,
        maxRssBytes: text.maxRssBytes,
        status: text.status,
        summary,
        ...(timing ? { checksPerSecond: Number(timing[2].replace(/,/g, "")) } : {}),
      },
      json: {
        seconds: json.seconds,
        maxRssBytes: json.maxRssBytes,
        status: json.status,
        summary: `${Math.round(bytes / 1024 ** 2)} MB of JSON`,
      },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const s = (x: number) => `${x.toFixed(2)} s`;
const mb = (b: number) => `${Math.round(b / 1024 ** 2)} MB`;
const verdict = (ok: boolean) => (ok ? "meets" : "MISSES");

export function renderStart(f: StartFigures): string[] {
  const ratio = f.startSeconds / f.floorSeconds;
  return [
    `npm start (example), median of ${f.runs}: ${s(f.startSeconds)}  goal <= ${s(GOALS.startSeconds)}: ${verdict(f.startSeconds <= GOALS.startSeconds)}`,
    `  floor, node loading the ${f.packages.length} packages npm start loads: ${s(f.floorSeconds)}; ratio ${ratio.toFixed(2)}x  goal <= ${GOALS.startOverFloor}x: ${verdict(ratio <= GOALS.startOverFloor)}`,
  ];
}

export function renderTest(t: ReturnType<typeof testSeconds>): string[] {
  return [
    `npm test (everything CI runs): ${s(t.seconds)}, exit ${t.status} (${t.summary})  goal <= ${GOALS.testSeconds} s: ${verdict(t.seconds <= GOALS.testSeconds && t.status === 0)}`,
  ];
}

export function renderScaleRuns(r: { text: ScaleRun; json: ScaleRun }): string[] {
  const cps = r.text.checksPerSecond;
  return [
    `1,000 x 1,000 plan: ${s(r.text.seconds)}, peak ${mb(r.text.maxRssBytes)}, exit ${r.text.status}: ${r.text.summary}  goal <= ${GOALS.scalePlanSeconds} s: ${verdict(r.text.seconds <= GOALS.scalePlanSeconds && r.text.status === 0)}`,
    `  access proof: ${cps === undefined ? "?" : cps} checks/s  goal >= ${GOALS.scaleChecksPerSecond}: ${verdict((cps ?? 0) >= GOALS.scaleChecksPerSecond)}`,
    `  --json: ${s(r.json.seconds)}, peak ${mb(r.json.maxRssBytes)}, exit ${r.json.status}, ${r.json.summary}  goal <= ${GOALS.scaleJsonSeconds} s within ${mb(GOALS.scaleJsonBytes)}: ${verdict(r.json.seconds <= GOALS.scaleJsonSeconds && r.json.maxRssBytes <= GOALS.scaleJsonBytes && r.json.status === 0)}`,
  ];
}

export function loadLine(): string {
  return `machine: ${os.cpus().length} cores, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`;
}
