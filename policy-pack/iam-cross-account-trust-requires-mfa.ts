import type { PolicyConfigSchema, PolicyProviderResource, ResourceValidationPolicy } from "@pulumi/policy";
import { accountOfArn } from "./boundary-arn";
import { NAME_PATTERNS_ITEMS, configOf, unknownModeProperty, type UnknownMode } from "./config";
import {
  conditionEntries,
  describeStatement,
  globMatch,
  parsePolicyDocument,
  statementCoversAction,
  type PolicyDocument,
  type Statement,
} from "./iam-document";
import { ROLE_TYPES, matchesAnyPattern, reportAdvisory } from "./resources";
import { providerAccount } from "./stack-account";
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

export const MFA_AGE_KEY = "aws:MultiFactorAuthAge";

/**
 * The callers without MFA, as the request context describes them: long-term access keys send
 * neither MFA key; temporary credentials obtained without MFA (a console session, a plain
 * AssumeRole) send `aws:MultiFactorAuthPresent` = "false" and no age.
 */
export const CALLERS_WITHOUT_MFA = [
  { name: "long-term access keys", context: {} as Readonly<Record<string, string>> },
  { name: "sessions without MFA", context: { [MFA_KEY.toLowerCase()]: "false" } as Readonly<Record<string, string>> },
] as const;

const MFA_KEYS = new Set([MFA_KEY.toLowerCase(), MFA_AGE_KEY.toLowerCase()]);

/**
 * Whether one condition entry on an MFA key holds for a caller whose context is `context` (keys in
 * lower case), by IAM's rules: a missing key fails every operator except `...IfExists`, `Null`
 * true, `ForAllValues:` and the negated operators; `Bool` compares case-insensitively. An operator
 * the pack does not model counts as holding, so it never hides a caller without MFA.
 */
export function conditionHolds(
  operator: string,
  key: string,
  values: readonly unknown[],
  context: Readonly<Record<string, string>>,
): boolean {
  const value = context[key.toLowerCase()];
  let op = operator;
  const set = /^(ForAnyValue|ForAllValues):/i.exec(op)?.[1]?.toLowerCase();
  if (set) op = op.slice(op.indexOf(":") + 1);
  const ifExists = /IfExists$/i.test(op);
  if (ifExists) op = op.slice(0, -"IfExists".length);
  const lower = op.toLowerCase();
  const strings = values.map((v) => String(v));
  if (lower === "null") return strings.some((v) => v.toLowerCase() === (value === undefined ? "true" : "false"));
  const negated = /^(stringnot|arnnot|numericnot|datenot|notipaddress)/.test(lower);
  if (value === undefined) return ifExists || set === "forallvalues" || negated;
  switch (lower) {
    case "bool":
      return strings.some((v) => v.toLowerCase() === value.toLowerCase());
    case "stringequals":
      return strings.some((v) => v === value);
    case "stringequalsignorecase":
      return strings.some((v) => v.toLowerCase() === value.toLowerCase());
    case "stringlike":
      return strings.some((v) => globMatch(v, value));
    case "stringnotequals":
      return !strings.some((v) => v === value);
    case "stringnotequalsignorecase":
      return !strings.some((v) => v.toLowerCase() === value.toLowerCase());
    case "stringnotlike":
      return !strings.some((v) => globMatch(v, value));
    default:
      return true;
  }
}

/** Whether every condition of the statement on an MFA key holds for the caller (conditions on other keys are not decided here). */
function mfaConditionsHold(s: Statement, context: Readonly<Record<string, string>>): boolean {
  return conditionEntries(s).every((c) => !MFA_KEYS.has(c.key.toLowerCase()) || conditionHolds(c.operator, c.key, c.values, context));
}

/** Whether a Deny statement surely refuses `principals` the role for this caller: all its conditions are on MFA keys and hold. */
function denyRefuses(d: Statement, principals: readonly string[], context: Readonly<Record<string, string>>): boolean {
  if (d.effect !== "Deny" || !statementCoversAction(d, "sts:AssumeRole") || d.notPrincipal !== undefined || d.principal === undefined)
    return false;
  const covered =
    d.principal === "*" ||
    (d.principal.AWS ?? []).includes("*") ||
    principals.every((p) => (d.principal as Record<string, readonly string[]>).AWS?.includes(p));
  const entries = conditionEntries(d);
  return covered && entries.every((c) => MFA_KEYS.has(c.key.toLowerCase()) && conditionHolds(c.operator, c.key, c.values, context));
}

/**
 * The callers without MFA whom the Allow statement admits, by what its conditions (and the
 * document's Deny statements) mean, not how they are spelt: `Bool` or `StringEquals` "true", an
 * MFA age bound, or a Deny of AssumeRole unless MFA is present all keep them out.
 */
export function callersAdmittedWithoutMfa(s: Statement, doc: PolicyDocument, principals: readonly string[]): string[] {
  return CALLERS_WITHOUT_MFA.filter(
    (c) => mfaConditionsHold(s, c.context) && !doc.statements.some((d) => denyRefuses(d, principals, c.context)),
  ).map((c) => c.name);
}

/** Pure: one message per Allow statement that admits another account's principals without MFA. */
export function trustMfaFindings(doc: PolicyDocument, roleAccount: string | undefined): string[] {
  const out: string[] = [];
  for (const s of doc.statements) {
    if (s.effect !== "Allow" || !statementCoversAction(s, "sts:AssumeRole")) continue;
    const principals = crossAccountPrincipals(s, roleAccount);
    if (principals.length === 0) continue;
    const admitted = callersAdmittedWithoutMfa(s, doc, principals);
    if (admitted.length === 0) continue;
    const who = `${describeStatement(s)} lets ${principals.join(", ")} (${roleAccount ? `not account ${roleAccount}` : "the role's account is unknown"}) assume the role`;
    const ifExists = conditionEntries(s).some((c) => /IfExists$/i.test(c.operator) && c.key.toLowerCase() === MFA_KEY.toLowerCase());
    out.push(
      admitted.length === 1 && admitted[0] === "long-term access keys" && ifExists
        ? `${who} with BoolIfExists ${MFA_KEY}: long-term access keys carry no MFA key, so they pass; use Bool.`
        : `${who} without requiring MFA (${admitted.join(" and ")} pass); add Condition Bool ${MFA_KEY} = "true".`,
    );
  }
  return out;
}

/**
 * The role's own account: its provider's pinned account, else its ARN (stack exports), else its
 * boundary's ARN (a boundary lives in the role's account; the boundary policy checks which one).
 */
export function roleAccountOf(props: Record<string, unknown>, provider?: PolicyProviderResource): string | undefined {
  const pinned = providerAccount(provider);
  if (pinned !== undefined) return pinned;
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
    "A role that trusts principals of another account requires MFA on every Allow of sts:AssumeRole (Bool or StringEquals aws:MultiFactorAuthPresent = true, an MFA age bound, or a Deny unless MFA; not BoolIfExists), unless it is a configured machine role.",
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
    for (const message of trustMfaFindings(parsed.document, roleAccountOf(args.props, args.provider))) report(`${label}: ${message}`);
  },
};
