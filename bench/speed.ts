/**
 * The speed a user feels, each figure beside its goal and its floor (`npm run bench`):
 *   - `npm start` on the example, as a user runs it (through npm), median of several runs, against
 *     the floor: the same `npm start` stopped as soon as it has loaded every dependency module a
 *     traced run loaded (npm's own launch, node's start and the dependencies: what no change to this
 *     repository's own code can go below);
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
 * process too), it records every module file of a dependency the process loaded (in load order)
 * and, at exit, the process's peak memory, into the file named by JUMPENV_TRACE.
 */
const TRACER = `
const fs = require("fs");
if (process.env.JUMPENV_TRACE && process.argv.some((a) => a.endsWith("cli/start.ts"))) {
  process.on("exit", () => {
    const modules = Object.keys(require.cache).filter((f) => f.includes("/node_modules/"));
    fs.writeFileSync(process.env.JUMPENV_TRACE, JSON.stringify({ modules, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
  });
}
`;

interface Trace {
  /** The packages those module files belong to (dependencies of dependencies included), by name. */
  readonly packages: readonly string[];
  /** Every module file of a dependency the process loaded (under node_modules), in load order. */
  readonly modules: readonly string[];
  readonly maxRssBytes: number;
}

/**
 * `npm start --silent -- ...args` with `preload` (the source of a module) given to every node
 * process through NODE_OPTIONS, written to a folder that goes when the run ends.
 */
function startWith(preload: string, args: readonly string[], env: NodeJS.ProcessEnv = {}, stdoutFile?: string): Timed {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jumpenv-start-"));
  try {
    const file = path.join(dir, "preload.js");
    fs.writeFileSync(file, preload);
    const nodeOptions = `${process.env.NODE_OPTIONS ?? ""} --require ${file}`.trim();
    return timed("npm", ["start", "--silent", "--", ...args], { ...process.env, ...env, NODE_OPTIONS: nodeOptions }, stdoutFile);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `npm start --silent -- ...args` with the tracer preloaded: its run, what it loaded and its peak memory. */
export function tracedStart(args: readonly string[], stdoutFile?: string): Timed & Trace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jumpenv-trace-"));
  try {
    const out = path.join(dir, "trace.json");
    const run = startWith(TRACER, args, { JUMPENV_TRACE: out }, stdoutFile);
    if (!fs.existsSync(out)) throw new Error(`npm start ${args.join(" ")} left no trace (exit ${run.status}): ${run.stderr.trim()}`);
    const trace = JSON.parse(fs.readFileSync(out, "utf8")) as Omit<Trace, "packages">;
    return { ...run, ...trace, packages: [...new Set(trace.modules.map(packageOf))].sort() };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `npm start` with a preload that, in the process running `cli/start.ts`, requires `modules` and
 * ends the process before any of the repository's own code runs: `npm start` reduced to what it
 * cannot do without.
 */
export function startStoppedAfterLoading(modules: readonly string[]): Timed {
  const preload = `if (process.argv.some((a) => a.endsWith("cli/start.ts"))) {
  for (const m of ${JSON.stringify(modules)}) require(m);
  process.exit(0);
}
`;
  return startWith(preload, []);
}

export interface StartFigures {
  readonly runs: number;
  readonly startSeconds: number;
  /** The same `npm start`, stopped once it has loaded every dependency module the traced run loaded. */
  readonly floorSeconds: number;
  /** The same `npm start`, stopped before it loads anything: npm's own launch and node's start. */
  readonly launchSeconds: number;
  /** The packages the traced run loaded module files of (dependencies of dependencies included), and how many files. */
  readonly packages: readonly string[];
  readonly modules: number;
}

/** The package a module file under node_modules belongs to (`@scope/name` or `name`). */
export function packageOf(file: string): string {
  const rest = file.slice(file.lastIndexOf("/node_modules/") + "/node_modules/".length).split("/");
  return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
}

/**
 * `npm start` on the example, median of `runs`, and its floor: the same command through the same
 * launcher, stopped as soon as it has required every dependency module file a traced run loaded
 * (a package's entry point alone would leave out the modules it loads lazily, such as
 * `@pulumi/aws`'s `iam`; a bare `node` would leave out npm's own launch, which `npm start` pays).
 * NODE_OPTIONS preloads run before the command line's `-r`, so the floor never loads the
 * TypeScript hook: what lies above the floor is the repository's own code, loading it, planning
 * and proving. The trace is taken from a run whose TypeScript is already cached (a first run would
 * also load the transpiler, which the timed runs do not).
 */
export function startFigures(runs = 5): StartFigures {
  timed("npm", ["start", "--silent"]); // fills the TypeScript cache
  const traced = tracedStart([]);
  if (traced.status !== 0) throw new Error(`npm start failed (exit ${traced.status}): ${traced.stderr.trim()}`);
  const start: number[] = [];
  const floor: number[] = [];
  const launch: number[] = [];
  for (let i = 0; i < runs; i++) {
    start.push(timed("npm", ["start", "--silent"]).seconds);
    const f = startStoppedAfterLoading(traced.modules);
    if (f.status !== 0) throw new Error(`npm start stopped after loading its dependencies failed (exit ${f.status}): ${f.stderr.trim()}`);
    floor.push(f.seconds);
    launch.push(startStoppedAfterLoading([]).seconds);
  }
  return {
    runs,
    startSeconds: median(start),
    floorSeconds: median(floor),
    launchSeconds: median(launch),
    packages: traced.packages,
    modules: traced.modules.length,
  };
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
  // The same ratio with the launch taken off both sides: what the repository's code adds to its dependencies' loading.
  const beyondLaunch = (f.startSeconds - f.launchSeconds) / (f.floorSeconds - f.launchSeconds);
  return [
    `npm start (example), median of ${f.runs}: ${s(f.startSeconds)}  goal <= ${s(GOALS.startSeconds)}: ${verdict(f.startSeconds <= GOALS.startSeconds)}`,
    `  floor, the same npm start stopped once it has loaded the ${f.modules.toLocaleString("en-US")} module files of the ${f.packages.length} packages it loads: ${s(f.floorSeconds)}; ratio ${ratio.toFixed(2)}x  goal <= ${GOALS.startOverFloor}x: ${verdict(ratio <= GOALS.startOverFloor)}`,
    `  of which npm's and node's own launch: ${s(f.launchSeconds)}; without it on either side, ${beyondLaunch.toFixed(2)}x`,
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
