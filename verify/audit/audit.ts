/**
 * Offline audit: runs the policy pack over an existing stack, no Pulumi CLI and no AWS.
 *
 *   npm run audit -- FILE [--config FILE] [--stack-tag NAME=VALUE]... [--json]
 *
 * FILE is a `pulumi stack export` (`deployment.resources[]`) or a `pulumi preview --json`
 * (`steps[].newState`) document. `--config` takes the same JSON as `--policy-pack-config`.
 * Each resource is checked on its inputs, as the engine checks it, plus its `arn` output and its
 * provider's inputs (so the pack can tell the stack's account); resources pending deletion are
 * skipped. An audit reports what is deployed: a policy at level `remediate` still reports the
 * deployed violation, marked `remediable` (the next `pulumi up` would fix it).
 *
 * FILE may also be an IAM snapshot of a live account (`aws iam get-account-authorization-details`,
 * several pages and accounts at once): verify/snapshot/audit-command.ts takes it from there.
 *
 * Exit codes: 0 no mandatory violation; 1 at least one mandatory violation; 2 the file (or the
 * config, or the arguments) could not be read or recognised, or a policy failed to run.
 * `--json` prints {"violations":[{"policy","urn","message","enforcementLevel"[,"remediable":true]}]} on stdout.
 */
import * as fs from "fs";
import type { PolicyPackConfig } from "@pulumi/policy";
import { validateConfig } from "../../policy-pack/config-file";
import { PolicyRunError, runPolicies, type OfflineResource, type Violation } from "../../policy-pack/offline";
import { policies } from "../../policy-pack/policies";
import { auditSnapshotFiles, isSnapshotInputError } from "../snapshot/audit-command";
import { isSnapshotDocument } from "../snapshot/snapshot";

/** The file could not be used; the message is one line. */
export class AuditInputError extends Error {}

/** The signature Pulumi puts on secret values in a stack export, and on the secret marker. */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

interface StateLike {
  readonly urn?: unknown;
  readonly type?: unknown;
  readonly inputs?: unknown;
  readonly outputs?: unknown;
  readonly parent?: unknown;
  readonly dependencies?: unknown;
  readonly provider?: unknown;
  readonly delete?: unknown;
}

/** How deep a document may nest before it is refused: far beyond any stack's, well within the stack of every reader. */
export const MAX_DEPTH = 256;

/** What FILE holds. A new input format is one more kind here and one more branch in `detectInput`. */
export type AuditInput =
  | { readonly kind: "stack-export"; readonly states: readonly unknown[] }
  | { readonly kind: "preview"; readonly states: readonly unknown[] }
  | { readonly kind: "iam-snapshot" };

const NEITHER =
  "is neither a `pulumi stack export` (version, deployment.manifest, deployment.resources[]) nor a `pulumi preview --json` " +
  "(steps[] of {op, newState}, changeSummary {op: count})";

/** Reads FILE's text as JSON, refusing what no reader could walk without running out of stack. */
export function parseJsonDocument(text: string, file: string): unknown {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new AuditInputError(`${file} is not JSON (${(e as Error).message})`);
  }
  const depth = nestingDepth(doc, MAX_DEPTH);
  if (depth > MAX_DEPTH)
    throw new AuditInputError(`${file} nests values more than ${MAX_DEPTH} levels deep; no stack export or preview does`);
  return doc;
}

/** The nesting depth of a JSON value, counted without recursion; stops once past `limit`. */
function nestingDepth(root: unknown, limit: number): number {
  let max = 0;
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (d > max) max = d;
    if (max > limit) return max;
    if (v !== null && typeof v === "object") for (const x of Object.values(v)) stack.push([x, d + 1]);
  }
  return max;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** The one place that tells the input formats apart; throws AuditInputError for anything else. */
export function detectInput(doc: unknown, file: string): AuditInput {
  if (isSnapshotDocument(doc)) return { kind: "iam-snapshot" };
  if (!isObject(doc)) throw new AuditInputError(`${file} ${NEITHER}`);
  if ("deployment" in doc) {
    const d = doc.deployment;
    if (!Number.isInteger(doc.version) || !isObject(d) || !isObject(d.manifest))
      throw new AuditInputError(`${file}: a stack export has a numeric version and a deployment with a manifest; ${file} ${NEITHER}`);
    if (d.resources !== undefined && d.resources !== null && !Array.isArray(d.resources))
      throw new AuditInputError(`${file}: deployment.resources is not a list`);
    return { kind: "stack-export", states: (d.resources as unknown[] | undefined | null) ?? [] };
  }
  if ("steps" in doc || "changeSummary" in doc) {
    const steps = doc.steps ?? [];
    if (!Array.isArray(steps)) throw new AuditInputError(`${file}: steps is not a list; ${file} ${NEITHER}`);
    const bad = steps.findIndex((s) => !isObject(s) || typeof s.op !== "string");
    if (bad >= 0)
      throw new AuditInputError(`${file}: step ${bad} is ${JSON.stringify(steps[bad])}, not a step {op, newState}; ${file} ${NEITHER}`);
    const summary = doc.changeSummary;
    if (summary !== undefined && !(isObject(summary) && Object.values(summary).every((n) => Number.isInteger(n))))
      throw new AuditInputError(`${file}: changeSummary is ${JSON.stringify(summary)}, not {op: count}; ${file} ${NEITHER}`);
    if (steps.length === 0 && summary === undefined) throw new AuditInputError(`${file} ${NEITHER}`);
    return {
      kind: "preview",
      states: steps.map((s) => (s as Record<string, unknown>).newState).filter((s) => s !== undefined && s !== null),
    };
  }
  throw new AuditInputError(`${file} ${NEITHER}`);
}

