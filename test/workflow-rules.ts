/**
 * The rules the GitHub workflows must keep, as pure checks over parsed workflow YAML. Each
 * returns the problems it finds (empty when the rule holds); test/workflows.test.ts runs them over
 * the committed workflows, and over broken copies to prove each check catches what it guards.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";

export interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
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
  strategy?: { matrix?: Record<string, unknown> };
  steps?: Step[];
}

export interface Workflow {
  name?: string;
  on?: Record<string, unknown>;
  permissions?: Record<string, string> | string;
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

function needsOf(job: Job): string[] {
  return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}

/** A step that runs a Pulumi operation on a stack, and which one. */
export interface PulumiOperation {
  readonly job: string;
  readonly step: Step;
  readonly index: number;
  readonly command: string;
  /** `with.work-dir` of pulumi/actions, `working-directory` of a run step. */
  readonly workDir: string;
}

const OPERATION = /\bpulumi\s+(preview|up|update|destroy|refresh)\b/;

export function pulumiOperations(wf: Workflow): PulumiOperation[] {
  const out: PulumiOperation[] = [];
  for (const [jobId, job] of Object.entries(wf.jobs)) {
    (job.steps ?? []).forEach((step, index) => {
      if (step.uses?.startsWith("pulumi/actions@") && typeof step.with?.command === "string") {
        out.push({ job: jobId, step, index, command: step.with.command, workDir: String(step.with["work-dir"] ?? ".") });
      } else if (typeof step.run === "string") {
        const m = OPERATION.exec(step.run);
        if (m) out.push({ job: jobId, step, index, command: m[1], workDir: step["working-directory"] ?? "." });
      }
    });
  }
  return out;
}

function label(op: PulumiOperation): string {
  return `job ${op.job}, step ${op.index + 1} (${op.step.name ?? op.step.uses ?? op.step.run?.split("\n")[0]})`;
}

/** Every preview/up passes the policy pack (folder policy-pack) and a pack config. */
export function packProblems(wf: Workflow): string[] {
  const problems: string[] = [];
  for (const op of pulumiOperations(wf)) {
    if (op.command !== "preview" && op.command !== "up" && op.command !== "update") continue;
    if (op.step.uses) {
      const packs = String(op.step.with?.policyPacks ?? "");
      if (!/(^|\/)policy-pack\/?$/.test(packs.trim()))
        problems.push(`${label(op)}: pulumi ${op.command} without policyPacks: <repo>/policy-pack`);
      if (!op.step.with?.policyPackConfigs) problems.push(`${label(op)}: pulumi ${op.command} without policyPackConfigs`);
    } else {
      if (!/--policy-pack[\s=]+\S*policy-pack\b/.test(op.step.run ?? ""))
        problems.push(`${label(op)}: pulumi ${op.command} without --policy-pack <repo>/policy-pack`);
      if (!/--policy-pack-config[\s=]/.test(op.step.run ?? ""))
        problems.push(`${label(op)}: pulumi ${op.command} without --policy-pack-config`);
    }
  }
  return problems;
}

const NPM_CI = /^\s*npm ci\b/m;
const PACK_BUILD = /npm run build (--workspace[ =]|-w )policy-pack\b/;

/** The pack is compiled (bin/ is not committed): each job runs `npm ci` then the pack's build before its first Pulumi operation. */
export function packBuildProblems(wf: Workflow): string[] {
  const problems: string[] = [];
  const firstOp = new Map<string, PulumiOperation>();
  for (const op of pulumiOperations(wf)) if (!firstOp.has(op.job)) firstOp.set(op.job, op);
  for (const [jobId, op] of firstOp) {
    const before = (wf.jobs[jobId].steps ?? []).slice(0, op.index).map((s) => s.run ?? "");
    const ci = before.findIndex((r) => NPM_CI.test(r));
    const build = before.findIndex((r) => PACK_BUILD.test(r));
    if (ci < 0) problems.push(`job ${jobId}: no \`npm ci\` before pulumi ${op.command}`);
    if (build < 0)
      problems.push(`job ${jobId}: the policy pack is not built (\`npm run build --workspace policy-pack\`) before pulumi ${op.command}`);
    else if (ci > build) problems.push(`job ${jobId}: the policy pack is built before \`npm ci\``);
  }
  return problems;
}

/**
 * `pulumi policy publish` starts the compiled pack to read its metadata and then runs
 * `npm pack --loglevel=error`, which runs no build (the pack has no prepack script): every job
 * that publishes runs `npm ci` and the pack's build before it.
 */
export function publishBuildProblems(wf: Workflow): string[] {
  const problems: string[] = [];
  for (const [jobId, job] of Object.entries(wf.jobs)) {
    const steps = job.steps ?? [];
    const publish = steps.findIndex((s) => /\bpulumi policy publish\b/.test(s.run ?? ""));
    if (publish < 0) continue;
    const before = steps.slice(0, publish).map((s) => s.run ?? "");
    const ci = before.findIndex((r) => NPM_CI.test(r));
    const build = before.findIndex((r) => PACK_BUILD.test(r));
    if (ci < 0) problems.push(`job ${jobId}: no \`npm ci\` before pulumi policy publish`);
    if (build < 0 || build < ci)
      problems.push(
        `job ${jobId}: the policy pack is not built (\`npm run build --workspace policy-pack\` after npm ci) before pulumi policy publish`,
      );
  }
  return problems;
}

