/**
 * `npm run docs` — generates, from the zod config schemas (the one source of truth):
 *   - the `config:` declarations of `jump-account/Pulumi.yaml`, `target-account/Pulumi.yaml` and the
 *     root `Pulumi.yaml` (the governance project): type, description and default of every key
 *     Pulumi can declare;
 *   - `docs/config-reference.md`: every key, including those Pulumi.yaml cannot declare.
 * `npm run docs -- --check` writes nothing and exits 1 when a committed file is stale; the docs
 * test does the same comparison.
 *
 * Why some keys are not declared in Pulumi.yaml: Pulumi's project schema
 * (sdk/go/common/workspace/project.json) gives a declared key a `type` of string, integer,
 * boolean or array, and an array's `items` only those simple types again. There is no object
 * type, so a key whose value is an object or a list of objects (`users`, `groups`, `targets`,
 * `passwordPolicy`) cannot be declared with a type without the CLI rejecting every stack that
 * sets it. A declared key without a default is required by the CLI, so an optional key without
 * a default is not declared either. Those keys are documented in the reference instead, and the
 * program's own validation (shared/config.ts) checks them.
 */
import * as fs from "fs";
import { catalogueMatrix, matrixMarkdown } from "../verify/escalations/evaluate";
import { writeSection } from "./generated-section";
import { README_PATH as PACK_README_PATH, updateReadme as updatePackReadme } from "../policy-pack/tools/gen-readme";
import * as path from "path";
import * as YAML from "yaml";
import { z } from "zod";
import { jumpConfigSchema, targetConfigSchema } from "../shared/config-schema";
import { governanceConfigSchema } from "../governance/config-schema";

export const REPO_ROOT = path.resolve(__dirname, "..");
export const REFERENCE_FILE = "docs/config-reference.md";

/** A JSON Schema node as `z.toJSONSchema` writes it (the parts used here). */
interface JsonSchema {
  type?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

interface ProviderKey {
  readonly key: string;
  readonly required: boolean;
  readonly description: string;
}

export interface ProjectDoc {
  /** Project folder relative to the repository root (`.` for the root project). */
  readonly dir: string;
  readonly schema: z.ZodObject;
  /** Where the schema lives, for the generated comments. */
  readonly schemaSource: string;
  /** Keys of other namespaces the project reads. Pulumi.yaml may not declare a type for them. */
  readonly providerKeys: readonly ProviderKey[];
}

const AWS_KEYS: readonly ProviderKey[] = [
  {
    key: "aws:allowedAccountIds",
    required: true,
    description:
      'Exactly one 12-digit account id, quoted (`["111122223333"]`): the stack\'s own account. It pins the AWS provider to that account, and the program reads the account id from it.',
  },
  {
    key: "aws:region",
    required: true,
    description: "Region of the AWS provider. IAM is global; any enabled region works (the examples use `us-east-1`).",
  },
];

export const PROJECTS: readonly ProjectDoc[] = [
  { dir: "jump-account", schema: jumpConfigSchema, schemaSource: "shared/config-schema.ts (jumpConfigSchema)", providerKeys: AWS_KEYS },
  {
    dir: "target-account",
    schema: targetConfigSchema,
    schemaSource: "shared/config-schema.ts (targetConfigSchema)",
    providerKeys: AWS_KEYS,
  },
  {
    dir: ".",
    schema: governanceConfigSchema,
    schemaSource: "governance/config-schema.ts (governanceConfigSchema)",
    providerKeys: [
      {
        key: "pulumiservice:accessToken",
        required: false,
        description:
          "Pulumi Cloud token of the provider. Unset, the provider uses the `PULUMI_ACCESS_TOKEN` environment variable, like the CLI.",
      },
    ],
  },
];

/** Pulumi.yaml's declarable types. */
const SIMPLE_TYPES = ["string", "integer", "boolean"];

/** How a top-level key is handled in Pulumi.yaml. */
export type Declaration =
  | { readonly kind: "declared"; readonly decl: Record<string, unknown> }
  | { readonly kind: "structured"; readonly reason: string }
  | { readonly kind: "optional"; readonly reason: string };

export interface KeyDoc {
  readonly key: string;
  readonly schema: JsonSchema;
  readonly required: boolean;
  readonly declaration: Declaration;
}

function jsonSchemaOf(schema: z.ZodObject): JsonSchema {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
}

/** The Pulumi.yaml type of a JSON Schema node, or undefined when Pulumi.yaml cannot declare it. */
export function pulumiTypeOf(s: JsonSchema): { type: string; items?: { type: string } } | undefined {
  if (s.type && SIMPLE_TYPES.includes(s.type)) return { type: s.type };
  if (s.type === "array" && s.items?.type && SIMPLE_TYPES.includes(s.items.type)) return { type: "array", items: { type: s.items.type } };
  return undefined;
}

export function keyDocs(project: ProjectDoc): KeyDoc[] {
  const root = jsonSchemaOf(project.schema);
  const required = new Set(root.required ?? []);
  return Object.entries(root.properties ?? {}).map(([key, s]) => {
    const isRequired = required.has(key);
    const type = pulumiTypeOf(s);
    let declaration: Declaration;
    if (!type) {
      declaration = {
        kind: "structured",
        reason:
          "its value is an object or a list of objects, and Pulumi.yaml can declare only string, integer, boolean and arrays of those",
      };
    } else if (!isRequired && s.default === undefined) {
      declaration = {
        kind: "optional",
        reason: "it is optional without a default, and the CLI requires every declared key that has no default",
      };
    } else {
      declaration = {
        kind: "declared",
        decl: {
          type: type.type,
          ...(type.items ? { items: type.items } : {}),
          description: s.description ?? "",
          ...(s.default !== undefined ? { default: s.default } : {}),
        },
      };
    }
    return { key, schema: s, required: isRequired, declaration };
  });
}

export function projectNameIn(dir: string): string {
  const doc = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, dir, "Pulumi.yaml"), "utf8")) as { name?: unknown };
  if (typeof doc?.name !== "string") throw new Error(`${path.join(dir, "Pulumi.yaml")}: no project name`);
  return doc.name;
}

