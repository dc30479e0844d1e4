/**
 * Runs expectations through the evaluator and says, for each, whether it holds and why.
 */
import { describeReason, describeVerdict, evaluate, type Decision, type Verdict } from "./evaluator";
import type { Expectation, Expected } from "./expectation";

export interface CheckResult {
  readonly expectation: Expectation;
  readonly verdict: Verdict;
  readonly ok: boolean;
  /** One line: what was expected, what the evaluator decided, and on what grounds. */
  readonly message: string;
}

/** Whether a decision satisfies an expected verdict. */
export function satisfies(expected: Expected, decision: Decision | "Error"): boolean {
  if (decision === "Error") return false;
  return expected === "Denied" ? decision !== "Allowed" : expected === decision;
}

function expectedText(e: Expectation): string {
  const by = e.deniedBy ? ` by the ${e.deniedBy === "resource" ? "trust/resource" : e.deniedBy} policy` : "";
  return `${e.expected}${by}`;
}

/** Evaluate one expectation. Known modelling problems make it fail without asking the evaluator. */
export async function check(e: Expectation): Promise<CheckResult> {
  const verdict: Verdict =
    e.problems && e.problems.length > 0 ? { decision: "Error", reasons: [], problems: [...e.problems] } : await evaluate(e.request);
  let ok = satisfies(e.expected, verdict.decision);
  let why = "";
  if (ok && verdict.decision !== "Allowed" && e.deniedBy && !verdict.reasons.some((r) => r.kind === e.deniedBy)) {
    ok = false;
    why = ` (the ${e.deniedBy} policy did not decide it: ${verdict.reasons.map(describeReason).join("; ") || "no reason given"})`;
  }
  const head = `${e.subject}: ${e.guarantee} [${e.how}]`;
  const message = ok
    ? `${head}: ${describeVerdict(verdict)}`
    : `${head}: expected ${expectedText(e)}, got ${describeVerdict(verdict)}${why}`;
  return { expectation: e, verdict, ok, message };
}

/** Evaluate expectations in order (the evaluator is CPU-bound: running them concurrently gains nothing). */
export async function checkAll(expectations: readonly Expectation[]): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  for (const e of expectations) out.push(await check(e));
  return out;
}

/**
 * A result without its request's context and policies (principal, action, resource and account
 * stay): what the text report needs, at a fraction of the memory. A report made of these says so
 * (`requestDetails: "dropped"`), and `--json` is never made from one.
 */
export function withoutRequestDetails(r: CheckResult): CheckResult {
  const { principal, action, resource, resourceAccount } = r.expectation.request;
  return {
    ...r,
    expectation: { ...r.expectation, request: { principal, action, resource, resourceAccount, context: {}, policies: { identity: [] } } },
  };
}
