import { strict as assert } from "assert";
import { CONTRACT_OUTPUTS, ConfigError } from "@jumpenv/shared";
import { loadEnvironment, withConfig } from "../verify/harness/environment";
import { generateEnvironment } from "../verify/harness/generate";
import { ProgramError, runStack, type RegisteredResource, type StackRun } from "../verify/harness/mock-run";

function ofType(run: StackRun, type: string): RegisteredResource[] {
  return run.resources.filter((r) => r.type === type);
}

function doc(r: RegisteredResource): any {
  return JSON.parse(String(r.props.policy));
}

describe("jump-account program (example stack, under mocks)", () => {
  let run: StackRun;
  before(async () => {
    run = await runStack(loadEnvironment().jump);
  });

  it("registers every resource as a child of one JumpAccount component", () => {
    const [component] = ofType(run, "jumpenv:index:JumpAccount");
    assert.ok(component);
    const children = run.resources.filter((r) => r !== component);
    assert.ok(children.length > 0);
    for (const r of children) assert.equal(r.options.parent, component.urn, `${r.name} is not parented to the component`);
  });

  it("creates each configured user with a console login that forces a password reset", () => {
    const users = ofType(run, "aws:iam/user:User")
      .map((u) => u.props.name)
      .sort();
    assert.deepEqual(users, ["alice", "carol", "test-pb-user"]);
    const logins = ofType(run, "aws:iam/userLoginProfile:UserLoginProfile");
    assert.equal(logins.length, 3);
    for (const l of logins) {
      assert.equal(l.props.passwordResetRequired, true);
      assert.deepEqual([...l.options.ignoreChanges].sort(), ["passwordLength", "passwordResetRequired", "pgpKey"]);
    }
  });

  it("puts users in their groups with exclusive memberships", () => {
    const memberships = Object.fromEntries(
      ofType(run, "aws:iam/groupMembership:GroupMembership").map((m) => [m.props.group, m.props.users]),
    );
    assert.deepEqual(memberships, { "test-pb-group": ["test-pb-user"], "sandbox-admins": ["alice"], "sandbox-readers": ["carol"] });
  });

  it("attaches the self-service policy to every group and each group's assume-role policy to it", () => {
    const attachments = ofType(run, "aws:iam/groupPolicyAttachment:GroupPolicyAttachment");
    const byGroup = new Map<string, string[]>();
    for (const a of attachments)
      byGroup.set(String(a.props.group), [...(byGroup.get(String(a.props.group)) ?? []), String(a.props.policyArn)]);
    for (const g of ["test-pb-group", "sandbox-admins", "sandbox-readers"]) {
      assert.ok(
        byGroup.get(g)?.includes("arn:aws:iam::111122223333:policy/test-self-control-policy"),
        `${g} lacks the self-service policy`,
      );
    }
    assert.ok(byGroup.get("test-pb-group")?.includes("arn:aws:iam::111122223333:policy/test-jump-policy"));
  });

  it("lets each group assume exactly the roles mapped to it", () => {
    const policies = Object.fromEntries(ofType(run, "aws:iam/policy:Policy").map((p) => [p.props.name, doc(p)]));
    assert.deepEqual(policies["sandbox-admins-assume-roles"].Statement[0].Resource, [
      "arn:aws:iam::555566667777:role/jump/read-only",
      "arn:aws:iam::555566667777:role/restricted-admin",
    ]);
    assert.equal(policies["sandbox-readers-assume-roles"].Statement[0].Resource, "arn:aws:iam::555566667777:role/jump/read-only");
  });

  it("sets an account password policy with strong defaults", () => {
    const [pp] = ofType(run, "aws:iam/accountPasswordPolicy:AccountPasswordPolicy");
    assert.equal(pp.props.minimumPasswordLength, 14);
    assert.equal(pp.props.passwordReusePrevention, 24);
    assert.equal(pp.props.allowUsersToChangePassword, true);
  });

  it("exports the contract the target stacks read, every output of it", () => {
    for (const name of CONTRACT_OUTPUTS) assert.ok(run.outputs[name] !== undefined, `output ${name} missing`);
    assert.equal(run.outputs.contractVersion, 1);
    assert.equal(run.outputs.trustPolicyMaxChars, 2048);
    assert.equal(run.outputs.jumpAccountId, "111122223333");
    const targets = run.outputs.targets as any[];
    assert.deepEqual(
      targets.map((t) => t.accountId),
      ["444455556666", "555566667777"],
    );
    const readOnly = targets[1].roles.find((r: any) => r.name === "read-only");
    assert.deepEqual(readOnly.trust.principalArns, ["arn:aws:iam::111122223333:user/alice", "arn:aws:iam::111122223333:user/carol"]);
  });

  it("exports per-user switch-role URLs and ~/.aws/config profiles for the roles they may assume", () => {
    const urls = run.outputs.switchRoleUrls as Record<string, Record<string, string>>;
    assert.deepEqual(Object.keys(urls.alice).sort(), ["sandbox-read-only", "sandbox-restricted-admin"]);
    const url = new URL(urls.alice["sandbox-read-only"]);
    assert.equal(url.origin + url.pathname, "https://signin.aws.amazon.com/switchrole");
    assert.equal(url.searchParams.get("account"), "555566667777");
    assert.equal(url.searchParams.get("roleName"), "jump/read-only");
    assert.deepEqual(Object.keys(urls["test-pb-user"]), ["seed-target-test-restricted-admin-role"]);
    const profile = (run.outputs.awsConfigProfiles as Record<string, string>).alice;
    assert.match(
      profile,
      /\[profile sandbox-restricted-admin\]\nrole_arn = arn:aws:iam::555566667777:role\/restricted-admin\nsource_profile = jump\nmfa_serial = arn:aws:iam::111122223333:mfa\/alice\nrole_session_name = alice\nduration_seconds = 7200/,
    );
  });

  it("exports the same per group, with a placeholder for the member's name", () => {
    const urls = run.outputs.groupSwitchRoleUrls as Record<string, Record<string, string>>;
    assert.deepEqual(Object.keys(urls["sandbox-admins"]).sort(), ["sandbox-read-only", "sandbox-restricted-admin"]);
    assert.equal(
      urls["sandbox-admins"]["sandbox-read-only"],
      (run.outputs.switchRoleUrls as Record<string, Record<string, string>>).alice["sandbox-read-only"],
    );
    const profile = (run.outputs.groupAwsConfigProfiles as Record<string, string>)["test-pb-group"];
    assert.match(profile, /mfa_serial = arn:aws:iam::111122223333:mfa\/<your-user-name>\nrole_session_name = <your-user-name>/);
  });

  it("past 10,000 user-role pairs exports only the per-group forms, so the state stays small", async () => {
    const { environment } = generateEnvironment({ accounts: 120, users: 100, groups: 1, roleKinds: 1 });
    const big = await runStack(environment.jump);
    assert.deepEqual(big.outputs.switchRoleUrls, {});
    assert.deepEqual(big.outputs.awsConfigProfiles, {});
    const group = Object.values(big.outputs.groupSwitchRoleUrls as Record<string, Record<string, string>>)[0];
    assert.equal(Object.keys(group).length, 120);
    const small = await runStack(generateEnvironment({ accounts: 100, users: 100, groups: 1, roleKinds: 1 }).environment.jump);
    assert.equal(Object.keys(small.outputs.switchRoleUrls as object).length, 100, "10,000 pairs: still per user");
  });

  it("exports initial passwords (a secret output) and encrypts them with a user's PGP key", async () => {
    const env = loadEnvironment();
    const users = JSON.parse(env.jump.config["jump-account:users"]);
    users[1].pgpKey = "keybase:alice";
    const pgp = await runStack(withConfig(env.jump, { "jump-account:users": JSON.stringify(users) }));
    const login = ofType(pgp, "aws:iam/userLoginProfile:UserLoginProfile").find((l) => l.props.user === "alice")!;
    assert.equal(login.props.pgpKey, "keybase:alice");
    const passwords = pgp.outputs.initialPasswords as Record<string, string>;
    assert.equal(passwords.alice, "mock-pgp-message-for-alice");
    assert.equal(passwords.carol, "mock-initial-password-carol");
  });

  it("skips the password policy when createAccountPasswordPolicy is false", async () => {
    const off = await runStack(withConfig(loadEnvironment().jump, { "jump-account:createAccountPasswordPolicy": "false" }));
    assert.equal(ofType(off, "aws:iam/accountPasswordPolicy:AccountPasswordPolicy").length, 0);
  });

  it("registers nothing when the config is bad, and says which key is wrong", async () => {
    const bad = withConfig(loadEnvironment().jump, { "jump-account:selfServicePolicyName": "bad name" });
    await assert.rejects(runStack(bad), (e: unknown) => {
      assert.ok(e instanceof ProgramError);
      assert.ok(e.cause instanceof ConfigError);
      assert.match(e.message, /^stack "jump": jump-account:selfServicePolicyName is "bad name"; expected an IAM policy name/);
      assert.equal(e.resources.length, 0);
      return true;
    });
  });
});
