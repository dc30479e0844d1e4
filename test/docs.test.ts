/**
 * The documentation and the generated config declarations stay true to the code:
 * - the config reference and each Pulumi.yaml `config:` block are what `npm run docs` generates
 *   from the zod schemas now;
 * - those declarations are valid for Pulumi's project schema, accept every committed stack file as
 *   the CLI would, and their defaults give the programs the same settings as the schemas' own;
 * - the READMEs name only scripts, files, anchors, stacks, secrets and variables that exist, run
 *   every preview and update with the pack, and the Japanese README has the English one's commands.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { parseIdentityCenterConfig, parseJumpConfig, parseTargetConfig, type RawConfig } from "@jumpenv/shared";
import { parseGovernanceConfig } from "../governance/config";
import { readPolicyPackManifest } from "../governance/pack";
import { committedStacks } from "../governance/stacks";
import { REFERENCE_FILE } from "../docgen/config-reference";
import {
  ESCALATIONS_FILE,
  GENERATORS,
  generatedFiles,
  main as docs,
  PACK_README_FILE,
  readFromRepository,
  staleFiles,
} from "../docgen/generated-files";
import { keyDocs, PROJECTS, pulumiTypeOf, REPO_ROOT, type ProjectDoc } from "../docgen/projects";
import { configBlock, withConfigBlock } from "../docgen/pulumi-yaml";
import { loadWorkflows } from "./workflow-rules";

const read = (rel: string) => fs.readFileSync(path.join(REPO_ROOT, rel), "utf8");
const README = "README.md";
const README_JA = "README.ja.md";

// ---------------------------------------------------------------------------------------------
// What the Pulumi CLI does with Pulumi.yaml config declarations (sdk/go/common/workspace:
// project.json, ValidateConfigValue and ValidateStackConfigAndApplyProjectConfig, as of v3.187,
// which added `object`: a map, nothing checked inside), for the parts used here.

const SIMPLE = ["string", "integer", "boolean", "object"];
const DECLARATION_FIELDS = ["type", "items", "description", "secret", "default", "value"];

interface Declaration {
  type?: string;
  items?: Declaration;
  description?: string;
  default?: unknown;
}

function declarationsOf(dir: string): { project: string; config: Record<string, Declaration> } {
  const doc = YAML.parse(read(path.join(dir, "Pulumi.yaml"))) as { name: string; config?: Record<string, Declaration> };
  return { project: doc.name, config: doc.config ?? {} };
}

/** Problems Pulumi's project schema would report for the declarations. */
function declarationProblems(config: Record<string, Declaration>): string[] {
  const problems: string[] = [];
  for (const [key, d] of Object.entries(config)) {
    if (d === null || typeof d !== "object") continue; // a plain value: not a declaration
    if (key.includes(":") && (d.type !== undefined || d.default !== undefined))
      problems.push(`${key}: a key of another namespace may not declare a type or default`);
    for (const f of Object.keys(d)) if (!DECLARATION_FIELDS.includes(f)) problems.push(`${key}: unknown field ${f}`);
    if (d.type === undefined) problems.push(`${key}: no type`);
    else if (![...SIMPLE, "array"].includes(d.type))
      problems.push(`${key}: type ${d.type} is not one of string, integer, boolean, array, object`);
    if (d.type === "array" && !itemsValid(d.items)) problems.push(`${key}: an array must declare its items' type`);
    if (d.default !== undefined && d.type && !valueHasType(d.default, d))
      problems.push(`${key}: default ${JSON.stringify(d.default)} is not of type ${d.type}`);
    if (!d.description) problems.push(`${key}: no description`);
  }
  return problems;
}

/** project.json's configItemsType: a type, and items again when that type is array. */
function itemsValid(items: Declaration | undefined): boolean {
  if (!items?.type || ![...SIMPLE, "array"].includes(items.type)) return false;
  return items.type !== "array" || itemsValid(items.items);
}

/** ValidateConfigValue: integers may be whole floats or integer strings, booleans "true"/"false", an object any map. */
function valueHasType(value: unknown, d: Declaration): boolean {
  switch (d.type) {
    case "string":
      return typeof value === "string";
    case "integer":
      return (typeof value === "number" && Number.isInteger(value)) || (typeof value === "string" && /^[+-]?\d+$/.test(value));
    case "boolean":
      return typeof value === "boolean" || value === "true" || value === "false";
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value);
    default:
      return d.items !== undefined && Array.isArray(value) && value.every((v) => valueHasType(v, d.items!));
  }
}

