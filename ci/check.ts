/**
 * The one required check of a workflow: it runs always (`if: always()`), so branch protection
 * never waits on a job name that a skipped matrix never reports, and it fails when a job the plan
 * expects did not succeed (failed, cancelled, or skipped unexpectedly) or when any job failed.
 */

/** `${{ toJSON(needs) }}`: each needed job's result. */
export type Needs = Readonly<Record<string, { readonly result: string }>>;

export function checkProblems(needs: Needs, expected: readonly string[]): string[] {
  const problems: string[] = [];
  for (const job of expected) {
    const result = needs[job]?.result;
    if (result === undefined) problems.push(`job ${job} is expected but the check does not need it`);
    else if (result !== "success") problems.push(`job ${job} was expected to succeed and ended ${result}`);
  }
  for (const [job, { result }] of Object.entries(needs)) {
    if (!expected.includes(job) && result !== "success" && result !== "skipped") problems.push(`job ${job} ended ${result}`);
  }
  return problems;
}
