/**
 * Everything the governance project and CI derive from the repository: the pack (name, version,
 * policies), the committed stacks, and the pack config of each.
 */
import { loadPackPolicies, readPolicyPackManifest, type PackPolicy, type PolicyPackManifest } from "./pack";
import {
  packConfigFor,
  planPolicyGroups,
  readBaseConfig,
  stackDerivedSettings,
  type PolicyGroupPlan,
  type PolicyPackConfig,
} from "./pack-config";
import { committedStacks, projectNameOf, TARGET_PROJECT_DIR, type CommittedStack } from "./stacks";

export interface EnforcementPlan {
  readonly pack: PolicyPackManifest;
  readonly policies: readonly PackPolicy[];
  readonly stacks: readonly CommittedStack[];
  readonly groups: readonly PolicyGroupPlan[];
}

/** The projects whose stacks are target accounts: the target-account project, by its `Pulumi.yaml` name. */
export function targetProjects(): string[] {
  return [projectNameOf(TARGET_PROJECT_DIR)];
}

export function enforcementPlan(): EnforcementPlan {
  const pack = readPolicyPackManifest();
  const policies = loadPackPolicies();
  const stacks = committedStacks();
  return { pack, policies, stacks, groups: planPolicyGroups(stacks, readBaseConfig(), policies, pack, targetProjects()) };
}

/** The pack config of one committed stack, as CI passes it to `--policy-pack-config`. */
export function packConfigOfStack(stack: CommittedStack, policies = loadPackPolicies()): PolicyPackConfig {
  return packConfigFor(
    readBaseConfig(),
    stackDerivedSettings(stack, targetProjects()),
    policies,
    `policy pack config of ${stack.project}/${stack.stack}`,
  );
}
