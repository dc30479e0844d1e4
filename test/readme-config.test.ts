/**
 * Every README command that edits config works on the committed stack files as they are: each
 * `pulumi config set` of README.md and README.ja.md (in code blocks, and inline in the text) is
 * applied, the way the CLI applies it (test/config-set.ts), to every committed stack file of the
 * project its key belongs to, commands of one block or paragraph in order. The result must still
 * be valid config, hold the value the command wrote, and keep the items of a list default that
 * the stack file did not have (the CLI never reads Pulumi.yaml's defaults when it sets a path).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { parseJumpConfig, parseTargetConfig, type RawConfig } from "../shared/config";
import { REPO_ROOT } from "../verify/harness/environment";
import { configSet, ConfigSetError, parseConfigSet, parsePropertyPath, type ConfigSetCommand } from "./config-set";

const PROJECT_DIRS = ["jump-account", "target-account"] as const;

interface Group {
  readonly where: string;
  readonly commands: readonly ConfigSetCommand[];
}

/** The `pulumi config set` commands of a README, one group per code block or paragraph. */
export function configCommandGroups(markdown: string, file: string): Group[] {
  const groups: Group[] = [];
  const lines = markdown.split("\n");
  let block: { start: number; commands: ConfigSetCommand[] } | undefined;
  let para: { start: number; text: string[] } | undefined;
  const endParagraph = () => {
    if (!para) return;
    const commands = [...para.text.join(" ").matchAll(/`(pulumi config set [^`]+)`/g)].map((m) => parseConfigSet(m[1])!);
    if (commands.length > 0) groups.push({ where: `${file}:${para.start}`, commands });
    para = undefined;
  };
  lines.forEach((line, i) => {
    if (/^\s*```/.test(line)) {
      endParagraph();
      if (block) {
        if (block.commands.length > 0) groups.push({ where: `${file}:${block.start}`, commands: block.commands });
        block = undefined;
      } else block = { start: i + 1, commands: [] };
      return;
    }
    if (block) {
      const c = parseConfigSet(line);
      if (c) block.commands.push(c);
      return;
    }
    if (line.trim() === "") endParagraph();
    else (para ??= { start: i + 1, text: [] }).text.push(line);
  });
  endParagraph();
  return groups;
}

interface ProjectStacks {
  readonly project: string;
  readonly defaults: Record<string, unknown>;
  readonly files: { readonly stack: string; readonly config: Record<string, unknown> }[];
}

function projectStacks(dir: string): ProjectStacks {
  const project = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, dir, "Pulumi.yaml"), "utf8"));
  const defaults: Record<string, unknown> = {};
  for (const [k, decl] of Object.entries((project.config ?? {}) as Record<string, { default?: unknown }>)) {
    if (decl && typeof decl === "object" && "default" in decl) defaults[k.includes(":") ? k : `${project.name}:${k}`] = decl.default;
  }
  const files = fs
    .readdirSync(path.join(REPO_ROOT, dir))
    .filter((f) => /^Pulumi\..+\.ya?ml$/.test(f))
    .map((f) => ({
      stack: /^Pulumi\.(.+)\.ya?ml$/.exec(f)![1],
      config: (YAML.parse(fs.readFileSync(path.join(REPO_ROOT, dir, f), "utf8"), { maxAliasCount: 100_000 }).config ?? {}) as Record<
        string,
        unknown
      >,
    }));
  return { project: project.name, defaults, files };
}

