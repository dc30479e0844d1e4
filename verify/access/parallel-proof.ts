/**
 * The access proof on every core: batches of checks go to worker threads (check-worker.ts), which
 * evaluate them with the same `check` as the main thread, and the results come back in the order
 * the batches were sent, so the report and `--json` are the same as a run on one thread.
 *
 * The escalation catalogue of each target (verify/escalations) runs on workers of the same kind (a
 * pool of its own), a target per request, its outcome in a copyable shape.
 *
 * Documents cross to a worker once each: the first check that carries a policy document sends it
 * under a number, the later ones send the number. A worker keeps the one object per number, so the
 * evaluator's per-document validation and catalogue check run once per document and worker, as on
 * the main thread. Workers load this repository's TypeScript through cli/typescript-hook.js, as the
 * main process does.
 */
import * as os from "os";
import * as path from "path";
import type { Worker } from "worker_threads";
import type { NamedPolicy, OrgLevelPolicies, PolicySet, Verdict } from "./evaluator";
import type { Expectation } from "./expectation";
import type { CheckResult } from "./proof";
import type { CatalogueOutcome } from "../escalations/evaluate";
import type { Scenario } from "../escalations/methods";
import { typescriptWorker } from "../harness/typescript-worker";

/** A document as it crosses to a worker: its number (objects), or itself (a non-object, which the evaluator reports). */
export type DocumentRef = { readonly ref: number } | { readonly value: unknown };
/** An expectation whose policy documents are `DocumentRef`s. */
export type WireExpectation = Expectation;
export interface WireRequest {
  readonly kind: "checks";
  readonly id: number;
  /** Documents this worker has not been sent yet, by number. */
  readonly documents: readonly (readonly [number, unknown])[];
  readonly expectations: readonly WireExpectation[];
}
/** One target's escalation catalogue. */
export interface WireCatalogueRequest {
  readonly kind: "catalogue";
  readonly id: number;
  readonly scenario: Scenario;
  readonly boundary: unknown;
}
export interface WorkerAnswer {
  readonly verdict: Verdict;
  readonly ok: boolean;
  readonly message: string;
}

const WORKER = path.join(__dirname, "check-worker.ts");

/**
 * From this many batches a proof gets workers by default. Measured on 2 cores (one worker beside
 * the main thread): 150 batches (50 targets x 50 users, 20,250 checks) 11.9-12.1 s -> 10.1-10.6 s;
 * 105 and 120 batches even (a worker's start, its own IAM data and its cold evaluator cost what it
 * saves); 60 batches 3.6 s -> 4.1 s.
 */
export const WORKERS_FROM_BATCHES = 150;

/**
 * How many worker threads a proof of `batches` batches (one per target role, one per Jump user)
 * gets by default: none below `WORKERS_FROM_BATCHES`, otherwise one per core but one, up to 4: the
 * main thread builds the requests, writes the report and evaluates a batch itself whenever every
 * worker has two waiting.
 */
export function defaultWorkers(batches: number): number {
  const cores = os.availableParallelism();
  return batches < WORKERS_FROM_BATCHES || cores < 2 ? 0 : Math.min(cores - 1, 4);
}

const BATCHES_PER_TURN = 4;

interface Slot {
  readonly worker: Worker;
  readonly sent: Set<number>;
  readonly pending: Map<number, { resolve: (a: never) => void; reject: (e: Error) => void }>;
}

export class CheckPool {
  private readonly slots: Slot[] = [];
  private readonly documentIds = new WeakMap<object, number>();
  private nextDocument = 1;
  private nextRequest = 1;
  private turn = 0;
  private lastAccount: string | undefined;
  private sameAccount = 0;

  /**
   * `workers` threads. `heapMb` caps each worker's old generation: V8 otherwise lets a busy
   * worker's heap grow to several times what it holds (a worker running escalation catalogues holds
   * about 60 MB and grew past 400 MB at 1,000 targets). Only for work whose live memory does not grow
   * with the environment (each catalogue stands alone; the caches are bounded); checks keep every
   * document they were sent, so their workers are not capped.
   */
  constructor(workers: number, heapMb?: number) {
    for (let i = 0; i < workers; i++) {
      const worker = typescriptWorker(WORKER, heapMb ? { resourceLimits: { maxOldGenerationSizeMb: heapMb } } : {});
      const slot: Slot = { worker, sent: new Set(), pending: new Map() };
      worker.on("message", (m: { id: number; answer: never }) => {
        const p = slot.pending.get(m.id);
        slot.pending.delete(m.id);
        p?.resolve(m.answer);
      });
      const fail = (e: Error) => {
        for (const p of slot.pending.values()) p.reject(e);
        slot.pending.clear();
      };
      worker.on("error", fail);
      worker.on("exit", (code) => {
        if (slot.pending.size > 0) fail(new Error(`an access proof worker stopped (exit ${code}) before answering`));
      });
      this.slots.push(slot);
    }
  }

  /** Batches sent and not yet answered, over every worker. */
  waiting(): number {
    return this.slots.reduce((n, s) => n + s.pending.size, 0);
  }

  /** Evaluate one batch on the next worker; the results are in the batch's order. */
  async checkBatch(batch: readonly Expectation[]): Promise<CheckResult[]> {
    // A target's batches stay on one worker (they share its boundary and trust documents, which
    // each worker validates once); a run of one account's batches moves on after a few.
    const account = batch[0]?.account;
    if (account !== this.lastAccount || ++this.sameAccount >= BATCHES_PER_TURN) {
      this.turn = (this.turn + 1) % this.slots.length;
      this.sameAccount = 0;
    }
    this.lastAccount = account;
    const slot = this.slots[this.turn];
    const documents: [number, unknown][] = [];
    const wire = (p: NamedPolicy): NamedPolicy => {
      const doc = p.document;
      if (doc === null || typeof doc !== "object") return { name: p.name, document: { value: doc } };
      let id = this.documentIds.get(doc);
      if (id === undefined) {
        id = this.nextDocument++;
        this.documentIds.set(doc, id);
      }
      if (!slot.sent.has(id)) {
        slot.sent.add(id);
        documents.push([id, doc]);
      }
      return { name: p.name, document: { ref: id } };
    };
    const levels = (l: readonly OrgLevelPolicies[]) => l.map((x) => ({ orgIdentifier: x.orgIdentifier, policies: x.policies.map(wire) }));
    const expectations = batch.map((e) => {
      const p = e.request.policies;
      const policies: { -readonly [K in keyof PolicySet]: PolicySet[K] } = { identity: p.identity.map(wire) };
      for (const k of ["boundary", "session", "trust", "resource"] as const) if (p[k]) policies[k] = wire(p[k]);
      if (p.scps) policies.scps = levels(p.scps);
      if (p.rcps) policies.rcps = levels(p.rcps);
      return { ...e, request: { ...e.request, policies } };
    });
    const id = this.nextRequest++;
    const answers = await this.ask<WorkerAnswer[]>(slot, { kind: "checks", id, documents, expectations });
    return batch.map((expectation, i) => ({ expectation, ...answers[i] }));
  }

  /** Run one target's escalation catalogue on the next worker. */
  runCatalogue(scenario: Scenario, boundary: unknown): Promise<CatalogueOutcome> {
    this.turn = (this.turn + 1) % this.slots.length;
    return this.ask<CatalogueOutcome>(this.slots[this.turn], { kind: "catalogue", id: this.nextRequest++, scenario, boundary });
  }

  private ask<T>(slot: Slot, request: WireRequest | WireCatalogueRequest): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      slot.pending.set(request.id, { resolve: resolve as (a: never) => void, reject });
      slot.worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
