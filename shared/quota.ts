/**
 * IAM's quotas, checked on every generated document before any resource is registered. IAM
 * does not count white space, so a document's size is its compact JSON length.
 */
import { ConfigError, type JumpConfig, type StackIdentity } from "./config";
import type { JumpContract } from "./contract";
import { LIMITS } from "./iam-limits";
import { policySize } from "./policy-document";
import { selfServicePolicy } from "./policies/self-service";
import { trustPolicy } from "./policies/trust";
import { groupAssumeRolePolicies, groupTagKey, jumpContract, taggedGroups } from "./strategies";

/** Tags the jump stack sets on every user besides the group tags. */
export const BASE_USER_TAGS = 2;
export const MAX_TAGS_PER_USER = 50;
export const MAX_TAG_KEY_LENGTH = 128;

export class QuotaError extends ConfigError {
  override name = "QuotaError";
}

function over(id: StackIdentity, what: string, size: number, quota: number, quotaName: string, fix: string): string {
  return `stack "${id.stack}": ${what} is ${size} characters; the IAM quota is ${quota} (${quotaName}); ${fix}`;
}

/** Every quota problem of a jump stack's generated documents and resources. */
export function jumpQuotaProblems(cfg: JumpConfig, id: StackIdentity): string[] {
  const ns = id.project;
  const problems: string[] = [];
  const selfSize = policySize(selfServicePolicy(cfg.selfServiceProfile));
  if (selfSize > LIMITS.managedPolicyChars)
    problems.push(
      over(id, `policy "${cfg.selfServicePolicyName}"`, selfSize, LIMITS.managedPolicyChars, "managed policy size", "shorten it"),
    );

  cfg.groups.forEach((g, i) => {
    const docs = groupAssumeRolePolicies(cfg, g);
    for (const d of docs) {
      const size = policySize(d.document);
      if (size > LIMITS.managedPolicyChars) {
        problems.push(
          over(
            id,
            `policy "${d.name}" (group ${g.name}'s assume-role policy)`,
            size,
            LIMITS.managedPolicyChars,
            "managed policy size",
            `set ${ns}:assumeRoleStrategy to "role-pattern" or "auto", or shorten role paths and names`,
          ),
        );
      }
    }
    if (docs.length + 1 > LIMITS.managedPoliciesPerGroup) {
      problems.push(
        `stack "${id.stack}": ${ns}:groups[${i}] (${g.name}) needs ${docs.length + 1} managed policies (${docs.length} assume-role + self-service); the IAM quota is ${LIMITS.managedPoliciesPerGroup} per group (fixed); set ${ns}:assumeRoleStrategy to "role-pattern" or "auto", or split the group's roles over several groups`,
      );
    }
  });

  const contract = jumpContract(cfg);
  problems.push(...trustQuotaProblems(contract, id, `${ns}:trustStrategy`));

  cfg.targets.forEach((t, i) =>
    t.roles.forEach((r, j) => {
      if (r.managedPolicyArns.length > cfg.roleManagedPolicyQuota) {
        problems.push(
          `stack "${id.stack}": ${ns}:targets[${i}].roles[${j}].managedPolicyArns has ${r.managedPolicyArns.length} policies; the IAM quota is ${cfg.roleManagedPolicyQuota} per role (${ns}:roleManagedPolicyQuota); raise the quota in Service Quotas (up to 20) and set ${ns}:roleManagedPolicyQuota, or attach fewer policies`,
        );
      }
    }),
  );

  const tagged = taggedGroups(cfg);
  for (const g of tagged) {
    const key = groupTagKey(g);
    if (key.length > MAX_TAG_KEY_LENGTH) {
      problems.push(
        `stack "${id.stack}": group "${g}" is trusted through the tag "${key}", ${key.length} characters; the IAM quota is ${MAX_TAG_KEY_LENGTH} per tag key; use a group name of at most ${MAX_TAG_KEY_LENGTH - key.length + g.length} characters, or ${ns}:trustStrategy "users"`,
      );
    }
  }
  cfg.users.forEach((u, i) => {
    const count = BASE_USER_TAGS + u.groups.filter((g) => tagged.has(g)).length;
    if (count > MAX_TAGS_PER_USER) {
      problems.push(
        `stack "${id.stack}": ${ns}:users[${i}] (${u.name}) would carry ${count} tags (one per tag-trusted group); the IAM quota is ${MAX_TAGS_PER_USER} per user; put the user in fewer groups`,
      );
    }
  });
  return problems;
}

/** Trust-policy problems of a contract (the jump stack checks them first; the target stack again). */
export function trustQuotaProblems(contract: JumpContract, id: StackIdentity, strategyKey: string, onlyAccount?: string): string[] {
  const problems: string[] = [];
  for (const t of contract.targets) {
    if (onlyAccount !== undefined && t.accountId !== onlyAccount) continue;
    for (const r of t.roles) {
      if (r.trust.strategy === "users" && r.trust.principalArns.length === 0) {
        problems.push(
          `stack "${id.stack}": role ${r.name} in ${t.accountId} (${t.name}) admits no user (its groups ${r.groups.join(", ")} have no members); the "users" trust strategy needs at least one; add a member or set ${strategyKey} to "group-tags" or "auto"`,
        );
        continue;
      }
      const size = policySize(trustPolicy({ trust: r.trust, jumpAccountId: contract.jumpAccountId, mfaMaxAgeSeconds: r.mfaMaxAgeSeconds }));
      if (size > contract.trustPolicyMaxChars) {
        problems.push(
          over(
            id,
            `the trust policy of role ${r.name} in ${t.accountId} (${t.name}), ${r.trust.strategy === "users" ? `listing ${r.trust.principalArns.length} users,` : `naming ${r.trust.tagKeys.length} groups,`}`,
            size,
            contract.trustPolicyMaxChars,
            "role trust policy length",
            r.trust.strategy === "users"
              ? `set ${strategyKey} to "group-tags" or "auto", or raise the quota to 4096 in Service Quotas and set jump-account:trustPolicyMaxChars`
              : `map fewer groups to the role, or raise the quota to 4096 in Service Quotas and set jump-account:trustPolicyMaxChars`,
          ),
        );
      }
    }
  }
  return problems;
}

/** Throw a QuotaError listing every problem, if any. */
export function assertWithinQuotas(problems: readonly string[]): void {
  if (problems.length > 0) throw new QuotaError(problems);
}
