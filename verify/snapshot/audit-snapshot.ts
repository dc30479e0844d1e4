/**
 * `npm run audit -- SNAPSHOT... [--config F] [--env DIR] [--prove] [--json]`: the policy pack over
 * the IAM snapshots of live accounts, with the same policies and wording as for a stack; each
 * violation names the principal's or policy's ARN where a stack's names a URN. Service-linked and
 * IAM Identity Center roles are listed apart (only their AWS service may change them); the pack
 * judges the permission set each Identity Center role came from, whose boundary Identity Center
 * wrote on the role.
 *
 * Whether an account is a Jump or a target account (the pack's no-users policy applies to target
 * accounts only) comes from the stack config: the committed `Pulumi.<stack>.yaml` files, or those
 * under `--env DIR`, name each account in `aws:allowedAccountIds`. An account no stack names is a
 * target account when it holds the approved boundary policy, else the Jump account; the report says
 * which it chose and why.
 *
 * `--prove` evaluates the live accounts as `npm start` evaluates planned stacks: the escalation
 * catalogue against each target account's actual boundary and roles, and, when the Jump account's
 * snapshot is given with its targets' snapshots, the access proof (who may switch where, with and
 * without MFA), with the stacks' config as the intent.
 */
import * as path from "path";
import type { PolicyPackConfig } from "@pulumi/policy";
import { parseTargetConfig, policyArn } from "@jumpenv/shared";
import { DEFAULT_BOUNDARY_POLICY_NAME } from "../../policy-pack/config";
import { runPolicies, type OfflineResource } from "../../policy-pack/offline";
import { JUMP_PROJECT_DIR, TARGET_PROJECT_DIR, type Environment, type PlannedEnvironment } from "../harness/environment";
import { projectName, type StackFile, type StackRun } from "../harness/mock-run";
import { packConfigFor, planAndProve } from "../plan/plan";
import { planHolds, renderText, toJson as planToJson, type PlanReport } from "../plan/report";
import { snapshotResources, type AwsManagedRole, type SnapshotResource } from "./resources";
import type { AccountSnapshot } from "./snapshot";

export type AccountKind = "jump" | "target";

export interface AccountRole {
  readonly account: string;
  readonly kind: AccountKind;
  /** Why the audit took the account for that kind. */
  readonly why: string;
  /** The stack file that names the account, when one does. */
  readonly stackFile?: StackFile;
}

export interface SnapshotViolation {
  readonly policy: string;
  readonly arn: string;
  readonly message: string;
  readonly enforcementLevel: "advisory" | "mandatory";
}

export interface SnapshotAudit {
  readonly accounts: readonly AccountRole[];
  readonly violations: readonly SnapshotViolation[];
  readonly awsManagedRoles: readonly (AwsManagedRole & { readonly account: string })[];
  readonly resourceCount: number;
}

function allowedAccount(file: StackFile): string | undefined {
  try {
    const ids = JSON.parse(file.config["aws:allowedAccountIds"] ?? "null") as unknown;
    return Array.isArray(ids) && typeof ids[0] === "string" ? ids[0] : undefined;
  } catch {
    return undefined;
  }
}

/** The approved boundary's name and path as the pack config gives them (the pack's defaults otherwise). */
function approvedBoundary(config: PolicyPackConfig | undefined): { name: string; path: string } {
  const entry = config?.["iam-boundary-policy-integrity"];
  const o = entry !== null && typeof entry === "object" ? (entry as Record<string, unknown>) : {};
  return {
    name: typeof o.boundaryPolicyName === "string" ? o.boundaryPolicyName : DEFAULT_BOUNDARY_POLICY_NAME,
    path: typeof o.boundaryPolicyPath === "string" ? o.boundaryPolicyPath : "/",
  };
}

/** A stack file as the user would type it: relative to where the command runs. */
function shown(file: string): string {
  return path.relative(process.cwd(), file) || file;
}

