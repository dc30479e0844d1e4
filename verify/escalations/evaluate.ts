/**
 * Evaluates the escalation catalogue with the access proof's IAM evaluator: every step as the
 * request AWS would receive from a session of the restricted role, against a boundary document
 * (a profile's, or one a stack registered).
 */
// The pure builders by their modules: the package's index also loads the Pulumi runtime, which a
// proof worker never needs (half a second of every worker's start).
import { policyArn, roleArn } from "@jumpenv/shared/arn";
import { boundaryPolicy } from "@jumpenv/shared/policies/boundary";
import type { PolicyDocument } from "@jumpenv/shared/policy-document";
import { ADMINISTRATOR_ACCESS, awsManagedPolicy } from "../access/aws-managed";
import { permissionsBoundaryKey, requestContext, type RoleSessionCaller } from "../access/context";
import { describeVerdict, evaluate, namedPolicy, type Verdict } from "../access/evaluator";
import { METHODS, type Method, type Profile, type Scenario, type Step } from "./methods";
import { TASKS, type Task } from "./tasks";
import { describeSources, outsideSources, SOURCES } from "./sources";

export const PROFILES: readonly Profile[] = ["seed", "hardened"];

/**
 * Blocked: a step was denied. Open: every step was allowed. Residual: open, and IAM conditions
 * cannot block it. Error: the evaluator could not decide a step (never read as either).
 */
export type Status = "blocked" | "open" | "residual" | "error";

export interface StepResult {
  readonly action: string;
  readonly resource: string;
  readonly verdict: Verdict;
}

export interface MethodResult {
  readonly method: Method;
  readonly status: Status;
  readonly steps: readonly StepResult[];
  /** Why the status is `error`. */
  readonly error?: string;
}

export interface TaskResult {
  readonly task: Task;
  readonly allowed: boolean;
  readonly steps: readonly StepResult[];
  readonly error?: string;
}

/** The reference account the docs' matrix is computed for. */
export const REFERENCE_SCENARIO: Scenario = {
  accountId: "444455556666",
  region: "us-east-1",
  restrictedRole: { name: "restricted-admin", path: "/" },
  boundaryArn: policyArn("444455556666", "/", "jump-permissions-boundary"),
  delegatedPath: "/delegated/",
  protectedRoleName: "OrganizationAccountAccessRole",
};

/** A profile's boundary document for a scenario, built by the same builder the programs use. */
export function profileBoundary(profile: Profile, s: Scenario): PolicyDocument {
  return boundaryPolicy(profile, {
    boundaryArn: s.boundaryArn,
    accountId: s.accountId,
    shieldedRoleArns: [roleArn(s.accountId, s.restrictedRole.path, s.restrictedRole.name), roleArn(s.accountId, "/", s.protectedRoleName)],
    delegatedPath: s.delegatedPath,
  });
}

const NOW = new Date("2026-01-15T09:00:00Z");

async function evaluateStep(step: Step, s: Scenario, boundary: unknown): Promise<StepResult> {
  const caller: RoleSessionCaller = {
    kind: "role-session",
    account: s.accountId,
    roleName: s.restrictedRole.name,
    rolePath: s.restrictedRole.path,
    sessionName: "attacker",
    tags: {},
    mfaAgeSeconds: 300,
  };
  const resource = step.resource(s);
  // The account that owns the resource: another account's role is evaluated against its trust there.
  const owner = /^arn:aws:[^:]+:[^:]*:(\d{12}):/.exec(resource)?.[1] ?? s.accountId;
  const boundaryValue = (v: "ours" | "other" | undefined) =>
    v === "ours" ? s.boundaryArn : v === "other" ? policyArn(s.accountId, "/", "other-boundary") : undefined;
  const pbKey = await permissionsBoundaryKey(step.action, {
    passed: boundaryValue(step.boundary?.passed),
    current: boundaryValue(step.boundary?.current),
  });
  const context = requestContext(
    caller,
    step.action,
    { resource, account: owner, ...(step.tags ? { tags: step.tags } : {}) },
    { now: NOW, region: s.region },
    { ...(step.serviceKeys?.(s) ?? {}), ...pbKey },
  );
  const verdict = await evaluate({
    principal: `arn:aws:sts::${s.accountId}:assumed-role/${s.restrictedRole.name}/attacker`,
    action: step.action,
    resource,
    resourceAccount: owner,
    context,
    policies: {
      identity: [awsManagedPolicy(ADMINISTRATOR_ACCESS)!],
      boundary: namedPolicy(s.boundaryArn, boundary),
      ...(step.trust ? { trust: namedPolicy(`${resource} trust policy`, step.trust(s)) } : {}),
    },
  });
  return { action: step.action, resource, verdict };
}

/** No silent passes: an evaluator error is never read as allowed or denied. */
function errorOf(results: readonly StepResult[]): string | undefined {
  const bad = results.find((r) => r.verdict.decision === "Error");
  return bad && `${bad.action} on ${bad.resource}: ${describeVerdict(bad.verdict)}`;
}

export async function evaluateMethod(method: Method, s: Scenario, boundary: unknown): Promise<MethodResult> {
  const steps: StepResult[] = [];
  for (const step of method.steps) steps.push(await evaluateStep(step, s, boundary));
  const error = errorOf(steps);
  if (error) return { method, steps, status: "error", error };
  const blocked = steps.some((r) => r.verdict.decision !== "Allowed");
  return { method, steps, status: method.residual && !blocked ? "residual" : blocked ? "blocked" : "open" };
}

