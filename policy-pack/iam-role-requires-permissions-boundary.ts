import type { PolicyConfigSchema, PolicyProviderResource, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { accountOfArn, approvedBoundaryArn, asApprovedBoundary, describeApprovedBoundary } from "./boundary-arn";
import {
  BOUNDARY_CONFIG_PROPERTIES,
  NAME_PATTERNS_ITEMS,
  configOf,
  unknownModeProperty,
  type BoundaryConfig,
  type UnknownMode,
} from "./config";
import { ROLE_TYPES, matchesAnyPattern, reportAdvisory } from "./resources";
import { CLOUD_CONTROL_TYPE, STACK_SET_TYPE, TEMPLATE_TYPES, readTemplate, resolveString } from "./cloudformation";
import { ACCOUNT_UNKNOWN_FIX, stackAccountOf } from "./stack-account";
import { knownString, readString } from "./unknown";

export interface RoleBoundaryConfig extends BoundaryConfig {
  readonly exemptRoleNamePatterns: readonly string[];
  readonly unknownBoundary: UnknownMode;
}

/** What one role's boundary looks like against the config and the stack's account. */
export type RoleBoundaryAssessment =
  | { readonly kind: "exempt"; readonly pattern: string }
  | { readonly kind: "approved"; readonly arn: string }
  | { readonly kind: "unknown" }
  | { readonly kind: "missing" }
  | { readonly kind: "other"; readonly arn: string }
  | { readonly kind: "cross-account"; readonly arn: string; readonly accountId: string }
  | { readonly kind: "account-unknown"; readonly arn: string };

/**
 * The account whose approved boundary the role must carry: the stack's (config or provider), else
 * the role's own ARN (stack exports carry it). Never the boundary ARN being checked.
 */
export function roleAccount(props: Record<string, unknown>, cfg: BoundaryConfig, provider?: PolicyProviderResource): string | undefined {
  const stack = stackAccountOf(cfg, provider);
  if (stack) return stack.accountId;
  const own = knownString(props, "arn");
  const account = own === undefined ? undefined : accountOfArn(own)?.accountId;
  return account !== undefined && (cfg.boundaryAccountIds.length === 0 || cfg.boundaryAccountIds.includes(account)) ? account : undefined;
}

/** Pure: assesses the role's `permissionsBoundary` (the property has that name in `aws` and `aws-native`). */
export function assessRoleBoundary(
  type: string,
  props: Record<string, unknown>,
  cfg: RoleBoundaryConfig,
  account: string | undefined,
): RoleBoundaryAssessment {
  const roleName = knownString(props, ROLE_TYPES[type].name);
  const pattern = roleName === undefined ? undefined : matchesAnyPattern(roleName, cfg.exemptRoleNamePatterns);
  if (pattern !== undefined) return { kind: "exempt", pattern };
  const pb = readString(props, "permissionsBoundary");
  if (pb.state === "unknown") return { kind: "unknown" };
  if (pb.state === "absent" || pb.value === "") return { kind: "missing" };
  return assessBoundaryArn(pb.value as string, cfg, account);
}

/** Pure: whether `arn` is the approved boundary of `account` (undefined: the account cannot be told). */
export function assessBoundaryArn(
  arn: string,
  cfg: BoundaryConfig,
  account: string | undefined,
): Extract<RoleBoundaryAssessment, { arn: string }> {
  const approved = asApprovedBoundary({ ...cfg, boundaryAccountIds: [] }, arn);
  if (!approved) return { kind: "other", arn };
  if (account === undefined) return { kind: "account-unknown", arn };
  return approved.accountId === account ? { kind: "approved", arn } : { kind: "cross-account", arn, accountId: account };
}

/** Pure: the message for a role that is not compliant, or undefined when it is. */
export function roleBoundaryFinding(
  roleLabel: string,
  a: RoleBoundaryAssessment,
  cfg: RoleBoundaryConfig,
  account: string | undefined,
): string | undefined {
  switch (a.kind) {
    case "exempt":
    case "approved":
      return undefined;
    case "missing":
      return `${roleLabel} has no permissions boundary; set permissionsBoundary to ${describeApprovedBoundary(cfg, account)}.`;
    case "other":
      return `${roleLabel} carries permissions boundary ${a.arn}, not the approved boundary ${describeApprovedBoundary(cfg, account)}.`;
    case "cross-account":
      return (
        `${roleLabel} carries permissions boundary ${a.arn} of another account; this stack's account is ${a.accountId}, ` +
        `so its boundary is ${approvedBoundaryArn(cfg, a.accountId, accountOfArn(a.arn)?.partition)}.`
      );
    case "account-unknown":
      return (
        `${roleLabel} carries permissions boundary ${a.arn}, but the stack's AWS account is unknown, so nothing has checked ` +
        `that it is this account's boundary and not another account's: ${ACCOUNT_UNKNOWN_FIX}; ` +
        `or set unknownBoundary to "warn" to accept an advisory finding.`
      );
    case "unknown":
      return (
        `the permissions boundary of ${roleLabel} is unknown during preview, so nothing has checked it. ` +
        `Build the ARN from known strings (arn:aws:iam::<account>:policy${cfg.boundaryPolicyPath}${cfg.boundaryPolicyName}) ` +
        `instead of another resource's output such as the boundary policy's \`arn\` (keep \`dependsOn\` for ordering), ` +
        `or set unknownBoundary to "warn" to accept an advisory finding.`
      );
  }
}

/** Findings a configured `unknownBoundary: warn` turns advisory: the pack could not see, rather than saw a wrong value. */
export function isBlindSpot(a: RoleBoundaryAssessment): boolean {
  return a.kind === "unknown" || a.kind === "account-unknown";
}

/** Resource types whose CloudFormation roles this policy reads. */
const TEMPLATE_HOLDERS = [...Object.keys(TEMPLATE_TYPES), CLOUD_CONTROL_TYPE];

/**
 * What `${AWS::AccountId}` stands for in a stack set's template: each target account, resolved by
 * CloudFormation there. No literal string can contain it, so only the pseudo parameter produces it.
 */
const EACH_ACCOUNT = "\u0000each target account";

/**
 * Pure: the roles a CloudFormation template (or a Cloud Control resource) would create without the
 * approved boundary; undefined when the resource holds no template. `blind` marks findings about
 * what the pack could not see (a template or account unknown), which `unknownBoundary: warn` softens.
 */
export function templateRoleFindings(
  type: string,
  name: string,
  props: Record<string, unknown>,
  cfg: RoleBoundaryConfig,
  stackAccount: string | undefined,
): { message: string; blind: boolean }[] | undefined {
  const read = readTemplate(type, props);
  if (read.state === "not-a-template") return undefined;
  const holder = `${TEMPLATE_TYPES[type]?.what ?? "Cloud Control resource"} "${name}"`;
  if (read.state === "unknown")
    return [
      {
        blind: true,
        message: `the template of ${holder} is unknown during preview (${read.path}), so nothing has checked the IAM roles it creates; build it from known strings, or set unknownBoundary to "warn" to accept an advisory finding.`,
      },
    ];
  if (read.state === "unreadable")
    return [{ blind: false, message: `${holder} cannot be read (${read.error}), so nothing has checked the IAM roles it creates.` }];
  if (read.state !== "read") return []; // a templateUrl: iam-principals-out-of-sight names it
  const stackSet = type === STACK_SET_TYPE;
  const account = stackSet ? EACH_ACCOUNT : stackAccount;
  const expected = stackSet
    ? `{"Fn::Sub": "arn:\${AWS::Partition}:iam::\${AWS::AccountId}:policy${cfg.boundaryPolicyPath}${cfg.boundaryPolicyName}"} (a stack set deploys into each target account)`
    : describeApprovedBoundary(cfg, account);
  const out: { message: string; blind: boolean }[] = [];
  for (const r of read.resources.filter((x) => x.type === "AWS::IAM::Role")) {
    const roleName = typeof r.properties.RoleName === "string" ? r.properties.RoleName : undefined;
    if (roleName !== undefined && matchesAnyPattern(roleName, cfg.exemptRoleNamePatterns) !== undefined) continue;
    const label = `${holder} creates IAM role ${roleName === undefined ? `"${r.logicalId}"` : `"${roleName}" (${r.logicalId})`}`;
    const pb = r.properties.PermissionsBoundary;
    if (pb === undefined || pb === "") {
      out.push({ blind: false, message: `${label} without PermissionsBoundary; set it to ${expected}.` });
      continue;
    }
    if (account === undefined) {
      out.push({
        blind: true,
        message: `${label}, but the stack's AWS account is unknown, so nothing has checked its boundary: ${ACCOUNT_UNKNOWN_FIX}.`,
      });
      continue;
    }
    const resolved = resolveString(pb, account);
    if (resolved === undefined) {
      out.push({
        blind: true,
        message: `${label} with PermissionsBoundary ${JSON.stringify(pb)}, which depends on a parameter or another resource, so nothing has checked it; write ${expected}.`,
      });
      continue;
    }
    const approved = stackSet
      ? resolved === approvedBoundaryArn(cfg, EACH_ACCOUNT)
      : assessBoundaryArn(resolved, cfg, account).kind === "approved";
    if (!approved) {
      const shown = resolved.split(EACH_ACCOUNT).join("${AWS::AccountId}");
      out.push({ blind: false, message: `${label} with PermissionsBoundary ${shown}, not ${expected}.` });
    }
  }
  return out;
}

function roleLabel(args: ResourceValidationArgs): string {
  const iamName = knownString(args.props, ROLE_TYPES[args.type].name);
  return iamName === undefined ? `IAM role resource "${args.name}"` : `IAM role "${iamName}"`;
}

const configSchema: PolicyConfigSchema = {
  properties: {
    ...BOUNDARY_CONFIG_PROPERTIES,
    exemptRoleNamePatterns: {
      type: "array",
      items: NAME_PATTERNS_ITEMS,
      default: [],
      description: "IAM role names (with `*` and `?` wildcards) exempt from this policy: documented break-glass roles only.",
    },
    unknownBoundary: unknownModeProperty("a role's `permissionsBoundary`", "deny"),
  },
};

export const iamRoleRequiresPermissionsBoundary: ResourceValidationPolicy = {
  name: "iam-role-requires-permissions-boundary",
  description:
    "Every IAM role (aws:iam/role:Role, aws-native:iam:Role, and AWS::IAM::Role in CloudFormation templates and Cloud Control resources) carries the approved permissions boundary: the policy of the configured path and name in the stack's own account.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps:
    "Set the role's permissionsBoundary to arn:aws:iam::<account>:policy<boundaryPolicyPath><boundaryPolicyName>, built from known strings. " +
    "At enforcement level `remediate` the pack sets it itself when it can tell the stack's account (a single boundaryAccountIds entry, the AWS provider's allowedAccountIds, or the role's ARN).",
  configSchema,
  validateResource: (args, report) => {
    const cfg = configOf<RoleBoundaryConfig>(configSchema, args);
    const findings = templateRoleFindings(args.type, args.name, args.props, cfg, stackAccountOf(cfg, args.provider)?.accountId);
    if (findings !== undefined) {
      for (const f of findings) {
        if (f.blind && cfg.unknownBoundary === "warn") reportAdvisory(report, iamRoleRequiresPermissionsBoundary.description, f.message);
        else report(f.message);
      }
      return;
    }
    if (!(args.type in ROLE_TYPES)) args.notApplicable(`not an IAM role (${[...Object.keys(ROLE_TYPES), ...TEMPLATE_HOLDERS].join(", ")})`);
    const account = roleAccount(args.props, cfg, args.provider);
    const a = assessRoleBoundary(args.type, args.props, cfg, account);
    if (a.kind === "exempt") args.notApplicable(`role name matches exemptRoleNamePatterns entry "${a.pattern}"`);
    const message = roleBoundaryFinding(roleLabel(args), a, cfg, account);
    if (message === undefined) return;
    if (isBlindSpot(a) && cfg.unknownBoundary === "warn") {
      reportAdvisory(report, iamRoleRequiresPermissionsBoundary.description, message);
    } else {
      report(message);
    }
  },
  remediateResource: (args) => {
    if (!(args.type in ROLE_TYPES)) return undefined;
    const cfg = configOf<RoleBoundaryConfig>(configSchema, args);
    const account = roleAccount(args.props, cfg, args.provider);
    const a = assessRoleBoundary(args.type, args.props, cfg, account);
    if (a.kind !== "missing" && a.kind !== "other" && a.kind !== "cross-account") return undefined;
    if (account === undefined) return undefined; // the validation still reports it
    const partition = accountOfArn(knownString(args.props, "arn") ?? "")?.partition ?? "aws";
    // Set in place: the engine's props proxy keeps other (possibly unknown or secret) values as they are.
    args.props.permissionsBoundary = approvedBoundaryArn(cfg, account, partition);
    return args.props;
  },
};
