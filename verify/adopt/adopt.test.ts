import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadEnvironment, planEnvironment, REPO_ROOT, type PlannedEnvironment } from "../harness/environment";
import type { StackFile, StackRun } from "../harness/mock-run";
import { credentialReportJson } from "../snapshot/credential-report";
import { snapshotOfRun } from "../snapshot/serialise";
import { readSnapshots } from "../snapshot/snapshot";
import { adoptPlan, main, type ImportFile, type ImportSpec } from "./adopt";
import { IMPORT_RULES, NOT_IMPORTABLE } from "./import-ids";

type Snapshot = Record<string, any>;

function accountOf(file: StackFile): string {
  return (JSON.parse(file.config["aws:allowedAccountIds"]) as string[])[0];
}

/** The URN `pulumi import` gives an entry (import.go parseImportFile: the parent's qualified type, then the type and name). */
function importUrn(spec: ImportSpec, file: ImportFile, stack: string, project: string): string {
  const qualified = (s: ImportSpec): string => {
    const parent = s.parent === undefined ? undefined : file.resources.find((r) => r.name === s.parent);
    return parent ? `${qualified(parent)}$${s.type}` : s.type;
  };
  return `urn:pulumi:${stack}::${project}::${qualified(spec)}::${spec.name}`;
}

/** The provider's own example ID of a type (`$ pulumi import <type> <name> <id>` in its .d.ts), reduced to its shape. */
function documentedIdShape(type: string): { section: string; shape: string } {
  const module = /^aws:iam\/(\w+):/.exec(type)![1];
  const text = fs.readFileSync(path.join(REPO_ROOT, "node_modules", "@pulumi", "aws", "iam", `${module}.d.ts`), "utf8");
  const section = text.slice(text.indexOf("## Import"));
  const example = new RegExp(`\\$ pulumi import ${type.replace(/[/$]/g, "\\$&")} \\S+ (\\S+)`).exec(section);
  assert.ok(example, `${module}.d.ts has no import example for ${type}`);
  return { section: section.replace(/\s*\n\s*\*\s*/g, " "), shape: idShape(example[1]) };
}

function idShape(id: string): string {
  return id.replace(/arn:aws:iam::[\w]+:policy\/[\w+=,.@/-]+/g, "ARN").replace(/[\w+=,.@-]+/g, "N");
}

