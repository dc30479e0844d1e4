/**
 * The reference the offline runner is held to: `@pulumi/policy` 1.21.0's own Analyze and
 * Remediate handlers (`server.js`, the code the gRPC server runs for the Pulumi CLI), called with
 * protobuf requests built as the engine builds them. No server is started. Config cannot be set
 * here (the handlers read a module-level config only the Configure RPC writes), so what this
 * covers is the pack at its defaults; `package.test.ts` covers config over real gRPC.
 */
import type { Policies } from "@pulumi/policy";
import type { OfflineResource } from "../offline";

/* eslint-disable @typescript-eslint/no-var-requires */
const server = require("@pulumi/policy/server");
const pb = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");

export const LEVEL_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(pb.EnforcementLevel as Record<string, number>).map(([k, v]) => [v, k.toLowerCase()]),
);

export interface EngineDiagnostic {
  readonly policy: string;
  readonly urn: string;
  readonly message: string;
  readonly enforcementLevel: string;
}

export interface EngineResult {
  readonly diagnostics: EngineDiagnostic[];
  readonly notApplicable: { policy: string; urn: string; reason: string }[];
  readonly remediations: { policy: string; urn: string; props: Record<string, unknown> | undefined; diagnostic: string }[];
}

/** The AnalyzeRequest the CLI sends for a resource (also used for Remediate). */
export function analyzeRequest(r: OfflineResource): unknown {
  const req = new pb.AnalyzeRequest();
  req.setType(r.type);
  req.setName(r.name);
  req.setUrn(r.urn);
  req.setProperties(Struct.fromJavaScript(JSON.parse(JSON.stringify(r.props))));
  req.setOptions(new pb.AnalyzerResourceOptions());
  if (r.provider) {
    const prov = new pb.AnalyzerProviderResource();
    prov.setType(r.provider.type);
    prov.setUrn(r.provider.urn);
    prov.setName(r.provider.name);
    prov.setProperties(Struct.fromJavaScript(JSON.parse(JSON.stringify(r.provider.props))));
    req.setProvider(prov);
  }
  return req;
}

function call<T>(fn: (call: unknown, cb: (err: unknown, resp: T) => void) => void, req: unknown): Promise<T> {
  return new Promise((resolve, reject) => fn({ request: req }, (err, resp) => (err ? reject(err) : resolve(resp))));
}

/** Remediate then Analyze each resource, as the engine does for `pulumi preview`. */
export async function runOnEngineHandlers(
  policies: Policies,
  resources: readonly OfflineResource[],
  packName: string,
  packVersion: string,
): Promise<EngineResult> {
  const analyze = server.makeAnalyzeRpcFun(packName, packVersion, "advisory", policies);
  const remediate = server.makeRemediateRpcFun(packName, packVersion, "advisory", policies);
  const out: EngineResult = { diagnostics: [], notApplicable: [], remediations: [] };
  for (const r0 of resources) {
    let r = r0;
    const rr = await call<any>(remediate, analyzeRequest(r));
    for (const rem of rr.getRemediationsList()) {
      const props = rem.getProperties()?.toJavaScript();
      out.remediations.push({ policy: rem.getPolicyname(), urn: r.urn, props, diagnostic: rem.getDiagnostic() });
      if (props) r = { ...r, props };
    }
    for (const n of rr.getNotApplicableList()) out.notApplicable.push({ policy: n.getPolicyName(), urn: r.urn, reason: n.getReason() });
    const resp = await call<any>(analyze, analyzeRequest(r));
    for (const d of resp.getDiagnosticsList()) {
      out.diagnostics.push({
        policy: d.getPolicyname(),
        urn: r.urn,
        message: d.getMessage(),
        enforcementLevel: LEVEL_NAMES[d.getEnforcementlevel()],
      });
    }
    for (const n of resp.getNotApplicableList()) out.notApplicable.push({ policy: n.getPolicyName(), urn: r.urn, reason: n.getReason() });
  }
  return out;
}
