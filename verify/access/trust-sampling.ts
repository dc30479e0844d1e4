/**
 * Sampling: at 1,000 users x 2,000 roles, checking every user against every role is millions of
 * requests. Past `sampleAbovePairs` user-role pairs, each role's trust is checked for a bounded,
 * deterministic sample of its intended users and of its outsiders; every role's session checks
 * and every user's self-service checks still run in full.
 */
import type { AccessModel, JumpUserModel, RoleModel } from "./access-model";
import { TRUST_SAMPLING, type ProofOptions } from "./expectation";

/**
 * `k` of `n` positions (0 ... n - 1), deterministic: the first, the last, and k - 2 spread evenly
 * between them, one in each of k - 2 equal stretches. `rotation` moves the pick inside each
 * stretch, so roles with different rotations (the proof uses the target's index) check different
 * users, and over enough targets every user. Every position when n <= k.
 */
export function samplePositions(n: number, k: number, rotation = 0): number[] {
  if (n <= k) return Array.from({ length: n }, (_, i) => i);
  if (k <= 0) return [];
  if (k === 1) return [0];
  const inner = k - 2;
  // n > k, so each stretch of the n - 2 middle positions holds at least one.
  const stretch = (n - 2) / inner;
  const out = [0];
  for (let j = 0; j < inner; j++) {
    const from = 1 + Math.floor(j * stretch);
    const width = 1 + Math.floor((j + 1) * stretch) - from;
    out.push(from + (((rotation % width) + width) % width));
  }
  out.push(n - 1);
  return out;
}

/** Whether the proof samples: the environment's user-role pairs, past the threshold. */
export interface TrustSampling {
  /** Jump users x target roles. */
  readonly pairs: number;
  readonly users: number;
  readonly roles: number;
  /** The threshold it is past. */
  readonly abovePairs: number;
  /** Intended users, and outsiders, checked per role. */
  readonly usersPerRole: number;
}

/** The sampling that applies to a model, or undefined when every user is checked against every role. */
export function trustSampling(model: Pick<AccessModel, "jump" | "targets">, opts: ProofOptions = {}): TrustSampling | undefined {
  const abovePairs = opts.sampleAbovePairs ?? TRUST_SAMPLING.abovePairs;
  const users = model.jump.users.length;
  const roles = model.targets.reduce((n, t) => n + t.roles.length, 0);
  const pairs = users * roles;
  return pairs > abovePairs
    ? { pairs, users, roles, abovePairs, usersPerRole: opts.usersPerRole ?? TRUST_SAMPLING.usersPerRole }
    : undefined;
}

/** The users a role's trust is checked for: its intended users and its outsiders, each with how many there are. */
export interface RoleSample {
  readonly intended: readonly JumpUserModel[];
  readonly intendedOf: number;
  readonly outsiders: readonly JumpUserModel[];
  readonly outsidersOf: number;
}

const usersByName = new WeakMap<readonly JumpUserModel[], ReadonlyMap<string, JumpUserModel>>();

/**
 * The users `role`'s trust is checked for. Without sampling: every intended user and every
 * outsider (the first `outsidersPerRole` outsiders in config order, when given). With sampling:
 * `samplePositions` of each list, in config order, rotated by `rotation`.
 */
export function roleSample(
  model: Pick<AccessModel, "jump">,
  role: RoleModel,
  opts: ProofOptions = {},
  sampling?: TrustSampling,
  rotation = 0,
): RoleSample {
  const intendedNames = new Set(role.intendedUsers);
  let byName = usersByName.get(model.jump.users);
  if (!byName) usersByName.set(model.jump.users, (byName = new Map(model.jump.users.map((u) => [u.name, u]))));
  const intended = role.intendedUsers.map((name) => byName.get(name)!);
  const outsiders = model.jump.users.filter((u) => !intendedNames.has(u.name));
  const pick = <T>(list: readonly T[]): readonly T[] =>
    sampling ? samplePositions(list.length, sampling.usersPerRole, rotation).map((i) => list[i]) : list;
  return {
    intended: pick(intended),
    intendedOf: intended.length,
    outsiders: opts.outsidersPerRole !== undefined ? outsiders.slice(0, opts.outsidersPerRole) : pick(outsiders),
    outsidersOf: outsiders.length,
  };
}

/** What a sampled proof checked: per role, and across roles how many distinct users. */
export interface SamplingSummary extends TrustSampling {
  /** Distinct users checked as an intended user of some role, of the users intended for any role. */
  readonly intended: { readonly checked: number; readonly of: number };
  /** Distinct users checked as an outsider of some role, of the users that are an outsider of any role. */
  readonly outsiders: { readonly checked: number; readonly of: number };
}

/** The sampling `expectationBatches` applies to a model, with its coverage; undefined when it leaves no user of any role out. */
export function trustSamplingSummary(model: AccessModel, opts: ProofOptions = {}): SamplingSummary | undefined {
  const sampling = trustSampling(model, opts);
  if (!sampling) return undefined;
  const checked = { intended: new Set<string>(), outsiders: new Set<string>() };
  // How many roles intend each user: a user is an outsider of some role unless every role intends them.
  const intendedBy = new Map<string, number>();
  let cut = false;
  model.targets.forEach((t, index) => {
    for (const r of t.roles) {
      for (const name of r.intendedUsers) intendedBy.set(name, (intendedBy.get(name) ?? 0) + 1);
      const s = roleSample(model, r, opts, sampling, index);
      for (const u of s.intended) checked.intended.add(u.name);
      for (const u of s.outsiders) checked.outsiders.add(u.name);
      cut ||= s.intended.length < s.intendedOf || s.outsiders.length < s.outsidersOf;
    }
  });
  // Many roles but few users each: the sample is every user, and nothing was left out.
  if (!cut) return undefined;
  const outsidersOf = model.jump.users.filter((u) => (intendedBy.get(u.name) ?? 0) < sampling.roles).length;
  return {
    ...sampling,
    intended: { checked: checked.intended.size, of: intendedBy.size },
    outsiders: { checked: checked.outsiders.size, of: outsidersOf },
  };
}
