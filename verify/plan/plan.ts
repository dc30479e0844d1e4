/**
 * `npm start`: the offline plan. Runs the jump-account stack and then every target-account stack
 * under Pulumi's runtime mocks (jump first, its outputs behind the targets' StackReferences), runs
 * the policy pack over every registered resource with the pack's own code, checks every policy
 * document against the IAM catalogue, and proves the access guarantees with the IAM evaluator.
 *
 *   npm start                     the committed example stacks, as a report
 *   npm start -- --json           one JSON document on stdout (use `npm start --silent -- --json`
 *                                 or `npm -s start -- --json`: npm itself prints a banner on stdout)
 *   npm start -- --env DIR        the stacks in DIR/jump-account/Pulumi.*.yaml,
 *                                 DIR/target-account/Pulumi.*.yaml and (at most one)
 *                                 DIR/identity-center/Pulumi.*.yaml instead
 *
 * Exit status: 0 when everything holds, 1 on a mandatory violation or a failed check, 2 on bad
 * config or arguments (one clear message, no stack trace).
 *
 * Large environments: past 10,000 user-role pairs (Jump users x target roles) the access proof
 * checks each role's trust for a deterministic sample of its intended users and of its outsiders
 * (verify/access/trust-sampling.ts, `samplePositions`) and the report says how many; role sessions
 * and self-service are checked in full. Checks are evaluated a role at a time and each keeps only
 * the principal, action and resource of its request; `--json` writes each check, with its full
 * request, as soon as it is evaluated (report.ts `JsonReportWriter`).
 */
import * as fs from "fs";
import * as path from "path";
import type { PolicyPackConfig } from "@pulumi/policy";
import { ConfigError } from "@jumpenv/shared";
import { PackConfigError } from "../../governance/pack-config";
import { packConfigOfStack } from "../../governance/enforcement-plan";
import type { CommittedStack } from "../../governance/stacks";
import { runPolicies, type OfflineResource } from "../../policy-pack/offline";
import { PACK_NAME, policies as packPolicies } from "../../policy-pack/policies";
import type { Expectation, ProofOptions } from "../access/expectation";
import { expectationBatches } from "../access/expectations";
import { trustSamplingSummary } from "../access/trust-sampling";
import { documentFindings, stackLabel } from "../access/documents";
import { accessModel, type PlannedStack } from "../access/access-model";
import { check, withoutRequestDetails, type CheckResult } from "../access/proof";
import { CheckPool, defaultWorkers, WORKERS_FROM_BATCHES } from "../access/parallel-proof";
import {
  checkEnvironment,
  loadEnvironment,
  planEnvironment,
  REPO_ROOT,
  type Environment,
  type PlannedEnvironment,
} from "../harness/environment";
import { ProgramError, StackFileError, type StackFile, type StackRun } from "../harness/mock-run";
import { planInWorker } from "../harness/plan-in-worker";
import { hasRoles, targetEscalations, type Attacker, type TargetEscalations } from "../escalations/target-escalations";
import type { Scenario } from "../escalations/methods";
import { provisionedRoles, SSO_TYPES, type ProvisionedRole } from "../identity-center/provisioning";
import { ssoRoleModel, ssoTrustExpectations, type SsoRoleModel } from "../identity-center/sso-access";
import { sessionExpectations } from "../access/session-expectations";
import type { RequestEnvironment } from "../access/context";
import { JsonReportWriter, planHolds, renderText, type PlanReport, type ViolationReport } from "./report";

/** The most worker threads `--workers` takes. */
export const MAX_WORKERS = 64;

export const USAGE = `usage: npm start -- [--json] [--env DIR] [--workers N]
  --json       print one JSON document (stacks, violations, checks) instead of the report
  --env DIR    plan DIR/jump-account/Pulumi.*.yaml, DIR/target-account/Pulumi.*.yaml and DIR/identity-center/Pulumi.*.yaml
  --workers N  worker threads for the access proof (the escalation catalogue gets one more), 0 to ${MAX_WORKERS}, never
               more than there is work for (0: this thread only; default: one per core but one, up to 4,
               once the proof has ${WORKERS_FROM_BATCHES} batches). Each adds about 200 MB at 1,000 x 1,000
  --help       this text
exit status: 0 all holds, 1 a violation or a failed check, 2 bad config or arguments`;

/** A bad command line. */
export class UsageError extends Error {}

