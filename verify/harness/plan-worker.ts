/**
 * The worker thread of `planInWorker` (plan-in-worker.ts): plans the environment it is given with
 * `planEnvironment`, exactly as the main thread would, and answers with the planned stacks, or with
 * the error, in a shape a structured clone carries (class instances lose their class on the way).
 */
import { parentPort, workerData } from "worker_threads";
import { ConfigError } from "@jumpenv/shared";
import { planEnvironment, type Environment } from "./environment";
import { ProgramError, type RunOptions } from "./mock-run";
import type { WireCause, WirePlanAnswer } from "./plan-in-worker";

function wireCause(e: unknown): WireCause {
  if (e instanceof ConfigError) return { kind: "config", problems: [...e.problems] };
  if (e instanceof Error) return { kind: "error", name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
  return { kind: "value", text: String(e) };
}

const { env, opts } = workerData as { env: Environment; opts: Omit<RunOptions, "stackOutputs"> };
planEnvironment(env, opts).then(
  (plan) => parentPort!.postMessage({ plan } satisfies WirePlanAnswer),
  (e: unknown) =>
    parentPort!.postMessage({
      error:
        e instanceof ProgramError
          ? { kind: "program", stackFile: e.stackFile, cause: wireCause(e.cause), resources: e.resources }
          : wireCause(e),
    } satisfies WirePlanAnswer),
);