/** Jump or target: from the stack that names the account, else from whether it holds the approved boundary. */
export function accountRole(snapshot: AccountSnapshot, env: Environment | undefined, config: PolicyPackConfig | undefined): AccountRole {
  const account = snapshot.account;
  if (env && allowedAccount(env.jump) === account) {
    return { account, kind: "jump", why: `${shown(env.jump.file)} names it in aws:allowedAccountIds`, stackFile: env.jump };
  }
  const target = env?.targets.find((t) => allowedAccount(t) === account);
  if (target) return { account, kind: "target", why: `${shown(target.file)} names it in aws:allowedAccountIds`, stackFile: target };
  const b = approvedBoundary(config);
  const holds = snapshot.policies.some((p) => p.PolicyName.toLowerCase() === b.name.toLowerCase() && p.Path === b.path);
  return holds
    ? { account, kind: "target", why: `no stack names it, and it holds the boundary policy ${b.path}${b.name}` }
    : { account, kind: "jump", why: `no stack names it, and it holds no boundary policy ${b.path}${b.name}` };
}

/** The project whose URNs mark the account's resources: the pack tells a target account by its project. */
function projectOf(kind: AccountKind): string {
  return projectName(kind === "jump" ? JUMP_PROJECT_DIR : TARGET_PROJECT_DIR);
}

export interface SnapshotRun extends StackRun {
  readonly resources: readonly SnapshotResource[];
  readonly awsManagedRoles: readonly AwsManagedRole[];
}

/** One account's snapshot as a planned stack: the stack file's names when a stack names the account. */
export function snapshotRun(snapshot: AccountSnapshot, role: AccountRole): SnapshotRun {
  const project = role.stackFile?.project ?? projectOf(role.kind);
  const stack = role.stackFile?.stack ?? snapshot.account;
  const { resources, awsManagedRoles } = snapshotResources(snapshot, project, stack);
  const outputs: Record<string, unknown> = {};
  if (role.kind === "target" && role.stackFile) {
    const cfg = parseTargetConfig(role.stackFile.config, { project: role.stackFile.project, stack: role.stackFile.stack });
    outputs.accountId = snapshot.account;
    outputs.boundaryPolicyArn = policyArn(snapshot.account, cfg.boundaryPolicyPath, cfg.boundaryPolicyName);
  }
  return { project, stack, resources, outputs, awsManagedRoles };
}

/** Run the pack over every account's snapshot. */
export async function auditSnapshots(
  snapshots: readonly AccountSnapshot[],
  opts: { readonly config?: PolicyPackConfig; readonly env?: Environment; readonly stackTags?: Record<string, string> },
): Promise<SnapshotAudit> {
  const accounts: AccountRole[] = [];
  const violations: SnapshotViolation[] = [];
  const awsManagedRoles: (AwsManagedRole & { account: string })[] = [];
  let resourceCount = 0;
  for (const s of snapshots) {
    const role = accountRole(s, opts.env, opts.config);
    accounts.push(role);
    const run = snapshotRun(s, role);
    awsManagedRoles.push(...run.awsManagedRoles.map((r) => ({ ...r, account: s.account })));
    resourceCount += run.resources.length;
    const arnOf = new Map(run.resources.map((r) => [r.urn, r.arn]));
    const input: OfflineResource[] = run.resources.map((r) => ({ type: r.type, urn: r.urn, name: r.name, props: r.props }));
    // One --config for every account, as for a stack; without it, the config CI passes for the
    // stack that names the account (its own boundary), else the pack's defaults.
    const config = opts.config ?? (role.stackFile ? packConfigFor(role.stackFile, role.kind) : undefined);
    const result = await runPolicies(input, { config, stackTags: opts.stackTags });
    for (const v of result.violations) {
      violations.push({ policy: v.policy, arn: arnOf.get(v.urn) ?? v.urn, message: v.message, enforcementLevel: v.enforcementLevel });
    }
  }
  return { accounts, violations, awsManagedRoles, resourceCount };
}

const AWS_MANAGED_NOTE: Record<AwsManagedRole["kind"], string> = {
  "service-linked": "service-linked role: only its AWS service may change it, so it cannot carry the boundary",
  "identity-center":
    "IAM Identity Center permission-set role: only Identity Center may change it; its permission set's boundary is checked (sso-permission-set-requires-permissions-boundary)",
};