/** InferFullTypeName: `array<array<object>>`. */
function fullTypeName(d: Declaration): string {
  return d.items ? `array<${fullTypeName(d.items)}>` : String(d.type);
}

/**
 * The config a program receives from the CLI: the stack file's values, type-checked against the
 * project's declarations, with the declared defaults added for keys the stack leaves out.
 * Returns the raw config (strings, JSON for the rest) or the CLI's errors.
 */
function cliConfig(project: string, declarations: Record<string, Declaration>, stackFile: string): { raw?: RawConfig; errors: string[] } {
  const stackName = /Pulumi\.(.+)\.ya?ml$/.exec(stackFile)![1];
  const values = ((YAML.parse(fs.readFileSync(stackFile, "utf8")) as { config?: Record<string, unknown> }).config ?? {}) as Record<
    string,
    unknown
  >;
  const full: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) full[k.includes(":") ? k : `${project}:${k}`] = v;
  const errors: string[] = [];
  const missing: string[] = [];
  for (const [key, d] of Object.entries(declarations)) {
    const name = `${project}:${key}`;
    if (name in full) {
      if (!valueHasType(full[name], d))
        errors.push(`Stack '${stackName}' with configuration key '${key}' must be of type '${fullTypeName(d)}'`);
    } else if (d.default !== undefined) {
      full[name] = d.default;
    } else {
      missing.push(key);
    }
  }
  // pkg/workspace: the missing keys sorted, "'a', 'b' and 'c'".
  const quoted = missing.sort().map((m) => `'${m}'`);
  if (missing.length > 0)
    errors.push(
      `Stack '${stackName}' is missing configuration value${missing.length > 1 ? "s" : ""} ${
        quoted.length > 1 ? `${quoted.slice(0, -1).join(", ")} and ${quoted.at(-1)}` : quoted[0]
      }`,
    );
  if (errors.length > 0) return { errors };
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries(full)) raw[k] = typeof v === "string" ? v : JSON.stringify(v);
  return { raw, errors };
}

function rawOf(project: string, stackFile: string): RawConfig {
  const values = ((YAML.parse(fs.readFileSync(stackFile, "utf8")) as { config?: Record<string, unknown> }).config ?? {}) as Record<
    string,
    unknown
  >;
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) raw[k.includes(":") ? k : `${project}:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
  return raw;
}

/** Every committed stack file, with its project folder and the loader of its project. */
function stackFiles(): { dir: string; project: string; file: string; load: (raw: RawConfig, stack: string) => unknown }[] {
  const out: { dir: string; project: string; file: string; load: (raw: RawConfig, stack: string) => unknown }[] = [];
  for (const s of committedStacks()) {
    out.push({
      dir: s.dir,
      project: s.project,
      file: s.file,
      load: (raw, stack) =>
        s.role === "jump"
          ? parseJumpConfig(raw, { project: s.project, stack })
          : s.role === "identity-center"
            ? parseIdentityCenterConfig(raw, { project: s.project, stack })
            : parseTargetConfig(raw, { project: s.project, stack }),
    });
  }
  for (const f of fs.readdirSync(REPO_ROOT).filter((f) => /^Pulumi\..+\.ya?ml$/.test(f))) {
    out.push({
      dir: ".",
      project: "governance",
      file: path.join(REPO_ROOT, f),
      load: (raw, stack) => parseGovernanceConfig(raw, "governance", stack),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Markdown helpers

function codeBlocks(md: string): { lang: string; body: string }[] {
  return [...md.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], body: m[2] }));
}

/** Command lines of the shell blocks (a leading `$` dropped). */
function commandLines(md: string): string[] {
  return codeBlocks(md)
    .filter((b) => b.lang === "sh")
    .flatMap((b) => b.body.split("\n"))
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

function headings(md: string, level: number): string[] {
  const prefix = `${"#".repeat(level)} `;
  return md
    .replace(/^```[\s\S]*?^```$/gm, "")
    .split("\n")
    .filter((l) => l.startsWith(prefix))
    .map((l) => l.slice(prefix.length).trim());
}

/** GitHub's anchor for a heading. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

function links(md: string): string[] {
  const withoutCode = md.replace(/^```[\s\S]*?^```$/gm, "").replace(/`[^`]*`/g, "");
  return [...withoutCode.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/.test(l));
}

const DOCS = [README, README_JA, REFERENCE_FILE];

