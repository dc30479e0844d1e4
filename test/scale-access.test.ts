/**
 * The scale strategies admit exactly the intended users and roles, proven with the IAM
 * evaluator: group-tags trust and role-pattern group policies, at 1,000 accounts and 1,000 users.
 */
import { strict as assert } from "assert";
import * as fc from "fast-check";
import {
  groupAssumeRolePolicies,
  groupTagKey,
  jumpContract,
  parseJumpConfig,
  roleArn,
  taggedGroups,
  trustPolicy,
  type JumpConfig,
} from "@jumpenv/shared";
import { requestContext, type UserCaller } from "../verify/access/context";
import { evaluate, describeVerdict, namedPolicy, type Decision } from "../verify/access/evaluator";
import { accountIdOf, generateEnvironment, type GenerateOptions } from "../verify/harness/generate";

const ID = { project: "jump-account", stack: "jump" };
const NOW = new Date("2026-01-15T09:00:00Z");

function configOf(opts: GenerateOptions): JumpConfig {
  return parseJumpConfig(generateEnvironment(opts).environment.jump.config, ID);
}

/** Can `userIndex` assume role `roleName` in `accountId`, signing in with or without MFA? */
async function assume(cfg: JumpConfig, userIndex: number, accountId: string, roleName: string, mfa: boolean): Promise<Decision> {
  const user = cfg.users[userIndex];
  const tagged = taggedGroups(cfg);
  const tags = Object.fromEntries(user.groups.filter((g) => tagged.has(g)).map((g) => [groupTagKey(g), "true"]));
  const caller: UserCaller = {
    kind: "user",
    account: cfg.accountId,
    name: user.name,
    path: user.path,
    tags,
    credentials: mfa ? { kind: "console", mfaAgeSeconds: 120 } : { kind: "console" },
  };
  const contract = jumpContract(cfg);
  // A listed account's role, or a role of the same name in an account outside the list (trusting the Jump account).
  const listed = contract.targets.find((t) => t.accountId === accountId)?.roles.find((r) => r.name === roleName);
  const trustDoc = listed
    ? trustPolicy({ trust: listed.trust, jumpAccountId: cfg.accountId, mfaMaxAgeSeconds: listed.mfaMaxAgeSeconds })
    : {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${cfg.accountId}:root` }, Action: "sts:AssumeRole" }],
      };
  const resource = roleArn(accountId, "/", roleName);
  const identity = user.groups
    .flatMap((g) =>
      groupAssumeRolePolicies(
        cfg,
        cfg.groups.find((x) => x.name === g)!,
      ),
    )
    .map((d) => namedPolicy(d.name, d.document));
  const verdict = await evaluate({
    principal: `arn:aws:iam::${cfg.accountId}:user${user.path}${user.name}`,
    action: "sts:AssumeRole",
    resource,
    resourceAccount: accountId,
    context: requestContext(
      caller,
      "sts:AssumeRole",
      { resource },
      { now: NOW, region: "us-east-1" },
      { "sts:RoleSessionName": user.name.slice(0, 64) },
    ),
    policies: { identity, trust: namedPolicy(`${resource} trust policy`, trustDoc) },
  });
  assert.notEqual(verdict.decision, "Error", describeVerdict(verdict));
  return verdict.decision as Decision;
}

describe("scale strategies, proven with the IAM evaluator", () => {
  // 3 groups; user i is in group i mod 3; role kind k is mapped to group k mod 3.
  const big = configOf({ accounts: 1000, users: 1000, groups: 3, roleKinds: 2, nameLength: 64 });
  const roleName = (k: number) => big.targets[0].roles[k].name;

  it("at 1,000 x 1,000 auto picks group-tags trust and role-pattern policies", () => {
    const role = jumpContract(big).targets[0].roles[0];
    assert.equal(role.trust.strategy, "group-tags");
    const docs = groupAssumeRolePolicies(big, big.groups[0]);
    assert.ok(docs.every((d) => String(d.document.Statement[0].Resource).startsWith("arn:aws:iam::*:role/")));
  });

  it("an intended user with MFA may assume their role in the first, a middle and the last account", async () => {
    for (const a of [0, 500, 999]) assert.equal(await assume(big, 0, accountIdOf(a), roleName(0), true), "Allowed");
    assert.equal(await assume(big, 1, accountIdOf(999), roleName(1), true), "Allowed");
  });

  it("the same user without MFA may not", async () => {
    assert.notEqual(await assume(big, 0, accountIdOf(0), roleName(0), false), "Allowed");
  });

  it("a user without the grant (another group) may not", async () => {
    assert.notEqual(await assume(big, 2, accountIdOf(0), roleName(0), true), "Allowed");
    assert.notEqual(await assume(big, 1, accountIdOf(0), roleName(0), true), "Allowed");
  });

  it("a role of the same name in an account outside the list is denied", async () => {
    assert.notEqual(await assume(big, 0, "999999999999", roleName(0), true), "Allowed");
  });

  it("property: in random environments every intended assume is allowed and every unintended one denied", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          accounts: fc.integer({ min: 1, max: 1000 }),
          users: fc.integer({ min: 1, max: 1000 }),
          groups: fc.integer({ min: 1, max: 4 }),
          roleKinds: fc.integer({ min: 1, max: 3 }),
          nameLength: fc.integer({ min: 2, max: 64 }),
          trustStrategy: fc.constantFrom("auto", "group-tags"),
          assumeRoleStrategy: fc.constantFrom("auto", "role-pattern"),
        }),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        async (o, u, a, k) => {
          const cfg = configOf({ ...o, jump: { trustStrategy: o.trustStrategy, assumeRoleStrategy: o.assumeRoleStrategy } });
          const userIndex = u % cfg.users.length;
          const account = accountIdOf(a % o.accounts);
          const kind = k % o.roleKinds;
          const role = cfg.targets[0].roles[kind];
          const intended = cfg.users[userIndex].groups.some((g) => role.groups.includes(g));
          const decision = await assume(cfg, userIndex, account, role.name, true);
          assert.equal(decision === "Allowed", intended, `user ${userIndex} role ${role.name} in ${account}: ${decision}`);
          assert.notEqual(await assume(cfg, userIndex, account, role.name, false), "Allowed");
          assert.notEqual(await assume(cfg, userIndex, "999999999999", role.name, true), "Allowed");
        },
      ),
      { numRuns: 15 },
    );
  });
});
