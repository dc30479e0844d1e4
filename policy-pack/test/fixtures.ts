/**
 * Valid fixtures (the article's documents, `test/fixtures/article/*.json`, verbatim) and a
 * helper that runs one policy over resources through the offline runner, which builds the
 * validation args the way the engine does (fresh props behind `unknownCheckingProxy`, config
 * without schema defaults, `notApplicable` recorded).
 */
import type { Policies, PolicyPackConfig, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { articleDocument } from "../../test/fixtures/article";
import { runPolicies, type OfflineProvider, type OfflineResource, type RunResult } from "../offline";

/** The unknown string the engine sends for a value not known during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const TARGET_ACCOUNT = "444455556666";
export const JUMP_ACCOUNT = "111122223333";

/** The default approved boundary (target-account's default `boundaryPolicyName`) in the target account. */
export const BOUNDARY_ARN = `arn:aws:iam::${TARGET_ACCOUNT}:policy/jump-permissions-boundary`;

/** The article's boundary, `test-pb-policy.json`. */
export const SEED_BOUNDARY_NAME = "test-pb-policy";
export const SEED_BOUNDARY_ARN = `arn:aws:iam::${TARGET_ACCOUNT}:policy/test-pb-policy`;
export const SEED_BOUNDARY = articleDocument("test-pb-policy");

/** The article's trust policy, `test-restricted-admin-role.trust-policy.json`. */
export const SEED_TRUST = articleDocument("test-restricted-admin-role.trust-policy");

/** A deep copy to change one thing in. */
export function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

export function urn(type: string, name: string, project = "target-account", stack = "seed-target"): string {
  return `urn:pulumi:${stack}::${project}::${type}::${name}`;
}

/**
 * The stack's default AWS provider as the engine describes it: its inputs are the stack's `aws:*`
 * config strings, so `allowedAccountIds` arrives JSON-encoded.
 */
export function awsProvider(accountId = TARGET_ACCOUNT, project = "target-account"): OfflineProvider {
  return {
    type: "pulumi:providers:aws",
    urn: urn("pulumi:providers:aws", "default_6_0_0", project),
    name: "default_6_0_0",
    props: { region: "us-east-1", allowedAccountIds: JSON.stringify([accountId]) },
  };
}

/** A resource of the target stack, deployed by its default provider (pinned to the target account). */
export function resource(type: string, name: string, props: Record<string, unknown>, project = "target-account"): OfflineResource {
  return {
    type,
    name,
    urn: urn(type, name, project),
    props,
    provider: awsProvider(project === "target-account" ? TARGET_ACCOUNT : JUMP_ACCOUNT, project),
  };
}

/** The same resource as a runner sees it when nothing tells the stack's account (no config, no pinned provider). */
export function withoutProvider(r: OfflineResource): OfflineResource {
  const { provider: _provider, ...rest } = r;
  return rest;
}

/** The restricted admin role as the target-account program registers it. */
export function validRole(overrides: Record<string, unknown> = {}): OfflineResource {
  return resource("aws:iam/role:Role", "target-role-test-restricted-admin-role", {
    name: "test-restricted-admin-role",
    path: "/",
    assumeRolePolicy: JSON.stringify(SEED_TRUST),
    permissionsBoundary: BOUNDARY_ARN,
    maxSessionDuration: 3600,
    tags: { "jumpenv:managed-by": "pulumi" },
    ...overrides,
  });
}

/** The same role as `aws-native:iam:Role` (object documents, `roleName`). */
export function validNativeRole(overrides: Record<string, unknown> = {}): OfflineResource {
  return resource("aws-native:iam:Role", "native-role", {
    roleName: "native-admin",
    assumeRolePolicyDocument: clone(SEED_TRUST),
    permissionsBoundary: BOUNDARY_ARN,
    ...overrides,
  });
}

/** The article's boundary policy as the target-account program registers it. */
export function seedBoundaryPolicy(
  document: unknown = JSON.stringify(SEED_BOUNDARY),
  overrides: Record<string, unknown> = {},
): OfflineResource {
  return resource("aws:iam/policy:Policy", "target-boundary", { name: SEED_BOUNDARY_NAME, path: "/", policy: document, ...overrides });
}

export interface CheckOptions {
  readonly config?: Record<string, unknown>;
  readonly enforcementLevel?: "advisory" | "mandatory" | "remediate" | "disabled";
  readonly stackTags?: Record<string, string>;
}

/** Runs one policy (config given as that policy's entry of a --policy-pack-config file). */
export async function check(
  policy: ResourceValidationPolicy | StackValidationPolicy,
  resources: OfflineResource | OfflineResource[],
  opts: CheckOptions = {},
): Promise<RunResult> {
  const entry = { ...(opts.config ?? {}), ...(opts.enforcementLevel ? { enforcementLevel: opts.enforcementLevel } : {}) };
  const config: PolicyPackConfig = Object.keys(entry).length ? { [policy.name]: entry } : {};
  return runPolicies(Array.isArray(resources) ? resources : [resources], {
    policies: [policy] as Policies,
    config,
    stackTags: opts.stackTags,
  });
}

/** The messages of a run's violations, without the policy description the CLI prefixes. */
export function messages(r: RunResult): string[] {
  return r.violations.map((v) => v.message.split("\n").slice(1).join("\n") || v.message);
}
