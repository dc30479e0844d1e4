/**
 * The rules the GitHub workflows must keep, as pure checks over parsed workflow YAML. Each
 * returns the problems it finds (empty when the rule holds); test/workflows.test.ts runs them over
 * the committed workflows, and over broken copies to prove each check catches what it guards.
 *
 * Stacks run through `.ci/stacks.sh preview|up <project folder> $STACKS`, several per job, the
 * list coming from the plan job (`npm run --silent ci -- plan`); pulumi/actions only installs the
 * CLI (with a command it would set every stack output, secrets included, as a step output).
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";

export interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  "working-directory"?: string;
}

export interface Job {
  name?: string;
  needs?: string | string[];
  if?: string;
  environment?: string | { name: string };
  permissions?: Record<string, string> | string;
  strategy?: { matrix?: unknown; "fail-fast"?: boolean };
  outputs?: Record<string, string>;
  steps?: Step[];
}

export interface Workflow {
  name?: string;
  on?: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  concurrency?: unknown;
  jobs: Record<string, Job>;
}

export interface LoadedWorkflow {
  readonly file: string;
  readonly doc: Workflow;
}

export function loadWorkflows(dir: string): LoadedWorkflow[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ file: f, doc: YAML.parse(fs.readFileSync(path.join(dir, f), "utf8")) as Workflow }));
}

/** A deep copy to break on purpose. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function needsOf(job: Job): string[] {
  return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}

/** A step that runs a Pulumi operation on stacks, and which one. */
export interface PulumiOperation {
  readonly job: string;
  readonly step: Step;
  readonly index: number;
  readonly command: string;
  /** The project folder (`jump-account`, `target-account`, `.`). */
  readonly workDir: string;
  /** Through .ci/stacks.sh (else a `pulumi` command written in the step). */
  readonly script: boolean;
}

const OPERATION = /\bpulumi\s+(preview|up|update|destroy|refresh)\b/;
const STACKS_SCRIPT = /^bash \.ci\/stacks\.sh (preview|up) (\S+) "?\$STACKS"?$/;

export function pulumiOperations(wf: Workflow): PulumiOperation[] {
  const out: PulumiOperation[] = [];
  for (const [jobId, job] of Object.entries(wf.jobs)) {
    (job.steps ?? []).forEach((step, index) => {
      const run = (step.run ?? "").trim();
      const script = STACKS_SCRIPT.exec(run);
      if (script) out.push({ job: jobId, step, index, command: script[1], workDir: script[2].replace(/\/$/, ""), script: true });
      else if (step.uses?.startsWith("pulumi/actions@") && typeof step.with?.command === "string")
        out.push({ job: jobId, step, index, command: step.with.command, workDir: String(step.with["work-dir"] ?? "."), script: false });
      else {
        const m = OPERATION.exec(run);
        if (m) out.push({ job: jobId, step, index, command: m[1], workDir: step["working-directory"] ?? ".", script: false });
      }
    });
  }
  return out;
}

function label(op: PulumiOperation): string {
  return `job ${op.job}, step ${op.index + 1} (${op.step.name ?? op.step.uses ?? op.step.run?.split("\n")[0]})`;
}

/**
 * Every preview/up runs the policy pack (folder policy-pack) with a pack config: .ci/stacks.sh
 * (`script`, its text) passes both on its pulumi command line, as must any pulumi command a step writes.
 */
