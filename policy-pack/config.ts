/**
 * Policy config: the one reader, and the schema fragments several policies share.
 *
 * The Pulumi CLI fills in `configSchema` defaults before it configures a pack, but
 * `@pulumi/policy` itself does not: `args.getConfig()` returns only what the user set (and `{}`
 * when a test or another runner builds the args). Every policy therefore reads its config through
 * `configOf`, which applies the schema's defaults, so the pack behaves the same under both.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

/** What `configOf` needs from validation or remediation args. */
export interface ConfigSource {
  getConfig<T extends object>(): T;
}

/** The policy's config with every unset key taken from its schema default (a fresh copy). */
export function configOf<T extends object>(schema: PolicyConfigSchema, args: ConfigSource): T {
  const given = (args.getConfig<Record<string, unknown>>() ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(schema.properties)) {
    const value = given[key];
    if (value !== undefined) out[key] = value;
    else if (prop.default !== undefined) out[key] = structuredClone(prop.default);
  }
  for (const [key, value] of Object.entries(given)) {
    if (!(key in out) && key !== "enforcementLevel") out[key] = value;
  }
  return out as T;
}

/** The boundary the target-account project creates by default. */
export const DEFAULT_BOUNDARY_POLICY_NAME = "jump-permissions-boundary";

/** What an unknown value during preview means: a mandatory violation, or an advisory one. */
export type UnknownMode = "deny" | "warn";

/** Keys that name the approved permissions boundary. */
export interface BoundaryConfig {
  readonly boundaryPolicyName: string;
  readonly boundaryPolicyPath: string;
  readonly boundaryAccountIds: readonly string[];
}

export const BOUNDARY_CONFIG_PROPERTIES: Record<keyof BoundaryConfig, PolicyConfigJSONSchema> = {
  boundaryPolicyName: {
    type: "string",
    pattern: "^[\\w+=,.@-]{1,128}$",
    default: DEFAULT_BOUNDARY_POLICY_NAME,
    description: "Name of the approved permissions-boundary policy (the target-account project's `boundaryPolicyName`).",
  },
  boundaryPolicyPath: {
    type: "string",
    pattern: "^/([\\x21-\\x7E]*/)?$",
    default: "/",
    description: "IAM path of the approved boundary policy (the target-account project's `boundaryPolicyPath`).",
  },
  boundaryAccountIds: {
    type: "array",
    items: { type: "string", pattern: "^[0-9]{12}$" },
    default: [],
    description:
      "The stack's AWS account, as `npm run policy-config` sets it from the stack file's `aws:allowedAccountIds`: roles must carry, " +
      "and the boundary's guards must name, that account's boundary. Empty: the account of the resource's AWS provider " +
      "(its `allowedAccountIds`), else of a role's own ARN; when none tells it, the pack fails closed (see `unknownBoundary`). " +
      "More than one entry: a stack whose provider or role ARN picks one of them.",
  },
};

export function unknownModeProperty(subject: string, defaultMode: UnknownMode): PolicyConfigJSONSchema {
  return {
    type: "string",
    enum: ["deny", "warn"],
    default: defaultMode,
    description: `What to do when ${subject} is unknown during preview: \`deny\` reports a mandatory violation, \`warn\` an advisory one.`,
  };
}

export const NAME_PATTERNS_ITEMS: PolicyConfigJSONSchema = { type: "string", minLength: 1 };

/** Keys that tell a target-account stack (several policies apply only there). */
export const TARGET_STACK_PROPERTIES: Record<"targetProjects" | "targetStackTags", PolicyConfigJSONSchema> = {
  targetProjects: {
    type: "array",
    items: { type: "string", minLength: 1 },
    default: ["target-account"],
    description: "Pulumi projects whose stacks are target accounts.",
  },
  targetStackTags: {
    type: "object",
    additionalProperties: { type: "string" },
    default: {},
    description: 'Stack tags that also mark a target-account stack: tag name -> value (`"*"` for any value).',
  },
};
