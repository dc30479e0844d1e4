/**
 * The offline plan's two outputs: a report a person takes in at a glance, and one JSON document
 * for machines (`--json`), in exactly the shape issue 4 fixes:
 *
 *   {"stacks":[{"project","stack","resources":[{"type","name","urn","props","options"}],"outputs"}],
 *    "violations":[{"stack","policy","urn","message","enforcementLevel"}],
 *    "checks":[{"account","principal","action","resource","context","expected","actual","ok"}]}
 */
import { describeReason, shortPolicyName, type Reason } from "../access/evaluator";
import { type TargetEscalations } from "../escalations/target-escalations";
import { catalogueScope } from "../escalations/evaluate";
import { GUARANTEES, type Expected } from "../access/expectation";
import type { SamplingSummary } from "../access/trust-sampling";
import type { CheckResult } from "../access/proof";
import type { StackRun } from "../harness/mock-run";

/** A planned stack as the report shows it: the mock runner's own record. */
export type PlannedStackReport = StackRun;

export interface ViolationReport {
  /** `project/stack`. */
  readonly stack: string;
  readonly policy: string;
  readonly urn: string;
  readonly message: string;
  readonly enforcementLevel: "advisory" | "mandatory";
}

export interface PlanReport {
  /** Jump stack first, then the target stacks in deploy order. */
  readonly stacks: readonly PlannedStackReport[];
  /** The policy pack's violations, then the planner's own findings (catalogue, syntax, access-proof). */
  readonly violations: readonly ViolationReport[];
  /** Every check, or only the failed ones when planned without `keepPassingChecks` (as `--json` is). */
  readonly checks: readonly CheckResult[];
  /** `dropped` when the checks keep only principal, action and resource of their requests (see `PlanOptions.keepRequests`): no `--json` then. */
  readonly requestDetails?: "dropped";
  /** Present when the access proof checked each role's trust for a sample of its users (large environments). */
  readonly sampling?: SamplingSummary;
  readonly pack: { readonly name: string; readonly policies: number };
  readonly catalogue: { readonly documents: number; readonly actions: number };
  /** Managed policies evaluated through an approximate model, with the roles that use them. */
  readonly approximations: readonly { readonly policy: string; readonly roles: readonly string[] }[];
  /** The escalation catalogue against each target stack's boundary. */
  readonly escalations: readonly TargetEscalations[];
  /** Wall time: the stack programs under mocks, the pack, the whole access proof (catalogue, model, expectations, evaluation) and its evaluation alone. */
  readonly seconds: { readonly plan: number; readonly pack: number; readonly access: number; readonly evaluate: number };
  /** The worker threads that evaluated the proof's checks beside this thread (0: this thread alone). */
  readonly workers: number;
}

export interface CheckJson {
  readonly account: string;
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly context: Readonly<Record<string, string | readonly string[]>>;
  readonly expected: Expected;
  readonly actual: string;
  readonly ok: boolean;
}

export interface PlanJson {
  readonly stacks: {
    project: string;
    stack: string;
    resources: { type: string; name: string; urn: string; props: Record<string, unknown>; options: unknown }[];
    outputs: Record<string, unknown>;
  }[];
  readonly violations: ViolationReport[];
  readonly checks: CheckJson[];
  /** Beyond the issue's shape: the escalation catalogue per target stack. */
  readonly escalations: readonly TargetEscalations[];
  /** Beyond the issue's shape, only when the access proof sampled: what it checked (see `SamplingSummary`). */
  readonly sampling?: SamplingSummary;
}

/** Whether the plan holds: no mandatory violation and every check holds. */
export function planHolds(r: Pick<PlanReport, "violations" | "checks">): boolean {
  return r.violations.every((v) => v.enforcementLevel !== "mandatory") && r.checks.every((c) => c.ok);
}