// ---------------------------------------------------------------------------------------------
// Pulumi.yaml

const GENERATED_MARK = "# Generated by `npm run docs`";

/** The generated `config:` block of a project's Pulumi.yaml (with its comment). */
export function configBlock(project: ProjectDoc): string {
  const docs = keyDocs(project);
  const config: Record<string, unknown> = {};
  for (const d of docs) if (d.declaration.kind === "declared") config[d.key] = d.declaration.decl;
  const undeclared = docs.filter((d) => d.declaration.kind !== "declared").map((d) => d.key);
  const lines = [
    `${GENERATED_MARK} from ${project.schemaSource}; do not edit by hand (npm test fails when it is stale).`,
    `# Every key Pulumi.yaml can declare is here, with its type, description and default.`,
  ];
  if (undeclared.length > 0) {
    lines.push(
      `# Not declared: ${undeclared.join(", ")}. Pulumi.yaml declarations know only string, integer, boolean`,
      `# and arrays of those (no objects), and a declared key without a default becomes required.`,
      `# docs/config-reference.md documents every key; the program validates them all.`,
    );
  }
  const body = Object.keys(config).length > 0 ? YAML.stringify({ config }, { lineWidth: 0 }) : "config: {}\n";
  return `${lines.join("\n")}\n${body}`;
}

