import type { PolicyConfigSchema, ResourceValidationPolicy } from "@pulumi/policy";
import { TEMPLATE_TYPES, readTemplate } from "./cloudformation";
import { NAME_PATTERNS_ITEMS, TARGET_STACK_PROPERTIES, configOf, type UnknownMode } from "./config";
import { globMatch } from "./iam-document";
import { targetStackOrNotApplicable, type NoUsersConfig } from "./iam-no-users-in-target-accounts";
import { reportAdvisory } from "./resources";

export interface OutOfSightConfig extends NoUsersConfig {
  readonly allowedTypes: readonly string[];
  readonly templateUrl: UnknownMode;
}

/**
 * Resource types that can create IAM principals the pack never sees, with the reason. Each runs
 * code or a document with the deployment's credentials, or deploys a template the pack cannot read.
 */
export const OUT_OF_SIGHT_TYPES: Readonly<Record<string, string>> = {
  "pulumi-nodejs:dynamic:Resource": "a dynamic provider runs its own code with the deployment's credentials",
  "pulumi-python:dynamic:Resource": "a dynamic provider runs its own code with the deployment's credentials",
  "command:local:Command": "a command runs with the deployment's credentials",
  "command:remote:Command": "a command runs on a host whose credentials the pack cannot see",
  "aws:lambda/invocation:Invocation": "a Lambda function invoked during the deployment runs with its own role",
  "aws:serverlessrepository/cloudFormationStack:CloudFormationStack":
    "a Serverless Application Repository application deploys a template the pack cannot read",
  "aws:ssm/association:Association": "an SSM association runs a document on instances with their credentials",
};

/** Pure: why the resource can create IAM principals out of the pack's sight, if it can. */
export function outOfSightReason(type: string, props: Record<string, unknown>): { reason: string; templateUrl: boolean } | undefined {
  const fixed = OUT_OF_SIGHT_TYPES[type];
  if (fixed !== undefined) return { reason: fixed, templateUrl: false };
  const read = readTemplate(type, props);
  if (read.state === "url") {
    return {
      reason: `its template comes from templateUrl ${read.url}, which the pack cannot read (give templateBody instead)`,
      templateUrl: true,
    };
  }
  return undefined;
}

const configSchema: PolicyConfigSchema = {
  properties: {
    ...TARGET_STACK_PROPERTIES,
    allowedTypes: {
      type: "array",
      items: NAME_PATTERNS_ITEMS,
      default: [],
      description:
        "Resource types (`*` and `?` wildcards) reviewed and allowed in target-account stacks although the pack cannot see what they create.",
    },
    templateUrl: {
      type: "string",
      enum: ["deny", "warn"],
      default: "deny",
      description:
        "What to do with a CloudFormation stack or stack set whose template is given only as `templateUrl` (the pack cannot fetch it): `deny` reports a mandatory violation, `warn` an advisory one.",
    },
  },
};

export const iamPrincipalsOutOfSight: ResourceValidationPolicy = {
  name: "iam-principals-out-of-sight",
  description:
    "Target-account stacks hold no resource that can create IAM principals out of the pack's sight: dynamic providers, commands, Lambda invocations, SSM associations, Serverless Application Repository stacks, CloudFormation templates given only by URL.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    "Create IAM roles as aws.iam.Role resources (or CloudFormation templates given as templateBody), so the pack checks their boundary; list a reviewed type in allowedTypes.",
  configSchema,
  validateResource: (args, report) => {
    const cfg = configOf<OutOfSightConfig>(configSchema, args);
    const target = targetStackOrNotApplicable(args, cfg);
    const found = outOfSightReason(args.type, args.props);
    if (found === undefined) return;
    const allowed = cfg.allowedTypes.find((p) => globMatch(p, args.type));
    if (allowed !== undefined) args.notApplicable(`type matches allowedTypes entry "${allowed}"`);
    const what = TEMPLATE_TYPES[args.type]?.what ?? args.type;
    const message = `resource "${args.name}" (${what}) can create IAM principals the pack cannot check: ${found.reason}; ${target}.`;
    if (found.templateUrl && cfg.templateUrl === "warn") reportAdvisory(report, iamPrincipalsOutOfSight.description, message);
    else report(message);
  },
};
