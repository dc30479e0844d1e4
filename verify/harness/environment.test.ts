import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { ConfigError, jumpNameProblems, parseJumpConfig, targetNameProblems, type RoleContract } from "@jumpenv/shared";
import { checkEnvironment, loadEnvironment, REPO_ROOT, withConfig, type Environment } from "./environment";
import { main } from "../plan/plan";
import { main as policyConfigMain } from "../../governance/policy-config";

const example = loadEnvironment();
const jumpTargets = JSON.parse(example.jump.config["jump-account:targets"]) as Record<string, unknown>[];

/** The example environment with the jump stack's targets replaced. */
function withTargets(targets: unknown[]): Environment {
  return { ...example, jump: withConfig(example.jump, { "jump-account:targets": JSON.stringify(targets) }) };
}

function problemsOf(env: Environment): string[] {
  try {
    checkEnvironment(env);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return [...e.problems];
  }
  assert.fail("expected the environment to be refused");
}

describe("environment: validated as one thing before any program runs", () => {
  it("the committed examples pass", () => {
    const checked = checkEnvironment(example);
    assert.equal(checked.targets.length, 2);
  });

  it("two target stacks for the same account are refused (they would fight over one boundary and the same roles)", () => {
    const twin = { ...withConfig(example.targets[0], {}), stack: "sandbox-2", file: "Pulumi.sandbox-2.yaml" };
    const problems = problemsOf({ ...example, targets: [...example.targets, twin] });
    assert.deepEqual(problems, [
      'stack "sandbox-2": aws:allowedAccountIds is ["555566667777"], the account of target stack "sandbox" too; expected one target stack per account (both would create the same boundary policy and roles)',
    ]);
  });

  it("a target stack in the Jump account is refused", () => {
    const env = {
      ...example,
      targets: [withConfig(example.targets[0], { "aws:allowedAccountIds": '["111122223333"]' }), example.targets[1]],
    };
    assert.ok(
      problemsOf(env).some((p) => /aws:allowedAccountIds is \["111122223333"\], the Jump account; expected a target account/.test(p)),
    );
  });

  it("a target stack whose account the jump stack does not list is refused", () => {
    const env = { ...example, targets: [withConfig(example.targets[0], { "aws:allowedAccountIds": '["999988887777"]' })] };
    assert.match(problemsOf(env)[0], /lists no such target \(it lists 444455556666, 555566667777\)/);
  });

  it("a target stack reading another jump stack is one line, not a stack trace", () => {
    const env = { ...example, targets: [withConfig(example.targets[0], { "target-account:jumpStack": "organization/jump-account/nope" })] };
    assert.deepEqual(problemsOf(env), [
      'stack "sandbox": target-account:jumpStack is "organization/jump-account/nope"; expected the jump stack of this environment: "organization/jump-account/jump" or "jump-account/jump" or "jump"',
    ]);
  });

  it("two roles whose CLI profile names collide are refused (one switch-role URL would silently disappear)", () => {
    const problems = problemsOf(
      withTargets([
        { accountId: "444455556666", name: "a", roles: [{ name: "b-c", groups: ["test-pb-group"] }] },
        { accountId: "555566667777", name: "a-b", roles: [{ name: "c", groups: ["sandbox-admins"] }] },
      ]),
    );
    assert.deepEqual(problems, [
      'stack "jump": jump-account:targets[1].roles[0] (c in a-b) and jump-account:targets[0].roles[0] (b-c in a) both get the AWS CLI profile name "a-b-c" (<target>-<role>); expected distinct profile names: rename one role or target, or one switch-role URL and one [profile] section would be lost',
    ]);
  });

  it("two roles whose switch-role labels collide after the console's 64-character cut are refused", () => {
    const target = "s".repeat(60);
    const problems = problemsOf(
      withTargets([
        {
          accountId: "444455556666",
          name: target,
          roles: [
            { name: "admin-a", groups: ["test-pb-group"] },
            { name: "admin-b", groups: ["test-pb-group"] },
          ],
        },
        jumpTargets[1],
      ]),
    );
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(
      problems[0],
      new RegExp(`both get the switch-role label "adm@${target}" \\(<role>@<target>, the role cut to fit 64 characters\\)`),
    );
  });

  it("roles of one long name in many accounts keep labels that tell the accounts apart", () => {
    const long = "r".repeat(64);
    checkEnvironment(
      withTargets([
        { accountId: "444455556666", name: "seed-target", roles: [{ name: long, groups: ["test-pb-group"] }] },
        { accountId: "555566667777", name: "sandbox", roles: [{ name: long, groups: ["sandbox-admins"] }] },
      ]),
    );
  });

  it("a role named like one of the account's protected existing roles is refused", () => {
    const problems = problemsOf(
      withTargets([
        ...jumpTargets.slice(0, 1),
        { accountId: "555566667777", name: "sandbox", roles: [{ name: "organizationaccountaccessrole", groups: ["sandbox-admins"] }] },
      ]),
    );
    assert.match(
      problems[0],
      /role "organizationaccountaccessrole" is also in target-account:protectedRoleNames \("OrganizationAccountAccessRole"\)/,
    );
  });

  it("two managed policy attachments whose resource names collide are refused", () => {
    const problems = problemsOf(
      withTargets([
        ...jumpTargets.slice(0, 1),
        {
          accountId: "555566667777",
          name: "sandbox",
          roles: [
            { name: "a", groups: ["sandbox-admins"], managedPolicyArns: ["arn:aws:iam::555566667777:policy/x-y"] },
            { name: "a-x", groups: ["sandbox-admins"], managedPolicyArns: ["arn:aws:iam::555566667777:policy/y"] },
          ],
        },
      ]),
    );
    // (The customer managed policies are also refused for npm start: no planned stack creates them.)
    assert.ok(
      problems.includes(
        'stack "sandbox": role a-x\'s arn:aws:iam::555566667777:policy/y and role a\'s arn:aws:iam::555566667777:policy/x-y both become the aws:iam/rolePolicyAttachment:RolePolicyAttachment resource "target-role-a-x-y"; expected names that differ: rename one of them',
      ),
      problems.join("\n"),
    );
  });
});