function stackJson(s: PlannedStackReport): PlanJson["stacks"][number] {
  return {
    project: s.project,
    stack: s.stack,
    resources: s.resources.map((x) => ({ type: x.type, name: x.name, urn: x.urn, props: x.props, options: x.options })),
    outputs: s.outputs,
  };
}

function violationJson(v: ViolationReport): ViolationReport {
  return { stack: v.stack, policy: v.policy, urn: v.urn, message: v.message, enforcementLevel: v.enforcementLevel };
}

/** One check as `--json` prints it; it needs the request's full context. */
export function checkJson(c: CheckResult): CheckJson {
  return {
    account: c.expectation.account,
    principal: c.expectation.request.principal,
    action: c.expectation.request.action,
    resource: c.expectation.request.resource,
    context: c.expectation.request.context,
    expected: c.expectation.expected,
    actual: c.verdict.decision,
    ok: c.ok,
  };
}

export function toJson(r: PlanReport): PlanJson {
  if (r.requestDetails === "dropped")
    throw new Error("this report's checks do not keep their requests' context: plan with keepRequests (as --json does) to print JSON");
  return {
    stacks: r.stacks.map(stackJson),
    violations: r.violations.map(violationJson),
    checks: r.checks.map(checkJson),
    escalations: r.escalations,
    ...(r.sampling ? { sampling: r.sampling } : {}),
  };
}