/** The resources of a stack export or preview document; throws AuditInputError when it is neither. */
export function parseAuditInput(text: string, file = "FILE"): OfflineResource[] {
  const input = detectInput(parseJsonDocument(text, file), file);
  if (input.kind === "iam-snapshot") throw new AuditInputError(`${file} is an IAM snapshot, not a stack export or preview`);
  return resourcesOf(input.states, file);
}

/** Each state as the engine describes it to the pack: its inputs, its `arn` output, and its provider's inputs. */
function resourcesOf(states: readonly unknown[], file: string): OfflineResource[] {
  states.forEach((raw, i) => {
    const s = raw as StateLike;
    if (s === null || typeof s !== "object" || typeof s.urn !== "string" || typeof s.type !== "string") {
      throw new AuditInputError(`${file}: resource ${i} has no urn or type`);
    }
  });
  const all = states as (StateLike & { urn: string; type: string })[];
  const propsOf = (s: StateLike) => {
    const inputs = asObject(s.inputs);
    const outputs = asObject(s.outputs);
    const props = Object.keys(inputs).length > 0 ? { ...inputs } : { ...outputs };
    if (typeof outputs.arn === "string" && props.arn === undefined) props.arn = outputs.arn;
    return revealSecrets(props) as Record<string, unknown>;
  };
  const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);
  // A resource names its provider `<provider URN>::<provider id>`.
  const providers = new Map(all.filter((s) => s.type.startsWith("pulumi:providers:") && s.delete !== true).map((s) => [s.urn, s]));
  const out: OfflineResource[] = [];
  for (const s of all) {
    if (s.delete === true) continue;
    const ref = typeof s.provider === "string" ? s.provider : undefined;
    const provider = ref === undefined ? undefined : providers.get(ref.slice(0, ref.lastIndexOf("::")));
    out.push({
      type: s.type,
      urn: s.urn,
      name: nameOf(s.urn),
      props: propsOf(s),
      parent: typeof s.parent === "string" ? s.parent : undefined,
      dependencies: Array.isArray(s.dependencies) ? s.dependencies.filter((d): d is string => typeof d === "string") : undefined,
      ...(provider ? { provider: { type: provider.type, urn: provider.urn, name: nameOf(provider.urn), props: propsOf(provider) } } : {}),
    });
  }
  return out;
}

function asObject(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Secrets as policies see them: the plaintext when the export carries it (`--show-secrets`), else "[secret]". */
function revealSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(revealSecrets);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (o[SIG_KEY] === SECRET_SIG) {
      if (typeof o.plaintext === "string") {
        try {
          return revealSecrets(JSON.parse(o.plaintext));
        } catch {
          return o.plaintext;
        }
      }
      return "value" in o ? revealSecrets(o.value) : "[secret]";
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, revealSecrets(x)]));
  }
  return v;
}

export interface AuditArgs {
  readonly file: string;
  /** Further files: only pages of IAM snapshots come several at a time. */
  readonly moreFiles: readonly string[];
  readonly config?: string;
  readonly json: boolean;
  readonly stackTags: Record<string, string>;
  /** Snapshots only: evaluate the live accounts as `npm start` evaluates planned stacks. */
  readonly prove: boolean;
  /** Snapshots only: the stack files that name the accounts (default: the committed ones). */
  readonly env?: string;
}

export const USAGE =
  "usage: npm run audit -- FILE [--config FILE] [--stack-tag NAME=VALUE]... [--json] | SNAPSHOT... [--config FILE] [--env DIR] [--prove] [--json]";

/** `--help`: the usage and what each argument means. */
export const HELP = `${USAGE}
  FILE                   a \`pulumi stack export\` or \`pulumi preview --json\` document, checked by the
                         policy pack as the engine checks a stack
  SNAPSHOT...            accounts' \`aws iam get-account-authorization-details\` outputs (every page),
                         with their credential reports, checked by the same pack
  --config FILE          the pack config for every account (default: each stack's, as CI passes it)
  --stack-tag NAME=VALUE a stack tag the pack reads (FILE only; repeatable)
  --env DIR              the stack files that say which account is which (SNAPSHOTs; default: the committed ones)
  --prove                also run the escalation catalogue and the access proof over the accounts as they are (SNAPSHOTs)
  --json                 print one JSON document instead of the report
  --help                 this text
exit status: 0 no mandatory violation, 1 a mandatory violation (or, with --prove, a failed check), 2 bad input`;

