/**
 * The two self-service profiles, request by request, with the IAM evaluator and the request
 * context AWS sends: a console sign-in without MFA carries `aws:MultiFactorAuthPresent=false`, a
 * long-term access key carries no MFA key at all. The seed rows are the article's known gaps;
 * the hardened rows are what closes them.
 */
import { strict as assert } from "assert";
import { assumeRolePatternStatement, assumeRolePolicy, selfServicePolicy, type SelfServiceProfile } from "@jumpenv/shared";
import { requestContext, type Credentials, type UserCaller } from "./context";
import { evaluate, namedPolicy, type Decision } from "./evaluator";

const J = "111122223333";
const T = "444455556666";
const ROLE = `arn:aws:iam::${T}:role/restricted-admin`;
const USER = `arn:aws:iam::${J}:user/alice`;
const MFA = `arn:aws:iam::${J}:mfa/alice`;
const NOW = new Date("2026-01-15T09:00:00Z");

const CONSOLE_NO_MFA: Credentials = { kind: "console" };
const ACCESS_KEY: Credentials = { kind: "access-key" };
const CONSOLE_MFA: Credentials = { kind: "console", mfaAgeSeconds: 300 };
const CLI_MFA_CODE: Credentials = { kind: "access-key-with-mfa-code", mfaAgeSeconds: 0 };

/** A trust policy that admits alice without conditions: the Jump side alone decides. */
const OPEN_TRUST = namedPolicy(`${ROLE} trust policy (admits alice, no MFA condition)`, {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { AWS: USER }, Action: "sts:AssumeRole" }],
});

/** Everything a group could be granted later. */
const LATER_GRANT = namedPolicy("a policy granted to the group later", {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
});

async function decide(
  profile: SelfServiceProfile,
  credentials: Credentials,
  action: string,
  resource: string,
  extra: "none" | "later-grant" = "none",
): Promise<{ decision: Decision; sid?: string }> {
  const caller: UserCaller = { kind: "user", account: J, name: "alice", path: "/", tags: {}, credentials };
  const identity = [
    namedPolicy(`arn:aws:iam::${J}:policy/self-service`, selfServicePolicy(profile)),
    namedPolicy(`arn:aws:iam::${J}:policy/assume-roles`, assumeRolePolicy([ROLE], { requireMfa: profile === "hardened" })),
    ...(extra === "later-grant" ? [LATER_GRANT] : []),
  ];
  const account = resource.split(":")[4] || J;
  const v = await evaluate({
    principal: USER,
    action,
    resource,
    resourceAccount: account,
    context: requestContext(caller, action, { resource, account }, { now: NOW, region: "us-east-1" }),
    policies: { identity, ...(action === "sts:AssumeRole" ? { trust: OPEN_TRUST } : {}) },
  });
  assert.notEqual(v.decision, "Error", JSON.stringify(v));
  return { decision: v.decision as Decision, sid: v.reasons.find((r) => r.effect === "Deny")?.sid };
}

