import type { PolicyConfigSchema, ResourceValidationPolicy } from "@pulumi/policy";
import { approvedBoundaryArn, asApprovedBoundary } from "./boundary-arn";
import { BOUNDARY_CONFIG_PROPERTIES, configOf, unknownModeProperty, type BoundaryConfig, type UnknownMode } from "./config";
import { describeMissingGuard, missingGuards } from "./guards";
import { parsePolicyDocument, type PolicyDocument } from "./iam-document";
import { MANAGED_POLICY_TYPES, reportAdvisory } from "./resources";
import { knownString, readProp } from "./unknown";

export interface BoundaryIntegrityConfig extends BoundaryConfig {
  readonly unknownBoundary: UnknownMode;
}

/** Every string in a document (to find the ARNs it names). */
function* strings(v: unknown): Generator<string> {
  if (typeof v === "string") yield v;
  else if (Array.isArray(v)) for (const x of v) yield* strings(x);
  else if (v !== null && typeof v === "object") for (const x of Object.values(v)) yield* strings(x);
}

export type SelfArn = { readonly arn: string } | { readonly conflict: readonly string[] };

/**
 * The boundary policy's own ARN: its `arn` output when the props carry one (a stack export);
 * otherwise the approved-boundary ARN its document names (its conditions and Resource name
 * itself), which must be a single one. With none, the policy's path and name in a placeholder
 * account: a wildcard account (`arn:aws:iam::*:policy/...`) still matches it, a concrete one not.
 */
export function boundarySelfArn(ownArn: string | undefined, rawDocument: unknown, cfg: BoundaryConfig): SelfArn {
  if (ownArn !== undefined && asApprovedBoundary(cfg, ownArn)) return { arn: ownArn };
  const named = new Set<string>();
  for (const s of strings(typeof rawDocument === "string" ? safeJson(rawDocument) : rawDocument)) {
    if (asApprovedBoundary(cfg, s)) named.add(s);
  }
  if (named.size > 1) return { conflict: [...named].sort() };
  if (named.size === 1) return { arn: [...named][0] };
  return { arn: approvedBoundaryArn(cfg, cfg.boundaryAccountIds[0] ?? "000000000000") };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/** Pure: one message per problem of the boundary's document; empty when every guard holds. */
export function boundaryIntegrityFindings(document: PolicyDocument, self: SelfArn): string[] {
  if ("conflict" in self) {
    return [
      `the boundary's document names the boundary in more than one account (${self.conflict.join(", ")}); its guards must name its own ARN.`,
    ];
  }
  return missingGuards(document, self.arn).map((m) => describeMissingGuard(m, self.arn));
}

const configSchema: PolicyConfigSchema = {
  properties: {
    ...BOUNDARY_CONFIG_PROPERTIES,
    unknownBoundary: unknownModeProperty("the boundary policy's document", "deny"),
  },
};

export const iamBoundaryPolicyIntegrity: ResourceValidationPolicy = {
  name: "iam-boundary-policy-integrity",
  description:
    "The approved permissions-boundary policy (matched by name and path) keeps every guard of the article's boundary: user and group management denied; role creation and role-policy changes denied without the boundary; boundary removal denied; boundary policy edits denied.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps:
    "Build the boundary document with the project's boundary builder (seed or hardened profile) instead of editing it by hand.",
  configSchema,
  validateResource: (args, report) => {
    const t = MANAGED_POLICY_TYPES[args.type];
    if (!t) args.notApplicable(`not a managed policy (${Object.keys(MANAGED_POLICY_TYPES).join(", ")})`);
    const cfg = configOf<BoundaryIntegrityConfig>(configSchema, args);
    const name = knownString(args.props, t.name);
    const path = readProp(args.props, t.path);
    const actualPath = path.state === "known" ? path.value : path.state === "absent" ? "/" : undefined;
    if (name !== cfg.boundaryPolicyName || actualPath !== cfg.boundaryPolicyPath) {
      args.notApplicable(`not the approved boundary ${cfg.boundaryPolicyPath}${cfg.boundaryPolicyName}`);
    }
    const label = `boundary policy "${cfg.boundaryPolicyPath}${cfg.boundaryPolicyName}"`;
    const doc = readProp(args.props, t.document);
    if (doc.state === "unknown") {
      const message =
        `the document of ${label} is unknown during preview, so its guards were not checked. ` +
        `Build it from known strings (its own ARN is arn:aws:iam::<account>:policy${cfg.boundaryPolicyPath}${cfg.boundaryPolicyName}), ` +
        `or set unknownBoundary to "warn" to accept an advisory finding.`;
      if (cfg.unknownBoundary === "warn") reportAdvisory(report, iamBoundaryPolicyIntegrity.description, message);
      else report(message);
      return;
    }
    if (doc.state === "absent") {
      report(`${label} has no document, so it holds none of the guards.`);
      return;
    }
    const parsed = parsePolicyDocument(doc.value);
    if (!parsed.ok) {
      report(`the document of ${label} cannot be read: ${parsed.error}.`);
      return;
    }
    const self = boundarySelfArn(knownString(args.props, "arn"), doc.value, cfg);
    for (const message of boundaryIntegrityFindings(parsed.document, self)) report(`${label}: ${message}`);
  },
};
