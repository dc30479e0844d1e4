/**
 * Names the programs generate from config, checked before anything is registered: IAM's
 * (case-insensitively unique per account, within IAM's length limits), Pulumi's (one name per
 * resource type in a stack) and the keys of the stack outputs users copy from (CLI profile names,
 * switch-role labels). A clash in any of them either fails `pulumi up` half-way or silently drops
 * one entry of an output.
 */
import { sameNameIgnoringCase, type JumpConfig, type StackIdentity } from "./config";
import { LIMITS } from "./iam-limits";
import { profileName, switchRoleDisplayName, targetRoles } from "./model";
import { jumpResourceName, targetResourceName } from "./resource-names";
import { groupAssumeRolePolicies } from "./strategies";
import type { TargetDocumentArgs } from "./target-documents";

interface Generated {
  readonly name: string;
  /** What the name was generated for, in the user's terms. */
  readonly from: string;
}

/** Pairs of generated names that are the same (after `fold`), each reported once. */
function clashes(items: readonly Generated[], fold: (s: string) => string = (s) => s): [Generated, Generated][] {
  const seen = new Map<string, Generated>();
  const out: [Generated, Generated][] = [];
  for (const it of items) {
    const key = fold(it.name);
    const first = seen.get(key);
    if (first) out.push([first, it]);
    else seen.set(key, it);
  }
  return out;
}

const lower = (s: string): string => s.toLowerCase();

function resourceNameProblems(id: StackIdentity, byType: ReadonlyMap<string, Generated[]>): string[] {
  const problems: string[] = [];
  for (const [type, items] of byType)
    for (const [a, b] of clashes(items))
      problems.push(
        `stack "${id.stack}": ${b.from} and ${a.from} both become the ${type} resource "${b.name}"; expected names that differ: rename one of them`,
      );
  return problems;
}

/** Every name problem of a jump stack: its managed policies, its children's resource names, its output keys. */
export function jumpNameProblems(cfg: JumpConfig, id: StackIdentity, component: string): string[] {
  const ns = id.project;
  const problems: string[] = [];

  // Managed policies, with the split assume-role policies' generated names ("<base>-2", ...).
  const policies: Generated[] = [{ name: cfg.selfServicePolicyName, from: `${ns}:selfServicePolicyName` }];
  cfg.groups.forEach((g, i) =>
    groupAssumeRolePolicies(cfg, g).forEach((p, k) =>
      policies.push({
        name: p.name,
        from: `${ns}:groups[${i}] (${g.name})'s ${k === 0 ? "assume-role policy" : `assume-role policy ${k + 1}`}`,
      }),
    ),
  );
  for (const p of policies.slice(1))
    if (p.name.length > LIMITS.policyNameLength)
      problems.push(
        `stack "${id.stack}": ${p.from} is named "${p.name}", ${p.name.length} characters; expected at most ${LIMITS.policyNameLength} (IAM policy names): set a shorter assumeRolePolicyName`,
      );
  for (const [a, b] of clashes(policies, lower))
    problems.push(
      `stack "${id.stack}": ${b.from} is named "${b.name}", which IAM takes for ${a.from} ("${a.name}"; policy names are unique case-insensitively in an account); expected distinct names: set assumeRolePolicyName`,
    );

  const byType = new Map<string, Generated[]>();
  const add = (type: string, name: string, from: string) => byType.set(type, [...(byType.get(type) ?? []), { name, from }]);
  add("aws:iam/policy:Policy", jumpResourceName.selfServicePolicy(component), "the self-service policy");
  cfg.groups.forEach((g, i) => {
    const from = `${ns}:groups[${i}] (${g.name})`;
    add("aws:iam/group:Group", jumpResourceName.group(component, g.name), from);
    add("aws:iam/groupPolicyAttachment:GroupPolicyAttachment", jumpResourceName.groupSelfServiceAttachment(component, g.name), from);
    add("aws:iam/groupMembership:GroupMembership", jumpResourceName.groupMembership(component, g.name), from);
    groupAssumeRolePolicies(cfg, g).forEach((_, k) => {
      add("aws:iam/policy:Policy", jumpResourceName.groupAssumeRolePolicy(component, g.name, k), from);
      add("aws:iam/groupPolicyAttachment:GroupPolicyAttachment", jumpResourceName.groupAssumeRolePolicy(component, g.name, k), from);
    });
  });
  cfg.users.forEach((u, i) => {
    const from = `${ns}:users[${i}] (${u.name})`;
    add("aws:iam/user:User", jumpResourceName.user(component, u.name), from);
    add("aws:iam/userLoginProfile:UserLoginProfile", jumpResourceName.userLoginProfile(component, u.name), from);
  });
  problems.push(...resourceNameProblems(id, byType));

  // Output keys: a role's CLI profile name keys switchRoleUrls and names its [profile] section;
  // its display name labels the console's switch-role history.
  const where = new Map(
    cfg.targets.flatMap((t, i) => t.roles.map((r, j) => [r, `${ns}:targets[${i}].roles[${j}] (${r.name} in ${t.name})`] as const)),
  );
  const roles = targetRoles(cfg);
  for (const [a, b] of clashes(roles.map((tr) => ({ name: profileName(tr), from: where.get(tr.role)! }))))
    problems.push(
      `stack "${id.stack}": ${b.from} and ${a.from} both get the AWS CLI profile name "${b.name}" (<target>-<role>); expected distinct profile names: rename one role or target, or one switch-role URL and one [profile] section would be lost`,
    );
  for (const [a, b] of clashes(roles.map((tr) => ({ name: switchRoleDisplayName(tr), from: where.get(tr.role)! }))))
    problems.push(
      `stack "${id.stack}": ${b.from} and ${a.from} both get the switch-role label "${b.name}" (<role>@<target>, the role cut to fit 64 characters); expected distinct labels: shorten the target name or make the roles differ earlier`,
    );
  return problems;
}

/** Every name problem of a target stack: its roles against each other and the existing protected roles, its children's resource names. */
export function targetNameProblems(
  args: Pick<TargetDocumentArgs, "roles" | "protectedRoleNames">,
  id: StackIdentity,
  component: string,
): string[] {
  const problems: string[] = [];
  for (const d of sameNameIgnoringCase(args.roles.map((r) => r.name)))
    problems.push(
      `stack "${id.stack}": role "${d.again}" is declared twice for this account (IAM takes it for "${d.first}"; role names are unique case-insensitively); expected each role once in jump-account:targets`,
    );
  const existing = new Map(args.protectedRoleNames.map((n) => [n.toLowerCase(), n]));
  for (const r of args.roles) {
    const same = existing.get(r.name.toLowerCase());
    if (same !== undefined)
      problems.push(
        `stack "${id.stack}": role "${r.name}" is also in ${id.project}:protectedRoleNames ("${same}"), the roles that already exist in the account; expected a role name of its own (IAM refuses a second role of that name)`,
      );
  }
  const byType = new Map<string, Generated[]>();
  const add = (type: string, name: string, from: string) => byType.set(type, [...(byType.get(type) ?? []), { name, from }]);
  for (const r of args.roles) {
    add("aws:iam/role:Role", targetResourceName.role(component, r.name), `role ${r.name}`);
    for (const arn of r.managedPolicyArns)
      add(
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        targetResourceName.roleAttachment(component, r.name, arn),
        `role ${r.name}'s ${arn}`,
      );
  }
  problems.push(...resourceNameProblems(id, byType));
  return problems;
}
