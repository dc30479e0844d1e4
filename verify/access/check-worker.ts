/**
 * A worker thread of the access proof (parallel-proof.ts): evaluates the checks it is sent with
 * `check`, exactly as the main thread would, and answers with each verdict, verdict by verdict in
 * the order received; or runs a target's escalation catalogue with `runCatalogue`. Policy
 * documents arrive once, under a number; later checks name the number, so every check of a
 * document reuses the validation the evaluator keeps per document object.
 */
import { parentPort } from "worker_threads";
import type { NamedPolicy, OrgLevelPolicies, PolicySet } from "./evaluator";
import type { Expectation } from "./expectation";
import { check } from "./proof";
import type { DocumentRef, WireCatalogueRequest, WireExpectation, WireRequest, WorkerAnswer } from "./parallel-proof";
import { runCatalogueOutcome } from "../escalations/evaluate";

const documents = new Map<number, unknown>();

function named(p: NamedPolicy | undefined): NamedPolicy | undefined {
  if (!p) return undefined;
  const d = p.document as DocumentRef;
  return { name: p.name, document: "ref" in d ? documents.get(d.ref) : d.value };
}

function levels(l: readonly OrgLevelPolicies[] | undefined): OrgLevelPolicies[] | undefined {
  return l?.map((x) => ({ orgIdentifier: x.orgIdentifier, policies: x.policies.map((p) => named(p)!) }));
}

function policies(p: PolicySet): PolicySet {
  const out: { -readonly [K in keyof PolicySet]: PolicySet[K] } = { identity: p.identity.map((x) => named(x)!) };
  for (const k of ["boundary", "session", "trust", "resource"] as const) if (p[k]) out[k] = named(p[k]);
  if (p.scps) out.scps = levels(p.scps);
  if (p.rcps) out.rcps = levels(p.rcps);
  return out;
}

parentPort!.on("message", async (msg: WireRequest | WireCatalogueRequest) => {
  if (msg.kind === "catalogue") {
    parentPort!.postMessage({ id: msg.id, answer: await runCatalogueOutcome(msg.scenario, msg.boundary) });
    return;
  }
  for (const [id, doc] of msg.documents) documents.set(id, doc);
  const answers: WorkerAnswer[] = [];
  for (const e of msg.expectations as WireExpectation[]) {
    const r = await check({ ...e, request: { ...e.request, policies: policies(e.request.policies) } } as Expectation);
    answers.push({ verdict: r.verdict, ok: r.ok, message: r.message });
  }
  parentPort!.postMessage({ id: msg.id, answer: answers });
});
