import type { PolicyConfigSchema, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
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
import { knownString, readString } from "./unknown";

export interface RoleBoundaryConfig extends BoundaryConfig {
  readonly exemptRoleNamePatterns: readonly string[];
  readonly unknownBoundary: UnknownMode;
}

/** What one role's boundary looks like against the config. */
export type RoleBoundaryAssessment =
  | { readonly kind: "exempt"; readonly pattern: string }
  | { readonly kind: "approved"; readonly arn: string }
  | { readonly kind: "unknown" }
  | { readonly kind: "missing" }
  | { readonly kind: "other"; readonly arn: string };

/** Pure: assesses the role's `permissionsBoundary` (the property has that name in `aws` and `aws-native`). */
export function assessRoleBoundary(type: string, props: Record<string, unknown>, cfg: RoleBoundaryConfig): RoleBoundaryAssessment {
  const roleName = knownString(props, ROLE_TYPES[type].name);
  const pattern = roleName === undefined ? undefined : matchesAnyPattern(roleName, cfg.exemptRoleNamePatterns);
  if (pattern !== undefined) return { kind: "exempt", pattern };
  const pb = readString(props, "permissionsBoundary");
  if (pb.state === "unknown") return { kind: "unknown" };
  if (pb.state === "absent" || pb.value === "") return { kind: "missing" };
  const arn = pb.value as string;
  return asApprovedBoundary(cfg, arn) ? { kind: "approved", arn } : { kind: "other", arn };
}

/** Pure: the message for a role that is not compliant, or undefined when it is. */
export function roleBoundaryFinding(roleLabel: string, a: RoleBoundaryAssessment, cfg: RoleBoundaryConfig): string | undefined {
  switch (a.kind) {
    case "exempt":
    case "approved":
      return undefined;
    case "missing":
      return `${roleLabel} has no permissions boundary; set permissionsBoundary to ${describeApprovedBoundary(cfg)}.`;
    case "other": {
      const account = accountOfArn(a.arn)?.accountId;
      const allowed = account === undefined || cfg.boundaryAccountIds.length === 0 || cfg.boundaryAccountIds.includes(account);
      const expected = describeApprovedBoundary(cfg, allowed ? account : undefined);
      return `${roleLabel} carries permissions boundary ${a.arn}, not the approved boundary ${expected}.`;
    }
    case "unknown":
      return (
        `the permissions boundary of ${roleLabel} is unknown during preview, so nothing has checked it. ` +
        `Build the ARN from known strings (arn:aws:iam::<account>:policy${cfg.boundaryPolicyPath}${cfg.boundaryPolicyName}) ` +
        `instead of another resource's output such as the boundary policy's \`arn\` (keep \`dependsOn\` for ordering), ` +
        `or set unknownBoundary to "warn" to accept an advisory finding.`
      );
  }
}

/** The partition and account whose approved boundary a remediation would set, if one can be told. */
export function remediationAccount(props: Record<string, unknown>, a: RoleBoundaryAssessment, cfg: RoleBoundaryConfig) {
  const allowed = (account: string) => cfg.boundaryAccountIds.length === 0 || cfg.boundaryAccountIds.includes(account);
  const fromArn = (arn: string | undefined) => {
    const p = arn === undefined ? undefined : accountOfArn(arn);
    return p && allowed(p.accountId) ? p : undefined;
  };
  return (
    (a.kind === "other" ? fromArn(a.arn) : undefined) ??
    fromArn(knownString(props, "arn")) ??
    (cfg.boundaryAccountIds.length === 1 ? { partition: "aws", accountId: cfg.boundaryAccountIds[0] } : undefined)
  );
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
    "Every IAM role (aws:iam/role:Role, aws-native:iam:Role) carries the approved permissions boundary: the policy of the configured path and name in the role's own account.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps:
    "Set the role's permissionsBoundary to arn:aws:iam::<account>:policy<boundaryPolicyPath><boundaryPolicyName>, built from known strings. " +
    "At enforcement level `remediate` the pack sets it itself when it can tell the account (from a wrong boundary's ARN, the role's ARN, or a single boundaryAccountIds entry).",
  configSchema,
  validateResource: (args, report) => {
    if (!(args.type in ROLE_TYPES)) args.notApplicable(`not an IAM role (${Object.keys(ROLE_TYPES).join(", ")})`);
    const cfg = configOf<RoleBoundaryConfig>(configSchema, args);
    const a = assessRoleBoundary(args.type, args.props, cfg);
    if (a.kind === "exempt") args.notApplicable(`role name matches exemptRoleNamePatterns entry "${a.pattern}"`);
    const message = roleBoundaryFinding(roleLabel(args), a, cfg);
    if (message === undefined) return;
    if (a.kind === "unknown" && cfg.unknownBoundary === "warn") {
      reportAdvisory(report, iamRoleRequiresPermissionsBoundary.description, message);
    } else {
      report(message);
    }
  },
  remediateResource: (args) => {
    if (!(args.type in ROLE_TYPES)) return undefined;
    const cfg = configOf<RoleBoundaryConfig>(configSchema, args);
    const a = assessRoleBoundary(args.type, args.props, cfg);
    if (a.kind !== "missing" && a.kind !== "other") return undefined;
    const target = remediationAccount(args.props, a, cfg);
    if (!target) return undefined; // the validation still reports it
    // Set in place: the engine's props proxy keeps other (possibly unknown or secret) values as they are.
    args.props.permissionsBoundary = approvedBoundaryArn(cfg, target.accountId, target.partition);
    return args.props;
  },
};