/** The raw config the CLI hands the program: strings as they are, anything else as JSON. */
function raw(config: Record<string, unknown>): RawConfig {
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

function valueAt(config: Record<string, unknown>, project: string, c: ConfigSetCommand): unknown {
  const ns = c.key.includes(":") ? c.key.slice(0, c.key.indexOf(":")) : project;
  const segments = c.path ? parsePropertyPath(c.key.slice(ns.length + 1)) : [c.key.slice(ns.length + 1)];
  let v: unknown = config[`${ns}:${segments[0]}`];
  for (const s of segments.slice(1)) v = (v as Record<string | number, unknown>)?.[s];
  return v;
}

/** Problems of applying one README group to every committed stack file of each project its keys name. */
export function groupProblems(group: Group, projects: readonly ProjectStacks[]): string[] {
  const problems: string[] = [];
  const namespaces = new Set(group.commands.map((c) => c.key.split(":")[0]));
  for (const ns of namespaces) {
    const project = projects.find((p) => p.project === ns);
    if (!project) {
      problems.push(`${group.where}: ${ns} is not a project of this repository`);
      continue;
    }
    const commands = group.commands.filter((c) => c.key.startsWith(`${ns}:`));
    for (const file of project.files) {
      const where = `${group.where} on ${ns}/${file.stack}`;
      let config = file.config;
      try {
        for (const c of commands) config = configSet(config, project.project, c.key, c.value, c.path);
      } catch (e) {
        if (!(e instanceof ConfigSetError)) throw e;
        problems.push(`${where}: pulumi answers "${e.message}"`);
        continue;
      }
      for (const c of commands) {
        const want = c.path && /^(true|false|\d+)$/.test(c.value) ? JSON.parse(c.value) : c.value;
        const last = commands.filter((x) => x.key === c.key).at(-1);
        if (last === c && valueAt(config, project.project, c) !== want) problems.push(`${where}: ${c.text} did not set ${c.value}`);
      }
      // A list written by path where the stack file had none replaces the default of Pulumi.yaml.
      for (const [key, def] of Object.entries(project.defaults)) {
        if (!Array.isArray(def) || key in file.config || !(key in config)) continue;
        const now = config[key];
        const dropped = def.filter((d) => !(Array.isArray(now) && now.some((x) => JSON.stringify(x) === JSON.stringify(d))));
        if (dropped.length > 0)
          problems.push(`${where}: ${key} no longer holds its default ${dropped.map((d) => JSON.stringify(d)).join(", ")}`);
      }
      try {
        const id = { project: project.project, stack: file.stack };
        if (ns === "jump-account") parseJumpConfig(raw(config), id);
        else parseTargetConfig(raw(config), id);
      } catch (e) {
        problems.push(`${where}: the result is not valid config: ${(e as Error).message}`);
      }
    }
  }
  return problems;
}

describe("README commands that edit config, on the committed stack files", () => {
  const projects = PROJECT_DIRS.map(projectStacks);

  for (const readme of ["README.md", "README.ja.md"]) {
    it(`every pulumi config set of ${readme} works and keeps the stack valid`, () => {
      const groups = configCommandGroups(fs.readFileSync(path.join(REPO_ROOT, readme), "utf8"), readme);
      assert.ok(
        groups.flatMap((g) => g.commands).some((c) => c.path),
        `${readme} has no --path command to check`,
      );
      assert.deepEqual(
        groups.flatMap((g) => groupProblems(g, projects)),
        [],
      );
    });
  }

  it("both READMEs give the same config commands", () => {
    const commands = (f: string) =>
      configCommandGroups(fs.readFileSync(path.join(REPO_ROOT, f), "utf8"), f)
        .flatMap((g) => g.commands)
        .map((c) => c.text);
    assert.deepEqual(commands("README.ja.md"), commands("README.md"));
  });

  describe("the emulation answers as the CLI does", () => {
    const target = () => projects.find((p) => p.project === "target-account")!;
    const one = (text: string): Group => ({ where: "case", commands: [parseConfigSet(text)!] });

    it("an index past the end of a list the stack file lacks: array index out of range", () => {
      assert.match(
        groupProblems(one("pulumi config set --path 'target-account:protectedRoleNames[1]' pulumi-deploy"), [target()]).join("\n"),
        /pulumi answers "array index out of range"/,
      );
    });

    it("index 0 of a list the stack file lacks: the default item is gone", () => {
      assert.match(
        groupProblems(one("pulumi config set --path 'target-account:protectedRoleNames[0]' pulumi-deploy"), [target()]).join("\n"),
        /protectedRoleNames no longer holds its default "OrganizationAccountAccessRole"/,
      );
    });

    it("a value the program refuses", () => {
      assert.match(
        groupProblems(one("pulumi config set target-account:boundaryProfile relaxed"), [target()]).join("\n"),
        /the result is not valid config/,
      );
    });

    it("paths: append at the length, booleans and integers, maps created on the way, type mismatches", () => {
      let c = configSet({ "p:list": ["a"] }, "p", "p:list[1]", "b", true);
      assert.deepEqual(c["p:list"], ["a", "b"]);
      c = configSet(c, "p", "obj.flag", "true", true);
      c = configSet(c, "p", 'obj["n.x"]', "42", true);
      assert.deepEqual(c["p:obj"], { flag: true, "n.x": 42 });
      assert.equal(configSet({}, "p", "p:plain", "true", false)["p:plain"], "true");
      assert.throws(() => configSet({ "p:list": ["a"] }, "p", "p:list.x", "v", true), /a map was expected for key "x"/);
      assert.throws(() => configSet({ "p:obj": { a: 1 } }, "p", "p:obj[0]", "v", true), /an array was expected for index 0/);
    });
  });
});
