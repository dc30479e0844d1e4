/**
 * What a CI run previews or deploys, computed from the committed stack files so that the
 * workflows scale to 1,000 target accounts within GitHub's limits: at most 256 jobs per matrix,
 * so target stacks are run in shards of up to STACKS_PER_SHARD stacks per job. A pull request
 * that changes only some target stack files previews those; any other change (shared code, a
 * project, the pack, the workflows, the lock file) previews everything.
 */
import * as fs from "fs";
import * as path from "path";
import { committedStacks, REPO_ROOT, type CommittedStack } from "../governance/stacks";

/** GitHub Actions: a matrix may expand to at most 256 jobs per workflow run. */
export const MAX_MATRIX_JOBS = 256;

/**
 * Stacks one job runs one after the other. 20 keeps a shard within a runner's 6-hour job limit
 * with room to spare (a preview takes well under a minute) and 1,000 targets at 50 jobs.
 */
export const STACKS_PER_SHARD = 20;

export interface Shard {
  /** `1-of-50`: stable for the same stack list, shown in the job name. */
  readonly shard: string;
  /** Stack short names, space-separated (a matrix value must be a string to reach a run step as one word list). */
  readonly stacks: string;
}

export interface CiPlan {
  readonly jump: readonly string[];
  readonly targets: readonly string[];
  /** identity-center stacks: run after the targets, whose boundary their permission sets reference. */
  readonly identityCenter: readonly string[];
  readonly governance: boolean;
  /** The root project's (governance) stacks, from its committed Pulumi.<stack>.yaml files. */
  readonly governanceStacks: readonly string[];
  /** The targets' matrix: `{ include: Shard[] }`, at most MAX_MATRIX_JOBS entries. */
  readonly targetMatrix: { readonly include: readonly Shard[] };
  /** Why this selection (one line, shown in the job summary). */
  readonly reason: string;
}

/** Split stacks into the fewest shards of at most `perShard` each (never more than MAX_MATRIX_JOBS). */
export function shard(stacks: readonly string[], perShard = STACKS_PER_SHARD): Shard[] {
  // Past 256 x perShard stacks the shards grow instead of the matrix; sizes differ by at most one.
  const n = Math.min(Math.ceil(stacks.length / perShard), MAX_MATRIX_JOBS);
  const out: Shard[] = [];
  for (let i = 0; i < n; i++) {
    const part = stacks.slice(Math.floor((i * stacks.length) / n), Math.floor(((i + 1) * stacks.length) / n));
    out.push({ shard: `${i + 1}-of-${n}`, stacks: part.join(" ") });
  }
  return out.filter((s) => s.stacks !== "");
}

/** Files whose change affects no stack's preview: documentation, and the offline example environments (`npm start -- --env`). */
const NO_STACK = /(^|\/)[^/]+\.md$|^docs\/|^examples\//;

/**
 * The stacks to run. `changed` lists the files a pull request changes (paths relative to the
 * repository root); undefined means everything (pushes to main, runs by hand).
 */
