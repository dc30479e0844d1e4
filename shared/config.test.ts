import { strict as assert } from "assert";
import { ConfigError, parseJumpConfig, parseTargetConfig, type RawConfig } from "./config";

const JUMP = { project: "jump-account", stack: "jump" };
const TARGET = { project: "target-account", stack: "sandbox" };

const validJump: RawConfig = {
  "aws:region": "us-east-1",
  "aws:allowedAccountIds": '["111122223333"]',
  "jump-account:groups": JSON.stringify([{ name: "admins" }]),
  "jump-account:users": JSON.stringify([{ name: "alice", groups: ["admins"] }]),
  "jump-account:targets": JSON.stringify([{ accountId: "444455556666", name: "prod", roles: [{ name: "admin", groups: ["admins"] }] }]),
};

const validTarget: RawConfig = {
  "aws:region": "us-east-1",
  "aws:allowedAccountIds": '["444455556666"]',
  "target-account:jumpStack": "acme/jump-account/jump",
};

function jumpWith(key: string, value: unknown): RawConfig {
  return { ...validJump, [key]: typeof value === "string" ? value : JSON.stringify(value) };
}

/** The error a bad config gives: one ConfigError whose every line names the stack. */
function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
    for (const line of e.problems) assert.match(line, /^stack "[a-z-]+": /);
    return [...e.problems];
  }
  assert.fail("expected the config to be rejected");
}

describe("config: the valid minimum", () => {
  it("parses a jump config and applies the documented defaults", () => {
    const cfg = parseJumpConfig(validJump, JUMP);
    assert.equal(cfg.accountId, "111122223333");
    assert.equal(cfg.users[0].path, "/");
    assert.equal(cfg.users[0].createLoginProfile, true);
    assert.deepEqual(cfg.targets[0].roles[0].managedPolicyArns, ["arn:aws:iam::aws:policy/AdministratorAccess"]);
    assert.equal(cfg.targets[0].roles[0].maxSessionDuration, 3600);
    assert.equal(cfg.selfServicePolicyName, "jump-self-service");
    assert.equal(cfg.createAccountPasswordPolicy, true);
    assert.equal(cfg.passwordPolicy.minimumPasswordLength, 14);
  });

  it("parses a target config with the hardened profile and protection on by default", () => {
    const cfg = parseTargetConfig(validTarget, TARGET);
    assert.equal(cfg.accountId, "444455556666");
    assert.equal(cfg.boundaryProfile, "hardened");
    assert.equal(cfg.enableProtection, true);
    assert.equal(cfg.boundaryPolicyName, "jump-permissions-boundary");
    assert.equal(cfg.boundaryPolicyPath, "/");
  });

  it("reads booleans and numbers as the CLI passes them (strings of JSON)", () => {
    const cfg = parseTargetConfig({ ...validTarget, "target-account:enableProtection": "false" }, TARGET);
    assert.equal(cfg.enableProtection, false);
  });
});

