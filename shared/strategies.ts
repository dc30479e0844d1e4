/**
 * The scale strategies: how a role's trust policy admits its users, and how a group's policies
 * name its roles, chosen per config (`auto` picks the article's explicit lists while they fit).
 */
import { assumeRolePolicyNameOf, type GroupSettings, type JumpConfig, type RoleSettings } from "./config";
import { CONTRACT_VERSION, type JumpContract, type RoleContract, type TrustSpec } from "./contract";
import { roleArn } from "./arn";

import { memo, rolesOfGroup, userArnOf, usersOfRole } from "./model";
import { policySize, type PolicyDocument } from "./policy-document";
import { assumeRolePatternStatement, assumeRolePolicy, packDocuments } from "./policies/assume-role";
import { trustPolicy } from "./policies/trust";

/** The tag the jump stack puts on every member of a group, for the group-tags trust strategy. */
export const GROUP_TAG_PREFIX = "jumpenv:group/";
export function groupTagKey(groupName: string): string {
  return `${GROUP_TAG_PREFIX}${groupName}`;
}

/** How `role`'s trust policy admits its users, under the configured strategy. */
export function trustSpecFor(cfg: JumpConfig, role: RoleSettings): TrustSpec {
  const tags: TrustSpec = { strategy: "group-tags", tagKeys: [...role.groups].sort().map(groupTagKey) };
  if (cfg.trustStrategy === "group-tags") return tags;
  const principalArns = usersOfRole(cfg, role)
    .map((u) => userArnOf(cfg, u))
    .sort();
  if (cfg.trustStrategy === "users") return { strategy: "users", principalArns };
  if (principalArns.length === 0) return tags;
  // The ARNs alone are a lower bound of the document's size: no need to build one that cannot fit.
  if (principalArns.reduce((n, a) => n + a.length, 0) > cfg.trustPolicyMaxChars) return tags;
  const users: TrustSpec = { strategy: "users", principalArns };
  const size = policySize(trustPolicy({ trust: users, jumpAccountId: cfg.accountId, mfaMaxAgeSeconds: role.mfaMaxAgeSeconds }));
  return size <= cfg.trustPolicyMaxChars ? users : tags;
}

/** Groups whose members must carry the group tag: those mapped to a role trusted by group tags. */
export function taggedGroups(cfg: JumpConfig): ReadonlySet<string> {
  return memo(cfg, "taggedGroups", () => {
    const out = new Set<string>();
    for (const t of jumpContract(cfg).targets)
      for (const r of t.roles) if (r.trust.strategy === "group-tags") r.groups.forEach((g) => out.add(g));
    return out;
  });
}

export interface NamedDocument {
  readonly name: string;
  readonly document: PolicyDocument;
}

/** A group's assume-role policies, under the configured strategy. Empty when it maps to no role. */
export function groupAssumeRolePolicies(cfg: JumpConfig, group: GroupSettings): readonly NamedDocument[] {
  return memo(cfg, `groupAssumeRolePolicies:${group.name}`, () => buildGroupAssumeRolePolicies(cfg, group));
}

function buildGroupAssumeRolePolicies(cfg: JumpConfig, group: GroupSettings): NamedDocument[] {
  const roles = rolesOfGroup(cfg, group.name);
  if (roles.length === 0) return [];
  const mfa = { requireMfa: cfg.selfServiceProfile === "hardened" };
  const byArns = () => packDocuments(roles.map((r) => r.arn).sort(), (arns) => assumeRolePolicy(arns, mfa));
  const byPattern = () => {
    // Role names that the group may assume in exactly the same accounts share one statement.
    const accountsByName = new Map<string, string[]>();
    for (const r of roles) {
      const key = `${r.role.path}${r.role.name}`;
      accountsByName.set(key, [...(accountsByName.get(key) ?? []), r.target.accountId]);
    }
    const namesByAccounts = new Map<string, string[]>();
    for (const [name, accounts] of accountsByName) {
      const key = [...accounts].sort().join(",");
      namesByAccounts.set(key, [...(namesByAccounts.get(key) ?? []), name]);
    }
    const items = [...namesByAccounts]
      .sort(([a], [b]) => a.localeCompare(b))
      .flatMap(([accounts, names]) => accounts.split(",").map((accountId) => ({ names: [...names].sort(), accountId })));
    return packDocuments(items, (chunk) => {
      const byNames = new Map<string, { names: string[]; accountIds: string[] }>();
      for (const it of chunk) {
        const key = it.names.join(",");
        const entry = byNames.get(key) ?? { names: it.names, accountIds: [] };
        entry.accountIds.push(it.accountId);
        byNames.set(key, entry);
      }
      return {
        Version: "2012-10-17",
        Statement: [...byNames.values()].map((e) => assumeRolePatternStatement({ pathsAndNames: e.names, accountIds: e.accountIds }, mfa)),
      };
    });
  };
  let docs: PolicyDocument[];
  if (cfg.assumeRoleStrategy === "role-arns") docs = byArns();
  else if (cfg.assumeRoleStrategy === "role-pattern") docs = byPattern();
  else {
    const arns = byArns();
    if (arns.length === 1) docs = arns;
    else {
      const pattern = byPattern();
      docs = pattern.length < arns.length ? pattern : arns;
    }
  }
  const base = assumeRolePolicyNameOf(group);
  return docs.map((document, i) => ({ name: i === 0 ? base : `${base}-${i + 1}`, document }));
}

/** Managed policies a group gets: its assume-role policies and the self-service policy. */
export function managedPolicyCountOf(cfg: JumpConfig, group: GroupSettings): number {
  return groupAssumeRolePolicies(cfg, group).length + 1;
}

/** The contract the jump stack exports for the target stacks. */
export function jumpContract(cfg: JumpConfig): JumpContract {
  return memo(cfg, "jumpContract", () => buildJumpContract(cfg));
}

function buildJumpContract(cfg: JumpConfig): JumpContract {
  return {
    contractVersion: CONTRACT_VERSION,
    jumpAccountId: cfg.accountId,
    trustPolicyMaxChars: cfg.trustPolicyMaxChars,
    targets: cfg.targets.map((t) => ({
      accountId: t.accountId,
      name: t.name,
      roles: t.roles.map((r): RoleContract => ({
        name: r.name,
        path: r.path,
        arn: roleArn(t.accountId, r.path, r.name),
        groups: [...r.groups],
        managedPolicyArns: [...r.managedPolicyArns],
        maxSessionDuration: r.maxSessionDuration,
        ...(r.mfaMaxAgeSeconds !== undefined ? { mfaMaxAgeSeconds: r.mfaMaxAgeSeconds } : {}),
        trust: trustSpecFor(cfg, r),
      })),
    })),
  };
}
