import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BOUNDARY_ARN, SEED_BOUNDARY, SEED_BOUNDARY_ARN, SEED_TRUST, UNKNOWN, clone } from "../../policy-pack/test/fixtures";
import { main, parseAuditInput } from "./audit";

const STACK = "urn:pulumi:seed-target::target-account";
const u = (type: string, name: string) => `${STACK}::${type}::${name}`;

/** A `pulumi stack export` of the seed target account; `roles` are extra role inputs. */
function stackExport(...roles: { name: string; inputs: Record<string, unknown> }[]) {
  const roleState = (name: string, inputs: Record<string, unknown>) => ({
    urn: u("jumpenv:index:TargetAccount$aws:iam/role:Role", `target-role-${name}`),
    custom: true,
    id: name,
    type: "aws:iam/role:Role",
    inputs: { name, path: "/", assumeRolePolicy: JSON.stringify(SEED_TRUST), ...inputs },
    outputs: { name, arn: `arn:aws:iam::444455556666:role/${name}`, ...inputs },
    parent: u("jumpenv:index:TargetAccount", "target"),
    dependencies: [u("jumpenv:index:TargetAccount$aws:iam/policy:Policy", "target-boundary")],
  });
  return {
    version: 3,
    deployment: {
      manifest: { time: "2025-01-01T00:00:00Z", magic: "x", version: "v3.200.0" },
      resources: [
        { urn: u("pulumi:pulumi:Stack", "target-account-seed-target"), custom: false, type: "pulumi:pulumi:Stack" },
        {
          urn: u("pulumi:providers:aws", "default_7_48_0"),
          custom: true,
          id: "p",
          type: "pulumi:providers:aws",
          inputs: { region: "us-east-1" },
        },
        {
          urn: u("jumpenv:index:TargetAccount", "target"),
          custom: false,
          type: "jumpenv:index:TargetAccount",
          parent: u("pulumi:pulumi:Stack", "target-account-seed-target"),
        },
        {
          urn: u("jumpenv:index:TargetAccount$aws:iam/policy:Policy", "target-boundary"),
          custom: true,
          id: SEED_BOUNDARY_ARN,
          type: "aws:iam/policy:Policy",
          inputs: { name: "test-pb-policy", path: "/", policy: JSON.stringify(SEED_BOUNDARY) },
          outputs: { name: "test-pb-policy", path: "/", arn: SEED_BOUNDARY_ARN, policy: JSON.stringify(SEED_BOUNDARY) },
        },
        roleState("test-restricted-admin-role", { permissionsBoundary: SEED_BOUNDARY_ARN }),
        ...roles.map((r) => roleState(r.name, r.inputs)),
      ],
    },
  };
}

const SEED_CONFIG = {
  "iam-role-requires-permissions-boundary": { boundaryPolicyName: "test-pb-policy" },
  "iam-boundary-policy-integrity": { boundaryPolicyName: "test-pb-policy" },
};

