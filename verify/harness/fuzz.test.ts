/**
 * Fuzzing the config loaders with mutations of the committed stack files: dropped keys, wrong
 * types, case changes, duplicates, long names, odd bytes. Whatever the mutation, `npm start` either
 * plans and proves the environment (exit 0) or refuses it with exit 2 and one line on stderr: never
 * exit 1 for a config it accepted, never a stack trace, never a timeout.
 *
 * The default run (`npm test`) tries FUZZ_RUNS cases (60) through the loaders and the CLI's own
 * `main` in this process, and plans at most FUZZ_FULL_PLANS (1) of the accepted ones to the end;
 * `npm run fuzz` tries many more and plans every accepted one.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import * as YAML from "yaml";
import { ConfigError } from "@jumpenv/shared";
import { checkEnvironment, loadEnvironment, REPO_ROOT } from "./environment";
import { StackFileError } from "./stack-file";
import { main } from "../plan/plan";

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const FULL_PLANS = Number(process.env.FUZZ_FULL_PLANS ?? 1);
/** A refusal is one read of a few small files: anything near a second is a hang in the making. */
const REFUSAL_MS = 1000;
const PLAN_MS = 30_000;

/** The committed example environment, file by file (relative path -> text). */
const BASE: Readonly<Record<string, string>> = Object.fromEntries(
  ["jump-account", "target-account"].flatMap((project) =>
    fs
      .readdirSync(path.join(REPO_ROOT, project))
      .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
      .map((f) => [`${project}/${f}`, fs.readFileSync(path.join(REPO_ROOT, project, f), "utf8")]),
  ),
);
const FILES = Object.keys(BASE).sort();

type Step =
  | { readonly kind: "drop" | "case" | "duplicate"; readonly file: number; readonly at: number }
  | { readonly kind: "type"; readonly file: number; readonly at: number; readonly value: unknown }
  | { readonly kind: "long"; readonly file: number; readonly at: number; readonly length: number }
  | { readonly kind: "bytes"; readonly file: number; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: "line"; readonly file: number; readonly at: number };

const wrongValue = fc.constantFrom<unknown>(42, -1, 3.5, true, false, null, "", "x", [], {}, [1], { a: 1 }, "444455556666", ["a"]);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constantFrom("drop" as const, "case" as const, "duplicate" as const), file: fc.nat(), at: fc.nat() }),
  fc.record({ kind: fc.constant("type" as const), file: fc.nat(), at: fc.nat(), value: wrongValue }),
  fc.record({ kind: fc.constant("long" as const), file: fc.nat(), at: fc.nat(), length: fc.integer({ min: 60, max: 300 }) }),
  fc.record({
    kind: fc.constant("bytes" as const),
    file: fc.nat(),
    at: fc.nat(),
    bytes: fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 4 }),
      fc.constantFrom(Uint8Array.of(0), Uint8Array.of(0xff), Uint8Array.of(9), Uint8Array.of(0x26), Uint8Array.of(0x2a)),
    ),
  }),
  fc.record({ kind: fc.constant("line" as const), file: fc.nat(), at: fc.nat() }),
);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

/** Every place in a config map a mutation can land: keys, list entries, nested fields. */
function pathsOf(value: Json, prefix: Path = []): Path[] {
  const out: Path[] = [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push([...prefix, i], ...pathsOf(v, [...prefix, i])));
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) out.push([...prefix, k], ...pathsOf(v, [...prefix, k]));
  return out;
}

function parentOf(root: Json, p: Path): { parent: Json[] | Record<string, Json>; key: string | number } {
  let node = root as Json;
  for (const k of p.slice(0, -1)) node = (node as Record<string | number, Json>)[k];
  return { parent: node as Json[] | Record<string, Json>, key: p[p.length - 1] };
}

function mutateDoc(text: string, s: Step): string {
  let doc: { config?: Json };
  try {
    doc = YAML.parse(text, { logLevel: "error" }) as { config?: Json };
  } catch {
    return text; // an earlier step already broke the YAML: leave it broken
  }
  if (!doc || typeof doc !== "object" || !doc.config || typeof doc.config !== "object") return text;
  const paths = pathsOf(doc.config);
  if (paths.length === 0) return text;
  const { parent, key } = parentOf(doc.config, paths[s.at % paths.length]);
  const get = () => (parent as Record<string | number, Json>)[key];
  const set = (v: Json) => ((parent as Record<string | number, Json>)[key] = v);
  switch (s.kind) {
    case "drop":
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
      break;
    case "type":
      set(s.value as Json);
      break;
    case "case": {
      const v = get();
      if (typeof v === "string") set(v === v.toUpperCase() ? v.toLowerCase() : v.toUpperCase());
      else if (!Array.isArray(parent)) {
        delete parent[key as string];
        parent[(key as string).toUpperCase()] = v;
      }
      break;
    }
    case "duplicate":
      if (Array.isArray(parent)) parent.splice(key as number, 0, structuredClone(get()));
      else parent[`${key as string}`.replace(/[a-z]/, (c) => c.toUpperCase())] = structuredClone(get());
      break;
    case "long": {
      const v = get();
      const seed = typeof v === "string" && v.length > 0 ? v : "n";
      set(seed.repeat(Math.ceil(s.length / seed.length)).slice(0, s.length));
      break;
    }
  }
  return YAML.stringify(doc);
}

