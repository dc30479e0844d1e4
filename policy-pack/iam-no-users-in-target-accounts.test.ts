import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { POLICY_ATTACHMENT_TYPE, USER_AND_GROUP_TYPES, iamNoUsersInTargetAccounts as policy } from "./iam-no-users-in-target-accounts";
import { UNKNOWN, check, messages, resource, seedBoundaryPolicy, validRole } from "./test/fixtures";

const user = (project = "target-account") => resource("aws:iam/user:User", "intruder", { name: "intruder", path: "/" }, project);

describe("iam-no-users-in-target-accounts", () => {
  describe("Compliance", () => {
    it("passes a target-account stack of boundary, role and attachment", async () => {
      const attachment = resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "admin", {
        role: "test-restricted-admin-role",
        policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
      });
      const r = await check(policy, [seedBoundaryPolicy(), validRole(), attachment]);
      assert.deepStrictEqual(r.violations, []);
    });

    it("does not apply to the jump-account project, where users belong", async () => {
      const r = await check(policy, [user("jump-account"), resource("aws:iam/group:Group", "g", { name: "admins" }, "jump-account")]);
      assert.deepStrictEqual(r.violations, []);
      assert.strictEqual(r.notApplicable.length, 2);
      assert.match(r.notApplicable[0].reason ?? "", /"jump-account" is not a target-account project/);
    });

    it("passes a policy attachment to roles only", async () => {
      const r = await check(
        policy,
        resource(POLICY_ATTACHMENT_TYPE, "pa", {
          policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
          roles: ["r"],
          users: [],
          groups: [],
        }),
      );
      assert.deepStrictEqual(r.violations, []);
    });

    it("does not apply to a stack with a non-matching tag value", async () => {
      const r = await check(policy, user("other"), {
        config: { targetStackTags: { "jumpenv:account-kind": "target" } },
        stackTags: { "jumpenv:account-kind": "jump" },
      });
      assert.deepStrictEqual(r.violations, []);
    });
  });

  describe("Noncompliance", () => {
    it("1: an IAM user in a target-account stack, named with its resource and the reason", async () => {
      const r = await check(policy, user());
      assert.strictEqual(r.violations[0].enforcementLevel, "mandatory");
      assert.deepStrictEqual(messages(r), [
        'IAM user "intruder" (resource "intruder", aws:iam/user:User) is not allowed here: project "target-account" is in targetProjects.',
      ]);
    });

    it("2: every user and group resource type", async () => {
      const all = Object.keys(USER_AND_GROUP_TYPES).map((t, i) => resource(t, `r${i}`, { user: "intruder" }));
      const r = await check(policy, all);
      assert.deepStrictEqual(
        r.violations.map((v) => v.urn),
        all.map((x) => x.urn),
      );
    });

    it("3: a policy attachment to users or groups, also when the list is unknown", async () => {
      const r = await check(policy, [
        resource(POLICY_ATTACHMENT_TYPE, "u", { policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess", users: ["intruder"] }),
        resource(POLICY_ATTACHMENT_TYPE, "g", { policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess", groups: UNKNOWN }),
      ]);
      assert.deepStrictEqual(
        messages(r).map((m) => m.split(" (")[0]),
        ["policy attachment to IAM users", "policy attachment to IAM groups"],
      );
    });

    it("4: a stack of another project that carries a configured tag", async () => {
      const r = await check(policy, user("legacy"), {
        config: { targetStackTags: { "jumpenv:account-kind": "target" } },
        stackTags: { "jumpenv:account-kind": "target" },
      });
      assert.match(messages(r)[0], /the stack carries tag jumpenv:account-kind=target/);
    });

    it("5: a tag configured with value * matches any value", async () => {
      const r = await check(policy, user("legacy"), { config: { targetStackTags: { target: "*" } }, stackTags: { target: "yes" } });
      assert.strictEqual(r.violations.length, 1);
    });

    it("6: a project added to targetProjects", async () => {
      const r = await check(policy, user("sandbox"), { config: { targetProjects: ["target-account", "sandbox"] } });
      assert.strictEqual(r.violations.length, 1);
    });

    it("7: a user whose name is unknown is still a user", async () => {
      const r = await check(policy, resource("aws:iam/user:User", "u", { name: UNKNOWN }));
      assert.match(messages(r)[0], /^IAM user \(resource "u"/);
    });
  });

  it("lists only type tokens that exist in @pulumi/aws (or aws-native)", () => {
    const iamDir = path.dirname(require.resolve("@pulumi/aws/iam"));
    const known = new Set(
      fs
        .readdirSync(iamDir)
        .filter((f) => f.endsWith(".js"))
        .flatMap((f) => [...fs.readFileSync(path.join(iamDir, f), "utf8").matchAll(/__pulumiType = '([^']+)'/g)].map((m) => m[1])),
    );
    const classic = [...Object.keys(USER_AND_GROUP_TYPES), POLICY_ATTACHMENT_TYPE].filter((t) => t.startsWith("aws:"));
    assert.ok(classic.length >= 18);
    assert.deepStrictEqual(
      classic.filter((t) => !known.has(t)),
      [],
    );
  });
});
