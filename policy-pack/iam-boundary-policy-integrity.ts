import type { PolicyConfigSchema, PolicyProviderResource, ResourceValidationPolicy } from "@pulumi/policy";
import { accountOfArn, approvedBoundaryArn, asApprovedBoundary } from "./boundary-arn";
import { BOUNDARY_CONFIG_PROPERTIES, configOf, unknownModeProperty, type BoundaryConfig, type UnknownMode } from "./config";
import { describeMissingGuard, missingGuards } from "./guards";
import { parsePolicyDocument, type PolicyDocument } from "./iam-document";
import { MANAGED_POLICY_TYPES, reportAdvisory } from "./resources";
import { ACCOUNT_UNKNOWN_FIX, stackAccountOf } from "./stack-account";
import { knownString, readProp, readString } from "./unknown";

export interface BoundaryIntegrityConfig extends BoundaryConfig {
  readonly unknownBoundary: UnknownMode;
}

/**
 * The boundary policy's own ARN: the approved boundary in the stack's account (config or provider),
 * else its deployed `arn` output (a stack export). Never an ARN its document names: a document
 * copied from another account names that account's boundary, and guards that name another
 * policy do not protect this one.
 */
export function boundarySelfArn(
  cfg: BoundaryConfig,
  provider: PolicyProviderResource | undefined,
  ownArn: string | undefined,
): string | undefined {
  const stack = stackAccountOf(cfg, provider);
  if (stack) return approvedBoundaryArn(cfg, stack.accountId, ownArn === undefined ? undefined : accountOfArn(ownArn)?.partition);
  return ownArn !== undefined && asApprovedBoundary(cfg, ownArn) ? ownArn : undefined;
}

/** Pure: one message per guard the boundary's document no longer holds for its own ARN; empty when every guard holds. */
export function boundaryIntegrityFindings(document: PolicyDocument, selfArn: string): string[] {
  return missingGuards(document, selfArn).map((m) => describeMissingGuard(m, selfArn));
}

const configSchema: PolicyConfigSchema = {
  properties: {
    ...BOUNDARY_CONFIG_PROPERTIES,
    unknownBoundary: unknownModeProperty("the boundary policy's name, path, document or account", "deny"),
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
    const approved = `${cfg.boundaryPolicyPath}${cfg.boundaryPolicyName}`;
    const blind = (message: string) => {
      const text = `${message} Fix that, or set unknownBoundary to "warn" to accept an advisory finding.`;
      if (cfg.unknownBoundary === "warn") reportAdvisory(report, iamBoundaryPolicyIntegrity.description, text);
      else report(text);
    };
    const name = readString(args.props, t.name);
    const path = readString(args.props, t.path);
    // A name or path that is known and differs rules the policy out; an unknown one could be the boundary's.
    const nameMatches = name.state === "known" ? name.value === cfg.boundaryPolicyName : name.state === "unknown";
    const pathMatches =
      path.state === "known" ? path.value === cfg.boundaryPolicyPath : path.state === "unknown" || cfg.boundaryPolicyPath === "/";
    if (!nameMatches || !pathMatches) args.notApplicable(`not the approved boundary ${approved}`);
    if (name.state === "unknown" || path.state === "unknown") {
      const which = [name.state === "unknown" ? "name" : "", path.state === "unknown" ? "path" : ""].filter(Boolean).join(" and ");
      blind(
        `the ${which} of managed policy resource "${args.name}" ${which.includes(" and ") ? "are" : "is"} unknown during preview, ` +
          `so the pack cannot tell whether it is the approved boundary ${approved}, and its guards were not checked. ` +
          `Build the boundary's name and path from known strings.`,
      );
      return;
    }
    const label = `boundary policy "${approved}"`;
    const doc = readProp(args.props, t.document);
    if (doc.state === "unknown") {
      blind(
        `the document of ${label} is unknown during preview, so its guards were not checked. ` +
          `Build it from known strings (its own ARN is arn:aws:iam::<account>:policy${approved}).`,
      );
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
    const selfArn = boundarySelfArn(cfg, args.provider, knownString(args.props, "arn"));
    if (selfArn === undefined) {
      blind(
        `the stack's AWS account is unknown, so the pack cannot tell the ARN of ${label}, which its guards must name ` +
          `(a document copied from another account names that account's boundary): ${ACCOUNT_UNKNOWN_FIX}.`,
      );
      return;
    }
    for (const message of boundaryIntegrityFindings(parsed.document, selfArn)) report(`${label}: ${message}`);
  },
};
