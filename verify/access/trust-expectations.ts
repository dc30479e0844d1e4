/** Who may switch into each role: the mapped Jump users with MFA, and nobody else. */
import { type Credentials, type RequestEnvironment } from "./context";
import type { AccessRequest, PolicyKind } from "./evaluator";
import type { AccessModel, RoleModel, TargetModel } from "./access-model";
import { MFA_AGE_SECONDS, PROBE, type Expectation, type Expected, type ProofOptions } from "./expectation";
import { assumeRoleRequest, probeAllowAssume, userCaller } from "./requests";
import { roleSample, type RoleSample } from "./trust-sampling";

/** An account id that is none of the environment's. */
export function foreignAccount(model: Pick<AccessModel, "accounts">): string {
  const used = new Set(model.accounts);
  for (let n = 999988887777; ; n--) if (!used.has(String(n))) return String(n);
}

/** Who may switch into each role: the mapped Jump users with MFA, and nobody else. */
export function trustExpectations(
  model: AccessModel,
  target: TargetModel,
  role: RoleModel,
  env: RequestEnvironment,
  opts: ProofOptions = {},
  sample: RoleSample = roleSample(model, role, opts),
): Expectation[] {
  const out: Expectation[] = [];
  const subject = `${role.name}@${target.name}`;
  const maxAge = role.settings.mfaMaxAgeSeconds;
  const freshAge = maxAge !== undefined ? Math.min(MFA_AGE_SECONDS, maxAge - 1) : MFA_AGE_SECONDS;
  let sampled: Expectation["sample"];
  const add = (
    id: string,
    guarantee: string,
    how: string,
    request: AccessRequest,
    expected: Expected,
    deniedBy?: PolicyKind,
    problems: readonly string[] = [],
  ) => {
    const all = [...role.problems, ...problems];
    out.push({
      id,
      guarantee,
      subject,
      how,
      account: target.account,
      request,
      expected,
      ...(deniedBy ? { deniedBy } : {}),
      ...(all.length ? { problems: all } : {}),
      ...(sampled ? { sample: sampled } : {}),
    });
  };

  sampled = sample.intended.length < sample.intendedOf ? { checked: sample.intended.length, of: sample.intendedOf } : undefined;
  for (const u of sample.intended) {
    const name = u.name;
    const as = (c: Credentials) => assumeRoleRequest(userCaller(u, c), u.policies, role, env);
    add(
      "trust-mapped-user-with-mfa",
      `${name} may assume the role with MFA`,
      "console, signed in with MFA",
      as({ kind: "console", mfaAgeSeconds: freshAge }),
      "Allowed",
      undefined,
      u.problems,
    );
    add(
      "trust-mapped-user-with-mfa",
      `${name} may assume the role with MFA`,
      "access key with an MFA code (CLI profile with mfa_serial)",
      as({ kind: "access-key-with-mfa-code", mfaAgeSeconds: 0 }),
      "Allowed",
      undefined,
      u.problems,
    );
    // The trust policy must refuse on its own, even where the Jump side would allow the call:
    // MFA must not rest on the Jump account's policies alone (nor on the trust alone, below).
    const probed = (c: Credentials) => assumeRoleRequest(userCaller(u, c), [probeAllowAssume(role.arn)], role, env);
    for (const [how, credentials] of [
      ["console, signed in without MFA", { kind: "console" }],
      ["long-term access key, no MFA", { kind: "access-key" }],
    ] as const)
      add(
        "trust-no-assume-without-mfa",
        `${name} may not assume the role without MFA, even if their own policies allowed it`,
        how,
        probed(credentials),
        "Denied",
        "resource",
        u.problems,
      );
    if (model.jump.config.selfServiceProfile === "hardened") {
      for (const [how, c] of [
        ["console, signed in without MFA", { kind: "console" }],
        ["long-term access key, no MFA", { kind: "access-key" }],
      ] as const) {
        add(
          "trust-jump-policies-require-mfa",
          `${name}'s own Jump policies refuse switching without MFA`,
          how,
          as(c),
          "ExplicitlyDenied",
          "identity",
          u.problems,
        );
      }
    }
    if (maxAge !== undefined) {
      add(
        "trust-no-assume-with-old-mfa",
        `${name} may not assume the role with MFA older than ${maxAge} s`,
        `console, MFA ${maxAge + 60} s ago`,
        as({ kind: "console", mfaAgeSeconds: maxAge + 60 }),
        "Denied",
        "resource",
        u.problems,
      );
    }
  }

  const outsiders = sample.outsiders;
  sampled = outsiders.length < sample.outsidersOf ? { checked: outsiders.length, of: sample.outsidersOf } : undefined;
  const mfa: Credentials = { kind: "console", mfaAgeSeconds: freshAge };
  for (const o of outsiders) {
    add(
      "trust-no-outsider",
      `${o.name} (not in a mapped group) may not assume the role`,
      "console, signed in with MFA",
      assumeRoleRequest(userCaller(o, mfa), o.policies, role, env),
      "Denied",
      undefined,
      o.problems,
    );
    add(
      "trust-no-outsider",
      `${o.name} (not in a mapped group) may not assume the role, even if their own policies allowed it`,
      "console, signed in with MFA",
      assumeRoleRequest(userCaller(o, mfa), [probeAllowAssume(role.arn)], role, env),
      "Denied",
      "resource",
    );
  }
  sampled = undefined;
  if (outsiders.length === 0) {
    // Everyone is mapped: a new Jump user in no mapped group stands in for the outsider.
    const probe = { account: model.jump.account, name: PROBE.outsider, path: "/", tags: {} };
    add(
      "trust-no-outsider",
      `a Jump user in no mapped group (${PROBE.outsider}) may not assume the role, even if their own policies allowed it`,
      "console, signed in with MFA",
      assumeRoleRequest(userCaller(probe, mfa), [probeAllowAssume(role.arn)], role, env),
      "Denied",
      "resource",
    );
  }

  const foreign = foreignAccount(model);
  const namesake = role.intendedUsers[0] ?? PROBE.outsider;
  const stranger = { account: foreign, name: namesake, path: "/", tags: {} };
  add(
    "trust-no-other-account",
    `a principal of another account (${foreign}, user ${namesake}) may not assume the role`,
    "console, signed in with MFA",
    assumeRoleRequest(userCaller(stranger, mfa), [probeAllowAssume(role.arn)], role, env),
    "Denied",
    "resource",
  );
  return out;
}