function mutateText(text: Buffer, s: Step): Buffer {
  if (s.kind === "bytes") {
    const at = s.at % (text.length + 1);
    return Buffer.concat([text.subarray(0, at), Buffer.from(s.bytes), text.subarray(at)]);
  }
  // "line": a line said twice (a duplicate key, or a list entry twice).
  const lines = text.toString("utf8").split("\n");
  const at = s.at % lines.length;
  lines.splice(at, 0, lines[at]);
  return Buffer.from(lines.join("\n"));
}

function writeEnv(files: Readonly<Record<string, Buffer>>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jumpenv-fuzz-"));
  for (const [rel, bytes] of Object.entries(files)) {
    fs.mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), bytes);
  }
  return dir;
}

function mutated(steps: readonly Step[]): Record<string, Buffer> {
  const files: Record<string, Buffer> = Object.fromEntries(FILES.map((f) => [f, Buffer.from(BASE[f])]));
  for (const s of steps) {
    const f = FILES[s.file % FILES.length];
    files[f] = s.kind === "bytes" || s.kind === "line" ? mutateText(files[f], s) : Buffer.from(mutateDoc(files[f].toString("utf8"), s));
  }
  return files;
}

function assertOneLine(stderr: string, what: string): void {
  assert.ok(
    stderr.endsWith("\n") && stderr.indexOf("\n") === stderr.length - 1,
    `${what}: expected one line, got ${JSON.stringify(stderr)}`,
  );
  assert.doesNotMatch(stderr, /\bat .*\.(ts|js):\d+/, `${what}: a stack trace`);
  assert.match(stderr, /^error: /);
}

describe(`fuzz: mutated stack files give exit 0 or one line and exit 2 (${RUNS} cases)`, function () {
  this.timeout(0);
  let fullPlans = 0;
  let accepted = 0;
  // A library's warning goes to the process's stderr, past the CLI's one line: none may appear.
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
  before(() => process.on("warning", onWarning));
  after(() => process.off("warning", onWarning));
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("the unmutated examples plan and prove", async () => {
    const dir = writeEnv(mutated([]));
    dirs.push(dir);
    let stderr = "";
    const code = await main(["--env", dir], { stdout: () => undefined, stderr: (s) => (stderr += s) });
    assert.equal(code, 0, stderr);
  });

  it("every mutation: the loaders accept it and the plan holds, or the CLI refuses it in one line", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 3 }), async (steps) => {
        const dir = writeEnv(mutated(steps));
        dirs.push(dir);
        const t = Date.now();
        let valid: boolean;
        try {
          checkEnvironment(loadEnvironment(dir));
          valid = true;
        } catch (e) {
          if (!(e instanceof ConfigError || e instanceof StackFileError)) throw e;
          valid = false;
        }
        if (valid) {
          accepted++;
          if (fullPlans >= FULL_PLANS) {
            await new Promise((resolve) => setImmediate(resolve));
            assert.deepEqual(warnings.splice(0), [], "a warning reached stderr");
            return;
          }
          fullPlans++;
        }
        let stderr = "";
        const code = await main(["--env", dir], { stdout: () => undefined, stderr: (s) => (stderr += s) });
        const ms = Date.now() - t;
        await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
        assert.deepEqual(warnings.splice(0), [], "a warning reached stderr");
        if (valid) {
          assert.equal(code, 0, `an accepted config must plan and prove: ${stderr}`);
          assert.ok(ms < PLAN_MS, `${ms} ms`);
        } else {
          assert.equal(code, 2, stderr);
          assertOneLine(stderr, "refusal");
          assert.ok(ms < REFUSAL_MS, `refused after ${ms} ms: ${stderr}`);
        }
      }),
      { numRuns: RUNS, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) },
    );
    // Mutations that keep a config valid exist (a user name in capitals): the oracle saw some.
    if (RUNS >= 200) {
      assert.ok(accepted > 0, "no mutation kept the config valid: the generator is too narrow");
      process.stdout.write(`      ${RUNS} cases: ${accepted} accepted (${fullPlans} planned to the end), ${RUNS - accepted} refused\n`);
    }
  });
});