export interface CliOptions {
  readonly json: boolean;
  readonly envDir?: string;
  readonly workers?: number;
  readonly help: boolean;
}

export function parseArgs(argv: readonly string[]): CliOptions {
  let json = false;
  let help = false;
  let envDir: string | undefined;
  let workers: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json") json = true;
    else if (a === "--help" || a === "-h") help = true;
    else if (a === "--env" || a.startsWith("--env=")) {
      const value = a === "--env" ? argv[++i] : a.slice("--env=".length);
      if (!value || value.startsWith("--")) throw new UsageError("--env needs a directory: --env DIR");
      if (envDir !== undefined) throw new UsageError("--env given twice");
      envDir = value;
    } else if (a === "--workers" || a.startsWith("--workers=")) {
      const value = a === "--workers" ? argv[++i] : a.slice("--workers=".length);
      if (value === undefined || !/^\d{1,3}$/.test(value) || Number(value) > MAX_WORKERS)
        throw new UsageError(
          `--workers needs a whole number from 0 to ${MAX_WORKERS}, got ${value === undefined ? "nothing" : JSON.stringify(value)}`,
        );
      if (workers !== undefined) throw new UsageError("--workers given twice");
      workers = Number(value);
    } else throw new UsageError(`unknown argument ${JSON.stringify(a)}`);
  }
  return { json, help, ...(envDir !== undefined ? { envDir } : {}), ...(workers !== undefined ? { workers } : {}) };
}

// ---------------------------------------------------------------------------------------------
// INTEGRATION POINT with the policy pack (policy-pack/offline.ts, issue 3). This is the one place
// the planner calls the pack: it hands over every resource a stack registered, with the pack config
// CI passes to `--policy-pack-config` for that stack (governance/enforcement-plan.ts `packConfigOfStack`: the
// org-wide governance/policy-pack-config.json plus the boundary the stack's own file names).

export type StackKind = CommittedStack["role"];

/** The pack config of one planned stack, exactly as CI and the governance project derive it. */
export function packConfigFor(file: StackFile, kind: StackKind): PolicyPackConfig {
  const stack: CommittedStack = {
    role: kind,
    dir: path.relative(REPO_ROOT, file.projectDir),
    project: file.project,
    stack: file.stack,
    file: file.file,
    config: file.config,
  };
  return packConfigOfStack(stack) as PolicyPackConfig;
}

/** Run the policy pack over one planned stack. */
export async function runPolicyPack(run: StackRun, file: StackFile, kind: StackKind): Promise<ViolationReport[]> {
  const resources: OfflineResource[] = run.resources.map((r) => ({
    type: r.type,
    urn: r.urn,
    name: r.name,
    props: r.props,
    opts: { protect: r.options.protect, ignoreChanges: [...r.options.ignoreChanges] },
    ...(r.options.parent ? { parent: r.options.parent } : {}),
    dependencies: r.options.dependsOn,
  }));
  const result = await runPolicies(resources, { config: packConfigFor(file, kind), project: run.project, stack: run.stack });
  return result.violations.map((v) => ({
    stack: stackLabel(run),
    policy: v.policy,
    urn: v.urn,
    message: v.message,
    enforcementLevel: v.enforcementLevel,
  }));
}
// ---------------------------------------------------------------------------------------------

export interface PlanOptions extends ProofOptions {
  /** Change the planned stacks before the pack and the proof see them (tests break a guarantee this way). */
  readonly mutate?: (plan: PlannedEnvironment) => PlannedEnvironment;
  /**
   * Keep each check's full request (its context and policies) in the report (default true, for
   * callers that read them). At 1,000 accounts x 1,000 users they would be most of the memory:
   * `npm start` drops them check by check, and `--json` gets them through `onCheck` instead.
   */
  readonly keepRequests?: boolean;
  /**
   * Keep the checks that hold in the report (default true). `--json` has written each check by the
   * time the report is done, and needs only whether one failed: it keeps the failed ones alone
   * (197,000 checks are a few hundred megabytes at 1,000 accounts x 1,000 users).
   */
  readonly keepPassingChecks?: boolean;
  /** Called once every violation is known, before the first check is evaluated (`--json` writes its head then). */
  readonly onViolationsKnown?: (stacks: readonly StackRun[], violations: readonly ViolationReport[]) => void;
  /** Each check, with its full request, as soon as it is evaluated (`--json` writes it then). */
  readonly onCheck?: (check: CheckResult) => void;
  /**
   * Worker threads that evaluate the proof's checks (0: this thread). Default: by the proof's size,
   * verify/access/parallel-proof.ts `defaultWorkers`. The results are the same either way.
   */
  readonly workers?: number;
  /**
   * Plan the stacks on a worker thread (verify/harness/plan-in-worker.ts), whose heap goes with it.
   * Default: from `PLAN_IN_WORKER_FROM` target stacks. The plan is the same either way.
   */
  readonly planInWorker?: boolean;
}

