/**
 * The scale strategies: how a role's trust policy admits its users, and how a group's policies
 * name its roles, chosen per config (`auto` picks the article's explicit lists while they fit).
 */
import { assumeRolePolicyNameOf, type GroupSettings, type JumpConfig, type RoleSettings } from "./config";
import { CONTRACT_VERSION, type JumpContract, type RoleContract, type TrustSpec } from "./contract";
import { roleArn } from "./arn";

import { rolesOfGroup, userArnOf, usersOfRole } from "./model";
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
  const principalArns = usersOfRole(cfg, role).map((u) => userArnOf(cfg, u)).sort();
  if (cfg.trustStrategy === "users") return { strategy: "users", principalArns };
  if (principalArns.length === 0) return tags;
  const users: TrustSpec = { strategy: "users", principalArns };
  const size = policySize(trustPolicy({ trust: users, jumpAccountId: cfg.accountId, mfaMaxAgeSeconds: role.mfaMaxAgeSeconds }));
  return size <= cfg.trustPolicyMaxChars ? users : tags;
}

/** Groups whose members must carry the group tag: those mapped to a role trusted by group tags. */
export function taggedGroups(cfg: JumpConfig): Set<string> {
  const out = new Set<string>();
  for (const t of cfg.targets) for (const r of t.roles) {
    const spec = trustSpecFor(cfg, r);
    if (spec.strategy === "group-tags") r.groups.forEach((g) => out.add(g));
  }
  return out;
}

export interface NamedDocument {
  readonly name: string;
  readonly document: PolicyDocument;
}

/** A group's assume-role policies, under the configured strategy. Empty when it maps to no role. */
export function groupAssumeRolePolicies(cfg: JumpConfig, group: GroupSettings): NamedDocument[] {
  const roles = rolesOfGroup(cfg, group.name);
  if (roles.length === 0) return [];
  const byArns = () => packDocuments(roles.map((r) => r.arn).sort(), (arns) => assumeRolePolicy(arns));
  const byPattern = () => {
    const pairs = roles
      .map((r) => ({ pathAndName: `${r.role.path}${r.role.name}`, accountId: r.target.accountId }))
      .sort((a, b) => (a.pathAndName + a.accountId).localeCompare(b.pathAndName + b.accountId));
    return packDocuments(pairs, (chunk) => {
      const byName = new Map<string, string[]>();
      for (const p of chunk) byName.set(p.pathAndName, [...(byName.get(p.pathAndName) ?? []), p.accountId]);
      return { Version: "2012-10-17", Statement: [...byName].map(([pathAndName, accountIds]) => assumeRolePatternStatement({ pathAndName, accountIds })) };
    });
  };
  let docs: PolicyDocument[];
  if (cfg.assumeRoleStrategy === "role-arns") docs = byArns();
  else if (cfg.assumeRoleStrategy === "role-pattern") docs = byPattern();
  else {
    const arns = byArns();
    docs = arns.length === 1 ? arns : byPattern();
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
  return {
    contractVersion: CONTRACT_VERSION,
    jumpAccountId: cfg.accountId,
    trustPolicyMaxChars: cfg.trustPolicyMaxChars,
    targets: cfg.targets.map((t) => ({
      accountId: t.accountId,
      name: t.name,
      roles: t.roles.map(
        (r): RoleContract => ({
          name: r.name,
          path: r.path,
          arn: roleArn(t.accountId, r.path, r.name),
          groups: [...r.groups],
          managedPolicyArns: [...r.managedPolicyArns],
          maxSessionDuration: r.maxSessionDuration,
          ...(r.mfaMaxAgeSeconds !== undefined ? { mfaMaxAgeSeconds: r.mfaMaxAgeSeconds } : {}),
          trust: trustSpecFor(cfg, r),
        }),
      ),
    })),
  };
}