describe("environment: what only the whole environment shows (found by the fuzz test)", () => {
  it("a target stack without jumpStack whose account the jump stack lists with roles is refused (no stack would create them)", () => {
    const env = { ...example, targets: [withConfig(example.targets[0], { "target-account:jumpStack": undefined }), example.targets[1]] };
    assert.match(
      problemsOf(env)[0],
      /^stack "sandbox": target-account:jumpStack is missing, but jump stack "jump" lists this account \(sandbox\) with roles restricted-admin, read-only; expected target-account:jumpStack naming it/,
    );
  });

  it("a role with a managed policy the offline proof cannot evaluate is one line, not a failed check per request", () => {
    const targets = structuredClone(jumpTargets) as { roles: { managedPolicyArns?: string[] }[] }[];
    targets[1].roles[1].managedPolicyArns = ["arn:aws:iam::aws:policy/+ReadOnlyAccess"];
    assert.deepEqual(problemsOf(withTargets(targets)), [
      'stack "jump": role read-only in sandbox attaches arn:aws:iam::aws:policy/+ReadOnlyAccess, whose document the offline plan does not know; expected one of arn:aws:iam::aws:policy/AdministratorAccess, arn:aws:iam::aws:policy/ReadOnlyAccess (add a model of an AWS managed policy to verify/access/aws-managed.ts to plan it offline)',
    ]);
  });
});