describe("npm run adopt: the file `pulumi import --file` takes, from snapshots of a console-built setup", function () {
  this.timeout(120_000);
  let dir: string;
  let plan: PlannedEnvironment;
  let env: ReturnType<typeof loadEnvironment>;
  let seed: { run: StackRun; file: StackFile };
  let jump: { run: StackRun; file: StackFile };
  const write = (name: string, doc: unknown): string => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, JSON.stringify(doc, null, 2));
    return f;
  };
  const snapshot = (s: { run: StackRun; file: StackFile }, documents: "decoded" | "url" = "decoded"): Snapshot =>
    snapshotOfRun(s.run, { account: accountOf(s.file), documents });
  async function adopt(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
    return { code, out, err };
  }

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "adopt-"));
    env = loadEnvironment();
    plan = await planEnvironment(env);
    jump = { run: plan.jump, file: env.jump };
    const i = env.targets.findIndex((t) => t.stack === "seed-target");
    seed = { run: plan.targets[i], file: env.targets[i] };
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("the seed example: every resource the jump and seed-target programs register, with the provider's import ID for its type", async () => {
    const out = path.join(dir, "seed");
    const r = await adopt(write("jump.json", snapshot(jump)), write("seed-target.json", snapshot(seed, "url")), "--out", out);
    assert.strictEqual(r.code, 0, r.out + r.err);
    for (const { run, file } of [jump, seed]) {
      const importFile = JSON.parse(fs.readFileSync(path.join(out, `${run.project}.${run.stack}.import.json`), "utf8")) as ImportFile;
      const account = accountOf(file);
      const expectedId = (type: string, p: Record<string, any>): string => {
        switch (type) {
          case "aws:iam/policy:Policy":
            return `arn:aws:iam::${account}:policy${p.path ?? "/"}${p.name}`;
          case "aws:iam/role:Role":
          case "aws:iam/group:Group":
          case "aws:iam/user:User":
            return p.name;
          case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
            return `${p.role}/${p.policyArn}`;
          case "aws:iam/groupPolicyAttachment:GroupPolicyAttachment":
            return `${p.group}/${p.policyArn}`;
          case "aws:iam/userLoginProfile:UserLoginProfile":
            return p.user;
          case "aws:iam/accountPasswordPolicy:AccountPasswordPolicy":
            return "iam-account-password-policy";
          default:
            throw new Error(`no expected import ID for ${type}`);
        }
      };
      for (const registered of run.resources) {
        if (NOT_IMPORTABLE[registered.type]) {
          assert.ok(!importFile.resources.some((x) => x.name === registered.name && x.type === registered.type));
          assert.match(r.out, new RegExp(registered.name));
          continue;
        }
        const entries = importFile.resources.filter((x) => x.name === registered.name && x.type === registered.type);
        assert.strictEqual(entries.length, 1, `${run.stack}: ${registered.type} ${registered.name} is not in the import file once`);
        const [entry] = entries;
        const parent =
          registered.options.parent === undefined ? undefined : run.resources.find((x) => x.urn === registered.options.parent)!.name;
        assert.strictEqual(entry.parent, parent, registered.name);
        // The import creates the very URN the program registers.
        assert.strictEqual(importUrn(entry, importFile, run.stack, run.project), registered.urn);
        if (!registered.custom) {
          assert.deepStrictEqual(entry, { type: registered.type, name: registered.name, component: true });
          continue;
        }
        assert.strictEqual(entry.id, expectedId(registered.type, registered.props), registered.name);
        const doc = documentedIdShape(registered.type);
        assert.ok(
          doc.section.includes(IMPORT_RULES[registered.type].documented),
          `${registered.type}: the provider no longer documents "${IMPORT_RULES[registered.type].documented}"`,
        );
        assert.strictEqual(idShape(entry.id!), doc.shape, `${registered.type}: ${entry.id} is not shaped like the provider's example`);
      }
      assert.strictEqual(importFile.resources.length, run.resources.filter((x) => !NOT_IMPORTABLE[x.type]).length);
    }
    assert.match(r.out, /MFA devices: each user keeps the MFA device they registered/);
    assert.match(r.out, /console passwords \(login profiles' passwords\)/);
  });

  it("a console-built boundary and policies without the program's descriptions import without replacement (the programs ignore description changes)", () => {
    const snap = snapshot(seed);
    for (const p of snap.Policies) delete p.Description;
    const [account] = readSnapshots([["console.json", JSON.stringify(snap)]]);
    assert.deepStrictEqual(adoptPlan(seed.run, account.account, account).replacements, []);
    // Without ignoreChanges the description would replace the boundary.
    const without: StackRun = {
      ...seed.run,
      resources: seed.run.resources.map((x) => ({ ...x, options: { ...x.options, ignoreChanges: [] } })),
    };
    assert.deepStrictEqual(
      adoptPlan(without, account.account, account).replacements.map((x) => [x.name, x.property, x.inAws]),
      [["target-boundary", "description", ""]],
    );
  });

  it("a role at another path than the config's would be replaced: exit 1, named", async () => {
    const snap = snapshot(seed);
    snap.RoleDetailList[0].Path = "/admins/";
    snap.RoleDetailList[0].Arn = snap.RoleDetailList[0].Arn.replace(":role/", ":role/admins/");
    const r = await adopt(write("moved.json", snap), "--out", path.join(dir, "moved"));
    assert.strictEqual(r.code, 1);
    assert.match(
      r.out,
      /would be REPLACED[^\n]*\n {4}target-role-test-restricted-admin-role \(aws:iam\/role:Role\): path is "\/admins\/" in AWS, "\/" in the program/,
    );
  });

  it("lists what the account lacks, what the stack leaves alone, and the members an exclusive membership removes", async () => {
    const snap = snapshot(jump);
    snap.UserDetailList = snap.UserDetailList.filter((u: { UserName: string }) => u.UserName !== "carol");
    snap.UserDetailList.push({
      Path: "/",
      UserName: "dave",
      Arn: "arn:aws:iam::111122223333:user/dave",
      UserPolicyList: [],
      GroupList: ["test-pb-group"],
      AttachedManagedPolicies: [],
      Tags: [],
    });
    const r = await adopt(write("jump-drift.json", snap), "--out", path.join(dir, "jump-drift"), "--json");
    assert.strictEqual(r.code, 0, r.err);
    const [p] = JSON.parse(r.out).stacks;
    assert.deepStrictEqual(
      p.toCreate.map((x: { name: string }) => x.name),
      ["jump-user-carol", "jump-user-carol-login"],
    );
    assert.deepStrictEqual(p.unmanaged, ["arn:aws:iam::111122223333:user/dave"]);
    assert.deepStrictEqual(p.membershipRemovals, [{ group: "test-pb-group", user: "dave" }]);
  });

  it("with the credential report: login profiles confirmed or created, and the users without MFA named", async () => {
    const arn = (u: string) => `arn:aws:iam::111122223333:user/${u}`;
    const report = credentialReportJson(
      [
        { user: "test-pb-user", arn: arn("test-pb-user"), passwordEnabled: true, mfaActive: true, activeAccessKeys: 0 },
        { user: "alice", arn: arn("alice"), passwordEnabled: true, mfaActive: false, activeAccessKeys: 0 },
        { user: "carol", arn: arn("carol"), passwordEnabled: false, mfaActive: false, activeAccessKeys: 0 },
      ],
      "111122223333",
    );
    const r = await adopt(
      write("cr-jump.json", snapshot(jump)),
      write("cr-jump-report.json", report),
      "--out",
      path.join(dir, "cr"),
      "--json",
    );
    assert.strictEqual(r.code, 0, r.err);
    const [p] = JSON.parse(r.out).stacks;
    assert.deepStrictEqual(
      p.toCreate.map((x: { name: string }) => x.name),
      ["jump-user-carol-login"],
    );
    assert.deepStrictEqual(
      p.unconfirmed.map((x: { name: string }) => x.name),
      ["jump-password-policy"],
    );
    assert.deepStrictEqual(p.withoutMfa, ["alice", "carol"]);
    const file = JSON.parse(fs.readFileSync(path.join(dir, "cr", "jump-account.jump.import.json"), "utf8")) as ImportFile;
    assert.ok(file.resources.some((x) => x.name === "jump-user-alice-login" && x.id === "alice"));
    assert.ok(!file.resources.some((x) => x.name === "jump-user-carol-login"));
  });

  it("refuses an account no stack file names, in one line", async () => {
    const other = JSON.parse(JSON.stringify(snapshot(seed)).replace(/444455556666/g, "123412341234"));
    const r = await adopt(write("unnamed.json", other));
    assert.strictEqual(r.code, 2);
    assert.match(r.err, /^adopt: no stack file names account 123412341234 in aws:allowedAccountIds/);
    assert.strictEqual((await adopt()).code, 2);
  });

  it("--help prints what each argument means and exits 0, whatever else is given, writing nothing", async () => {
    for (const argv of [["--help"], ["-h"], [path.join(dir, "missing.json"), "--help", "--out", path.join(dir, "help-out")]]) {
      const r = await adopt(...argv);
      assert.strictEqual(r.code, 0, r.err);
      assert.strictEqual(r.err, "");
      assert.match(r.out, /^usage: npm run adopt -- SNAPSHOT\.\.\./);
      for (const option of ["--env DIR", "--out DIR", "--json", "exit status: 0"]) assert.ok(r.out.includes(option), option);
    }
    assert.ok(!fs.existsSync(path.join(dir, "help-out")));
  });
});