export async function evaluateTask(task: Task, s: Scenario, boundary: unknown): Promise<TaskResult> {
  const steps: StepResult[] = [];
  for (const step of task.steps) steps.push(await evaluateStep(step, s, boundary));
  const error = errorOf(steps);
  return { task, steps, allowed: !error && steps.every((r) => r.verdict.decision === "Allowed"), ...(error ? { error } : {}) };
}

export interface CatalogueRun {
  readonly methods: readonly MethodResult[];
  readonly tasks: readonly TaskResult[];
}

/** The whole catalogue and every delegated task against one boundary document. */
export async function runCatalogue(s: Scenario, boundary: unknown): Promise<CatalogueRun> {
  const methods: MethodResult[] = [];
  for (const m of METHODS) methods.push(await evaluateMethod(m, s, boundary));
  const tasks: TaskResult[] = [];
  for (const t of TASKS) tasks.push(await evaluateTask(t, s, boundary));
  return { methods, tasks };
}

/**
 * A catalogue run as it crosses between threads (a worker of the access proof runs it): each
 * method's and task's id with its outcome, in catalogue order. `Method` and `Task` hold functions,
 * which a structured clone cannot carry.
 */
export interface CatalogueOutcome {
  readonly methods: readonly { readonly id: string; readonly status: Status; readonly error?: string }[];
  readonly tasks: readonly { readonly id: string; readonly allowed: boolean; readonly error?: string }[];
}

/** `runCatalogue`, as a copyable outcome. */
export async function runCatalogueOutcome(s: Scenario, boundary: unknown): Promise<CatalogueOutcome> {
  const run = await runCatalogue(s, boundary);
  return {
    methods: run.methods.map((m) => ({ id: m.method.id, status: m.status, ...(m.error ? { error: m.error } : {}) })),
    tasks: run.tasks.map((t) => ({ id: t.task.id, allowed: t.allowed, ...(t.error ? { error: t.error } : {}) })),
  };
}

/** method × profile → status, for the reference scenario. */
export async function catalogueMatrix(s: Scenario = REFERENCE_SCENARIO): Promise<Map<Profile, CatalogueRun>> {
  const out = new Map<Profile, CatalogueRun>();
  for (const p of PROFILES) out.set(p, await runCatalogue(s, profileBoundary(p, s)));
  return out;
}

/** Counts of a run: what "0 open" is out of. */
export function catalogueCounts(run: CatalogueRun): Record<Exclude<Status, "error">, number> & { error: number } {
  const count = (st: Status) => run.methods.filter((m) => m.status === st).length;
  return { blocked: count("blocked"), residual: count("residual"), open: count("open"), error: count("error") };
}

/** One line: how many methods from which outside sources, and how many delegated tasks. */
export function catalogueScope(): string {
  const names = outsideSources(METHODS).map((k) => SOURCES[k].name);
  return `${METHODS.length} methods (from ${names.length} outside sources: ${names.join(", ")}; and the article's and this project's own) and ${TASKS.length} delegated tasks`;
}

/** The matrix as the Markdown committed in docs/escalations.md. */
export function matrixMarkdown(matrix: ReadonlyMap<Profile, CatalogueRun>): string {
  const icon: Record<Status, string> = { blocked: "blocked", open: "**open**", residual: "residual", error: "**error**" };
  const hardened = matrix.get("hardened")!;
  const lines = [
    `${catalogueScope()}.`,
    "",
    ...PROFILES.map((p) => {
      const c = catalogueCounts(matrix.get(p)!);
      return `- \`${p}\`: ${c.blocked} blocked, ${c.residual} residual, ${c.open} open`;
    }),
    "",
    `| method | category | sources | ${PROFILES.join(" | ")} | blocked by (hardened) |`,
    `| --- | --- | --- | ${PROFILES.map(() => "---").join(" | ")} | --- |`,
  ];
  METHODS.forEach((m, i) => {
    const cells = PROFILES.map((p) => icon[matrix.get(p)!.methods[i].status]);
    const by = hardened.methods[i].status === "blocked" ? `\`${m.blockedBy}\`` : m.residual ? "residual: see below" : "";
    lines.push(`| ${m.title} (\`${m.id}\`) | ${m.category} | ${describeSources(m.sources)} | ${cells.join(" | ")} | ${by} |`);
  });
  const residual = METHODS.filter((m) => m.residual).map((m) => `- \`${m.id}\`: ${m.residual}`);
  const gaps = matrix
    .get("seed")!
    .methods.filter((r) => r.status === "open")
    .map((r) => `\`${r.method.id}\``);
  const tasks = TASKS.map(
    (t, i) =>
      `| ${t.title} (\`${t.id}\`) | ${PROFILES.map((p) => (matrix.get(p)!.tasks[i].allowed ? "allowed" : "**denied**")).join(" | ")} |`,
  );
  return [
    ...lines,
    "",
    `The article's known gaps (open under \`seed\`, ${gaps.length}): ${gaps.join(", ")}.`,
    "",
    "Residual methods, and the control that blocks them instead:",
    "",
    ...residual,
    "",
    `| delegated task | ${PROFILES.join(" | ")} |`,
    `| --- | ${PROFILES.map(() => "---").join(" | ")} |`,
    ...tasks,
  ].join("\n");
}
