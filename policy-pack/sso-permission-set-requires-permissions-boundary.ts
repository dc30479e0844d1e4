import type { PolicyConfigSchema, PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { matchesAnyPattern } from "./resources";
import {
  BOUNDARY_CONFIG_PROPERTIES,
  NAME_PATTERNS_ITEMS,
  configOf,
  unknownModeProperty,
  type BoundaryConfig,
  type UnknownMode,
} from "./config";
import { knownString, readProp } from "./unknown";

const PERMISSION_SET = "aws:ssoadmin/permissionSet:PermissionSet";
const BOUNDARY_ATTACHMENT = "aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment";

export interface PermissionSetBoundaryConfig extends Pick<BoundaryConfig, "boundaryPolicyName" | "boundaryPolicyPath"> {
  readonly exemptPermissionSetNames: readonly string[];
  readonly unknownBoundary: UnknownMode;
}

/** A finding about one permission set, `unknown` when only a value unknown during preview stands in the way. */
export interface PermissionSetFinding {
  readonly urn: string;
  readonly message: string;
  readonly unknown: boolean;
}

/**
 * The boundary attachments of a permission set: those that depend on it (during preview its
 * `arn` is unknown, so the dependency is what ties them), or name its known ARN.
 */
function attachmentsOf(set: PolicyResource, resources: readonly PolicyResource[]): PolicyResource[] {
  const arn = knownString(set.props, "arn");
  return resources.filter(
    (r) =>
      r.type === BOUNDARY_ATTACHMENT &&
      (r.dependencies.some((d) => d.urn === set.urn) || (arn !== undefined && knownString(r.props, "permissionSetArn") === arn)),
  );
}

/** Pure: every permission set that does not carry a boundary attachment naming the approved policy. */
export function permissionSetFindings(resources: readonly PolicyResource[], cfg: PermissionSetBoundaryConfig): PermissionSetFinding[] {
  const approved = `${cfg.boundaryPolicyPath}${cfg.boundaryPolicyName}`;
  const out: PermissionSetFinding[] = [];
  for (const set of resources.filter((r) => r.type === PERMISSION_SET)) {
    const setName = knownString(set.props, "name");
    if (setName !== undefined && matchesAnyPattern(setName, cfg.exemptPermissionSetNames) !== undefined) continue;
    const label = setName !== undefined ? `permission set "${setName}"` : `permission set resource "${set.name}"`;
    const fix = `attach the customer managed policy ${approved} with an aws.ssoadmin.PermissionsBoundaryAttachment (customerManagedPolicyReference { name: "${cfg.boundaryPolicyName}", path: "${cfg.boundaryPolicyPath}" })`;
    const attachments = attachmentsOf(set, resources);
    if (attachments.length === 0) {
      out.push({ urn: set.urn, unknown: false, message: `${label} has no permissions boundary; ${fix}.` });
      continue;
    }
    for (const a of attachments) {
      const read = readProp(a.props, "permissionsBoundary");
      const pb = (read.state === "known" ? read.value : undefined) as
        { customerManagedPolicyReference?: { name?: unknown; path?: unknown }; managedPolicyArn?: unknown } | undefined;
      const ref = pb?.customerManagedPolicyReference;
      const name = ref?.name;
      const path = ref?.path ?? "/";
      if (read.state === "unknown") {
        out.push({
          urn: a.urn,
          unknown: true,
          message: `the permissions boundary of ${label} is unknown during preview, so nothing has checked it; name "${cfg.boundaryPolicyName}" and path "${cfg.boundaryPolicyPath}" as known strings, or set unknownBoundary to "warn".`,
        });
      } else if (name !== cfg.boundaryPolicyName || path !== cfg.boundaryPolicyPath) {
        const given =
          typeof name === "string" ? `${String(path)}${name}` : typeof pb?.managedPolicyArn === "string" ? pb.managedPolicyArn : "nothing";
        out.push({
          urn: a.urn,
          unknown: false,
          message: `${label} is bounded by ${given}, not the approved boundary ${approved}; ${fix}.`,
        });
      }
    }
  }
  return out;
}

const configSchema: PolicyConfigSchema = {
  properties: {
    boundaryPolicyName: BOUNDARY_CONFIG_PROPERTIES.boundaryPolicyName,
    boundaryPolicyPath: BOUNDARY_CONFIG_PROPERTIES.boundaryPolicyPath,
    exemptPermissionSetNames: {
      type: "array",
      items: NAME_PATTERNS_ITEMS,
      default: [],
      description: "Permission set names (with `*` and `?` wildcards) exempt from this policy: documented break-glass sets only.",
    },
    unknownBoundary: unknownModeProperty("a permission set's boundary reference", "deny"),
  },
};

export const ssoPermissionSetRequiresPermissionsBoundary: StackValidationPolicy = {
  name: "sso-permission-set-requires-permissions-boundary",
  description:
    "Every IAM Identity Center permission set (aws:ssoadmin/permissionSet:PermissionSet) carries a permissions boundary attachment that references the approved boundary policy by name and path, so every role it provisions is capped like the restricted roles.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps:
    "Add an aws.ssoadmin.PermissionsBoundaryAttachment for the permission set with permissionsBoundary.customerManagedPolicyReference { name: <boundaryPolicyName>, path: <boundaryPolicyPath> }, and deploy the target-account stack of every assigned account first.",
  configSchema,
  validateStack: (args, report) => {
    const cfg = configOf<PermissionSetBoundaryConfig>(configSchema, args);
    for (const f of permissionSetFindings(args.resources, cfg)) {
      if (f.unknown && cfg.unknownBoundary === "warn") {
        // The object form of a report lowers this one violation to advisory, as reportAdvisory does for resource policies.
        const reportObject = report as unknown as (v: { message: string; urn: string; enforcementLevel: "advisory" }) => void;
        reportObject({
          message: `${ssoPermissionSetRequiresPermissionsBoundary.description}\n${f.message}`,
          urn: f.urn,
          enforcementLevel: "advisory",
        });
      } else report(f.message, f.urn);
    }
  },
};
