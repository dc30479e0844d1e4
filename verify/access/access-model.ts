/**
 * The planned environment as the access proof sees it, in two halves kept apart on purpose:
 *
 * - **intent**, from the validated stack config: which users exist, which groups are mapped to
 *   which roles, which boundary each target account must use. Expectations come from here.
 * - **documents**, from the resources the programs registered: the policies attached to each
 *   user (through groups) and role, trust policies, permissions boundaries, tags. The evaluator
 *   evaluates these.
 *
 * A program that registers the wrong document therefore fails an expectation instead of changing it.
 */
import {
  parseJumpConfig,
  parseTargetConfig,
  policyArn,
  roleArn,
  userArn,
  usersOfRole,
  type JumpConfig,
  type RawConfig,
  type RoleSettings,
  type TargetConfig,
  type UserSettings,
} from "@jumpenv/shared";
import { ADMINISTRATOR_ACCESS, READ_ONLY_ACCESS, awsManagedPolicy, isAwsManagedPolicyArn, isExactModel } from "./aws-managed";
import { namedPolicy, type NamedPolicy } from "./evaluator";
import { parseDocument, stackLabel, type ResourceLike } from "./documents";

/** A planned stack with the config it ran with. */
export interface PlannedStack {
  readonly project: string;
  readonly stack: string;
  readonly config: RawConfig;
  readonly resources: readonly ResourceLike[];
}

/** Something the proof cannot model: a missing stack, resource or policy. It fails the proof. */
export interface ModelProblem {
  readonly stack: string;
  readonly urn: string;
  readonly message: string;
}

export interface JumpUserModel {
  readonly settings: UserSettings;
  readonly account: string;
  readonly name: string;
  readonly path: string;
  readonly arn: string;
  /** The tags the program gave the user (as registered). */
  readonly tags: Readonly<Record<string, string>>;
  /** Identity policies: the user's own and those of the groups the program put them in. */
  readonly policies: readonly NamedPolicy[];
  /** Groups the program actually put the user in. */
  readonly groups: readonly string[];
  /** Why this user's documents cannot be fully modelled (fails every check that uses them). */
  readonly problems: readonly string[];
}

/** What a role's configured managed policies are meant to let it do. */
export type Capability = "admin" | "read-only" | "custom";

export interface RoleModel {
  readonly settings: RoleSettings;
  readonly account: string;
  readonly targetName: string;
  readonly name: string;
  readonly path: string;
  /** The ARN the Jump side uses (from config). */
  readonly arn: string;
  readonly urn: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly trust?: NamedPolicy;
  /** The boundary the program registered on the role (its current boundary), if any. */
  readonly boundaryArn?: string;
  readonly boundary?: NamedPolicy;
  readonly policies: readonly NamedPolicy[];
  /** Jump users the config maps to the role (through its groups). */
  readonly intendedUsers: readonly string[];
  readonly capability: Capability;
  /** Managed policies evaluated through an approximate model (see aws-managed.ts). */
  readonly approximations: readonly string[];
  readonly problems: readonly string[];
}

export interface TargetModel {
  readonly account: string;
  readonly name: string;
  /** `project/stack`. */
  readonly stack: string;
  readonly config: TargetConfig;
  readonly region: string;
  /** The boundary this account must use: `policy<boundaryPolicyPath><boundaryPolicyName>` in the account. */
  readonly intendedBoundaryArn: string;
  /** Tags of the registered boundary policy (sent as aws:ResourceTag/<k> on requests that act on it). */
  readonly boundaryTags: Readonly<Record<string, string>>;
  readonly roles: readonly RoleModel[];
}