/** The `stack` values of a job's matrix. */
export function matrixStacks(job: Job): string[] | undefined {
  const stacks = job.strategy?.matrix?.stack;
  return Array.isArray(stacks) ? stacks.map(String) : undefined;
}

/**
 * The stacks each Pulumi operation runs on agree with the committed stack files of its project:
 * its job's matrix lists exactly `stacksByDir[workDir]`, and the stack name is `.../<project>/${{ matrix.stack }}`.
 * `stacksByDir` maps a work-dir (`jump-account`, `target-account`, `.`) to its committed stack names,
 * `projectByDir` to its project name.
 */
export function matrixProblems(
  wf: Workflow,
  stacksByDir: ReadonlyMap<string, readonly string[]>,
  projectByDir: ReadonlyMap<string, string>,
): string[] {
  const problems: string[] = [];
  for (const op of pulumiOperations(wf)) {
    const dir = op.workDir.replace(/^\.\/|\/$/g, "") || ".";
    const committed = stacksByDir.get(dir);
    if (!committed) {
      problems.push(`${label(op)}: work-dir "${op.workDir}" is not a project folder (${[...stacksByDir.keys()].join(", ")})`);
      continue;
    }
    const matrix = matrixStacks(wf.jobs[op.job]);
    if (!matrix) {
      problems.push(`job ${op.job}: pulumi ${op.command} in ${dir} without a strategy.matrix.stack list`);
      continue;
    }
    const want = [...committed].sort();
    const have = [...matrix].sort();
    const missing = want.filter((s) => !have.includes(s));
    const extra = have.filter((s) => !want.includes(s));
    if (missing.length > 0)
      problems.push(`job ${op.job}: matrix.stack lacks committed stack(s) ${missing.join(", ")} of ${dir} (Pulumi.<stack>.yaml)`);
    if (extra.length > 0)
      problems.push(`job ${op.job}: matrix.stack lists ${extra.join(", ")}, which ${dir} has no Pulumi.<stack>.yaml for`);
    if (op.step.uses) {
      const stackName = String(op.step.with?.["stack-name"] ?? "");
      const project = projectByDir.get(dir);
      if (!stackName.endsWith(`/${project}/\${{ matrix.stack }}`)) {
        problems.push(`${label(op)}: stack-name "${stackName}" is not <org>/${project}/\${{ matrix.stack }}`);
      }
    }
  }
  return problems;
}

/** Every job that deploys a target stack runs after (directly or through others) a job that deploys the jump stack. */
export function deployOrderProblems(wf: Workflow, jumpDir = "jump-account", targetDir = "target-account"): string[] {
  const problems: string[] = [];
  const ups = pulumiOperations(wf).filter((op) => op.command === "up" || op.command === "update");
  const jumpJobs = new Set(ups.filter((op) => op.workDir.replace(/\/$/, "") === jumpDir).map((op) => op.job));
  const targetJobs = new Set(ups.filter((op) => op.workDir.replace(/\/$/, "") === targetDir).map((op) => op.job));
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
  return problems;
}

function permissionOf(wf: Workflow, job: Job, name: string): string | undefined {
  const perms = job.permissions ?? wf.permissions;
  if (typeof perms === "string") return perms === "write-all" ? "write" : perms === "read-all" ? "read" : undefined;
  return perms?.[name];
}

/**
 * AWS access only through GitHub OIDC: configure-aws-credentials with a role to assume (built from
 * the account the stack's own file names), `id-token: write`, and no long-lived keys anywhere.
 */
export function awsAccessProblems(wf: Workflow, raw: string): string[] {
  const problems: string[] = [];
  if (/aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/.test(raw)) {
    problems.push("long-lived AWS keys are referenced (aws-access-key-id / AWS_ACCESS_KEY_ID); use OIDC and role-to-assume");
  }
  for (const [jobId, job] of Object.entries(wf.jobs)) {
    const steps = job.steps ?? [];
    steps.forEach((step, i) => {
      if (!step.uses?.startsWith("aws-actions/configure-aws-credentials@")) return;
      const role = String(step.with?.["role-to-assume"] ?? "");
      if (!role) {
        problems.push(`job ${jobId}: configure-aws-credentials without role-to-assume`);
        return;
      }
      if (permissionOf(wf, job, "id-token") !== "write")
        problems.push(`job ${jobId}: assumes a role through OIDC without permissions id-token: write`);
      const m = /steps\.([\w-]+)\.outputs\.account-id/.exec(role);
      const source = m ? steps.slice(0, i).find((s) => s.id === m[1]) : undefined;
      if (!source || !/npm run --silent policy-config -- [\w-]+\/\$\{\{ matrix\.stack \}\}/.test(source.run ?? "")) {
        problems.push(
          `job ${jobId}: role-to-assume "${role}" does not take the account from the stack's own file (steps.<id>.outputs.account-id of \`npm run --silent policy-config -- <dir>/\${{ matrix.stack }}\`)`,
        );
      }
    });
    const needsAws = pulumiOperations({ jobs: { [jobId]: job } }).some(
      (op) => op.workDir.replace(/\/$/, "") !== "." && op.workDir !== "./",
    );
    if (needsAws && !steps.some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))) {
      problems.push(`job ${jobId}: runs Pulumi on an AWS stack without configure-aws-credentials`);
    }
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
