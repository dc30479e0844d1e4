/** What a Jump user may do on their own identity before and after signing in with MFA. */
import { type Credentials, type RequestEnvironment } from "./context";
import type { PolicyKind } from "./evaluator";
import type { AccessModel, JumpUserModel } from "./access-model";
import { MFA_AGE_SECONDS, PROBE, type Expectation, type Expected } from "./expectation";
import { probeAllowEverything, probeAllowOwnIdentity, userRequest } from "./requests";

/** What a Jump user may do on their own identity before and after signing in with MFA. */
export function selfServiceExpectations(model: AccessModel, user: JumpUserModel, env: RequestEnvironment): Expectation[] {
  const out: Expectation[] = [];
  const J = model.jump.account;
  const subject = `${user.name}@jump`;
  const other = model.jump.users.find((u) => u.name !== user.name)?.name ?? PROBE.otherUser;
  const own = { user: `arn:aws:iam::${J}:user${user.path}${user.name}`, mfa: `arn:aws:iam::${J}:mfa/${user.name}` };
  const theirs = {
    user: `arn:aws:iam::${J}:user${model.jump.users.find((u) => u.name === other)?.path ?? "/"}${other}`,
    mfa: `arn:aws:iam::${J}:mfa/${other}`,
  };
  const noMfa: Credentials = { kind: "console" };
  const withMfa: Credentials = { kind: "console", mfaAgeSeconds: MFA_AGE_SECONDS };
  const key: Credentials = { kind: "access-key" };
  const HOW: Record<string, string> = {
    console: "console, signed in without MFA",
    mfa: "console, signed in with MFA",
    key: "long-term access key, no MFA",
  };
  const add = (
    id: string,
    guarantee: string,
    how: string,
    c: Credentials,
    action: string,
    resource: string,
    expected: Expected,
    deniedBy?: PolicyKind,
  ) =>
    out.push({
      id,
      guarantee,
      subject,
      how,
      account: J,
      request: userRequest(user, c, action, { resource, account: J }, env),
      expected,
      ...(deniedBy ? { deniedBy } : {}),
      ...(user.problems.length ? { problems: user.problems } : {}),
    });

  add(
    "self-change-password",
    "may change their own password without MFA (iam:ChangePassword)",
    HOW.console,
    noMfa,
    "iam:ChangePassword",
    own.user,
    "Allowed",
  );
  add(
    "self-read-password-policy",
    "may read the password policy without MFA (iam:GetAccountPasswordPolicy)",
    HOW.console,
    noMfa,
    "iam:GetAccountPasswordPolicy",
    "*",
    "Allowed",
  );
  add(
    "self-enable-mfa",
    "may create their own virtual MFA device without MFA (iam:CreateVirtualMFADevice)",
    HOW.console,
    noMfa,
    "iam:CreateVirtualMFADevice",
    own.mfa,
    "Allowed",
  );
  add(
    "self-enable-mfa",
    "may enable their own MFA device without MFA (iam:EnableMFADevice)",
    HOW.console,
    noMfa,
    "iam:EnableMFADevice",
    own.user,
    "Allowed",
  );
  add(
    "self-enable-mfa",
    "may list their own MFA devices without MFA (iam:ListMFADevices)",
    HOW.console,
    noMfa,
    "iam:ListMFADevices",
    own.user,
    "Allowed",
  );
  add(
    "self-no-touch-other-mfa",
    `may not create an MFA device for ${other} (iam:CreateVirtualMFADevice)`,
    HOW.console,
    noMfa,
    "iam:CreateVirtualMFADevice",
    theirs.mfa,
    "Denied",
  );
  add(
    "self-no-touch-other-mfa",
    `may not enable an MFA device on ${other} (iam:EnableMFADevice)`,
    HOW.console,
    noMfa,
    "iam:EnableMFADevice",
    theirs.user,
    "Denied",
  );
  add(
    "self-no-touch-other-mfa",
    `may not deactivate ${other}'s MFA device, even with MFA (iam:DeactivateMFADevice)`,
    HOW.mfa,
    withMfa,
    "iam:DeactivateMFADevice",
    theirs.user,
    "Denied",
  );
  add(
    "self-no-touch-other-mfa",
    `may not delete ${other}'s virtual MFA device, even with MFA (iam:DeleteVirtualMFADevice)`,
    HOW.mfa,
    withMfa,
    "iam:DeleteVirtualMFADevice",
    theirs.mfa,
    "Denied",
  );
  add(
    "self-no-remove-own-mfa-without-mfa",
    "may not deactivate their own MFA device without MFA (iam:DeactivateMFADevice)",
    HOW.console,
    noMfa,
    "iam:DeactivateMFADevice",
    own.user,
    "Denied",
  );
  add(
    "self-manage-own-mfa-with-mfa",
    "may deactivate their own MFA device once signed in with MFA (iam:DeactivateMFADevice)",
    HOW.mfa,
    withMfa,
    "iam:DeactivateMFADevice",
    own.user,
    "Allowed",
  );
  add(
    "self-no-access-keys",
    "may not create access keys (iam:CreateAccessKey)",
    HOW.console,
    noMfa,
    "iam:CreateAccessKey",
    own.user,
    "Denied",
  );
  add("self-no-access-keys", "may not create access keys (iam:CreateAccessKey)", HOW.key, key, "iam:CreateAccessKey", own.user, "Denied");
  add(
    "self-no-access-keys",
    "may not create access keys (iam:CreateAccessKey)",
    HOW.mfa,
    withMfa,
    "iam:CreateAccessKey",
    own.user,
    "Denied",
  );

  // The MFA gate itself: without MFA, nothing else on their own identity, even when another of
  // their policies grants it (the self-service policy's Deny must decide, not a missing Allow).
  const granted = { identity: [...user.policies, probeAllowOwnIdentity(J)] };
  for (const [how, c] of [
    [HOW.console, noMfa],
    [HOW.key, key],
  ] as const) {
    out.push({
      id: "self-mfa-gate",
      guarantee: "may not create access keys without MFA, even if another of their policies allowed it",
      subject,
      how,
      account: J,
      request: userRequest(user, c, "iam:CreateAccessKey", { resource: own.user, account: J }, env, granted),
      expected: "ExplicitlyDenied",
      deniedBy: "identity",
      ...(user.problems.length ? { problems: user.problems } : {}),
    });
  }

  if (model.jump.config.selfServiceProfile === "hardened") {
    // A stolen long-term key carries no MFA key at all: it must not register the thief's device
    // (a console sign-in without MFA still may, above), even if another policy allowed it.
    for (const [action, resource] of [
      ["iam:CreateVirtualMFADevice", own.mfa],
      ["iam:EnableMFADevice", own.user],
      ["iam:ResyncMFADevice", own.user],
    ] as const) {
      out.push({
        id: "self-no-mfa-registration-with-access-key",
        guarantee: `may not register an MFA device with a long-term access key (${action}), even if another of their policies allowed it`,
        subject,
        how: HOW.key,
        account: J,
        request: userRequest(user, key, action, { resource, account: J }, env, granted),
        expected: "ExplicitlyDenied",
        deniedBy: "identity",
        ...(user.problems.length ? { problems: user.problems } : {}),
      });
    }
    // Whatever a Jump group is granted later (here: everything) needs MFA, not only their identity.
    const everything = { identity: [...user.policies, probeAllowEverything()] };
    for (const [how, c] of [
      [HOW.console, noMfa],
      [HOW.key, key],
    ] as const) {
      out.push({
        id: "self-mfa-gate-everywhere",
        guarantee: "may not use anything a group grants later without MFA (s3:ListAllMyBuckets)",
        subject,
        how,
        account: J,
        request: userRequest(user, c, "s3:ListAllMyBuckets", { resource: "*", account: J }, env, everything),
        expected: "ExplicitlyDenied",
        deniedBy: "identity",
        ...(user.problems.length ? { problems: user.problems } : {}),
      });
    }
  }
  return out;
}