export function formatSnapshotText(a: SnapshotAudit): string {
  const lines: string[] = [];
  for (const r of a.accounts)
    lines.push(`account ${r.account}: audited as ${r.kind === "jump" ? "the Jump" : "a target"} account (${r.why})`);
  lines.push("");
  for (const v of a.violations) {
    lines.push(`${v.enforcementLevel.toUpperCase()} ${v.policy}`, `  ${v.arn}`, ...v.message.split("\n").map((l) => `  ${l}`), "");
  }
  if (a.awsManagedRoles.length > 0) {
    lines.push("Roles AWS manages (reported apart, not violations):");
    for (const r of a.awsManagedRoles) lines.push(`  ${r.arn}: ${AWS_MANAGED_NOTE[r.kind]}`);
    lines.push("");
  }
  const mandatory = a.violations.filter((v) => v.enforcementLevel === "mandatory").length;
  lines.push(`${a.resourceCount} resources checked: ${mandatory} mandatory, ${a.violations.length - mandatory} advisory violation(s).`);
  return lines.join("\n") + "\n";
}

export function snapshotJson(a: SnapshotAudit): Record<string, unknown> {
  return {
    violations: a.violations.map(({ policy, arn, message, enforcementLevel }) => ({ policy, arn, message, enforcementLevel })),
    awsManagedRoles: a.awsManagedRoles.map((r) => ({ account: r.account, arn: r.arn, kind: r.kind, note: AWS_MANAGED_NOTE[r.kind] })),
    accounts: a.accounts.map(({ account, kind, why }) => ({ account, kind, why })),
  };
}

/** A problem that stops `--prove` before it runs: one line for the user. */
export class ProveInputError extends Error {}

/**
 * `--prove`: the offline plan's proof over the live accounts. Each snapshot's account must be
 * named by a stack file (the proof takes its intent from config). With the Jump account's
 * snapshot, the whole proof runs (pack with each stack's CI config, document catalogue, access
 * proof, escalation catalogue); with target snapshots alone, the escalation catalogue.
 */
export async function proveSnapshots(snapshots: readonly AccountSnapshot[], env: Environment): Promise<PlanReport> {
  const roles = snapshots.map((s) => accountRole(s, env, undefined));
  const unnamed = roles.filter((r) => !r.stackFile);
  if (unnamed.length > 0) {
    throw new ProveInputError(
      `--prove needs the stack config of every account, and no stack file names ${unnamed.map((r) => r.account).join(", ")} in aws:allowedAccountIds (looked in ${env.jump.file} and the target-account stack files beside it); add its stack file or pass --env DIR`,
    );
  }
  const runs = snapshots.map((s, i) => snapshotRun(s, roles[i]));
  const jumpIndex = roles.findIndex((r) => r.kind === "jump");
  const targetRuns = runs.filter((_, i) => roles[i].kind === "target");
  const targetFiles = roles.filter((r) => r.kind === "target").map((r) => r.stackFile!);
  // Without the Jump account there is nobody to switch in: the escalation catalogue still runs on
  // each target, against a stand-in Jump run with the config's intent and no documents, whose
  // access checks are left out.
  const jumpRun: StackRun =
    jumpIndex >= 0 ? runs[jumpIndex] : { project: env.jump.project, stack: env.jump.stack, resources: [], outputs: {} };
  const proveEnv: Environment = { jump: env.jump, targets: targetFiles };
  const live: PlannedEnvironment = { jump: jumpRun, targets: targetRuns };
  const report = await planAndProve(proveEnv, { mutate: () => live });
  if (jumpIndex >= 0) return report;
  return {
    ...report,
    stacks: targetRuns,
    violations: report.violations.filter((v) => v.stack !== `${env.jump.project}/${env.jump.stack}` && v.policy !== "access-proof"),
    checks: [],
  };
}

export interface ProveOutcome {
  readonly text: string;
  readonly json: unknown;
  readonly holds: boolean;
}

export function proveOutcome(report: PlanReport, json: boolean): ProveOutcome {
  const text = renderText(report).replace(
    /^Offline plan: .*$/m,
    `Live accounts: ${report.stacks.length} snapshot(s), proven as \`npm start\` proves planned stacks`,
  );
  return { text, json: json ? planToJson(report) : undefined, holds: planHolds(report) };
}
