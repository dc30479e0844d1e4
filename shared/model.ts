/**
 * Pure derivations from validated config: which roles exist, who may assume which, and the
 * contract the target stacks read. No Pulumi resources here, so property tests can run it fast.
 */
import { mfaDeviceArn, roleArn, roleNameWithPath, userArn } from "./arn";
import type { JumpConfig, RoleSettings, TargetEntry, UserSettings } from "./config";

export interface TargetRole {
  readonly target: TargetEntry;
  readonly role: RoleSettings;
  readonly arn: string;
}

export function targetRoles(cfg: JumpConfig): TargetRole[] {
  return memo(cfg, "targetRoles", () =>
    cfg.targets.flatMap((target) => target.roles.map((role) => ({ target, role, arn: roleArn(target.accountId, role.path, role.name) }))),
  );
}

/** Roles the members of `groupName` may assume. */
export function rolesOfGroup(cfg: JumpConfig, groupName: string): TargetRole[] {
  return targetRoles(cfg).filter((tr) => tr.role.groups.includes(groupName));
}

/** Roles `user` may assume through any of their groups. */
export function rolesOfUser(cfg: JumpConfig, user: UserSettings): TargetRole[] {
  return targetRoles(cfg).filter((tr) => tr.role.groups.some((g) => user.groups.includes(g)));
}

const cache = new WeakMap<JumpConfig, Map<string, unknown>>();

/**
 * Derivations of a (frozen, validated) config are computed once per config object: at 1,000
 * accounts and 1,000 users the programs and the quota check ask for them many times.
 */
export function memo<T>(cfg: JumpConfig, key: string, compute: () => T): T {
  let m = cache.get(cfg);
  if (!m) cache.set(cfg, (m = new Map()));
  if (!m.has(key)) m.set(key, compute());
  return m.get(key) as T;
}

/** Members of each group, in config order. */
export function membersByGroup(cfg: JumpConfig): ReadonlyMap<string, readonly UserSettings[]> {
  return memo(cfg, "membersByGroup", () => {
    const out = new Map<string, UserSettings[]>(cfg.groups.map((g) => [g.name, []]));
    for (const u of cfg.users) for (const g of u.groups) out.get(g)?.push(u);
    return out;
  });
}

/** Users admitted by a role: the members of the groups mapped to it, in config order. */
export function usersOfRole(cfg: JumpConfig, role: RoleSettings): UserSettings[] {
  const members = membersByGroup(cfg);
  const chosen = new Set(role.groups.flatMap((g) => members.get(g) ?? []));
  return cfg.users.filter((u) => chosen.has(u));
}

export function userArnOf(cfg: JumpConfig, user: UserSettings): string {
  return userArn(cfg.accountId, user.path, user.name);
}

/** Name of the AWS CLI profile for a role: `<target>-<role>`. */
export function profileName(tr: TargetRole): string {
  return `${tr.target.name}-${tr.role.name}`;
}

/** The console keeps at most 64 characters of a switch-role label. */
export const SWITCH_ROLE_LABEL_LENGTH = 64;

/**
 * The label the console shows for a role in its switch-role history, `<role>@<target>`. When it is
 * too long the role name is cut, never the target's: roles of one name in many accounts (how
 * organisations name them) keep labels that tell the accounts apart.
 */
export function switchRoleDisplayName(tr: TargetRole): string {
  const at = `@${tr.target.name}`;
  return `${tr.role.name.slice(0, Math.max(0, SWITCH_ROLE_LABEL_LENGTH - at.length))}${at}`;
}

/** The console's switch-role link for a role. */
export function switchRoleUrl(tr: TargetRole): string {
  const q = new URLSearchParams({
    account: tr.target.accountId,
    roleName: roleNameWithPath(tr.role.path, tr.role.name),
    displayName: switchRoleDisplayName(tr),
  });
  return `https://signin.aws.amazon.com/switchrole?${q.toString()}`;
}

/** An `~/.aws/config` section that assumes `tr` from the user's Jump profile with MFA. */
export function awsConfigProfile(cfg: JumpConfig, userName: string, tr: TargetRole): string {
  return [
    `[profile ${profileName(tr)}]`,
    `role_arn = ${tr.arn}`,
    `source_profile = ${cfg.cliSourceProfile}`,
    `mfa_serial = ${mfaDeviceArn(cfg.accountId, userName)}`,
    `role_session_name = ${userName}`,
    `duration_seconds = ${tr.role.maxSessionDuration}`,
  ].join("\n");
}

/**
 * Per-user access outputs list every role of every user: users x roles entries. Past this many,
 * the jump stack exports only the per-group forms (a 1,000 x 1,000 organisation would otherwise
 * carry a million URLs in its state and in every target stack's reference read).
 */
export const PER_USER_ACCESS_OUTPUT_LIMIT = 10_000;

/** Stands for the user's own name in the per-group profile snippets. */
export const USER_NAME_PLACEHOLDER = "<your-user-name>";

export interface AccessOutputs {
  /** user -> profile name -> console switch-role URL (empty past PER_USER_ACCESS_OUTPUT_LIMIT). */
  readonly switchRoleUrls: Record<string, Record<string, string>>;
  /** user -> `~/.aws/config` sections (empty past PER_USER_ACCESS_OUTPUT_LIMIT). */
  readonly awsConfigProfiles: Record<string, string>;
  /** group -> profile name -> URL: the same for every member. */
  readonly groupSwitchRoleUrls: Record<string, Record<string, string>>;
  /** group -> `~/.aws/config` sections with USER_NAME_PLACEHOLDER for the member's name. */
  readonly groupAwsConfigProfiles: Record<string, string>;
}

export function accessOutputs(cfg: JumpConfig): AccessOutputs {
  const pairs = cfg.users.reduce((n, u) => n + rolesOfUser(cfg, u).length, 0);
  const perUser = pairs <= PER_USER_ACCESS_OUTPUT_LIMIT;
  const urls = (roles: TargetRole[]) => Object.fromEntries(roles.map((tr) => [profileName(tr), switchRoleUrl(tr)]));
  const profiles = (name: string, roles: TargetRole[]) => roles.map((tr) => awsConfigProfile(cfg, name, tr)).join("\n\n");
  return {
    switchRoleUrls: perUser ? Object.fromEntries(cfg.users.map((u) => [u.name, urls(rolesOfUser(cfg, u))])) : {},
    awsConfigProfiles: perUser ? Object.fromEntries(cfg.users.map((u) => [u.name, profiles(u.name, rolesOfUser(cfg, u))])) : {},
    groupSwitchRoleUrls: Object.fromEntries(cfg.groups.map((g) => [g.name, urls(rolesOfGroup(cfg, g.name))])),
    groupAwsConfigProfiles: Object.fromEntries(cfg.groups.map((g) => [g.name, profiles(USER_NAME_PLACEHOLDER, rolesOfGroup(cfg, g.name))])),
  };
}
