/**
 * `npm run --silent ci -- plan --workflow preview|deploy [--changed FILE] [--trusted true|false] [--cloud true|false]`
 *   prints the plan as `key=value` lines for `$GITHUB_OUTPUT` (jump, targets, identity-center, target-matrix,
 *   governance, reason, expect).
 * `npm run --silent ci -- report --results DIR --planned N --run-url URL` prints the pull request
 *   comment of a preview run (ci/report.ts).
 * `npm run --silent ci -- check --expect JSON` reads `NEEDS` (`${{ toJSON(needs) }}`) and exits 1
 *   with one line per problem when a job the plan expects did not succeed.
 */
import * as fs from "fs";
import { checkProblems, type Needs } from "./check";
import { previewComment, readResults } from "./report";
import { expectedJobs, githubOutputs, planCommitted, type WorkflowKind } from "./plan";

class UsageError extends Error {}

function options(argv: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i];
    const v = argv[i + 1];
    if (!k.startsWith("--") || v === undefined)
      throw new UsageError(`expected --option value pairs, got ${JSON.stringify(argv.slice(i).join(" "))}`);
    out.set(k.slice(2), v);
  }
  return out;
}

function bool(opts: Map<string, string>, key: string, fallback: boolean): boolean {
  const v = opts.get(key);
  if (v === undefined) return fallback;
  if (v !== "true" && v !== "false") throw new UsageError(`--${key}: expected true or false, got ${JSON.stringify(v)}`);
  return v === "true";
}

export function main(argv: readonly string[]): number {
  try {
    const [command, ...rest] = argv;
    const opts = options(rest);
    if (command === "plan") {
      const kind = opts.get("workflow");
      if (kind !== "preview" && kind !== "deploy")
        throw new UsageError(`--workflow: expected preview or deploy, got ${JSON.stringify(kind)}`);
      const changedFile = opts.get("changed");
      const changed = changedFile
        ? fs
            .readFileSync(changedFile, "utf8")
            .split("\n")
            .map((l) => l.trim())
            .filter((l) => l !== "")
        : undefined;
      const plan = planCommitted(changed);
      const expect = expectedJobs(kind as WorkflowKind, plan, { trusted: bool(opts, "trusted", true), cloud: bool(opts, "cloud", true) });
      const stacks = plan.jump.length + plan.targets.length + plan.identityCenter.length + (expect.includes("preview-governance") ? 1 : 0);
      process.stdout.write(`${githubOutputs(plan)}stacks=${stacks}\nexpect=${JSON.stringify(expect)}\n`);
      return 0;
    }
    if (command === "check") {
      const expect = JSON.parse(opts.get("expect") ?? "null") as unknown;
      if (!Array.isArray(expect) || expect.length === 0)
        throw new UsageError(
          `--expect: expected a JSON list of job ids (the plan job's "expect" output), got ${JSON.stringify(opts.get("expect"))}`,
        );
      const needs = JSON.parse(process.env.NEEDS ?? "null") as Needs | null;
      if (!needs || typeof needs !== "object") throw new UsageError("NEEDS: expected the JSON of ${{ toJSON(needs) }}");
      const problems = checkProblems(needs, expect as string[]);
      for (const p of problems) process.stdout.write(`${p}\n`);
      if (problems.length === 0) process.stdout.write(`every expected job succeeded: ${expect.join(", ")}\n`);
      return problems.length === 0 ? 0 : 1;
    }
    if (command === "report") {
      const planned = Number(opts.get("planned"));
      if (!Number.isInteger(planned) || planned < 0)
        throw new UsageError(`--planned: expected a count of stacks, got ${JSON.stringify(opts.get("planned"))}`);
      process.stdout.write(`${previewComment(readResults(opts.get("results") ?? "."), opts.get("run-url") ?? "", planned)}\n`);
      return 0;
    }
    throw new UsageError(`expected "plan", "report" or "check", got ${JSON.stringify(command)}`);
  } catch (e) {
    if (e instanceof UsageError || e instanceof SyntaxError) {
      process.stderr.write(`ci: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