/** The old-generation cap of a worker running escalation catalogues (parallel-proof.ts `CheckPool`). */
const CATALOGUE_WORKER_HEAP_MB = 192;

/** From this many target stacks the plan runs on a worker thread (starting one costs about a second). */
export const PLAN_IN_WORKER_FROM = 100;

function accountOfFile(file: StackFile): string | undefined {
  try {
    const ids = JSON.parse(file.config["aws:allowedAccountIds"] ?? "null") as unknown;
    return Array.isArray(ids) && typeof ids[0] === "string" ? ids[0] : undefined;
  } catch {
    return undefined;
  }
}

/** A batch of checks evaluated on this thread, in order. */
async function checkHere(batch: readonly Expectation[]): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const expectation of batch) results.push(await check(expectation));
  return results;
}

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

/** Plan an environment, run the pack over it, check its documents and prove its access guarantees. */
export async function planAndProve(env: Environment, opts: PlanOptions = {}): Promise<PlanReport> {
  let t = process.hrtime.bigint();
  const inWorker = opts.planInWorker ?? env.targets.length >= PLAN_IN_WORKER_FROM;
  let plan = await (inWorker ? planInWorker(env) : planEnvironment(env));
  if (opts.mutate) plan = opts.mutate(plan);
  const planSeconds = seconds(t);

  const fileOf = (run: StackRun): StackFile => {
    const f =
      run === plan.jump ? env.jump : run === plan.identityCenter ? env.identityCenter : env.targets.find((x) => x.stack === run.stack);
    if (!f) throw new Error(`no stack file for planned stack ${stackLabel(run)}`);
    return f;
  };
  t = process.hrtime.bigint();
  const violations: ViolationReport[] = [];
  violations.push(...(await runPolicyPack(plan.jump, env.jump, "jump")));
  for (const run of plan.targets) violations.push(...(await runPolicyPack(run, fileOf(run), "target")));
  if (plan.identityCenter && env.identityCenter)
    violations.push(...(await runPolicyPack(plan.identityCenter, env.identityCenter, "identity-center")));
  const packSeconds = seconds(t);

  t = process.hrtime.bigint();
  const stacks = [plan.jump, ...plan.targets, ...(plan.identityCenter ? [plan.identityCenter] : [])];
  const catalogue = await documentFindings(stacks);
  violations.push(...catalogue.findings);
  const planned = (run: StackRun): PlannedStack => ({
    project: run.project,
    stack: run.stack,
    config: fileOf(run).config,
    resources: run.resources,
  });
  const model = accessModel(planned(plan.jump), plan.targets.map(planned));
  for (const p of model.problems)
    violations.push({ stack: p.stack, policy: "access-proof", urn: p.urn, message: p.message, enforcementLevel: "mandatory" });
  // The roles Identity Center provisions: the same session guarantees, a trust only its SAML provider passes.
  const ssoRoles: { run: StackRun; role: ProvisionedRole; model: SsoRoleModel }[] = [];
  if (plan.identityCenter && env.identityCenter) {
    const urn = plan.identityCenter.resources.find((r) => r.type === SSO_TYPES.permissionSet)?.urn ?? "";
    for (const role of provisionedRoles(plan.identityCenter, env.identityCenter)) {
      const run = plan.targets.find((t) => accountOfFile(fileOf(t)) === role.account);
      if (!run) {
        violations.push({
          stack: stackLabel(plan.identityCenter),
          policy: "access-proof",
          urn,
          message: `permission set ${role.permissionSet} is assigned in account ${role.account}, but no target-account stack of this environment plans that account (its boundary would not exist)`,
          enforcementLevel: "mandatory",
        });
        continue;
      }
      ssoRoles.push({ run, role, model: ssoRoleModel(role, planned(run)) });
    }
  }

  // The escalation catalogue and the checks are evaluated on worker threads past a size
  // (parallel-proof.ts `defaultWorkers`), or as many as `--workers` asks, but never more than
  // there is work for: a worker that gets nothing still costs its start and its heap. The results
  // are the same either way.
  const batches = model.targets.reduce((n, t) => n + t.roles.length, 0) + model.jump.users.length;
  const workers = Math.min(opts.workers ?? defaultWorkers(batches), batches);

  // The catalogue against every target's registered boundary (docs/escalations.md), a target per
  // worker request, reported in the targets' order.
  const catalogueRuns: { run: StackRun; attacker?: Attacker }[] = plan.targets.filter(hasRoles).map((run) => ({ run }));
  // The catalogue's attacker holds AdministratorAccess: an Identity Center role with it must end as the restricted role does (target-escalations.ts adds what IAM refuses on /aws-reserved/ roles).
  for (const { run, role, model: m } of ssoRoles)
    if (m.role.capability === "admin")
      catalogueRuns.push({ run, attacker: { name: role.name, path: role.path, permissionSet: role.permissionSet } });
  // Its workers go before the checks' start: a thousand catalogues leave a worker's heap grown and
  // its caches full of their requests. (The main thread only waits meanwhile: one more worker takes its core.)
  const catalogueWorkers = Math.min(workers + 1, catalogueRuns.length);
  const catalogues = workers > 0 && catalogueWorkers > 0 ? new CheckPool(catalogueWorkers, CATALOGUE_WORKER_HEAP_MB) : undefined;
  let escalations: TargetEscalations[];
  try {
    const runCatalogue = catalogues ? (s: Scenario, boundary: unknown) => catalogues.runCatalogue(s, boundary) : undefined;
    escalations = await Promise.all(catalogueRuns.map(({ run, attacker }) => targetEscalations(run, fileOf(run), attacker, runCatalogue)));
    catalogueRuns.forEach(({ run }, i) => {
      const urn = run.resources.find((x) => x.type === "aws:iam/policy:Policy")?.urn ?? "";
      for (const p of escalations[i].problems)
        violations.push({ stack: escalations[i].stack, policy: "escalation-catalogue", urn, message: p, enforcementLevel: "mandatory" });
    });
  } finally {
    await catalogues?.close();
  }
  opts.onViolationsKnown?.(stacks, violations);

  const pool = workers > 0 ? new CheckPool(workers) : undefined;
  const keepRequests = opts.keepRequests ?? true;
  const keepPassingChecks = opts.keepPassingChecks ?? true;
  const checks: CheckResult[] = [];
  let evaluateSeconds = 0;
  try {
    // Expectations are built a batch at a time (a role's, or a user's), evaluated, and let go.
    const record = (result: CheckResult) => {
      opts.onCheck?.(result);
      if (keepPassingChecks || !result.ok) checks.push(keepRequests ? result : withoutRequestDetails(result));
    };
    if (pool) {
      // Batches go to the workers in order and are recorded in that order; a few wait in line so
      // that no worker idles while the next batch is built. When every worker has two waiting, this
      // thread evaluates the batch itself: it would otherwise idle (it only builds the batches and
      // records the results), and one worker fewer is one heap fewer. Time here is the loop's wall time.
      const e = process.hrtime.bigint();
      const inFlight: Promise<CheckResult[]>[] = [];
      for await (const batch of expectationBatches(model, opts)) {
        // Let the workers' answers in first (they arrive as events; evaluating here never yields to them).
        await new Promise<void>((resolve) => setImmediate(resolve));
        inFlight.push(pool.waiting() >= 2 * workers ? checkHere(batch) : pool.checkBatch(batch));
        if (inFlight.length > 2 * workers + 1) for (const result of await inFlight.shift()!) record(result);
      }
      for (const batch of inFlight) for (const result of await batch) record(result);
      evaluateSeconds += seconds(e);
    } else {
      for await (const batch of expectationBatches(model, opts)) {
        const e = process.hrtime.bigint();
        for (const result of await checkHere(batch)) record(result);
        evaluateSeconds += seconds(e);
      }
    }

    const now = opts.now ?? new Date(Math.floor(Date.now() / 1000) * 1000);
    for (const { role, model: m } of ssoRoles) {
      const env: RequestEnvironment = { now, region: m.target.region };
      const e = process.hrtime.bigint();
      const batch = [
        ...(await sessionExpectations(m.target, m.role, env)),
        ...ssoTrustExpectations(m, model.jump, [...model.accounts, role.account], env),
      ];
      for (const result of await checkHere(batch)) record(result);
      evaluateSeconds += seconds(e);
    }
  } finally {
    await pool?.close();
  }
  const sampling = trustSamplingSummary(model, opts);
  const accessSecondsWithEscalations = seconds(t);

  const approximations = new Map<string, string[]>();
  for (const target of model.targets) {
    for (const role of target.roles)
      for (const a of role.approximations) approximations.set(a, [...(approximations.get(a) ?? []), `${role.name}@${target.name}`]);
  }
  return {
    stacks,
    violations,
    checks,
    ...(keepRequests ? {} : { requestDetails: "dropped" as const }),
    ...(sampling ? { sampling } : {}),
    pack: { name: PACK_NAME, policies: packPolicies.length },
    catalogue: { documents: catalogue.documents, actions: catalogue.actions },
    approximations: [...approximations].map(([policy, roles]) => ({ policy, roles })),
    escalations,
    seconds: { plan: planSeconds, pack: packSeconds, access: accessSecondsWithEscalations, evaluate: evaluateSeconds },
    workers,
  };
}

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const processIo: Io = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };

