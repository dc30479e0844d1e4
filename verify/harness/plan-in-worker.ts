/**
 * `planEnvironment` on a worker thread, for large environments. Planning 1,001 stacks under
 * Pulumi's mocks churns through hundreds of megabytes that V8 keeps committed long after the plan
 * is done; on a worker, that heap goes when the worker does, and the proof that follows (its own
 * workers, verify/access/parallel-proof.ts) starts from a small main thread. The plan itself is the
 * same: the worker runs the same `planEnvironment` (a test compares the two), and a program's error
 * comes back as the same `ProgramError` with the same cause (`ConfigError` included), so the
 * command line reports it in the same one line.
 */
import * as path from "path";
import { ConfigError } from "@jumpenv/shared";
import type { Environment, PlannedEnvironment } from "./environment";
import { ProgramError, type RegisteredResource, type RunOptions, type StackFile } from "./mock-run";
import { typescriptWorker } from "./typescript-worker";

export type WireCause =
  | { readonly kind: "config"; readonly problems: readonly string[] }
  | { readonly kind: "error"; readonly name: string; readonly message: string; readonly stack?: string }
  | { readonly kind: "value"; readonly text: string };

export type WirePlanAnswer =
  | { readonly plan: PlannedEnvironment }
  | {
      readonly error:
        | WireCause
        | {
            readonly kind: "program";
            readonly stackFile: StackFile;
            readonly cause: WireCause;
            readonly resources: readonly RegisteredResource[];
          };
    };

const WORKER = path.join(__dirname, "plan-worker.ts");

function cause(c: WireCause): unknown {
  if (c.kind === "config") return new ConfigError(c.problems);
  if (c.kind === "value") return c.text;
  const e = new Error(c.message);
  e.name = c.name;
  if (c.stack) e.stack = c.stack;
  return e;
}

/** Plan `env` on a worker thread; resolves to what `planEnvironment(env, opts)` would, or rejects with what it would throw. */
export function planInWorker(env: Environment, opts: Omit<RunOptions, "stackOutputs"> = {}): Promise<PlannedEnvironment> {
  return new Promise<PlannedEnvironment>((resolve, reject) => {
    const worker = typescriptWorker(WORKER, { workerData: { env, opts } });
    let answered = false;
    worker.once("message", (m: WirePlanAnswer) => {
      answered = true;
      if ("plan" in m) resolve(m.plan);
      else if (m.error.kind === "program") reject(new ProgramError(m.error.stackFile, cause(m.error.cause), m.error.resources));
      else reject(cause(m.error));
      void worker.terminate();
    });
    worker.once("error", (e) => {
      answered = true;
      reject(e);
    });
    worker.once("exit", (code) => {
      if (!answered) reject(new Error(`the planning worker stopped (exit ${code}) before answering`));
    });
  });
}
