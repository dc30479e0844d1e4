/**
 * The IAM-snapshot branch of `npm run audit`: what `verify/audit/audit.ts` hands over once the
 * first FILE is a snapshot. Same exits as for a stack (0 clean, 1 a mandatory violation or a proof
 * that does not hold, 2 unreadable input or arguments) and the same `--json` violations, each
 * carrying the principal's or policy's `arn` where a stack's carries `urn`.
 */
import * as path from "path";
import type { PolicyPackConfig } from "@pulumi/policy";
import { ConfigError } from "@jumpenv/shared";
import type { AuditArgs, Io } from "../audit/audit";
import { loadEnvironment } from "../harness/environment";
import { StackFileError } from "../harness/mock-run";
import { auditSnapshots, formatSnapshotText, proveOutcome, proveSnapshots, ProveInputError, snapshotJson } from "./audit-snapshot";
import { isSnapshotDocument, readSnapshots, SnapshotError } from "./snapshot";

/** Whether the text is a page of an IAM snapshot (and not a stack export or preview). */
export function looksLikeSnapshot(text: string): boolean {
  try {
    return isSnapshotDocument(JSON.parse(text));
  } catch {
    return false;
  }
}

/** Errors that mean "the input cannot be used" (exit 2). */
export function isSnapshotInputError(e: unknown): e is Error {
  return e instanceof SnapshotError || e instanceof ProveInputError || e instanceof StackFileError || e instanceof ConfigError;
}

export async function auditSnapshotFiles(
  args: AuditArgs,
  readText: (file: string, what: string) => string,
  readConfig: (file: string) => PolicyPackConfig,
  io: Io,
): Promise<number> {
  const files = [args.file, ...args.moreFiles];
  const snapshots = readSnapshots(files.map((f) => [f, readText(f, "file")] as const));
  const config = args.config === undefined ? undefined : readConfig(args.config);
  const env = loadEnvironment(args.env === undefined ? undefined : path.resolve(args.env));
  const audit = await auditSnapshots(snapshots, { config, env, stackTags: args.stackTags });
  const clean = audit.violations.every((v) => v.enforcementLevel !== "mandatory");
  if (!args.prove) {
    io.stdout(args.json ? JSON.stringify(snapshotJson(audit), null, 2) + "\n" : formatSnapshotText(audit));
    return clean ? 0 : 1;
  }
  const proof = proveOutcome(await proveSnapshots(snapshots, env), args.json);
  if (args.json) io.stdout(JSON.stringify({ ...snapshotJson(audit), proof: proof.json }, null, 2) + "\n");
  else io.stdout(`${formatSnapshotText(audit)}\n${proof.text}`);
  return clean && proof.holds ? 0 : 1;
}
