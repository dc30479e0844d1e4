/**
 * The one pull-request comment of a preview run: a marker line (so the run edits its own comment
 * instead of adding one per push), the counts, then every stack that failed or has changes.
 * GitHub refuses a comment over 65,536 characters; at 1,000 stacks the list is cut to fit and says
 * how many it left out (every stack's full preview is in its job's log).
 */
import * as fs from "fs";
import * as path from "path";

export const COMMENT_MARKER = "<!-- jump-account-iam: pulumi preview -->";
export const MAX_COMMENT_CHARS = 65_536;

export interface StackResult {
  readonly ok: boolean;
  readonly stack: string;
  readonly detail: string;
}

/** One `.result` line of .ci/stacks.sh: `ok|dir/stack|summary` or `failed|dir/stack|why`. */
export function parseResult(line: string): StackResult | undefined {
  const m = /^(ok|failed)\|([^|]+)\|(.*)$/.exec(line.trim());
  return m ? { ok: m[1] === "ok", stack: m[2], detail: m[3] } : undefined;
}

/** Every `.result` file under a folder (the downloaded artifacts of the preview jobs). */
export function readResults(dir: string): StackResult[] {
  const out: StackResult[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".result")) {
        const r = parseResult(fs.readFileSync(p, "utf8"));
        if (r) out.push(r);
      }
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out.sort((a, b) => a.stack.localeCompare(b.stack));
}

const changes = (r: StackResult) => r.ok && /(to create|to update|to delete|to replace)/.test(r.detail);

export function previewComment(results: readonly StackResult[], runUrl: string, planned: number): string {
  const failed = results.filter((r) => !r.ok);
  const changed = results.filter(changes);
  const head = [
    COMMENT_MARKER,
    "### Pulumi preview",
    "",
    `${results.length} of ${planned} planned stacks previewed with the policy pack: ${failed.length} failed, ${changed.length} with changes, ${results.length - failed.length - changed.length} unchanged. [Logs](${runUrl})`,
    "",
  ];
  if (results.length < planned) head.push(`**${planned - results.length} planned stacks reported no result** (see the run).`, "");
  const rows = [...failed.map((r) => `| ❌ \`${r.stack}\` | ${r.detail} |`), ...changed.map((r) => `| \`${r.stack}\` | ${r.detail} |`)];
  const table = rows.length > 0 ? ["| stack | result |", "| --- | --- |"] : [];
  let body = [...head, ...table].join("\n");
  let shown = 0;
  for (const row of rows) {
    const tail = `\n\n${rows.length - shown} more stacks not listed (comment size limit); see the run.`;
    if (body.length + row.length + 1 + tail.length > MAX_COMMENT_CHARS) {
      body += tail;
      return body;
    }
    body += `\n${row}`;
    shown++;
  }
  return body;
}
