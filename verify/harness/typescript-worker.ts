/**
 * A worker thread running one of this repository's TypeScript files, loaded through
 * cli/typescript-hook.js as the main process loads its own (the access proof's workers, and the
 * plan's for large environments).
 */
import * as path from "path";
import { Worker, type WorkerOptions } from "worker_threads";

const HOOK = path.resolve(__dirname, "..", "..", "cli", "typescript-hook.js");

export function typescriptWorker(file: string, options: Omit<WorkerOptions, "eval"> = {}): Worker {
  return new Worker(`require(${JSON.stringify(HOOK)}); require(${JSON.stringify(file)});`, { ...options, eval: true });
}