describe("npm run audit", () => {
  let dir: string;
  const write = (name: string, content: unknown) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, typeof content === "string" ? content : JSON.stringify(content));
    return f;
  };
  const run = async (...argv: string[]) => {
    let stdout = "";
    let stderr = "";
    const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
    return { code, stdout, stderr };
  };

  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "audit-"))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("--help prints what each argument means and exits 0, whatever else is given", async () => {
    for (const argv of [["--help"], ["-h"], [path.join(dir, "missing.json"), "--prove", "--help"]]) {
      const r = await run(...argv);
      assert.strictEqual(r.code, 0, r.stderr);
      assert.strictEqual(r.stderr, "");
      assert.match(r.stdout, /^usage: npm run audit -- FILE/);
      for (const option of ["--config FILE", "--stack-tag NAME=VALUE", "--env DIR", "--prove", "--json", "exit status: 0"])
        assert.ok(r.stdout.includes(option), option);
    }
  });

  it("exits 0 on the seed target's stack export with its config", async () => {
    const r = await run(write("ok.json", stackExport()), "--config", write("cfg.json", SEED_CONFIG));
    assert.strictEqual(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /5 resources checked: 0 mandatory, 0 advisory violation\(s\)\./);
  });

  it("exits 1 on a role lacking the boundary, naming its URN and the role", async () => {
    const file = write("bad.json", stackExport({ name: "shadow-admin", inputs: {} }));
    const r = await run(file, "--config", write("cfg.json", SEED_CONFIG));
    assert.strictEqual(r.code, 1);
    assert.match(r.stdout, /^MANDATORY iam-role-requires-permissions-boundary$/m);
    assert.ok(r.stdout.includes(`  ${u("jumpenv:index:TargetAccount$aws:iam/role:Role", "target-role-shadow-admin")}\n`));
    assert.match(
      r.stdout,
      /IAM role "shadow-admin" has no permissions boundary; set permissionsBoundary to arn:aws:iam::444455556666:policy\/test-pb-policy/,
    );
  });

  it("--json prints exactly {violations: [{policy, urn, message, enforcementLevel}]}", async () => {
    const r = await run(write("bad.json", stackExport({ name: "shadow-admin", inputs: {} })), "--json");
    assert.strictEqual(r.code, 1);
    const out = JSON.parse(r.stdout);
    assert.deepStrictEqual(Object.keys(out), ["violations"]);
    // Without the seed config, the default boundary name is expected: the seed role fails too.
    assert.deepStrictEqual(
      out.violations.map((v: Record<string, string>) => [Object.keys(v).join(","), v.policy, v.enforcementLevel, v.urn.split("::").pop()]),
      [
        [
          "policy,urn,message,enforcementLevel",
          "iam-role-requires-permissions-boundary",
          "mandatory",
          "target-role-test-restricted-admin-role",
        ],
        ["policy,urn,message,enforcementLevel", "iam-role-requires-permissions-boundary", "mandatory", "target-role-shadow-admin"],
      ],
    );
  });

  it("reads a `pulumi preview --json`: unknown boundaries fail closed, deletions are skipped", async () => {
    const preview = {
      steps: [
        {
          op: "create",
          urn: u("aws:iam/role:Role", "r"),
          newState: {
            urn: u("aws:iam/role:Role", "r"),
            type: "aws:iam/role:Role",
            inputs: { name: "r", permissionsBoundary: UNKNOWN },
            outputs: {},
          },
        },
        {
          op: "delete",
          urn: u("aws:iam/role:Role", "gone"),
          oldState: { urn: u("aws:iam/role:Role", "gone"), type: "aws:iam/role:Role", inputs: { name: "gone" } },
        },
      ],
      changeSummary: { create: 1, delete: 1 },
    };
    const r = await run(write("preview.json", preview), "--json");
    assert.strictEqual(r.code, 1);
    const v = JSON.parse(r.stdout).violations;
    assert.deepStrictEqual(
      v.map((x: Record<string, string>) => x.urn.split("::").pop()),
      ["r"],
    );
    assert.match(v[0].message, /unknown during preview/);
    assert.strictEqual((await run(write("empty-preview.json", { changeSummary: {} }))).code, 0);
  });

  it("`--config` settings reach the pack: unknownBoundary warn makes it advisory (exit 0)", async () => {
    const preview = {
      steps: [
        {
          op: "create",
          newState: { urn: u("aws:iam/role:Role", "r"), type: "aws:iam/role:Role", inputs: { permissionsBoundary: UNKNOWN } },
        },
      ],
    };
    const r = await run(
      write("p.json", preview),
      "--config",
      write("warn.json", { "iam-role-requires-permissions-boundary": { unknownBoundary: "warn" } }),
    );
    assert.strictEqual(r.code, 0);
    assert.match(r.stdout, /^ADVISORY iam-role-requires-permissions-boundary$/m);
  });

  it("`--stack-tag` marks a target stack for iam-no-users-in-target-accounts", async () => {
    const user = { urn: "urn:pulumi:prod::legacy::aws:iam/user:User::bob", type: "aws:iam/user:User", inputs: { name: "bob" } };
    const file = write("legacy.json", { version: 3, deployment: { manifest: {}, resources: [user] } });
    const cfg = write("tags.json", { "iam-no-users-in-target-accounts": { targetStackTags: { kind: "target" } } });
    assert.strictEqual((await run(file, "--config", cfg)).code, 0);
    const r = await run(file, "--config", cfg, "--stack-tag", "kind=target");
    assert.strictEqual(r.code, 1);
    assert.match(r.stdout, /IAM user "bob"/);
  });

  describe("exit 2 with one clear line", () => {
    const cases: [string, () => string[], RegExp][] = [
      ["a file that is not JSON", () => [write("x.txt", "hello")], /^audit: .*x\.txt is not JSON/],
      [
        "JSON of another kind",
        () => [write("other.json", { resources: [] })],
        /is neither a `pulumi stack export` \(version, deployment\.manifest, deployment\.resources\[\]\) nor a `pulumi preview --json`/,
      ],
      [
        "a preview whose steps are not steps",
        () => [write("steps.json", { steps: [1, 2, 3] })],
        /step 0 is 1, not a step \{op, newState\}/,
      ],
      ["a change summary that is not one", () => [write("summary.json", { changeSummary: 1 })], /changeSummary is 1, not \{op: count\}/],
      [
        "a deployment without version or manifest",
        () => [write("deployment.json", { deployment: {} })],
        /a stack export has a numeric version and a deployment with a manifest/,
      ],
      ["an empty object", () => [write("empty.json", {})], /is neither a `pulumi stack export`/],
      ["a JSON list", () => [write("list.json", [])], /is neither a `pulumi stack export`/],
      ["a JSON string", () => [write("string.json", '"deployment"')], /is neither a `pulumi stack export`/],
      [
        "a document nested 3,000 levels deep",
        () => [write("deep.json", '{"deployment":'.repeat(3000) + "{}" + "}".repeat(3000))],
        /deep\.json nests values more than 256 levels deep/,
      ],
      [
        "a list nested 200,000 levels deep",
        () => [write("deeper.json", "[".repeat(200_000) + "]".repeat(200_000))],
        /deeper\.json (nests values more than 256 levels deep|is not JSON)/,
      ],
      ["a missing file", () => [path.join(dir, "nope.json")], /^audit: cannot read file .*nope\.json: ENOENT/],
      [
        "a resource without a type",
        () => [write("notype.json", { version: 3, deployment: { manifest: {}, resources: [{ urn: "urn:x" }] } })],
        /resource 0 has no urn or type/,
      ],
      [
        "a config with a misspelt key",
        () => [
          write("ok2.json", stackExport()),
          "--config",
          write("bad-cfg.json", { "iam-role-requires-permissions-boundary": { boundaryName: "x" } }),
        ],
        /config .*boundaryName is not a setting of that policy/,
      ],
      ["no FILE", () => [], /^audit: usage: npm run audit -- FILE/],
      ["an unknown option", () => [write("ok3.json", stackExport()), "--yaml"], /unknown option --yaml/],
    ];
    for (const [what, argv, expected] of cases) {
      it(what, async () => {
        const r = await run(...argv());
        assert.strictEqual(r.code, 2);
        assert.strictEqual(r.stdout, "");
        assert.match(r.stderr, expected);
        assert.strictEqual(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
        assert.doesNotMatch(r.stderr, /RangeError|\n\s+at /);
      });
    }
  });

  describe("reports what is deployed", () => {
    it("a remediate-level policy still reports the deployed role without a boundary, and says remediation would fix it", async () => {
      const file = write("remediate.json", stackExport({ name: "shadow-admin", inputs: {} }));
      const cfg = {
        ...SEED_CONFIG,
        "iam-role-requires-permissions-boundary": {
          ...SEED_CONFIG["iam-role-requires-permissions-boundary"],
          enforcementLevel: "remediate",
        },
      };
      const r = await run(file, "--config", write("remediate-cfg.json", cfg), "--json");
      assert.strictEqual(r.code, 1, r.stdout + r.stderr);
      const v = JSON.parse(r.stdout).violations;
      assert.deepStrictEqual(
        v.map((x: Record<string, unknown>) => [x.policy, x.enforcementLevel, x.remediable, (x.urn as string).split("::").pop()]),
        [["iam-role-requires-permissions-boundary", "mandatory", true, "target-role-shadow-admin"]],
      );
      const text = await run(file, "--config", write("remediate-cfg.json", cfg));
      assert.match(text.stdout, /deployed as reported; at level `remediate` the pack fixes this at the next `pulumi up`\./);
    });

    it("reads the stack's account from the provider a resource names: another account's boundary fails without any config", async () => {
      const doc = stackExport({
        name: "copied",
        inputs: { permissionsBoundary: "arn:aws:iam::999999999999:policy/jump-permissions-boundary" },
      });
      const resources = doc.deployment.resources as Record<string, any>[];
      const provider = resources.find((x) => x.type === "pulumi:providers:aws")!;
      provider.inputs.allowedAccountIds = JSON.stringify(["444455556666"]);
      for (const x of resources) if (x.type === "aws:iam/role:Role") x.provider = `${provider.urn}::${provider.id}`;
      const parsed = parseAuditInput(JSON.stringify(doc));
      assert.strictEqual(parsed.find((x) => x.name === "target-role-copied")!.provider!.props.allowedAccountIds, '["444455556666"]');
      const r = await run(write("copied.json", doc), "--json");
      assert.strictEqual(r.code, 1);
      const copied = JSON.parse(r.stdout).violations.filter((x: { urn: string }) => x.urn.endsWith("target-role-copied"));
      assert.strictEqual(copied.length, 1);
      assert.match(copied[0].message, /of another account; this stack's account is 444455556666/);
    });
  });

  describe("parseAuditInput", () => {
    it("checks inputs, adds the arn output, skips pending deletes, and reveals secrets it can", () => {
      const secret = (v: unknown) => ({
        "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
        plaintext: JSON.stringify(v),
      });
      const sealed = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "AAAA" };
      const doc = stackExport();
      const role = doc.deployment.resources[4] as Record<string, any>;
      role.inputs.assumeRolePolicy = secret(JSON.stringify(SEED_TRUST));
      role.inputs.description = sealed;
      role.outputs.permissionsBoundary = "arn:aws:iam::444455556666:policy/from-outputs";
      doc.deployment.resources.push({ ...clone(role), urn: role.urn + "-old", delete: true } as never);
      const rs = parseAuditInput(JSON.stringify(doc));
      assert.strictEqual(rs.length, 5);
      const r = rs[4];
      assert.strictEqual(r.name, "target-role-test-restricted-admin-role");
      assert.strictEqual(r.props.permissionsBoundary, SEED_BOUNDARY_ARN);
      assert.strictEqual(r.props.arn, "arn:aws:iam::444455556666:role/test-restricted-admin-role");
      assert.strictEqual(r.props.assumeRolePolicy, JSON.stringify(SEED_TRUST));
      assert.strictEqual(r.props.description, "[secret]");
      assert.strictEqual(r.parent, u("jumpenv:index:TargetAccount", "target"));
      assert.notStrictEqual(r.props.permissionsBoundary, BOUNDARY_ARN);
    });
  });

  it("runs as `npm run audit -- FILE` from the repository root", function () {
    this.timeout(120_000);
    const root = path.resolve(__dirname, "..", "..");
    const file = write("cli.json", stackExport({ name: "shadow-admin", inputs: {} }));
    const r = spawnSync("npm", ["run", "--silent", "audit", "--", file, "--json"], { cwd: root, encoding: "utf8" });
    assert.strictEqual(r.status, 1, r.stderr);
    assert.ok(JSON.parse(r.stdout).violations.some((v: { urn: string }) => v.urn.endsWith("target-role-shadow-admin")));
  });
});
