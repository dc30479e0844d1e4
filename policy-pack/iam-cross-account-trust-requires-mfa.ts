import type { PolicyConfigSchema, ResourceValidationPolicy } from "@pulumi/policy";
import { accountOfArn } from "./boundary-arn";
import { NAME_PATTERNS_ITEMS, configOf, unknownModeProperty, type UnknownMode } from "./config";
import {
  conditionValues,
  describeStatement,
  parsePolicyDocument,
  statementCoversAction,
  type PolicyDocument,
  type Statement,
} from "./iam-document";
import { ROLE_TYPES, matchesAnyPattern, reportAdvisory } from "./resources";
import { knownString, readProp } from "./unknown";

export interface TrustMfaConfig {
  readonly machineRoleNamePatterns: readonly string[];
  readonly unknownTrustPolicy: UnknownMode;
}

export const MFA_KEY = "aws:MultiFactorAuthPresent";

/** The account principals of an Allow statement that lie outside `roleAccount` (all of them when it is unknown). */
export function crossAccountPrincipals(s: Statement, roleAccount: string | undefined): string[] {
  if (s.notPrincipal !== undefined) return ["NotPrincipal (everyone not listed)"];
  if (s.principal === undefined) return [];
  if (s.principal === "*") return ["*"];
  return (s.principal.AWS ?? []).filter((p) => {
    if (p === "*") return true;
    const account = /^\d{12}$/.test(p) ? p : accountOfArn(p)?.accountId;
    return account === undefined || account !== roleAccount;
  });
}

/** How the statement asks for MFA: `Bool` true (required), `BoolIfExists` (admits callers without MFA), or not at all. */
export function mfaRequirement(s: Statement): "bool" | "bool-if-exists" | "none" {
  const isTrue = (values: readonly unknown[] | undefined) =>
    values !== undefined && values.length > 0 && values.every((v) => v === true || v === "true");
  if (isTrue(conditionValues(s, "Bool", MFA_KEY))) return "bool";
  if (isTrue(conditionValues(s, "BoolIfExists", MFA_KEY))) return "bool-if-exists";
  return "none";
}

/** Pure: one message per Allow statement that admits another account's principals without MFA. */
export function trustMfaFindings(doc: PolicyDocument, roleAccount: string | undefined): string[] {
  const out: string[] = [];
  for (const s of doc.statements) {
    if (s.effect !== "Allow" || !statementCoversAction(s, "sts:AssumeRole")) continue;
    const principals = crossAccountPrincipals(s, roleAccount);
    if (principals.length === 0) continue;
    const req = mfaRequirement(s);
    if (req === "bool") continue;
    const who = `${describeStatement(s)} lets ${principals.join(", ")} (${roleAccount ? `not account ${roleAccount}` : "the role's account is unknown"}) assume the role`;
    out.push(
      req === "bool-if-exists"
        ? `${who} with BoolIfExists ${MFA_KEY}: long-term access keys carry no MFA key, so they pass; use Bool.`
        : `${who} without requiring MFA; add Condition Bool ${MFA_KEY} = "true".`,
    );
  }
  return out;
}

/** The role's own account: from its ARN (stack exports) or its boundary's ARN (a boundary lives in the role's account). */
export function roleAccountOf(props: Record<string, unknown>): string | undefined {
  for (const key of ["arn", "permissionsBoundary"]) {
    const v = knownString(props, key);
    const account = v === undefined ? undefined : accountOfArn(v)?.accountId;
    if (account) return account;
  }
  return undefined;
}

const configSchema: PolicyConfigSchema = {
  properties: {
    machineRoleNamePatterns: {
      type: "array",
      items: NAME_PATTERNS_ITEMS,
      default: [],
      description: "IAM role names (with `*` and `?` wildcards) assumed by machines across accounts, which cannot present MFA.",
    },
    unknownTrustPolicy: unknownModeProperty("a role's trust policy", "warn"),
  },
};

export const iamCrossAccountTrustRequiresMfa: ResourceValidationPolicy = {
  name: "iam-cross-account-trust-requires-mfa",
  description:
    "A role that trusts principals of another account requires MFA: Condition Bool aws:MultiFactorAuthPresent = true (not BoolIfExists) on every Allow of sts:AssumeRole, unless it is a configured machine role.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    'Build the trust policy with the project\'s trustPolicy builder, or add Condition {"Bool": {"aws:MultiFactorAuthPresent": "true"}}.',
  configSchema,
  validateResource: (args, report) => {
    const t = ROLE_TYPES[args.type];
    if (!t) args.notApplicable(`not an IAM role (${Object.keys(ROLE_TYPES).join(", ")})`);
    const cfg = configOf<TrustMfaConfig>(configSchema, args);
    const roleName = knownString(args.props, t.name);
    const pattern = roleName === undefined ? undefined : matchesAnyPattern(roleName, cfg.machineRoleNamePatterns);
    if (pattern !== undefined) args.notApplicable(`machine role: name matches machineRoleNamePatterns entry "${pattern}"`);
    const label = roleName === undefined ? `IAM role resource "${args.name}"` : `IAM role "${roleName}"`;
    const trust = readProp(args.props, t.trustPolicy);
    if (trust.state === "unknown") {
      const message = `the trust policy of ${label} is unknown during preview, so nothing has checked that it requires MFA.`;
      if (cfg.unknownTrustPolicy === "warn") reportAdvisory(report, iamCrossAccountTrustRequiresMfa.description, message);
      else report(message);
      return;
    }
    if (trust.state === "absent") return;
    const parsed = parsePolicyDocument(trust.value);
    if (!parsed.ok) {
      report(`the trust policy of ${label} cannot be read: ${parsed.error}.`);
      return;
    }
    for (const message of trustMfaFindings(parsed.document, roleAccountOf(args.props))) report(`${label}: ${message}`);
  },
};