export interface AccessModel {
  readonly jump: {
    readonly account: string;
    readonly stack: string;
    readonly config: JumpConfig;
    readonly region: string;
    readonly users: readonly JumpUserModel[];
  };
  readonly targets: readonly TargetModel[];
  /** Accounts of the environment (jump and targets): probes of "another account" use none of them. */
  readonly accounts: readonly string[];
  readonly problems: readonly ModelProblem[];
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

export function tagsOf(r: ResourceLike | undefined): Record<string, string> {
  const t = r?.props.tags;
  if (t === null || typeof t !== "object") return {};
  return Object.fromEntries(Object.entries(t as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === "string"));
}

function ofType(s: PlannedStack, type: string): ResourceLike[] {
  return s.resources.filter((r) => r.type === type);
}

function accountOf(config: RawConfig): string | undefined {
  try {
    const ids = JSON.parse(config["aws:allowedAccountIds"] ?? "null") as unknown;
    return Array.isArray(ids) && typeof ids[0] === "string" ? ids[0] : undefined;
  } catch {
    return undefined;
  }
}

/** Customer managed policies a stack registers, by ARN. */
export function managedPolicies(s: PlannedStack, account: string): Map<string, NamedPolicy> {
  const out = new Map<string, NamedPolicy>();
  for (const r of ofType(s, "aws:iam/policy:Policy")) {
    const name = str(r.props.name);
    const doc = parseDocument(r.props.policy);
    if (!name || !doc?.document) continue;
    const arn = policyArn(account, str(r.props.path) ?? "/", name);
    out.set(arn, namedPolicy(arn, doc.document));
  }
  return out;
}

/** Resolve a managed policy ARN to a document: registered by the stack, or a modelled AWS managed policy. */
export function resolve(
  arn: string,
  local: Map<string, NamedPolicy>,
  problems: string[],
  approximations: string[],
): NamedPolicy | undefined {
  const p = local.get(arn) ?? awsManagedPolicy(arn);
  if (p) {
    if (isAwsManagedPolicyArn(arn) && !isExactModel(arn)) approximations.push(arn);
    return p;
  }
  problems.push(
    isAwsManagedPolicyArn(arn)
      ? `managed policy ${arn} is not modelled offline (add it to verify/access/aws-managed.ts)`
      : `managed policy ${arn} is not registered by this stack, so its document is unknown offline`,
  );
  return undefined;
}

function inlinePolicy(owner: string, r: ResourceLike, label: string, problems: string[]): NamedPolicy | undefined {
  const doc = parseDocument(r.props.policy);
  if (!doc?.document) {
    problems.push(`${label} of ${owner} (${r.name}) has no readable policy document`);
    return undefined;
  }
  return namedPolicy(`${owner} inline policy ${str(r.props.name) ?? r.name}`, doc.document);
}

function uniqueByName(ps: (NamedPolicy | undefined)[]): NamedPolicy[] {
  const seen = new Set<string>();
  return ps.filter((p): p is NamedPolicy => !!p && !seen.has(p.name) && (seen.add(p.name), true));
}

export function capabilityOf(role: Pick<RoleSettings, "managedPolicyArns">): Capability {
  if (role.managedPolicyArns.includes(ADMINISTRATOR_ACCESS)) return "admin";
  if (role.managedPolicyArns.length === 1 && role.managedPolicyArns[0] === READ_ONLY_ACCESS) return "read-only";
  return "custom";
}

function jumpUsers(s: PlannedStack, cfg: JumpConfig): JumpUserModel[] {
  const account = cfg.accountId;
  const local = managedPolicies(s, account);
  const membership = new Map<string, Set<string>>();
  const join = (user: string, group: string) => membership.set(user, (membership.get(user) ?? new Set()).add(group));
  for (const m of ofType(s, "aws:iam/groupMembership:GroupMembership"))
    for (const u of strings(m.props.users)) join(u, String(m.props.group));
  for (const m of ofType(s, "aws:iam/userGroupMembership:UserGroupMembership"))
    for (const g of strings(m.props.groups)) join(String(m.props.user), g);

  const attached = (kind: "group" | "user", name: string): string[] => [
    ...ofType(s, `aws:iam/${kind}PolicyAttachment:${kind === "group" ? "Group" : "User"}PolicyAttachment`)
      .filter((a) => a.props[kind] === name)
      .map((a) => String(a.props.policyArn)),
    ...ofType(s, "aws:iam/policyAttachment:PolicyAttachment")
      .filter((a) => strings(a.props[`${kind}s`]).includes(name))
      .map((a) => String(a.props.policyArn)),
  ];

  return cfg.users.map((u) => {
    const problems: string[] = [];
    const approximations: string[] = [];
    const registered = ofType(s, "aws:iam/user:User").find((r) => r.props.name === u.name);
    if (!registered) problems.push(`user ${u.name} is not registered by ${stackLabel(s)}`);
    const path = str(registered?.props.path) ?? u.path;
    const groups = [...(membership.get(u.name) ?? [])].sort();
    const policies: (NamedPolicy | undefined)[] = [];
    for (const arn of attached("user", u.name)) policies.push(resolve(arn, local, problems, approximations));
    for (const r of ofType(s, "aws:iam/userPolicy:UserPolicy").filter((x) => x.props.user === u.name))
      policies.push(inlinePolicy(`user ${u.name}`, r, "inline policy", problems));
    for (const g of groups) {
      for (const arn of attached("group", g)) policies.push(resolve(arn, local, problems, approximations));
      for (const r of ofType(s, "aws:iam/groupPolicy:GroupPolicy").filter((x) => x.props.group === g))
        policies.push(inlinePolicy(`group ${g}`, r, "inline policy", problems));
    }
    return {
      settings: u,
      account,
      name: u.name,
      path,
      arn: userArn(account, path, u.name),
      tags: tagsOf(registered),
      policies: uniqueByName(policies),
      groups,
      problems,
    };
  });
}

function roleModel(
  s: PlannedStack,
  account: string,
  targetName: string,
  jumpCfg: JumpConfig,
  role: RoleSettings,
  local: Map<string, NamedPolicy>,
): RoleModel {
  const problems: string[] = [];
  const approximations: string[] = [];
  const arn = roleArn(account, role.path, role.name);
  const registered = ofType(s, "aws:iam/role:Role").find((r) => r.props.name === role.name);
  const base = {
    settings: role,
    account,
    targetName,
    name: role.name,
    path: role.path,
    arn,
    intendedUsers: usersOfRole(jumpCfg, role).map((u) => u.name),
    capability: capabilityOf(role),
  };
  if (!registered) {
    return {
      ...base,
      urn: "",
      tags: {},
      policies: [],
      approximations,
      problems: [`role ${role.name} is not registered by ${stackLabel(s)}`],
    };
  }
  if ((str(registered.props.path) ?? "/") !== role.path)
    problems.push(`role ${role.name} is registered at path ${String(registered.props.path)}, the Jump side expects ${role.path}`);
  const trustDoc = parseDocument(registered.props.assumeRolePolicy);
  if (!trustDoc?.document) problems.push(`role ${role.name} has no readable trust policy (assumeRolePolicy)`);
  const boundaryArn = str(registered.props.permissionsBoundary) || undefined;
  const boundary = boundaryArn ? resolve(boundaryArn, local, problems, approximations) : undefined;

  const policies: (NamedPolicy | undefined)[] = [];
  const arns = [
    ...ofType(s, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
      .filter((a) => a.props.role === role.name)
      .map((a) => String(a.props.policyArn)),
    ...ofType(s, "aws:iam/policyAttachment:PolicyAttachment")
      .filter((a) => strings(a.props.roles).includes(role.name))
      .map((a) => String(a.props.policyArn)),
    ...strings(registered.props.managedPolicyArns),
  ];
  for (const a of arns) policies.push(resolve(a, local, problems, approximations));
  if (Array.isArray(registered.props.inlinePolicies)) {
    (registered.props.inlinePolicies as Record<string, unknown>[]).forEach((p, i) => {
      const doc = parseDocument(p?.policy);
      if (doc?.document) policies.push(namedPolicy(`role ${role.name} inline policy ${str(p.name) ?? i + 1}`, doc.document));
    });
  }
  for (const r of ofType(s, "aws:iam/rolePolicy:RolePolicy").filter((x) => x.props.role === role.name))
    policies.push(inlinePolicy(`role ${role.name}`, r, "inline policy", problems));

  return {
    ...base,
    urn: registered.urn,
    tags: tagsOf(registered),
    ...(trustDoc?.document ? { trust: namedPolicy(`trust policy of role ${role.name}`, trustDoc.document) } : {}),
    ...(boundaryArn ? { boundaryArn } : {}),
    ...(boundary ? { boundary } : {}),
    policies: uniqueByName(policies),
    approximations: [...new Set(approximations)],
    problems,
  };
}

/** Build the model of a planned environment: the jump stack and its target stacks, each with its config. */
export function accessModel(jump: PlannedStack, targets: readonly PlannedStack[]): AccessModel {
  const problems: ModelProblem[] = [];
  const jumpCfg = parseJumpConfig(jump.config, { project: jump.project, stack: jump.stack });
  // A user's or role's own problems travel with every check that uses it (the check errors).
  const users = jumpUsers(jump, jumpCfg);

  const byAccount = new Map<string, PlannedStack>();
  for (const t of targets) {
    const a = accountOf(t.config);
    if (a) byAccount.set(a, t);
  }
  const targetModels: TargetModel[] = [];
  for (const t of jumpCfg.targets) {
    const s = byAccount.get(t.accountId);
    if (!s) {
      problems.push({
        stack: stackLabel(jump),
        urn: "",
        message: `target ${t.name} (${t.accountId}) is listed by the jump stack, but no target-account stack of this environment plans that account`,
      });
      continue;
    }
    const cfg = parseTargetConfig(s.config, { project: s.project, stack: s.stack });
    const local = managedPolicies(s, t.accountId);
    const intendedBoundaryArn = policyArn(t.accountId, cfg.boundaryPolicyPath, cfg.boundaryPolicyName);
    const boundaryResource = ofType(s, "aws:iam/policy:Policy").find(
      (r) => policyArn(t.accountId, str(r.props.path) ?? "/", String(r.props.name)) === intendedBoundaryArn,
    );
    const roles = t.roles.map((r) => roleModel(s, t.accountId, t.name, jumpCfg, r, local));
    targetModels.push({
      account: t.accountId,
      name: t.name,
      stack: stackLabel(s),
      config: cfg,
      region: s.config["aws:region"] ?? "us-east-1",
      intendedBoundaryArn,
      boundaryTags: tagsOf(boundaryResource),
      roles,
    });
  }
  const listed = new Set(jumpCfg.targets.map((t) => t.accountId));
  for (const [a, s] of byAccount) {
    // A stack without a jump stack is reached only through Identity Center: it has no roles to trust anyone.
    if (!listed.has(a) && parseTargetConfig(s.config, { project: s.project, stack: s.stack }).jumpStack !== undefined)
      problems.push({
        stack: stackLabel(s),
        urn: "",
        message: `account ${a} is not a target of the jump stack, so its roles trust nobody`,
      });
  }
  return {
    jump: { account: jumpCfg.accountId, stack: stackLabel(jump), config: jumpCfg, region: jump.config["aws:region"] ?? "us-east-1", users },
    targets: targetModels,
    accounts: [jumpCfg.accountId, ...jumpCfg.targets.map((t) => t.accountId)],
    problems,
  };
}