export function planStacks(
  stacks: readonly CommittedStack[],
  changed?: readonly string[],
  governanceStacks: readonly string[] = [],
  root = REPO_ROOT,
): CiPlan {
  const jump = stacks.filter((s) => s.role === "jump").map((s) => s.stack);
  const targets = stacks.filter((s) => s.role === "target").map((s) => s.stack);
  const identityCenter = stacks.filter((s) => s.role === "identity-center").map((s) => s.stack);
  const all = (reason: string): CiPlan => ({
    jump,
    targets,
    identityCenter,
    governance: true,
    governanceStacks,
    targetMatrix: { include: shard(targets) },
    reason,
  });
  if (changed === undefined) return all("every committed stack");
  const byFile = new Map(stacks.map((s) => [path.relative(root, s.file).split(path.sep).join("/"), s]));
  const pickedJump = new Set<string>();
  const pickedTargets = new Set<string>();
  const pickedIdentityCenter = new Set<string>();
  let governance = false;
  for (const f of changed) {
    if (NO_STACK.test(f)) continue;
    const s = byFile.get(f);
    if (s?.role === "jump") pickedJump.add(s.stack);
    else if (s?.role === "target") pickedTargets.add(s.stack);
    else if (s?.role === "identity-center") pickedIdentityCenter.add(s.stack);
    // A removed target or identity-center stack file: no stack to preview (pulumi never deletes a stack by itself).
    else if (/^(target-account|identity-center)\/Pulumi\.[^/]+\.ya?ml$/.test(f) && !f.endsWith("/Pulumi.yaml")) continue;
    else if (/^Pulumi\.[^/]+\.ya?ml$/.test(f) && f !== "Pulumi.yaml") governance = true;
    else return all(`${f} is shared by every stack`);
  }
  // Adding or removing a stack changes which stacks the governance project's policy groups list.
  if (pickedJump.size + pickedTargets.size + pickedIdentityCenter.size > 0) governance = true;
  const t = targets.filter((s) => pickedTargets.has(s));
  return {
    jump: jump.filter((s) => pickedJump.has(s)),
    targets: t,
    identityCenter: identityCenter.filter((s) => pickedIdentityCenter.has(s)),
    governance,
    governanceStacks,
    targetMatrix: { include: shard(t) },
    reason: changed.length === 0 ? "no changed files" : "only these stack files changed",
  };
}

/** `key=value` lines for `$GITHUB_OUTPUT`. */
export function githubOutputs(plan: CiPlan): string {
  return [
    `jump=${plan.jump.join(" ")}`,
    `targets=${plan.targets.length}`,
    `identity-center=${plan.identityCenter.join(" ")}`,
    `target-matrix=${JSON.stringify(plan.targetMatrix)}`,
    `governance=${plan.governance}`,
    `governance-stacks=${plan.governanceStacks.join(" ")}`,
    `reason=${plan.reason}`,
  ]
    .map((l) => `${l}\n`)
    .join("");
}

/** The root project's stacks: `Pulumi.<stack>.yaml` beside the root `Pulumi.yaml`. */
export function rootStacks(root = REPO_ROOT): string[] {
  return fs
    .readdirSync(root)
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/** Pulumi's stack name characters; anything else never reaches a shell or a matrix. */
const STACK_NAME = /^[A-Za-z0-9_.-]+$/;

/** The plan of the committed stacks under `root` (the repository, or a generated copy in tests). */
export function planCommitted(changed?: readonly string[], root = REPO_ROOT): CiPlan {
  const stacks = committedStacks(root);
  const roots = rootStacks(root);
  const bad = [...stacks.map((s) => s.stack), ...roots].filter((s) => !STACK_NAME.test(s));
  if (bad.length > 0)
    throw new Error(
      `stack file names must be Pulumi.<stack>.yaml with <stack> of letters, digits, _ . -: ${bad.map((b) => JSON.stringify(b)).join(", ")}`,
    );
  return planStacks(stacks, changed, roots, root);
}

export type WorkflowKind = "preview" | "deploy";

export interface PlanContext {
  /** The run may use the repository's secrets and OIDC (not a pull request from a fork). */
  readonly trusted: boolean;
  /** Pulumi Cloud is the backend (policy groups exist only there). */
  readonly cloud: boolean;
}

/**
 * The jobs of a workflow that must succeed for this plan; every other job of the workflow may be
 * skipped. The required check (`ci/check.ts`) holds the run to exactly this.
 */
export function expectedJobs(kind: WorkflowKind, plan: CiPlan, ctx: PlanContext): string[] {
  if (kind === "deploy")
    return [
      "plan",
      "test",
      ...(plan.jump.length > 0 ? ["up-jump"] : []),
      ...(plan.targets.length > 0 ? ["up-targets"] : []),
      ...(plan.identityCenter.length > 0 ? ["up-identity-center"] : []),
    ];
  const jobs = ["plan", "offline"];
  if (!ctx.trusted) return jobs;
  if (plan.jump.length > 0) jobs.push("preview-jump");
  if (plan.targets.length > 0) jobs.push("preview-targets");
  if (plan.identityCenter.length > 0) jobs.push("preview-identity-center");
  if (plan.governance && ctx.cloud) jobs.push("preview-governance");
  jobs.push("report");
  return jobs;
}
