/**
 * Offline audit: runs the policy pack over an existing stack, no Pulumi CLI and no AWS.
 *
 *   npm run audit -- FILE [--config FILE] [--stack-tag NAME=VALUE]... [--json]
 *
 * FILE is a `pulumi stack export` (`deployment.resources[]`) or a `pulumi preview --json`
 * (`steps[].newState`) document. `--config` takes the same JSON as `--policy-pack-config`.
 * Each resource is checked on its inputs, as the engine checks it, plus its `arn` output (so the
 * pack can tell a role's account); resources pending deletion are skipped.
 *
 * FILE may also be an IAM snapshot of a live account (`aws iam get-account-authorization-details`,
 * several pages and accounts at once): verify/snapshot/audit-command.ts takes it from there.
 *
 * Exit codes: 0 no mandatory violation; 1 at least one mandatory violation; 2 the file (or the
 * config, or the arguments) could not be read or recognised, or a policy failed to run.
 * `--json` prints {"violations":[{"policy","urn","message","enforcementLevel"}]} on stdout.
 */
import * as fs from "fs";
import type { PolicyPackConfig } from "@pulumi/policy";
import { validateConfig } from "../../policy-pack/config-file";
import { PolicyRunError, runPolicies, type OfflineResource, type Violation } from "../../policy-pack/offline";
import { policies } from "../../policy-pack/policies";
import { auditSnapshotFiles, isSnapshotInputError, looksLikeSnapshot } from "../snapshot/audit-command";

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
  readonly delete?: unknown;
}

/** The resources of a stack export or preview document; throws AuditInputError when it is neither. */
export function parseAuditInput(text: string, file = "FILE"): OfflineResource[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new AuditInputError(`${file} is not JSON (${(e as Error).message})`);
  }
  const o = (doc ?? {}) as Record<string, unknown>;
  let states: unknown[];
  if (o.deployment !== null && typeof o.deployment === "object") {
    const resources = (o.deployment as Record<string, unknown>).resources;
    if (resources !== undefined && resources !== null && !Array.isArray(resources))
      throw new AuditInputError(`${file}: deployment.resources is not a list`);
    states = (resources as unknown[] | undefined) ?? [];
  } else if (Array.isArray(o.steps)) {
    states = o.steps.map((s) => (s as Record<string, unknown> | null)?.newState).filter((s) => s !== undefined && s !== null);
  } else if (typeof doc === "object" && doc !== null && !Array.isArray(doc) && "changeSummary" in o) {
    states = []; // a preview with no steps: nothing changes
  } else {
    throw new AuditInputError(
      `${file} is neither a \`pulumi stack export\` (deployment.resources[]) nor a \`pulumi preview --json\` (steps[].newState) document`,
    );
  }
  const out: OfflineResource[] = [];
  states.forEach((raw, i) => {
    const s = raw as StateLike;
    if (s === null || typeof s !== "object" || typeof s.urn !== "string" || typeof s.type !== "string") {
      throw new AuditInputError(`${file}: resource ${i} has no urn or type`);
    }
    if (s.delete === true) return;
    const inputs = asObject(s.inputs);
    const outputs = asObject(s.outputs);
    const props = Object.keys(inputs).length > 0 ? { ...inputs } : { ...outputs };
    if (typeof outputs.arn === "string" && props.arn === undefined) props.arn = outputs.arn;
    out.push({
      type: s.type,
      urn: s.urn,
      name: s.urn.slice(s.urn.lastIndexOf("::") + 2),
      props: revealSecrets(props) as Record<string, unknown>,
      parent: typeof s.parent === "string" ? s.parent : undefined,
      dependencies: Array.isArray(s.dependencies) ? s.dependencies.filter((d): d is string => typeof d === "string") : undefined,
    });
  });
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

export function formatText(violations: readonly Violation[], resourceCount: number): string {
  const lines: string[] = [];
  for (const v of violations) {
    lines.push(`${v.enforcementLevel.toUpperCase()} ${v.policy}`, `  ${v.urn}`, ...v.message.split("\n").map((l) => `  ${l}`), "");
  }
  const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
  lines.push(`${resourceCount} resources checked: ${mandatory} mandatory, ${violations.length - mandatory} advisory violation(s).`);
  return lines.join("\n") + "\n";
}

export interface Io {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
}

/** The whole command; resolves to the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    const args = parseArgs(argv);
    const text = readText(args.file, "file");
    if (looksLikeSnapshot(text)) return await auditSnapshotFiles(args, readText, readConfig, io);
    if (args.moreFiles.length > 0) throw new AuditInputError(`more than one FILE ("${args.file}", "${args.moreFiles[0]}"); ${USAGE}`);
    if (args.prove || args.env !== undefined)
      throw new AuditInputError(`--prove and --env apply to IAM snapshots; ${args.file} is not one`);
    const resources = parseAuditInput(text, args.file);
    const config = args.config === undefined ? undefined : readConfig(args.config);
    const { violations } = await runPolicies(resources, { config, stackTags: args.stackTags });
    const clean = violations.map(({ policy, urn, message, enforcementLevel }) => ({ policy, urn, message, enforcementLevel }));
    io.stdout(args.json ? JSON.stringify({ violations: clean }, null, 2) + "\n" : formatText(clean, resources.length));
    return clean.some((v) => v.enforcementLevel === "mandatory") ? 1 : 0;
  } catch (e) {
    if (e instanceof AuditInputError || e instanceof PolicyRunError || isSnapshotInputError(e)) {
      io.stderr(`audit: ${e.message.replace(/\s*\n\s*/g, " ")}\n`);
      return 2;
    }
    throw e;
  }
}
