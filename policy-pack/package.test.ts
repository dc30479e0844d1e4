/**
 * The packed pack, as `pulumi policy publish` ships it: the pack is built (`npm run build`, as the
 * release workflow does before publishing), then packed exactly as the CLI packs it
 * (`npm pack --loglevel=error` in the pack folder, whose whole trimmed stdout the CLI reads as the
 * tarball's file name), extracted in a temporary folder, with the repository's node_modules linked
 * in as the CLI's `npm install` would provide its dependencies. Proves the tarball holds compiled
 * JavaScript only, that its modules load using nothing but their own folder and the declared
 * dependencies, and that its entry point serves the pack over gRPC to a client speaking the
 * CLI's protocol, with the same findings as the offline runner.
 */
import * as assert from "assert";
import { execFileSync, spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runPolicies, type OfflineResource } from "./offline";
import { policies } from "./policies";
import { BOUNDARY_ARN, SEED_BOUNDARY_ARN, TARGET_ACCOUNT, UNKNOWN, resource, validRole } from "./test/fixtures";
import { LEVEL_NAMES, analyzeRequest } from "./test/engine-server";
import { BYPASS_CASES, configOf, findingKeys } from "./test/bypasses";
import { effectiveConfig } from "./config-file";

/* eslint-disable @typescript-eslint/no-var-requires */
const grpc = require("@grpc/grpc-js");
const pb = require("@pulumi/pulumi/proto/analyzer_pb");
const rpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");

const PACK_DIR = __dirname;
const REPO_NODE_MODULES = path.resolve(PACK_DIR, "..", "node_modules");