describe("self-service profiles, evaluated with the request context AWS sends", () => {
  describe("a first-time user signs in to the console without MFA and sets up MFA", () => {
    for (const profile of ["seed", "hardened"] as const)
      for (const [action, resource] of [
        ["iam:CreateVirtualMFADevice", MFA],
        ["iam:EnableMFADevice", USER],
        ["iam:ListMFADevices", USER],
        ["iam:ChangePassword", USER],
      ] as const)
        it(`${profile}: ${action} is allowed`, async () => {
          assert.equal((await decide(profile, CONSOLE_NO_MFA, action, resource)).decision, "Allowed");
        });
  });

  describe("someone holding a stolen long-term access key (no MFA key in the request) registers their own device", () => {
    for (const [action, resource] of [
      ["iam:CreateVirtualMFADevice", MFA],
      ["iam:EnableMFADevice", USER],
      ["iam:ResyncMFADevice", USER],
    ] as const) {
      it(`seed (the article's known gap): ${action} is allowed`, async () => {
        assert.equal((await decide("seed", ACCESS_KEY, action, resource)).decision, "Allowed");
      });
      it(`hardened: ${action} is denied by DenyMFARegistrationWithLongTermAccessKeys, whatever else allows it`, async () => {
        for (const extra of ["none", "later-grant"] as const)
          assert.deepEqual(await decide("hardened", ACCESS_KEY, action, resource, extra), {
            decision: "ExplicitlyDenied",
            sid: "DenyMFARegistrationWithLongTermAccessKeys",
          });
      });
    }
  });

  describe("someone holding a stolen long-term access key turns it into other credentials", () => {
    const FEDERATED = `arn:aws:sts::${J}:federated-user/alice`;
    it("seed (the article's known gap): sts:GetFederationToken (a console session without MFA) is allowed once a group grants it", async () => {
      assert.equal((await decide("seed", ACCESS_KEY, "sts:GetFederationToken", FEDERATED, "later-grant")).decision, "Allowed");
    });
    it("hardened: sts:GetFederationToken is denied whatever a group grants", async () => {
      assert.deepEqual(await decide("hardened", ACCESS_KEY, "sts:GetFederationToken", FEDERATED, "later-grant"), {
        decision: "ExplicitlyDenied",
        sid: "BlockMostAccessUnlessSignedInWithMFA",
      });
    });
  });

  describe("the Jump group's sts:AssumeRole allow", () => {
    for (const [how, c] of [
      ["console without MFA", CONSOLE_NO_MFA],
      ["long-term access key", ACCESS_KEY],
    ] as const) {
      it(`seed (the article's known gap): allowed on the Jump side without MFA (${how}); only the trust policy refuses`, async () => {
        assert.equal((await decide("seed", c, "sts:AssumeRole", ROLE)).decision, "Allowed");
      });
      it(`hardened: denied on the Jump side without MFA (${how})`, async () => {
        assert.deepEqual(await decide("hardened", c, "sts:AssumeRole", ROLE), {
          decision: "ExplicitlyDenied",
          sid: "BlockMostAccessUnlessSignedInWithMFA",
        });
      });
    }
    for (const profile of ["seed", "hardened"] as const)
      for (const [how, c] of [
        ["console with MFA", CONSOLE_MFA],
        ["CLI with an MFA code", CLI_MFA_CODE],
      ] as const)
        it(`${profile}: allowed with MFA (${how})`, async () => {
          assert.equal((await decide(profile, c, "sts:AssumeRole", ROLE)).decision, "Allowed");
        });

    it("hardened: the role-pattern form requires MFA too", async () => {
      const statement = assumeRolePatternStatement({ pathsAndNames: ["/restricted-admin"], accountIds: [T] }, { requireMfa: true });
      assert.deepEqual(statement.Condition, {
        StringEquals: { "aws:ResourceAccount": T },
        Bool: { "aws:MultiFactorAuthPresent": "true" },
      });
      assert.equal(assumeRolePatternStatement({ pathsAndNames: ["/restricted-admin"], accountIds: [T] }).Condition?.Bool, undefined);
    });
  });

  describe("whatever a Jump group is granted later", () => {
    for (const [how, c] of [
      ["console without MFA", CONSOLE_NO_MFA],
      ["long-term access key", ACCESS_KEY],
    ] as const) {
      it(`seed (the article's known gap): usable without MFA (${how}), the gate covers only the user's own ARNs`, async () => {
        assert.equal((await decide("seed", c, "s3:ListAllMyBuckets", "*", "later-grant")).decision, "Allowed");
      });
      it(`hardened: denied without MFA (${how})`, async () => {
        assert.deepEqual(await decide("hardened", c, "s3:ListAllMyBuckets", "*", "later-grant"), {
          decision: "ExplicitlyDenied",
          sid: "BlockMostAccessUnlessSignedInWithMFA",
        });
      });
    }
    it("hardened: usable with MFA", async () => {
      assert.equal((await decide("hardened", CONSOLE_MFA, "s3:ListAllMyBuckets", "*", "later-grant")).decision, "Allowed");
    });
  });
});