export function packProblems(wf: Workflow, script: string): string[] {
  const problems: string[] = [];
  for (const op of pulumiOperations(wf)) {
    if (op.command !== "preview" && op.command !== "up" && op.command !== "update") continue;
    const text = op.script ? script : (op.step.run ?? "");
    if (op.step.uses) problems.push(`${label(op)}: pulumi/actions runs pulumi ${op.command}; run stacks through .ci/stacks.sh`);
    else {
      if (!/--policy-pack[\s=]+"?\S*policy-pack\b/.test(text))
        problems.push(`${label(op)}: pulumi ${op.command} without --policy-pack <repo>/policy-pack`);
      if (!/--policy-pack-config[\s=]/.test(text)) problems.push(`${label(op)}: pulumi ${op.command} without --policy-pack-config`);
    }
  }
  return problems;
}

const NPM_CI = /^\s*npm ci\b/m;
const PACK_BUILD = /npm run build (--workspace[ =]|-w )policy-pack\b/;

/** The pack is compiled (bin/ is not committed): each job runs `npm ci` then the pack's build before its first Pulumi operation or publish. */
export function packBuildProblems(wf: Workflow): string[] {
  const problems: string[] = [];
  const first = new Map<string, { index: number; what: string }>();
  for (const op of pulumiOperations(wf)) if (!first.has(op.job)) first.set(op.job, { index: op.index, what: `pulumi ${op.command}` });
  for (const [jobId, job] of Object.entries(wf.jobs)) {
    const publish = (job.steps ?? []).findIndex((s) => /\bpulumi policy publish\b/.test(s.run ?? ""));
    if (publish >= 0 && (!first.has(jobId) || first.get(jobId)!.index > publish))
      first.set(jobId, { index: publish, what: "pulumi policy publish" });
  }
  for (const [jobId, { index, what }] of first) {
    const before = (wf.jobs[jobId].steps ?? []).slice(0, index).map((s) => s.run ?? "");
    const ci = before.findIndex((r) => NPM_CI.test(r));
    const build = before.findIndex((r) => PACK_BUILD.test(r));
    if (ci < 0) problems.push(`job ${jobId}: no \`npm ci\` before ${what}`);
    if (build < 0) problems.push(`job ${jobId}: the policy pack is not built (\`npm run build --workspace policy-pack\`) before ${what}`);
    else if (ci > build) problems.push(`job ${jobId}: the policy pack is built before \`npm ci\``);
  }
  return problems;
}

/** Which plan output lists the stacks of each project folder. */
export const STACKS_SOURCE: Readonly<Record<string, string>> = {
  "jump-account": "${{ needs.plan.outputs.jump }}",
  "target-account": "${{ matrix.stacks }}",
  "identity-center": "${{ needs.plan.outputs.identity-center }}",
  ".": "${{ needs.plan.outputs.governance-stacks }}",
};
export const TARGET_MATRIX = "${{ fromJSON(needs.plan.outputs.target-matrix) }}";

/**
 * The stacks each operation runs come from the plan, never from a list written in the workflow:
 * `STACKS` is the plan's list for the project, target stacks come from the plan's shard matrix,
 * and the job needs the plan job (directly) or takes the list from a plan step of its own.
 */
export function stackSourceProblems(wf: Workflow): string[] {
  const problems: string[] = [];
  for (const op of pulumiOperations(wf)) {
    const job = wf.jobs[op.job];
    const want = STACKS_SOURCE[op.workDir];
    if (!op.script) {
      problems.push(`${label(op)}: runs pulumi outside .ci/stacks.sh, on stacks the plan does not choose`);
      continue;
    }
    if (!want) {
      problems.push(`${label(op)}: "${op.workDir}" is not a project folder (${Object.keys(STACKS_SOURCE).join(", ")})`);
      continue;
    }
    const stacks = String(op.step.env?.STACKS ?? "");
    const ownPlan = (job.steps ?? []).some((s) => s.id === "plan" && /npm run --silent ci -- plan\b/.test(s.run ?? ""));
    const ok =
      stacks === want ||
      (ownPlan && op.workDir === "." && stacks === "${{ steps.plan.outputs.governance-stacks }}") ||
      (ownPlan && op.workDir === "jump-account" && stacks === "${{ steps.plan.outputs.jump }}");
    if (!ok) problems.push(`${label(op)}: STACKS is "${stacks}", not the plan's list ${want}`);
    if (stacks.startsWith("${{ needs.plan") && !needsOf(job).includes("plan"))
      problems.push(`job ${op.job}: uses the plan without needs: plan`);
    if (op.workDir === "target-account" && job.strategy?.matrix !== TARGET_MATRIX)
      problems.push(`job ${op.job}: strategy.matrix is not the plan's shards ${TARGET_MATRIX}`);
    if (job.strategy?.matrix !== undefined && job.strategy["fail-fast"] !== false)
      problems.push(`job ${op.job}: a sharded job without fail-fast: false (one failing shard would cancel the others)`);
  }
  return problems;
}

/**
 * Every job that deploys a target stack runs after (directly or through others) a job that deploys
 * the jump stack, and every job that deploys an identity-center stack after the target stacks' job
 * (its permission sets reference the boundary the target stacks create).
 */
export function deployOrderProblems(
  wf: Workflow,
  jumpDir = "jump-account",
  targetDir = "target-account",
  identityCenterDir = "identity-center",
): string[] {
  const problems: string[] = [];
  const ups = pulumiOperations(wf).filter((op) => op.command === "up" || op.command === "update");
  const jumpJobs = new Set(ups.filter((op) => op.workDir === jumpDir).map((op) => op.job));
  const targetJobs = new Set(ups.filter((op) => op.workDir === targetDir).map((op) => op.job));
  if (jumpJobs.size === 0) problems.push(`no job runs pulumi up in ${jumpDir}`);
  if (targetJobs.size === 0) problems.push(`no job runs pulumi up in ${targetDir}`);
  const ancestors = (job: string, seen = new Set<string>()): Set<string> => {
    for (const n of needsOf(wf.jobs[job] ?? {})) {
      if (!seen.has(n)) {
        seen.add(n);
        ancestors(n, seen);
      }
    }
    return seen;
  };
  for (const t of targetJobs) {
    if (jumpJobs.has(t)) problems.push(`job ${t} deploys the jump and target stacks in one job`);
    else if (![...jumpJobs].some((j) => ancestors(t).has(j)))
      problems.push(`job ${t} deploys target stacks without needing the jump stack's job (${[...jumpJobs].join(", ")})`);
  }
  const identityCenterJobs = new Set(ups.filter((op) => op.workDir === identityCenterDir).map((op) => op.job));
  if (identityCenterJobs.size === 0) problems.push(`no job runs pulumi up in ${identityCenterDir}`);
  for (const i of identityCenterJobs) {
    if (targetJobs.has(i)) problems.push(`job ${i} deploys the target and identity-center stacks in one job`);
    else if (![...targetJobs].some((t) => ancestors(i).has(t)))
      problems.push(`job ${i} deploys identity-center stacks without needing the target stacks' job (${[...targetJobs].join(", ")})`);
  }
  return problems;
}

function permissionOf(wf: Workflow, job: Job, name: string): string | undefined {
  const perms = job.permissions ?? wf.permissions;
  if (typeof perms === "string") return perms === "write-all" ? "write" : perms === "read-all" ? "read" : undefined;
  return perms?.[name];
}

/**
 * AWS access only through GitHub OIDC: no long-lived keys anywhere; a job that runs an AWS
 * project's stacks has `id-token: write` and names the role (AWS_ROLE_NAME); the script assumes
 * that role in the account the stack's own file names (`policy-config`'s account-id).
 */
export function awsAccessProblems(wf: Workflow, raw: string, script: string): string[] {
  const problems: string[] = [];
  if (/aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/.test(raw + script)) {
    problems.push("long-lived AWS keys are referenced (aws-access-key-id / AWS_ACCESS_KEY_ID); use OIDC");
  }
  if (
    !/AWS_ROLE_ARN="arn:aws:iam::\$account:role\/\$AWS_ROLE_NAME"/.test(script) ||
    !/^\s*account=\$\(sed -n 's\/\^account-id=\/\/p'/m.test(script)
  )
    problems.push(".ci/stacks.sh does not assume $AWS_ROLE_NAME in the account policy-config reads from the stack's own file");
  for (const op of pulumiOperations(wf)) {
    if (op.workDir === ".") continue;
    const job = wf.jobs[op.job];
    if (permissionOf(wf, job, "id-token") !== "write") problems.push(`job ${op.job}: runs AWS stacks without permissions id-token: write`);
    if (!/^\$\{\{ vars\.AWS_(PREVIEW|DEPLOY)_ROLE_NAME \|\| 'pulumi-(preview|deploy)' \}\}$/.test(String(op.step.env?.AWS_ROLE_NAME ?? "")))
      problems.push(`job ${op.job}: AWS_ROLE_NAME is not the configured preview/deploy role`);
    if (op.command === "preview" && /DEPLOY/.test(String(op.step.env?.AWS_ROLE_NAME)))
      problems.push(`job ${op.job}: previews with the deploy role`);
  }
  return problems;
}

/**
 * Secrets never reach logs or step outputs: nothing reads stack outputs (`--show-secrets`,
 * `pulumi stack output`), and pulumi/actions, which sets each stack output as a step output, only
 * installs the CLI (no `command`).
 */
export function secretProblems(wf: Workflow, raw: string, script: string): string[] {
  const problems: string[] = [];
  if (/--show-secrets|pulumi stack output/.test(raw + script))
    problems.push("a step reads stack outputs (--show-secrets / pulumi stack output)");
  for (const [jobId, job] of Object.entries(wf.jobs)) {
    for (const s of job.steps ?? []) {
      if (s.uses?.startsWith("pulumi/actions@") && s.with?.command !== undefined)
        problems.push(`job ${jobId}: pulumi/actions with command ${String(s.with.command)} sets every stack output as a step output`);
      if (s.uses?.startsWith("pulumi/actions@") && s.with?.["pulumi-version-file"] !== ".pulumi.version")
        problems.push(`job ${jobId}: pulumi/actions without pulumi-version-file: .pulumi.version (the CLI version is pinned in one place)`);
    }
  }
  if (!/::add-mask::\$token/.test(script)) problems.push(".ci/stacks.sh does not mask the OIDC token");
  return problems;
}

/**
 * One required check: a job that runs always (`if: always()`), needs every other job, has a
 * fixed name (no expressions) and runs `ci -- check` with the plan's expected jobs.
 */
export function requiredCheckProblems(wf: Workflow, checkJob = "result"): string[] {
  const problems: string[] = [];
  const job = wf.jobs[checkJob];
  if (!job) return [`no job ${checkJob} (the one required check)`];
  if (job.if !== "always()") problems.push(`job ${checkJob}: if is ${JSON.stringify(job.if)}, not always()`);
  if (!job.name || /\$\{\{/.test(job.name)) problems.push(`job ${checkJob}: its name must be fixed, for branch protection to require it`);
  if (job.strategy) problems.push(`job ${checkJob}: a matrix job reports expanded names branch protection cannot require`);
  const missing = Object.keys(wf.jobs).filter((j) => j !== checkJob && !needsOf(job).includes(j));
  if (missing.length > 0) problems.push(`job ${checkJob}: does not need ${missing.join(", ")}`);
  const step = (job.steps ?? []).find((s) => /npm run --silent ci -- check --expect "\$EXPECT"/.test(s.run ?? ""));
  if (!step) problems.push(`job ${checkJob}: does not run npm run --silent ci -- check --expect "$EXPECT"`);
  else {
    if (step.env?.EXPECT !== "${{ needs.plan.outputs.expect }}") problems.push(`job ${checkJob}: EXPECT is not the plan's expect output`);
    if (step.env?.NEEDS !== "${{ toJSON(needs) }}") problems.push(`job ${checkJob}: NEEDS is not \${{ toJSON(needs) }}`);
  }
  return problems;
}

/** The steps of a workflow's jobs, in order, flattened to their `run` text. */
export function runLines(wf: Workflow, jobId: string): string[] {
  return (wf.jobs[jobId]?.steps ?? []).map((s) => s.run ?? "").filter((r) => r !== "");
}

export function triggers(wf: Workflow): string[] {
  return Object.keys(wf.on ?? {});
}
