/**
 * Regenerates the policy table and config reference in policy-pack/README.md from the policy
 * objects themselves. `readme.test.ts` fails when the committed copy is stale.
 *
 *   npm run readme --workspace policy-pack            # rewrite README.md
 *   npm run readme --workspace policy-pack -- --check # exit 1 when stale
 */
import * as fs from "fs";
import * as path from "path";
import type { Policies } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { policies } from "../policies";

export const README_PATH = path.join(__dirname, "..", "README.md");
export const BEGIN = "<!-- BEGIN GENERATED: policies (npm run readme --workspace policy-pack) -->";
export const END = "<!-- END GENERATED: policies -->";

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const code = (v: unknown) => "`" + JSON.stringify(v) + "`";

function typeOf(s: PolicyConfigJSONSchema): string {
  if (s.enum) return s.enum.map((e) => code(e)).join(" \\| ");
  if (s.type === "array" && s.items && typeof s.items === "object" && !Array.isArray(s.items)) return `${typeOf(s.items)}[]`;
  if (s.type === "object" && s.additionalProperties && typeof s.additionalProperties === "object")
    return `map of ${typeOf(s.additionalProperties)}`;
  return String(s.type ?? "any");
}

/** The generated section: one table of policies, then one config table per policy. */
export function renderPolicySection(ps: Policies): string {
  const lines = [
    BEGIN,
    "",
    "| Policy | Enforcement | Severity | Requires |",
    "| --- | --- | --- | --- |",
    ...ps.map(
      (p) => `| [\`${p.name}\`](#${p.name}) | ${p.enforcementLevel ?? "advisory"} | ${p.severity ?? ""} | ${cell(p.description)} |`,
    ),
    "",
  ];
  for (const p of ps) {
    lines.push(`### ${p.name}`, "", cell(p.description), "");
    if (p.remediationSteps) lines.push(`Fix: ${cell(p.remediationSteps)}`, "");
    const props = Object.entries(p.configSchema?.properties ?? {});
    if (props.length === 0) {
      lines.push("No config keys.", "");
      continue;
    }
    lines.push("| Config key | Type | Default | Meaning |", "| --- | --- | --- | --- |");
    for (const [key, s] of props) lines.push(`| \`${key}\` | ${typeOf(s)} | ${code(s.default)} | ${cell(s.description ?? "")} |`);
    lines.push("");
  }
  lines.push(END);
  return lines.join("\n");
}

/** `readme` with its generated section replaced; throws when the markers are missing. */
export function updateReadme(readme: string, ps: Policies = policies): string {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the markers ${BEGIN} ... ${END}`);
  return readme.slice(0, start) + renderPolicySection(ps) + readme.slice(end + END.length);
}

if (require.main === module) {
  const current = fs.readFileSync(README_PATH, "utf8");
  const next = updateReadme(current);
  if (process.argv.includes("--check")) {
    if (next !== current) {
      console.error("policy-pack/README.md is stale: run `npm run readme --workspace policy-pack`");
      process.exit(1);
    }
  } else if (next !== current) {
    fs.writeFileSync(README_PATH, next);
    console.log("policy-pack/README.md updated");
  }
}