/** A user's mistake (exit 2): bad arguments, stack files or config. */
function userError(e: unknown): string | undefined {
  if (e instanceof UsageError) return `error: ${e.message} (see --help)`;
  if (e instanceof ConfigError) return `error: ${e.oneLine}`;
  if (e instanceof ProgramError && e.cause instanceof ConfigError) return `error: ${e.cause.oneLine}`;
  if (e instanceof StackFileError) return `error: ${firstLine(e.message)}`;
  if (e instanceof PackConfigError)
    return `error: ${e.source}: ${e.problems[0]}${e.problems.length > 1 ? ` (and ${e.problems.length - 1} more)` : ""}`;
  return undefined;
}

function firstLine(text: string): string {
  return text.split("\n")[0];
}

/** The CLI. Returns the exit status. */
export async function main(argv: readonly string[], io: Io = processIo, opts: PlanOptions = {}): Promise<number> {
  let report: PlanReport;
  let cli: CliOptions;
  let json: JsonReportWriter | undefined;
  try {
    // --help answers whatever else is given (as audit and adopt do).
    cli = argv.includes("--help") || argv.includes("-h") ? { json: false, help: true } : parseArgs(argv);
    if (cli.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    if (cli.envDir !== undefined && !(fs.existsSync(cli.envDir) && fs.statSync(cli.envDir).isDirectory())) {
      throw new UsageError(`--env ${cli.envDir}: no such directory`);
    }
    const env = loadEnvironment(cli.envDir === undefined ? undefined : path.resolve(cli.envDir));
    checkEnvironment(env);
    // --json streams: the head once every violation is known, each check as it is evaluated.
    const writer = cli.json ? new JsonReportWriter(io.stdout) : undefined;
    report = await planAndProve(env, {
      ...(cli.workers !== undefined ? { workers: cli.workers } : {}),
      ...opts,
      keepRequests: opts.keepRequests ?? false,
      keepPassingChecks: opts.keepPassingChecks ?? !writer,
      ...(writer ? { onViolationsKnown: (stacks, violations) => writer.head(stacks, violations), onCheck: (c) => writer.check(c) } : {}),
    });
    json = writer;
  } catch (e) {
    // A developer asks for the trace (as cli/run.ts does); a user never gets one.
    if (process.env.DEBUG_STACK) {
      const cause = e instanceof ProgramError ? e.cause : e;
      if (cause instanceof Error && cause.stack) io.stderr(`${cause.stack}\n`);
    }
    const message = userError(e);
    if (message !== undefined) {
      io.stderr(`${message}\n`);
      return 2;
    }
    // Not the user's mistake: still one line (DEBUG_STACK=1 in cli/run.ts is for a developer).
    const where = e instanceof ProgramError ? `stack "${e.stackFile.stack}" (${e.stackFile.project}): ` : "";
    io.stderr(`error: ${where}${firstLine(e instanceof Error ? e.message : String(e))}\n`);
    return 1;
  }
  if (json) json.end(report);
  else io.stdout(renderText(report));
  return planHolds(report) ? 0 : 1;
}