export function parseArgs(argv: readonly string[]): AuditArgs {
  let file: string | undefined;
  const moreFiles: string[] = [];
  let config: string | undefined;
  let env: string | undefined;
  let json = false;
  let prove = false;
  const stackTags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json") json = true;
    else if (a === "--prove") prove = true;
    else if (a === "--config" || a === "--stack-tag" || a === "--env") {
      const v = argv[++i];
      if (v === undefined) throw new AuditInputError(`${a} needs a value; ${USAGE}`);
      if (a === "--config") config = v;
      else if (a === "--env") env = v;
      else {
        const eq = v.indexOf("=");
        if (eq <= 0) throw new AuditInputError(`--stack-tag expects NAME=VALUE, got "${v}"`);
        stackTags[v.slice(0, eq)] = v.slice(eq + 1);
      }
    } else if (a.startsWith("--")) throw new AuditInputError(`unknown option ${a}; ${USAGE}`);
    else if (file === undefined) file = a;
    else moreFiles.push(a);
  }
  if (file === undefined) throw new AuditInputError(USAGE);
  return { file, moreFiles, config, json, stackTags, prove, ...(env !== undefined ? { env } : {}) };
}

function readText(file: string, what: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new AuditInputError(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export function readConfig(file: string): PolicyPackConfig {
  let config: unknown;
  try {
    config = JSON.parse(readText(file, "config"));
  } catch (e) {
    if (e instanceof AuditInputError) throw e;
    throw new AuditInputError(`config ${file} is not JSON (${(e as Error).message})`);
  }
  const errors = validateConfig(policies, config);
  if (errors.length > 0) throw new AuditInputError(`config ${file}: ${errors.join("; ")}`);
  return config as PolicyPackConfig;
}

export function formatText(violations: readonly AuditViolation[], resourceCount: number): string {
  const lines: string[] = [];
  for (const v of violations) {
    lines.push(`${v.enforcementLevel.toUpperCase()} ${v.policy}`, `  ${v.urn}`, ...v.message.split("\n").map((l) => `  ${l}`));
    if (v.remediable) lines.push("  deployed as reported; at level `remediate` the pack fixes this at the next `pulumi up`.");
    lines.push("");
  }
  const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
  lines.push(`${resourceCount} resources checked: ${mandatory} mandatory, ${violations.length - mandatory} advisory violation(s).`);
  return lines.join("\n") + "\n";
}

export interface Io {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
}

/** A violation as the audit reports it: `remediable` when a remediation would fix it at the next `pulumi up`. */
export interface AuditViolation extends Violation {
  readonly remediable?: true;
}

/**
 * Runs the pack over the deployed resources. Policies at level `remediate` still report what is
 * deployed (the audit applies no remediation); a violation a remediation would fix says so.
 */
export async function auditResources(
  resources: readonly OfflineResource[],
  config: PolicyPackConfig | undefined,
  stackTags: Record<string, string>,
): Promise<AuditViolation[]> {
  const { violations, remediations } = await runPolicies(resources, { config, stackTags, applyRemediations: false });
  const fixed = new Set(remediations.map((r) => `${r.policy}\n${r.urn}`));
  return violations.map(({ policy, urn, message, enforcementLevel }) => ({
    policy,
    urn,
    message,
    enforcementLevel,
    ...(fixed.has(`${policy}\n${urn}`) ? { remediable: true as const } : {}),
  }));
}

/** The whole command; resolves to the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout(`${HELP}\n`);
    return 0;
  }
  try {
    const args = parseArgs(argv);
    const text = readText(args.file, "file");
    const input = detectInput(parseJsonDocument(text, args.file), args.file);
    if (input.kind === "iam-snapshot") return await auditSnapshotFiles(args, readText, readConfig, io);
    if (args.moreFiles.length > 0) throw new AuditInputError(`more than one FILE ("${args.file}", "${args.moreFiles[0]}"); ${USAGE}`);
    if (args.prove || args.env !== undefined)
      throw new AuditInputError(`--prove and --env apply to IAM snapshots; ${args.file} is not one`);
    const resources = resourcesOf(input.states, args.file);
    const config = args.config === undefined ? undefined : readConfig(args.config);
    const violations = await auditResources(resources, config, args.stackTags);
    io.stdout(args.json ? JSON.stringify({ violations }, null, 2) + "\n" : formatText(violations, resources.length));
    return violations.some((v) => v.enforcementLevel === "mandatory") ? 1 : 0;
  } catch (e) {
    if (e instanceof AuditInputError || e instanceof PolicyRunError || isSnapshotInputError(e)) {
      io.stderr(`audit: ${e.message.replace(/\s*\n\s*/g, " ")}\n`);
      return 2;
    }
    if (e instanceof RangeError) {
      // A stack overflow deep inside a reader: the input, not the user, is at fault; never a stack trace.
      io.stderr(`audit: ${argv.find((a) => !a.startsWith("--")) ?? "FILE"} cannot be read: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