/** Pulumi.yaml with its config block (and the generated comment above it) replaced; every other line is kept as it is. */
export function withConfigBlock(current: string, block: string): string {
  const lines = current.replace(/\s+$/, "").split("\n");
  let start = lines.findIndex((l) => l.startsWith(GENERATED_MARK) || /^config\s*:/.test(l));
  if (start < 0) start = lines.length;
  const configLine = lines.findIndex((l, i) => i >= start && /^config\s*:/.test(l));
  // The block ends at the next top-level key after `config:`.
  let end = lines.length;
  if (configLine >= 0) {
    const next = lines.findIndex((l, i) => i > configLine && /^[^\s#]/.test(l));
    if (next >= 0) end = next;
  }
  const head = lines.slice(0, start).join("\n").replace(/\s+$/, "");
  const tail = lines.slice(end).join("\n").replace(/^\s+/, "");
  return `${head}\n\n${block}${tail ? `\n${tail}\n` : ""}`;
}

// ---------------------------------------------------------------------------------------------
// docs/config-reference.md

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function code(value: unknown): string {
  return `\`${JSON.stringify(value)}\``;
}

function typeText(s: JsonSchema): string {
  if (s.enum) return s.enum.map((e) => code(e)).join(" or ");
  if (s.type === "array") {
    const item = s.items ?? {};
    return item.type === "object" ? "list of objects" : `list of ${typeText(item)}`;
  }
  return s.type ?? "any";
}

function constraintsText(s: JsonSchema): string {
  const out: string[] = [];
  if (s.minLength !== undefined && s.maxLength !== undefined) out.push(`${s.minLength}–${s.maxLength} characters`);
  else if (s.maxLength !== undefined) out.push(`at most ${s.maxLength} characters`);
  else if (s.minLength !== undefined) out.push(`at least ${s.minLength} characters`);
  if (s.minimum !== undefined && s.maximum !== undefined) out.push(`${s.minimum} to ${s.maximum}`);
  else if (s.minimum !== undefined) out.push(`at least ${s.minimum}`);
  else if (s.maximum !== undefined) out.push(`at most ${s.maximum}`);
  if (s.minItems !== undefined) out.push(`at least ${s.minItems} item${s.minItems === 1 ? "" : "s"}`);
  if (s.maxItems !== undefined) out.push(`at most ${s.maxItems} items`);
  if (s.pattern) out.push(`matches \`${s.pattern}\``);
  if (s.type === "array" && s.items && s.items.type !== "object") {
    const inner = constraintsText(s.items);
    if (inner) out.push(`each: ${inner}`);
  }
  return out.join("; ");
}

function defaultText(s: JsonSchema, required: boolean): string {
  if (s.default !== undefined)
    return typeof s.default === "object" && s.default !== null && !Array.isArray(s.default) ? "see fields" : code(s.default);
  return required ? "required" : "unset";
}

/** A table of an object's fields, and sub-sections for fields that are lists of objects or objects. */
function fieldsSection(title: string, s: JsonSchema, level: number): string[] {
  const obj = s.type === "array" ? (s.items ?? {}) : s;
  const required = new Set(obj.required ?? []);
  const out = [
    `${"#".repeat(level)} \`${title}\``,
    "",
    "| field | type | default | constraints | description |",
    "| --- | --- | --- | --- | --- |",
  ];
  const nested: [string, JsonSchema][] = [];
  for (const [name, f] of Object.entries(obj.properties ?? {})) {
    out.push(
      `| \`${name}\` | ${cell(typeText(f))} | ${cell(defaultText(f, required.has(name)))} | ${cell(constraintsText(f))} | ${cell(f.description ?? "")} |`,
    );
    if (!pulumiTypeOf(f) && (f.type === "object" || f.type === "array")) nested.push([name, f]);
  }
  out.push("");
  for (const [name, f] of nested) out.push(...fieldsSection(`${title}.${name}${f.type === "array" ? "[]" : ""}`, f, level + 1));
  return out;
}

/** A `--path` example for a key: `users[0].name`, `passwordPolicy.minimumPasswordLength`. */
function pathExample(d: KeyDoc): string {
  const obj = d.schema.type === "array" ? d.schema.items : d.schema;
  const field = Object.keys(obj?.properties ?? {})[0];
  return `${d.key}${d.schema.type === "array" ? "[0]" : ""}${field ? `.${field}` : ""}`;
}

function projectSection(project: ProjectDoc): string[] {
  const name = projectNameIn(project.dir);
  const pulumiYaml = project.dir === "." ? "Pulumi.yaml" : `${project.dir}/Pulumi.yaml`;
  const stacks = project.dir === "." ? "`Pulumi.<stack>.yaml` at the repository root" : `\`${project.dir}/Pulumi.<stack>.yaml\``;
  const docs = keyDocs(project);
  const out = [
    `## ${name}`,
    "",
    `Schema: \`${project.schemaSource.replace(/ \(.*\)$/, "")}\`. Stack files: ${stacks}. Keys are namespaced \`${name}:\`.`,
    "",
  ];

  const declared = docs.filter((d) => d.declaration.kind === "declared");
  if (declared.length > 0) {
    const hasList = declared.some((d) => d.schema.type === "array");
    out.push(
      `### Declared in \`${pulumiYaml}\``,
      "",
      `Set one with \`pulumi config set ${name}:<key> <value>\`` +
        (hasList ? ` (an item of a list: \`pulumi config set --path '${name}:<key>[0]' <value>\`).` : "."),
      "",
      "| key | type | default | constraints | description |",
      "| --- | --- | --- | --- | --- |",
    );
    for (const d of declared) {
      out.push(
        `| \`${name}:${d.key}\` | ${cell(typeText(d.schema))} | ${cell(defaultText(d.schema, d.required))} | ${cell(constraintsText(d.schema))} | ${cell(d.schema.description ?? "")} |`,
      );
    }
    out.push("");
  }

  const undeclared = docs.filter((d) => d.declaration.kind !== "declared");
  if (undeclared.length > 0) {
    out.push(
      `### Not declared in \`${pulumiYaml}\``,
      "",
      `Set these in the stack file, or field by field with \`pulumi config set --path\` (e.g. \`pulumi config set --path '${name}:${pathExample(undeclared[0])}' <value>\`). ` +
        "The program validates them when it starts, and names the key, the value and what was expected when one is wrong.",
      "",
      "| key | type | default | why it is not declared | description |",
      "| --- | --- | --- | --- | --- |",
    );
    for (const d of undeclared) {
      const reason = d.declaration.kind === "declared" ? "" : d.declaration.reason;
      const constraints = constraintsText(d.schema);
      out.push(
        `| \`${name}:${d.key}\` | ${cell(typeText(d.schema))}${constraints ? ` (${cell(constraints)})` : ""} | ${cell(defaultText(d.schema, d.required))} | ${cell(reason)} | ${cell(d.schema.description ?? "")} |`,
      );
    }
    out.push("");
    for (const d of undeclared) {
      if (d.declaration.kind === "structured")
        out.push(...fieldsSection(`${name}:${d.key}${d.schema.type === "array" ? "[]" : ""}`, d.schema, 4));
    }
  }

  out.push(`### Keys of other namespaces`, "", "| key | required | description |", "| --- | --- | --- |");
  for (const k of project.providerKeys) out.push(`| \`${k.key}\` | ${k.required ? "yes" : "no"} | ${cell(k.description)} |`);
  out.push("");
  return out;
}

export function configReference(): string {
  const lines = [
    "# Configuration reference",
    "",
    "<!-- Generated by `npm run docs` from the zod schemas; do not edit by hand. `npm test` fails when this file is stale. -->",
    "",
    "Every key of the three Pulumi projects, generated from the zod schemas the programs validate their",
    "config with (`shared/config-schema.ts`, `governance/config-schema.ts`). The same generator writes the",
    "`config:` declarations of each `Pulumi.yaml`, so the CLI, this page and the program agree.",
    "",
    "**Why some keys are not declared in `Pulumi.yaml`.** Pulumi's project schema lets a `config:` declaration",
    "have a `type` of `string`, `integer`, `boolean` or `array`, and an array's `items` only those simple",
    "types again; there is no object type. A key whose value is an object or a list of objects (the users,",
    "groups and targets of the jump account, its password policy) therefore cannot be declared with a type:",
    "the CLI would reject every stack that sets it. Such keys are documented here, field by field, and the",
    "program validates them before it registers anything. A declared key without a default is required by",
    "the CLI, so an optional key without a default is not declared either.",
    "",
    "The policy pack's own settings are in [`policy-pack/README.md`](../policy-pack/README.md); how each",
    "stack's pack config is derived is in the [README](../README.md#policy-pack-config-per-stack).",
    "",
  ];
  for (const p of PROJECTS) lines.push(...projectSection(p));
  return `${lines.join("\n").replace(/\n+$/, "")}\n`;
}

// ---------------------------------------------------------------------------------------------

export interface GeneratedFile {
  /** Relative to the repository root. */
  readonly path: string;
  readonly content: string;
}

/** Every generated file with the content it should have now. */
export function generatedFiles(): GeneratedFile[] {
  const files = PROJECTS.map((p) => {
    const rel = path.join(p.dir, "Pulumi.yaml");
    const current = fs.readFileSync(path.join(REPO_ROOT, rel), "utf8");
    return { path: rel, content: withConfigBlock(current, configBlock(p)) };
  });
  files.push({ path: REFERENCE_FILE, content: configReference() });
  return files;
}

/** The generated files whose committed copy differs from what the generator writes. */
export function staleFiles(): string[] {
  return generatedFiles()
    .filter((f) => {
      const file = path.join(REPO_ROOT, f.path);
      return !fs.existsSync(file) || fs.readFileSync(file, "utf8") !== f.content;
    })
    .map((f) => f.path);
}

export async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes("--check")) {
    const stale = staleFiles();
    if (stale.length === 0) return 0;
    console.error(`stale generated files (run \`npm run docs\`): ${stale.join(", ")}`);
    return 1;
  }
  for (const f of generatedFiles()) {
    const file = path.join(REPO_ROOT, f.path);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const before = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
    if (before !== f.content) {
      fs.writeFileSync(file, f.content);
      console.log(`wrote ${f.path}`);
    }
  }
  // The policy pack's README table, from the policy objects.
  const packReadme = fs.readFileSync(PACK_README_PATH, "utf8");
  const nextPackReadme = updatePackReadme(packReadme);
  if (nextPackReadme !== packReadme) {
    fs.writeFileSync(PACK_README_PATH, nextPackReadme);
    console.log(`wrote ${path.relative(REPO_ROOT, PACK_README_PATH)}`);
  }
  // The escalation matrix is computed by the IAM evaluator (see verify/escalations).
  if (writeSection(path.join(REPO_ROOT, ESCALATIONS_FILE), "escalation matrix", matrixMarkdown(await catalogueMatrix())))
    console.log(`wrote ${ESCALATIONS_FILE}`);
  return 0;
}

const ESCALATIONS_FILE = "docs/escalations.md";