describe("generated names: what the programs check before registering anything", () => {
  const JUMP = { project: "jump-account", stack: "jump" };
  it("a split assume-role policy's generated name that IAM takes for another group's policy is refused", () => {
    // 150 roles in as many accounts: their ARNs overflow one 6,144-character policy, so group
    // "wide" gets "wide-roles" and "wide-roles-2"; group "other" names its policy "Wide-Roles-2".
    const targets = Array.from({ length: 150 }, (_, i) => ({
      accountId: String(200000000000 + i),
      name: `t${i}`,
      roles: [{ name: "restricted-admin", groups: ["wide"] }, ...(i === 0 ? [{ name: "x", groups: ["other"] }] : [])],
    }));
    const cfg = parseJumpConfig(
      {
        "aws:region": "us-east-1",
        "aws:allowedAccountIds": '["111122223333"]',
        "jump-account:assumeRoleStrategy": "role-arns",
        "jump-account:groups": JSON.stringify([
          { name: "wide", assumeRolePolicyName: "wide-roles" },
          { name: "other", assumeRolePolicyName: "Wide-Roles-2" },
        ]),
        "jump-account:users": JSON.stringify([{ name: "alice", groups: ["wide", "other"] }]),
        "jump-account:targets": JSON.stringify(targets),
      },
      JUMP,
    );
    const problems = jumpNameProblems(cfg, JUMP, "jump");
    assert.ok(
      problems.some((p) =>
        /jump-account:groups\[1\] \(other\)'s assume-role policy is named "Wide-Roles-2", which IAM takes for jump-account:groups\[0\] \(wide\)'s assume-role policy 2 \("wide-roles-2"/.test(
          p,
        ),
      ),
      problems.join("\n"),
    );
  });

  it("roles of one account declared twice in different case are refused by the target program too", () => {
    const role = (name: string): RoleContract =>
      ({ name, path: "/", managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }) as unknown as RoleContract;
    assert.match(
      targetNameProblems(
        { roles: [role("admin"), role("Admin")], protectedRoleNames: [] },
        { project: "target-account", stack: "t" },
        "target",
      )[0],
      /role "Admin" is declared twice for this account \(IAM takes it for "admin"/,
    );
  });
});

describe("npm run policy-config: a mistake is one line and exit 2", () => {
  it("a stack that is not committed", () => {
    const lines: string[] = [];
    const error = console.error;
    console.error = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
    try {
      assert.equal(policyConfigMain(["target-account/nope"]), 2);
    } finally {
      console.error = error;
    }
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^no committed stack target-account\/nope; the committed stacks are /);
  });
});

describe("npm start: every environment mistake is one line and exit 2", () => {
  async function start(argv: string[]): Promise<{ code: number; stderr: string }> {
    let stderr = "";
    const code = await main(argv, { stdout: () => undefined, stderr: (s) => (stderr += s) });
    return { code, stderr };
  }

  const made: string[] = [];
  after(() => {
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });

  function envDir(edit: (dir: string) => void): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jumpenv-env-"));
    made.push(dir);
    for (const project of ["jump-account", "target-account"]) {
      fs.mkdirSync(path.join(dir, project));
      for (const f of fs.readdirSync(path.join(REPO_ROOT, project)).filter((n) => /^Pulumi\..+\.yaml$/.test(n)))
        fs.copyFileSync(path.join(REPO_ROOT, project, f), path.join(dir, project, f));
    }
    edit(dir);
    return dir;
  }

  it("an empty stack file: one line naming the keys it needs", async () => {
    const dir = envDir((d) => fs.writeFileSync(path.join(d, "target-account", "Pulumi.sandbox.yaml"), ""));
    const r = await start(["--env", dir]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'error: stack "sandbox": the stack file sets no config; expected at least aws:region, aws:allowedAccountIds\n');
  });

  it("several problems: the first, and how many more, on one line", async () => {
    const dir = envDir((d) => {
      const file = path.join(d, "target-account", "Pulumi.sandbox.yaml");
      const doc = YAML.parse(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> };
      doc.config["aws:region"] = "moon-1";
      doc.config["target-account:boundaryProfile"] = "harden";
      fs.writeFileSync(file, YAML.stringify(doc));
    });
    const r = await start(["--env", dir]);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^error: stack "sandbox": aws:region is "moon-1"; expected a region of the aws partition \([^)]*\) \(and 1 more problem\)\n$/,
    );
  });

  it("a bad jumpStack, through the real command: one line, no stack trace", () => {
    const dir = envDir((d) => {
      const file = path.join(d, "target-account", "Pulumi.sandbox.yaml");
      fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("organization/jump-account/jump", "organization/jump-account/nope"));
    });
    const r = spawnSync("npm", ["start", "--silent", "--", "--env", dir], { cwd: REPO_ROOT, encoding: "utf8", timeout: 120_000 });
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr.split("\n").filter(Boolean).length, 1, r.stderr);
    assert.match(
      r.stderr,
      /^error: stack "sandbox": target-account:jumpStack is "organization\/jump-account\/nope"; expected the jump stack/,
    );
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});