/** `value` as `JSON.stringify(value, null, 2)` writes it, for a place `depth` levels deep in the document. */
function nested(value: unknown, depth: number): string {
  // JSON escapes every newline inside a string, so each newline here starts a line of the document.
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${"  ".repeat(depth)}`);
}

/**
 * The `--json` document written piece by piece, byte for byte what `JSON.stringify(toJson(report),
 * null, 2)` gives: the stacks and violations first, then each check as soon as it is evaluated,
 * then the rest. At 1,000 accounts x 1,000 users the checks with their full request contexts would
 * be most of the memory, and the document one string past a gigabyte; written as they come, neither
 * is ever held.
 */
export class JsonReportWriter {
  private checks = 0;
  constructor(private readonly write: (text: string) => void) {}

  /** Everything before the checks: every violation must be known by now. */
  head(stacks: readonly PlannedStackReport[], violations: readonly ViolationReport[]): void {
    this.write(
      `{\n  "stacks": ${nested(stacks.map(stackJson), 1)},\n  "violations": ${nested(violations.map(violationJson), 1)},\n  "checks": [`,
    );
  }

  check(c: CheckResult): void {
    this.write(`${this.checks++ === 0 ? "" : ","}\n    ${nested(checkJson(c), 2)}`);
  }

  end(r: Pick<PlanReport, "escalations" | "sampling">): void {
    const sampling = r.sampling ? `,\n  "sampling": ${nested(r.sampling, 1)}` : "";
    this.write(`${this.checks === 0 ? "]" : "\n  ]"},\n  "escalations": ${nested(r.escalations, 1)}${sampling}\n}\n`);
  }
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

/** Short text for one reason: `test-pb-policy #2`, `jump-permissions-boundary DenyBoundaryRemoval`, `no Allow in the trust policy`. */
function shortReason(r: Reason): string {
  if (r.effect === "NoAllow") {
    if (r.kind === "resource") return "no Allow in the trust policy";
    if (r.kind === "identity") return "no Allow in identity policies";
    return describeReason(r);
  }
  return `${r.policy ? shortPolicyName(r.policy) : r.kind} statement ${r.sid ?? `#${r.index}`}`;
}

function why(group: readonly CheckResult[]): string {
  const first = group[0].verdict.decision;
  if (group.some((c) => c.verdict.decision === "Error")) return "evaluator error";
  if (first === "Allowed" && group.every((c) => c.verdict.decision === "Allowed")) return "allowed";
  const reasons = new Set<string>();
  for (const c of group) {
    if (c.verdict.decision === "Allowed") continue;
    const decisive = c.verdict.reasons.filter((r) => r.effect !== "Allow");
    // Every matching Deny decides; among implicit denials, the first is the one that blocked.
    for (const r of c.verdict.decision === "ExplicitlyDenied" ? decisive : decisive.slice(0, 1)) reasons.add(shortReason(r));
  }
  const list = [...reasons];
  return `denied: ${list.slice(0, 3).join(", ")}${list.length > 3 ? ` (+${list.length - 3})` : ""}`;
}

interface Section {
  readonly title: string;
  readonly rows: Map<string, CheckResult[]>;
}

function sectionsOf(checks: readonly CheckResult[]): Section[] {
  const sections = new Map<string, Section>();
  for (const c of checks) {
    const e = c.expectation;
    const selfService = e.id.startsWith("self-");
    const key = selfService ? `self ${e.account}` : `${e.account} ${e.subject}`;
    let s = sections.get(key);
    if (!s) {
      const [role, target] = e.subject.split("@");
      s = {
        title: selfService ? `Jump account ${e.account} · every Jump user (self-service)` : `${target} ${e.account} · role ${role}`,
        rows: new Map(),
      };
      sections.set(key, s);
    }
    const rows = s.rows.get(e.id) ?? [];
    rows.push(c);
    s.rows.set(e.id, rows);
  }
  return [...sections.values()];
}

/** The report for a person. */
export function renderText(r: PlanReport): string {
  const out: string[] = [];
  const resources = r.stacks.reduce((n, s) => n + s.resources.length, 0);
  out.push(`Offline plan: ${plural(r.stacks.length, "stack")} under Pulumi's runtime mocks (no AWS account, no Pulumi CLI)`);
  out.push("");
  out.push("Stacks (deploy order)");
  const width = Math.max(...r.stacks.map((s) => `${s.project}/${s.stack}`.length)) + 2;
  for (const s of r.stacks) out.push(`  ${pad(`${s.project}/${s.stack}`, width)}${String(s.resources.length).padStart(4)} resources`);
  out.push("");

  const pack = r.violations.filter((v) => !PLANNER_CHECKS.has(v.policy));
  const own = r.violations.filter((v) => PLANNER_CHECKS.has(v.policy));
  const mandatory = pack.filter((v) => v.enforcementLevel === "mandatory").length;
  out.push(
    `Policy pack ${r.pack.name}: ${plural(r.pack.policies, "policy", "policies")} over ${plural(resources, "resource")}: ` +
      (pack.length === 0 ? "no violations" : `${plural(mandatory, "mandatory violation")}, ${plural(pack.length - mandatory, "advisory")}`),
  );
  for (const v of pack)
    out.push(
      `  ${v.enforcementLevel === "mandatory" ? "✘" : "!"} ${v.policy} ${v.stack} ${v.urn.split("::").pop()}: ${v.message.split("\n").pop()}`,
    );
  out.push(
    `IAM catalogue: ${plural(r.catalogue.documents, "policy document")}, ${plural(r.catalogue.actions, "action")}: ` +
      (own.length === 0 ? "every action and condition key exists" : `${plural(own.length, "problem")}`),
  );
  for (const v of own) out.push(`  ✘ ${v.policy} ${v.stack}: ${v.message}`);
  out.push("");

  const failed = r.checks.filter((c) => !c.ok);
  out.push(`Access proof: ${plural(r.checks.length, "check")} (one request each), evaluated with @cloud-copilot/iam-simulate`);
  if (r.sampling) {
    const s = r.sampling;
    out.push(
      `  sampled: ${plural(s.users, "Jump user")} x ${plural(s.roles, "role")} = ${s.pairs} user-role pairs, past ${s.abovePairs}: each role's trust is checked for at most ${s.usersPerRole} of its intended users and ${s.usersPerRole} of its outsiders`,
    );
    out.push(
      `  (the first, the last and the rest spread evenly, rotating by account): ${s.intended.checked} of ${s.intended.of} users sampled as intended users, ${s.outsiders.checked} of ${s.outsiders.of} as outsiders; role sessions and self-service in full`,
    );
  }
  const sections = sectionsOf(r.checks);
  const sampled = (group: readonly CheckResult[]) => {
    const s = group[0].expectation.sample;
    return s ? `, ${s.checked} of ${s.of} users sampled` : "";
  };
  const label = (id: string, group: readonly CheckResult[]) =>
    (GUARANTEES[id] ?? group[0].expectation.guarantee) + (group.length > 1 ? ` ×${group.length}` : "") + sampled(group);
  const labelWidth = Math.max(0, ...sections.flatMap((s) => [...s.rows].map(([id, g]) => label(id, g).length))) + 2;
  for (const s of sections) {
    out.push(`  ${s.title}`);
    for (const [id, group] of s.rows) {
      const ok = group.every((c) => c.ok);
      out.push(`    ${ok ? "✔" : "✘"} ${pad(label(id, group), labelWidth)}${why(group)}`);
      for (const c of group.filter((x) => !x.ok)) out.push(`        ✘ ${c.message}`);
    }
  }
  for (const a of r.approximations)
    out.push(`  note: ${shortPolicyName(a.policy)} is modelled approximately (verify/access/aws-managed.ts) for ${a.roles.join(", ")}`);
  out.push("");

  if (r.escalations.length > 0) {
    out.push(`Escalation catalogue: ${catalogueScope()}, against each target's boundary (docs/escalations.md)`);
    const label = (e: TargetEscalations) => `${e.stack}${e.permissionSet ? ` · Identity Center ${e.permissionSet}` : ""} (${e.profile})`;
    const w = Math.max(...r.escalations.map((e) => label(e).length)) + 2;
    for (const e of r.escalations) {
      const count = (s: string) => e.methods.filter((m) => m.status === s).length;
      const open = count("open");
      const detail = `${count("blocked")} blocked, ${count("residual")} residual, ${open} open${open > 0 && e.ok ? ` (known gaps of the ${e.profile} profile)` : ""}; ${e.tasks.filter((t) => t.allowed).length}/${e.tasks.length} delegated tasks work`;
      out.push(`  ${e.ok ? "✔" : "✘"} ${pad(label(e), w)}${detail}`);
      for (const p of e.problems) out.push(`      ✘ ${p}`);
    }
    out.push("");
  }

  // Where the time went, so a slow run says which part to look at (npm run bench reads it too).
  const rate = r.seconds.evaluate > 0 ? Math.round(r.checks.length / r.seconds.evaluate) : 0;
  out.push(
    `Time: plan ${r.seconds.plan.toFixed(1)} s, policy pack ${r.seconds.pack.toFixed(1)} s, access proof ${r.seconds.access.toFixed(1)} s (${r.checks.length} checks evaluated at ${rate} checks/s ${r.workers > 0 ? `by this thread and ${plural(r.workers, "worker thread")}` : "on this thread"})`,
  );
  const seconds = `${(r.seconds.plan + r.seconds.pack + r.seconds.access).toFixed(1)} s`;
  const violations = r.violations.filter((v) => v.enforcementLevel === "mandatory").length;
  const summary = `${plural(r.stacks.length, "stack")}, ${plural(resources, "resource")}, ${plural(violations, "violation")}, ${r.checks.length - failed.length}/${r.checks.length} access checks hold (${seconds})`;
  out.push(planHolds(r) ? `OK: ${summary}` : `FAILED: ${summary}`);
  return out.join("\n") + "\n";
}

/** Policy names of the planner's own findings (the rest come from the pack). */
export const PLANNER_CHECKS: ReadonlySet<string> = new Set([
  "iam-action-catalogue",
  "iam-policy-syntax",
  "access-proof",
  "escalation-catalogue",
]);