describe("config: every kind of mistake names its key, its value and what was expected", () => {
  const cases: { name: string; raw: RawConfig; key: string; value: string; expected: RegExp; target?: boolean }[] = [
    {
      name: "account id not 12 digits",
      raw: jumpWith("jump-account:targets", [{ accountId: "44445555666", name: "prod", roles: [{ name: "admin", groups: ["admins"] }] }]),
      key: "jump-account:targets[0].accountId",
      value: '"44445555666"',
      expected: /12-digit/,
    },
    {
      name: "account id given as a number",
      raw: jumpWith("jump-account:targets", [{ accountId: 444455556666, name: "prod", roles: [{ name: "admin", groups: ["admins"] }] }]),
      key: "jump-account:targets[0].accountId",
      value: "444455556666",
      expected: /quoted string/,
    },
    {
      name: "IAM name with a bad character",
      raw: jumpWith("jump-account:users", [{ name: "alice smith", groups: ["admins"] }]),
      key: "jump-account:users[0].name",
      value: '"alice smith"',
      expected: /letters, digits/,
    },
    {
      name: "user name over 64 characters",
      raw: jumpWith("jump-account:users", [{ name: "u".repeat(65), groups: ["admins"] }]),
      key: "jump-account:users[0].name",
      value: '"uuuu',
      expected: /at most 64/,
    },
    {
      name: "role name over 64 characters",
      raw: jumpWith("jump-account:targets", [
        { accountId: "444455556666", name: "prod", roles: [{ name: "r".repeat(65), groups: ["admins"] }] },
      ]),
      key: "jump-account:targets[0].roles[0].name",
      value: '"rrrr',
      expected: /at most 64/,
    },
    {
      name: "path without the trailing slash",
      raw: jumpWith("jump-account:groups", [{ name: "admins", path: "/people" }]),
      key: "jump-account:groups[0].path",
      value: '"/people"',
      expected: /starts and ends with "\/"/,
    },
    {
      name: "a user under a path (the self-service policy names user/${aws:username}: such a user could never set up MFA)",
      raw: jumpWith("jump-account:users", [{ name: "alice", path: "/people/", groups: ["admins"] }]),
      key: "jump-account:users[0].path",
      value: '"/people/"',
      expected: /expected "\/".*could never set up MFA/,
    },
    {
      name: "users that differ only in case (IAM names are case-insensitive)",
      raw: jumpWith("jump-account:users", [
        { name: "alice", groups: ["admins"] },
        { name: "Alice", groups: ["admins"] },
      ]),
      key: "jump-account:users",
      value: '"Alice"',
      expected: /ignoring case: IAM takes it for "alice"/,
    },
    {
      name: "groups that differ only in case",
      raw: {
        ...jumpWith("jump-account:groups", [{ name: "admins" }, { name: "Admins" }]),
        "jump-account:users": JSON.stringify([{ name: "alice", groups: ["admins", "Admins"] }]),
      },
      key: "jump-account:groups",
      value: '"Admins"',
      expected: /ignoring case: IAM takes it for "admins"/,
    },
    {
      name: "roles of one account that differ only in case",
      raw: jumpWith("jump-account:targets", [
        {
          accountId: "444455556666",
          name: "prod",
          roles: [
            { name: "admin", groups: ["admins"] },
            { name: "Admin", path: "/x/", groups: ["admins"] },
          ],
        },
      ]),
      key: "jump-account:targets[0].roles",
      value: '"Admin"',
      expected: /ignoring case.*whatever the path/,
    },
    {
      name: "a group's assume-role policy named like the self-service policy, in another case",
      raw: jumpWith("jump-account:groups", [{ name: "admins", assumeRolePolicyName: "Jump-Self-Service" }]),
      key: "jump-account:groups",
      value: '"Jump-Self-Service"',
      expected: /policy name once, ignoring case/,
    },
    {
      name: "a region outside the aws partition's list",
      raw: jumpWith("aws:region", "moon-1"),
      key: "aws:region",
      value: '"moon-1"',
      expected: /region of the aws partition \(af-south-1, .*us-east-1/,
    },
    {
      name: "a GovCloud region (another partition: every ARN here is arn:aws:)",
      raw: jumpWith("aws:region", "us-gov-west-1"),
      key: "aws:region",
      value: '"us-gov-west-1"',
      expected: /region of the aws partition/,
    },
    {
      name: "no region",
      raw: { ...validJump, "aws:region": undefined as unknown as string },
      key: "aws:region",
      value: "missing",
      expected: /region of the aws partition/,
    },
    {
      name: "a provider key in the wrong case (the provider would ignore it)",
      raw: jumpWith("aws:Profile", "jump"),
      key: "aws:Profile",
      value: '"jump"',
      expected: /did you mean aws:profile\?/,
    },
    {
      name: "a namespace nobody reads",
      raw: { ...validTarget, "target-acount:boundaryProfile": "seed" },
      key: "target-acount:boundaryProfile",
      value: '"seed"',
      expected: /unknown namespace "target-acount"; expected keys of target-account:, aws:, pulumi:/,
      target: true,
    },
    {
      name: "a number where a list is expected, in the project's words",
      raw: jumpWith("jump-account:users", 3),
      key: "jump-account:users",
      value: "3",
      expected: /^stack "jump": jump-account:users is 3; expected a list$/,
    },
    {
      name: "a required key missing, described from the schema",
      raw: { ...validJump, "jump-account:targets": undefined as unknown as string },
      key: "jump-account:targets",
      value: "missing",
      expected: /required: expected Target accounts: accountId, name, roles/,
    },
    {
      name: "duplicate user",
      raw: jumpWith("jump-account:users", [
        { name: "alice", groups: ["admins"] },
        { name: "alice", groups: ["admins"] },
      ]),
      key: "jump-account:users",
      value: '"alice"',
      expected: /each user name once/,
    },
    {
      name: "duplicate group",
      raw: jumpWith("jump-account:groups", [{ name: "admins" }, { name: "admins" }]),
      key: "jump-account:groups",
      value: '"admins"',
      expected: /each group name once/,
    },
    {
      name: "duplicate target account",
      raw: jumpWith("jump-account:targets", [
        { accountId: "444455556666", name: "a", roles: [{ name: "admin", groups: ["admins"] }] },
        { accountId: "444455556666", name: "b", roles: [{ name: "admin", groups: ["admins"] }] },
      ]),
      key: "jump-account:targets",
      value: '"444455556666"',
      expected: /each target account id once/,
    },
    {
      name: "unknown top-level key",
      raw: jumpWith("jump-account:usres", []),
      key: "jump-account:usres",
      value: '"[]"',
      expected: /unknown key; expected one of .*jump-account:users/,
    },
    {
      name: "unknown nested key",
      raw: jumpWith("jump-account:users", [{ name: "alice", groups: ["admins"], mfa: true }]),
      key: "jump-account:users[0].mfa",
      value: "true",
      expected: /unknown key; expected one of name, path, groups/,
    },
    {
      name: "session duration over 12 hours",
      raw: jumpWith("jump-account:targets", [
        { accountId: "444455556666", name: "prod", roles: [{ name: "admin", groups: ["admins"], maxSessionDuration: 50000 }] },
      ]),
      key: "jump-account:targets[0].roles[0].maxSessionDuration",
      value: "50000",
      expected: /3600 to 43200 seconds/,
    },
    {
      name: "user in an undeclared group",
      raw: jumpWith("jump-account:users", [{ name: "alice", groups: ["admin"] }]),
      key: "jump-account:users[0].groups[0]",
      value: '"admin"',
      expected: /group declared in jump-account:groups \(admins\)/,
    },
    {
      name: "role mapped to an undeclared group",
      raw: jumpWith("jump-account:targets", [{ accountId: "444455556666", name: "prod", roles: [{ name: "admin", groups: ["ops"] }] }]),
      key: "jump-account:targets[0].roles[0].groups[0]",
      value: '"ops"',
      expected: /group declared/,
    },
    {
      name: "the Jump account as its own target",
      raw: jumpWith("jump-account:targets", [{ accountId: "111122223333", name: "self", roles: [{ name: "admin", groups: ["admins"] }] }]),
      key: "jump-account:targets[0].accountId",
      value: '"111122223333"',
      expected: /other than the Jump account/,
    },
    {
      name: "allowedAccountIds missing",
      raw: { ...validJump, "aws:allowedAccountIds": undefined as unknown as string },
      key: "aws:allowedAccountIds",
      value: "missing",
      expected: /exactly one 12-digit/,
    },
    {
      name: "allowedAccountIds with two accounts",
      raw: jumpWith("aws:allowedAccountIds", ["111122223333", "444455556666"]),
      key: "aws:allowedAccountIds",
      value: '["111122223333","444455556666"]',
      expected: /exactly one/,
    },
    {
      name: "boundary profile misspelt",
      raw: { ...validTarget, "target-account:boundaryProfile": "harden" },
      key: "target-account:boundaryProfile",
      value: '"harden"',
      expected: /one of seed, hardened/,
      target: true,
    },
    {
      // Under "/" the hardened boundary's path guards would cover nothing: 23 catalogued methods open.
      name: "delegated path that is the whole account",
      raw: { ...validTarget, "target-account:delegatedPath": "/" },
      key: "target-account:delegatedPath",
      value: '"/"',
      expected: /other than "\/"/,
      target: true,
    },
    {
      name: "delegated path among AWS's own roles",
      raw: { ...validTarget, "target-account:delegatedPath": "/aws-reserved/sso.amazonaws.com/" },
      key: "target-account:delegatedPath",
      value: '"/aws-reserved/sso.amazonaws.com/"',
      expected: /outside AWS's own/,
      target: true,
    },
    {
      name: "jump stack name malformed",
      raw: { ...validTarget, "target-account:jumpStack": "acme jump" },
      key: "target-account:jumpStack",
      value: '"acme jump"',
      expected: /<organization>\/<project>\/<stack>/,
      target: true,
    },
    {
      name: "boolean given as a word",
      raw: { ...validTarget, "target-account:enableProtection": "yes" },
      key: "target-account:enableProtection",
      value: '"yes"',
      expected: /YAML\/JSON value/,
      target: true,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const raw = Object.fromEntries(Object.entries(c.raw).filter(([, v]) => v !== undefined));
      const problems = problemsOf(() => (c.target ? parseTargetConfig(raw, TARGET) : parseJumpConfig(raw, JUMP)));
      const line = problems.find((p) => p.includes(` ${c.key} is `));
      assert.ok(line, `no problem names ${c.key}: ${problems.join(" | ")}`);
      assert.ok(line.includes(` is ${c.value}`), `value ${c.value} not shown: ${line}`);
      assert.match(line, c.expected);
      assert.ok(!line.includes("\n"), "one line per problem");
    });
  }

  it("an empty stack file is one problem naming the keys it needs", () => {
    const problems = problemsOf(() => parseTargetConfig({}, TARGET));
    assert.deepEqual(problems, ['stack "sandbox": the stack file sets no config; expected at least aws:region, aws:allowedAccountIds']);
  });

  it("no problem repeats zod's own wording", () => {
    const raw = jumpWith("jump-account:passwordPolicy", { minimumPasswordLength: 9.5, requireSymbols: "yes", passwordReusePrevention: 30 });
    const problems = problemsOf(() => parseJumpConfig(raw, JUMP));
    assert.equal(problems.length, 3, problems.join("\n"));
    for (const p of problems) assert.doesNotMatch(p, /Invalid input|Too (small|big)|received/);
  });

  it("reports every problem at once, one line each", () => {
    const raw = jumpWith("jump-account:users", [
      { name: "a b", groups: ["admins"] },
      { name: "c", path: "x", groups: ["admins"] },
    ]);
    const problems = problemsOf(() => parseJumpConfig(raw, JUMP));
    assert.equal(problems.length, 2);
  });
});