describe("packed policy pack (npm pack)", function () {
  this.timeout(240_000);
  let tmp: string;
  let pkg: string;
  let files: string[];

  let packStdout: string;
  let source: string;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "policy-pack-"));
    // A copy of the repository's root manifest and policy-pack folder (sources, manifest,
    // tsconfigs; not bin/), so that the pack is still a workspace of the root as in a checkout,
    // and packing never races other runs that use policy-pack/bin.
    const repo = path.join(tmp, "repo");
    source = path.join(repo, "policy-pack");
    fs.mkdirSync(repo);
    for (const f of ["tsconfig.json", "package.json"]) fs.copyFileSync(path.join(PACK_DIR, "..", f), path.join(repo, f));
    fs.symlinkSync(REPO_NODE_MODULES, path.join(repo, "node_modules"), "dir");
    fs.cpSync(PACK_DIR, source, { recursive: true, filter: (f) => !/[\\/](bin|node_modules|\.bench)$/.test(f) && !f.endsWith(".tgz") });
    execFileSync("npm", ["run", "build"], { cwd: source, stdio: ["ignore", "ignore", "pipe"] });
    // Exactly the CLI's command (pulumi/pulumi sdk/nodejs/npm/npm.go, Pack): no --silent.
    packStdout = execFileSync("npm", ["pack", "--loglevel=error"], { cwd: source, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    // The tarball npm wrote; whether stdout names it is the first test below.
    const tgz = fs.readdirSync(source).find((f) => f.endsWith(".tgz"));
    assert.ok(tgz, "npm pack wrote no tarball");
    const out = path.join(tmp, "extract");
    fs.mkdirSync(out);
    execFileSync("tar", ["-xzf", path.join(source, tgz), "-C", out]);
    pkg = path.join(out, "package");
    files = listFiles(pkg);
    fs.symlinkSync(REPO_NODE_MODULES, path.join(pkg, "node_modules"), "dir");
  });

  it("`npm pack --loglevel=error` prints one line, the name of the tarball it wrote, as `pulumi policy publish` reads it", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(source, "package.json"), "utf8"));
    // The CLI reads the file named by the whole trimmed stdout, relative to the pack folder.
    const named = packStdout.trim();
    assert.strictEqual(named, `${manifest.name}-${manifest.version}.tgz`, `stdout was ${JSON.stringify(packStdout)}`);
    assert.ok(fs.statSync(path.join(source, named)).isFile());
  });

  it("the tarball holds the compiled main and PulumiPolicy.yaml, which publish starts and reads", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(pkg, "package.json"), "utf8"));
    assert.ok(files.includes(manifest.main), `${manifest.main} is not in the tarball`);
    assert.ok(files.includes("PulumiPolicy.yaml"));
  });

  it("has no script npm runs while packing or installing (each would print a banner on stdout during npm pack)", () => {
    const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")).scripts ?? {});
    const lifecycle = ["prepack", "prepare", "postpack", "preinstall", "install", "postinstall", "prepublish", "prepublishOnly"];
    assert.deepStrictEqual(
      scripts.filter((s) => lifecycle.includes(s)),
      [],
    );
  });

  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("holds compiled JavaScript, its manifest, PulumiPolicy.yaml and README, and nothing else", () => {
    const unexpected = files.filter(
      (f) => !(f === "package.json" || f === "PulumiPolicy.yaml" || f === "README.md" || /^bin\/[\w.-]+\.(js|d\.ts)$/.test(f)),
    );
    assert.deepStrictEqual(unexpected, []);
    assert.ok(files.includes("bin/index.js"));
    assert.deepStrictEqual(
      files.filter((f) => /test|fixture|tools\//.test(f)),
      [],
    );
    const manifest = JSON.parse(fs.readFileSync(path.join(pkg, "package.json"), "utf8"));
    assert.strictEqual(manifest.main, "bin/index.js");
    for (const [name, version] of Object.entries(manifest.dependencies as Record<string, string>)) {
      assert.match(version, /^\d+\.\d+\.\d+$/, `${name} must be pinned exactly`);
    }
  });

  it("loads every policy module on its own: only relative imports, Node built-ins and declared dependencies", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(pkg, "package.json"), "utf8"));
    const modules = files.filter((f) => f.startsWith("bin/") && f.endsWith(".js") && f !== "bin/index.js");
    assert.ok(modules.length >= 8, modules.join(" "));
    const script = `
            const Module = require("module");
            const path = require("path");
            const root = process.argv[1];
            const seen = [];
            const resolve = Module._resolveFilename;
            Module._resolveFilename = function (request, parent, ...rest) {
                const resolved = resolve.call(this, request, parent, ...rest);
                if (parent && parent.filename && parent.filename.startsWith(path.join(root, "bin") + path.sep)) {
                    seen.push({ request, from: path.relative(root, parent.filename), resolved });
                }
                return resolved;
            };
            const loaded = {};
            for (const m of JSON.parse(process.argv[2])) loaded[m] = Object.keys(require(path.join(root, m)));
            console.log(JSON.stringify({ seen, loaded }));
        `;
    const out = execFileSync(process.execPath, ["-e", script, pkg, JSON.stringify(modules)], { cwd: pkg, timeout: 60_000 }).toString();
    const { seen, loaded } = JSON.parse(out) as {
      seen: { request: string; from: string; resolved: string }[];
      loaded: Record<string, string[]>;
    };
    const deps = Object.keys(manifest.dependencies);
    const builtins = new Set(require("module").builtinModules as string[]);
    for (const s of seen) {
      const bare = s.request.startsWith(".")
        ? undefined
        : s.request
            .split("/")
            .slice(0, s.request.startsWith("@") ? 2 : 1)
            .join("/");
      if (bare === undefined) {
        assert.ok(
          fs.realpathSync(s.resolved).startsWith(fs.realpathSync(pkg) + path.sep),
          `${s.from} reaches outside the package: ${s.request}`,
        );
      } else {
        assert.ok(deps.includes(bare) || builtins.has(s.request.replace(/^node:/, "")), `${s.from} requires undeclared ${s.request}`);
      }
    }
    assert.ok(seen.some((s) => s.request === "@pulumi/policy"));
    assert.ok(loaded["bin/policies.js"].includes("policies"));
    assert.ok(loaded["bin/offline.js"].includes("runPolicies"));
  });

  it("parses a YAML CloudFormation template with the declared, pinned yaml dependency, loaded only on demand", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(pkg, "package.json"), "utf8"));
    assert.match(manifest.dependencies.yaml, /^\d+\.\d+\.\d+$/);
    const script = `
            const path = require("path");
            const root = process.argv[1];
            const cfn = require(path.join(root, "bin", "cloudformation.js"));
            const before = Object.keys(require.cache).some((f) => f.includes(path.sep + "yaml" + path.sep));
            const read = cfn.readTemplate("aws:cloudformation/stack:Stack", {
              templateBody: "Resources:\\n  R:\\n    Type: AWS::IAM::Role\\n    Properties:\\n      PermissionsBoundary: !Sub arn:\${AWS::Partition}:iam::\${AWS::AccountId}:policy/b\\n      X: !GetAtt A.Arn\\n",
            });
            console.log(JSON.stringify({ before, read, yaml: require.resolve("yaml", { paths: [root] }) }));
        `;
    const out = JSON.parse(execFileSync(process.execPath, ["-e", script, pkg], { cwd: pkg, timeout: 60_000 }).toString());
    assert.strictEqual(out.before, false, "yaml is loaded at start-up");
    assert.deepStrictEqual(out.read.resources[0].properties, {
      PermissionsBoundary: { "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/b" },
      X: { "Fn::GetAtt": ["A", "Arn"] },
    });
  });

  describe("serves the pack over gRPC like the Pulumi CLI talks to it", () => {
    let child: ChildProcess | undefined;
    let client: any;
    let stderr = "";

    before(async () => {
      child = spawn(process.execPath, [path.join(pkg, "bin", "index.js")], { cwd: pkg, stdio: ["ignore", "pipe", "pipe"] });
      child.stderr!.on("data", (d) => (stderr += d));
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no port printed within 30s; stderr: ${stderr}`)), 30_000);
        let out = "";
        child!.stdout!.on("data", (d) => {
          out += d;
          const m = /^(\d+)\s*$/m.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(Number(m[1]));
          }
        });
        child!.on("exit", (code) => reject(new Error(`pack exited with ${code}; stderr: ${stderr}`)));
      });
      client = new rpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    });

    after(() => {
      client?.close();
      if (child && child.exitCode === null) child.kill();
    });

    const unary = <T>(method: string, req: unknown): Promise<T> =>
      new Promise((resolve, reject) => client[method](req, (err: unknown, resp: T) => (err ? reject(err) : resolve(resp))));

    it("lists the policies of policies.ts, in order, mandatory, with their config schemas", async () => {
      const info: any = await unary("getAnalyzerInfo", new Empty());
      assert.strictEqual(info.getName(), "jump-account-guardrails");
      const served = info.getPoliciesList().map((p: any) => ({
        name: p.getName(),
        level: LEVEL_NAMES[p.getEnforcementlevel()],
        keys: Object.keys(p.getConfigschema()?.getProperties()?.toJavaScript() ?? {}).sort(),
      }));
      assert.deepStrictEqual(
        served,
        policies.map((p) => ({ name: p.name, level: p.enforcementLevel, keys: Object.keys(p.configSchema?.properties ?? {}).sort() })),
      );
      assert.strictEqual(stderr, "");
    });

    it("applies Configure and ConfigureStack, and reports what the offline runner reports", async () => {
      const config = {
        "iam-role-requires-permissions-boundary": {
          enforcementLevel: "remediate",
          boundaryPolicyName: "test-pb-policy",
          boundaryAccountIds: [TARGET_ACCOUNT],
        },
        "iam-no-users-in-target-accounts": { targetStackTags: { "jumpenv:account-kind": "target" } },
      } as const;
      const stackTags = { "jumpenv:account-kind": "target" };
      const creq = new pb.ConfigureAnalyzerRequest();
      for (const [name, { enforcementLevel, ...props }] of Object.entries(config) as [string, Record<string, unknown>][]) {
        const pc = new pb.PolicyConfig();
        pc.setEnforcementlevel(pb.EnforcementLevel[String(enforcementLevel ?? "mandatory").toUpperCase()]);
        pc.setProperties(Struct.fromJavaScript(props));
        creq.getPolicyconfigMap().set(name, pc);
      }
      await unary("configure", creq);
      const sreq = new pb.AnalyzerStackConfigureRequest();
      for (const [k, v] of Object.entries(stackTags)) sreq.getTagsMap().set(k, v);
      await unary("configureStack", sreq);

      const resources: OfflineResource[] = [
        validRole({ permissionsBoundary: SEED_BOUNDARY_ARN }),
        { ...validRole({ permissionsBoundary: undefined }), urn: validRole().urn + "-none" },
        { ...validRole({ permissionsBoundary: UNKNOWN }), urn: validRole().urn + "-unknown" },
        { ...validRole({ permissionsBoundary: BOUNDARY_ARN }), urn: validRole().urn + "-default-name" },
        resource("aws:iam/user:User", "intruder", { name: "intruder" }, "legacy"),
      ];
      const served: string[] = [];
      const remediated: Record<string, unknown>[] = [];
      for (const r0 of resources) {
        let r = r0;
        const rem: any = await unary("remediate", analyzeRequest(r));
        for (const x of rem.getRemediationsList()) {
          const props = x.getProperties()?.toJavaScript();
          if (props) {
            remediated.push(props);
            r = { ...r, props };
          }
        }
        const resp: any = await unary("analyze", analyzeRequest(r));
        for (const d of resp.getDiagnosticsList())
          served.push(`${r.urn}|${d.getPolicyname()}|${LEVEL_NAMES[d.getEnforcementlevel()]}|${d.getMessage()}`);
      }
      const offline = await runPolicies(resources, { config, stackTags, packVersion: "0.1.0" });
      assert.deepStrictEqual(
        served.sort(),
        offline.violations.map((v) => `${v.urn}|${v.policy}|${v.enforcementLevel}|${v.message}`).sort(),
      );
      // Remediation gave the bare role and the default-named one the configured boundary.
      assert.deepStrictEqual(
        remediated.map((p) => p.permissionsBoundary),
        [SEED_BOUNDARY_ARN, SEED_BOUNDARY_ARN],
      );
      // What is left: the unknown boundary (mandatory, the pack's own message) and the tagged stack's user.
      assert.deepStrictEqual(served.map((s) => s.split("|").slice(1, 3).join("|")).sort(), [
        "iam-no-users-in-target-accounts|mandatory",
        "iam-role-requires-permissions-boundary|mandatory",
      ]);
      assert.ok(served.some((s) => s.includes("is unknown during preview, so nothing has checked it")));
    });

    it("refuses every bypass of test/bypasses.ts and passes its neighbours, as the offline runner does", async () => {
      for (const c of BYPASS_CASES) {
        const config = configOf(c);
        const creq = new pb.ConfigureAnalyzerRequest();
        // The CLI sends every policy's reconciled level and settings; Configure replaces the last config.
        for (const [name, { enforcementLevel, props }] of Object.entries(effectiveConfig(policies, config))) {
          const pc = new pb.PolicyConfig();
          pc.setEnforcementlevel(pb.EnforcementLevel[enforcementLevel.toUpperCase()]);
          pc.setProperties(Struct.fromJavaScript(props as never));
          creq.getPolicyconfigMap().set(name, pc);
        }
        await unary("configure", creq);
        const served: { policy: string; enforcementLevel: string }[] = [];
        for (const r of c.resources) {
          const resp: any = await unary("analyze", analyzeRequest(r));
          for (const d of resp.getDiagnosticsList())
            served.push({ policy: d.getPolicyname(), enforcementLevel: LEVEL_NAMES[d.getEnforcementlevel()] });
        }
        const offline = await runPolicies(c.resources, { config, packVersion: "0.1.0" });
        assert.deepStrictEqual(findingKeys(served), [...c.expect].sort(), c.name);
        assert.deepStrictEqual(findingKeys(served), findingKeys(offline.violations), c.name);
      }
    });
  });
});

function listFiles(dir: string, base = dir): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? listFiles(path.join(dir, e.name), base) : [path.relative(base, path.join(dir, e.name)).split(path.sep).join("/")],
    )
    .sort();
}