describe("docs: generated config declarations and reference", () => {
  it("every generated file is up to date (run `npm run docs`)", async () => {
    assert.deepEqual(await staleFiles(), [], "stale generated files: run `npm run docs` and commit the result");
  });

  it("the generators cover the Pulumi.yaml blocks, the config reference, the pack's policy table and the escalation matrix", () => {
    assert.deepEqual(
      GENERATORS.map((g) => g.path),
      [...PROJECTS.map((p) => path.join(p.dir, "Pulumi.yaml")), REFERENCE_FILE, PACK_README_FILE, ESCALATIONS_FILE],
    );
  });

  // `npm run docs -- --check` with one committed file edited by hand inside its generated part.
  const edits: [string, (text: string) => string][] = [
    [path.join("jump-account", "Pulumi.yaml"), (t) => t.replace(/^    description: .*/m, "    description: edited by hand")],
    [REFERENCE_FILE, (t) => t.replace("| `jump-account:", "| `jump-account:edited")],
    [PACK_README_FILE, (t) => t.replace(/\| mandatory \|/, "| advisory |")],
    [ESCALATIONS_FILE, (t) => t.replace("| blocked |", "| **open** |")],
  ];
  for (const [file, edit] of edits) {
    it(`npm run docs -- --check exits 1 and names ${file} when its generated part was edited by hand`, async () => {
      const edited = edit(readFromRepository(file)!);
      assert.notEqual(edited, readFromRepository(file), "the edit must change the file");
      const errors: string[] = [];
      const error = console.error;
      console.error = (line: string) => errors.push(line);
      try {
        assert.equal(await docs(["--check"], (f) => (f === file ? edited : readFromRepository(f))), 1);
      } finally {
        console.error = error;
      }
      assert.deepEqual(errors, [`stale generated files (run \`npm run docs\`): ${file}`]);
    });
  }

  it("npm run docs rejects an unknown argument with exit 2", async () => {
    const error = console.error;
    const errors: string[] = [];
    console.error = (line: string) => errors.push(line);
    try {
      assert.equal(await docs(["--chek"]), 2);
    } finally {
      console.error = error;
    }
    assert.match(errors.join("\n"), /unknown argument "--chek"/);
  });

  it("the generator replaces only the config block: every other line of Pulumi.yaml is kept", () => {
    const before =
      "name: demo\nruntime: nodejs\n# Generated by `npm run docs` from x\nconfig:\n  old:\n    type: string\n    default: a\nbackend:\n  url: file://~\n";
    const project: ProjectDoc = PROJECTS.find((p) => p.dir === "target-account")!;
    const after = withConfigBlock(before, configBlock(project));
    const doc = YAML.parse(after) as Record<string, unknown>;
    assert.equal(doc.name, "demo");
    assert.equal(doc.runtime, "nodejs");
    assert.deepEqual(doc.backend, { url: "file://~" });
    assert.ok(!("old" in (doc.config as object)));
    assert.ok("boundaryProfile" in (doc.config as object));
    assert.equal(withConfigBlock(after, configBlock(project)), after, "regenerating is stable");
  });

  it("a hand edit of a declared default makes the committed file stale", async () => {
    const file = (await generatedFiles()).find((f) => f.path === path.join("target-account", "Pulumi.yaml"))!;
    const edited = file.content.replace("default: jump-permissions-boundary", "default: my-boundary");
    assert.notEqual(edited, file.content);
    assert.notEqual(withConfigBlock(edited, configBlock(PROJECTS.find((p) => p.dir === "target-account")!)), edited);
  });

  for (const p of PROJECTS) {
    const label = p.dir === "." ? "Pulumi.yaml (governance)" : `${p.dir}/Pulumi.yaml`;

    it(`${label}: every declaration is one Pulumi's project schema accepts`, () => {
      const { config } = declarationsOf(p.dir);
      assert.ok(Object.keys(config).length > 0);
      assert.deepEqual(declarationProblems(config), []);
    });

    it(`${label}: declares every key it can, each with the schema's description and default; the reference documents every key`, () => {
      const { project, config } = declarationsOf(p.dir);
      const reference = read(REFERENCE_FILE);
      for (const d of keyDocs(p)) {
        assert.ok(reference.includes(`\`${project}:${d.key}\``), `${REFERENCE_FILE} does not document ${project}:${d.key}`);
        const declarable = pulumiTypeOf(d.schema) !== undefined && (d.required || d.schema.default !== undefined);
        if (!declarable) {
          assert.ok(!(d.key in config), `${d.key} is declared but cannot be`);
          continue;
        }
        assert.ok(d.key in config, `${d.key} is not declared`);
        assert.equal(config[d.key].description, d.schema.description);
        assert.deepEqual(config[d.key].default, d.schema.default);
      }
    });
  }

  it("the CLI would accept every committed stack file, and the declared defaults give the programs the settings their schemas give", () => {
    const files = stackFiles();
    assert.ok(files.length >= 4);
    for (const f of files) {
      const { project, config } = declarationsOf(f.dir);
      const stack = /Pulumi\.(.+)\.ya?ml$/.exec(f.file)![1];
      const viaCli = cliConfig(project, config, f.file);
      assert.deepEqual(viaCli.errors, [], f.file);
      assert.deepEqual(
        f.load(viaCli.raw!, stack),
        f.load(rawOf(project, f.file), stack),
        `${f.file}: Pulumi.yaml defaults and schema defaults disagree`,
      );
    }
  });

  it("lists of objects are declared with items of type object: a list of strings would reject the example users, a map instead of a list too", () => {
    const { project, config } = declarationsOf("jump-account");
    assert.deepEqual(config.users.items, { type: "object" });
    assert.deepEqual(config.passwordPolicy.type, "object");
    const asObject = { ...config, users: { type: "object", description: "IAM users" } };
    assert.deepEqual(cliConfig(project, asObject, path.join(REPO_ROOT, "jump-account", "Pulumi.jump.yaml")).errors, [
      "Stack 'jump' with configuration key 'users' must be of type 'object'",
    ]);
    const asStrings = { ...config, users: { type: "array", items: { type: "string" }, description: "IAM users" } };
    const result = cliConfig(project, asStrings, path.join(REPO_ROOT, "jump-account", "Pulumi.jump.yaml"));
    assert.deepEqual(result.errors, ["Stack 'jump' with configuration key 'users' must be of type 'array<string>'"]);
  });

  it("a declared key without a default is required by the CLI (so optional keys without a default stay undeclared)", () => {
    const { project, config } = declarationsOf("identity-center");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-"));
    try {
      const file = path.join(dir, "Pulumi.bare.yaml");
      fs.writeFileSync(file, "config:\n  aws:region: us-east-1\n");
      assert.deepEqual(cliConfig(project, config, file).errors, [
        "Stack 'bare' is missing configuration values 'groups', 'instanceArn', 'permissionSets' and 'targets'",
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("docs: README.md and README.ja.md", () => {
  const pkg = JSON.parse(read("package.json")) as { scripts: Record<string, string> };
  const texts = Object.fromEntries(DOCS.map((d) => [d, read(d)]));

  for (const doc of [README, README_JA]) {
    it(`${doc}: has a Mermaid architecture diagram, the quickstart (npm ci, npm start, npm test) and the Sample report section`, () => {
      const md = texts[doc];
      assert.ok(
        codeBlocks(md).some((b) => b.lang === "mermaid" && /flowchart/.test(b.body)),
        "no mermaid flowchart",
      );
      const first = codeBlocks(md).find((b) => b.lang === "sh")!;
      assert.deepEqual(first.body.trim().split("\n"), ["npm ci", "npm start", "npm test"]);
      assert.ok(/^## .*(Sample report|サンプルレポート)/m.test(md), "no Sample report section");
    });

    it(`${doc}: deploys every committed stack, the jump stack first, and previews and updates only with the pack`, () => {
      const lines = commandLines(texts[doc]);
      const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
      const jumpInit = at(/^pulumi stack init acme\/jump-account\/jump$/);
      assert.ok(jumpInit >= 0, "no stack init of the jump stack");
      for (const s of committedStacks().filter((x) => x.role === "target")) {
        const init = at(new RegExp(`^pulumi stack init acme/target-account/${s.stack}$`));
        assert.ok(init > jumpInit, `${s.stack}: no stack init after the jump stack's`);
        assert.ok(at(new RegExp(`policy-config -- target-account/${s.stack} `)) >= 0, `${s.stack}: its pack config is not generated`);
      }
      const ups = lines.filter((l) => /^pulumi (preview|up)\b/.test(l));
      assert.ok(ups.length >= 2 * (committedStacks().length + 1));
      for (const l of ups) assert.match(l, /--policy-pack \S*policy-pack --policy-pack-config \S+/, l);
      const firstUp = lines.findIndex((l) => /^pulumi up\b/.test(l));
      assert.match(lines[firstUp], /jump\.json$/, "the first pulumi up is not the jump stack's");
    });

    it(`${doc}: every npm script it runs exists`, () => {
      for (const l of commandLines(texts[doc]).concat(
        [...texts[doc].matchAll(/`(npm (?:run [^`]+|start|test)[^`]*)`/g)].map((m) => m[1]),
      )) {
        const m = /^npm (?:run (?:--silent |-s )?([\w:-]+)|(start|test))(.*)$/.exec(l);
        if (!m) continue;
        const script = m[1] ?? m[2];
        const ws = /--workspace[ =]([\w-]+)/.exec(m[3] ?? "");
        const scripts = ws
          ? ((JSON.parse(read(path.join(ws[1], "package.json"))) as { scripts?: Record<string, string> }).scripts ?? {})
          : pkg.scripts;
        assert.ok(script in scripts, `${doc}: \`${l}\` runs a script that ${ws ? `${ws[1]}/` : ""}package.json does not have`);
      }
    });

    it(`${doc}: documents every secret, variable and environment the workflows use, with the OIDC subjects the roles must trust`, () => {
      const md = texts[doc];
      const raw = fs
        .readdirSync(path.join(REPO_ROOT, ".github", "workflows"))
        .map((f) => fs.readFileSync(path.join(REPO_ROOT, ".github", "workflows", f), "utf8"))
        .join("\n");
      const names = new Set([...raw.matchAll(/\b(?:secrets|vars)\.([A-Z_]+)/g)].map((m) => m[1]).filter((n) => n !== "GITHUB_TOKEN"));
      assert.ok(names.has("PULUMI_ACCESS_TOKEN") && names.has("PULUMI_ORG"));
      for (const n of names) assert.ok(md.includes(`\`${n}\``), `${doc} does not document ${n}`);
      for (const w of loadWorkflows(path.join(REPO_ROOT, ".github", "workflows"))) {
        for (const job of Object.values(w.doc.jobs)) {
          const env = typeof job.environment === "string" ? job.environment : job.environment?.name;
          if (env)
            assert.ok(md.includes(`repo:<owner>/<repo>:environment:${env}`), `${doc}: no trust policy subject for environment ${env}`);
        }
      }
      assert.ok(md.includes("repo:<owner>/<repo>:pull_request"), `${doc}: no trust policy subject for pull requests`);
    });

    it(`${doc}: names the pack as policy-pack/package.json does`, () => {
      const { name } = readPolicyPackManifest();
      const named = [...texts[doc].matchAll(/pulumi policy (?:enable|validate-config) acme\/([\w.-]+)/g)].map((m) => m[1]);
      assert.ok(named.length > 0);
      for (const n of named) assert.equal(n, name);
    });
  }

  for (const doc of DOCS) {
    it(`${doc}: every relative link points to a file (and heading) that exists`, () => {
      const dir = path.dirname(path.join(REPO_ROOT, doc));
      for (const link of links(texts[doc])) {
        const [file, anchor] = link.split("#");
        const target = file ? path.resolve(dir, file) : path.join(REPO_ROOT, doc);
        // A user's clone has nothing beside it: a link out of the repository is broken for them.
        assert.ok(!path.relative(REPO_ROOT, target).startsWith(".."), `${doc}: link ${link} points outside the repository`);
        assert.ok(fs.existsSync(target), `${doc}: link ${link} points to a missing file`);
        if (anchor && target.endsWith(".md")) {
          const slugs = [2, 3, 4].flatMap((lvl) => headings(fs.readFileSync(target, "utf8"), lvl)).map(slug);
          assert.ok(slugs.includes(anchor), `${doc}: link ${link} points to a missing heading (have ${slugs.join(", ")})`);
        }
      }
    });
  }

  it("README.ja.md has README.md's commands and the same sections", () => {
    assert.deepEqual([...new Set(commandLines(texts[README_JA]))].sort(), [...new Set(commandLines(texts[README]))].sort());
    assert.equal(headings(texts[README_JA], 2).length, headings(texts[README], 2).length, "## sections");
    assert.equal(headings(texts[README_JA], 3).length, headings(texts[README], 3).length, "### sections");
    const jsonBlocks = (md: string) =>
      codeBlocks(md)
        .filter((b) => b.lang === "json" || b.lang === "yaml" || b.lang === "text")
        .map((b) => b.body);
    assert.deepEqual(jsonBlocks(texts[README_JA]), jsonBlocks(texts[README]));
  });
});
