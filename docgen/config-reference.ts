/** `docs/config-reference.md`: every key of the three projects, including those Pulumi.yaml cannot declare. */
import { keyDocs, MIN_PULUMI_CLI, PROJECTS, projectNameIn, type JsonSchema, type KeyDoc, type ProjectDoc } from "./projects";

export const REFERENCE_FILE = "docs/config-reference.md";

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

/** An object with named fields, or a list of them: documented field by field. */
function hasFields(s: JsonSchema): boolean {
  const obj = s.type === "array" ? s.items : s;
  return obj?.type === "object" && Object.keys(obj.properties ?? {}).length > 0;
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
    if (hasFields(f)) nested.push([name, f]);
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
        (hasList
          ? `. A list is set item by item from index 0 (\`pulumi config set --path '${name}:<key>[0]' <value>\`, then \`[1]\`, ...): ` +
            "the CLI edits only the stack file, so a list the stack file lacks starts empty and replaces its default entirely."
          : "."),
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
    const structured = declared.filter((d) => hasFields(d.schema));
    if (structured.length > 0) {
      out.push(
        `Objects and lists of objects are declared \`type: object\` (Pulumi CLI ${MIN_PULUMI_CLI} or later), which the CLI checks only to be a map; ` +
          `set them in the stack file, or field by field with \`pulumi config set --path\` (e.g. \`pulumi config set --path '${name}:${pathExample(structured[0])}' <value>\`). ` +
          "The program validates every field when it starts, and names the key, the value and what was expected when one is wrong.",
        "",
      );
      for (const d of structured) out.push(...fieldsSection(`${name}:${d.key}${d.schema.type === "array" ? "[]" : ""}`, d.schema, 4));
    }
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
      if (hasFields(d.schema)) out.push(...fieldsSection(`${name}:${d.key}${d.schema.type === "array" ? "[]" : ""}`, d.schema, 4));
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
    "**What `Pulumi.yaml` declares.** Pulumi's project schema lets a `config:` declaration have a `type` of",
    "`string`, `integer`, `boolean`, `array` or `object`, and an array's `items` one of those again; `object`",
    `needs Pulumi CLI ${MIN_PULUMI_CLI} or later (CI installs the version in \`.pulumi.version\`). The CLI checks an object only to be a`,
    "map, so objects and lists of objects (the users, groups and targets of the jump account, its password",
    "policy) are documented here field by field, and the program validates them before it registers",
    "anything. A declared key without a default is required by the CLI, so an optional key without a",
    "default is not declared.",
    "",
    "The policy pack's own settings are in [`policy-pack/README.md`](../policy-pack/README.md); how each",
    "stack's pack config is derived is in the [README](../README.md#policy-pack-config-per-stack).",
    "",
    "**Checked across keys and stacks.** Beyond each key's own constraints, a stack is refused when IAM would",
    "take two of its names for one (user, group, role and policy names are unique case-insensitively in an",
    "account, the split assume-role policies' generated `<name>-2`, `<name>-3` included), when two generated",
    "names clash (Pulumi resource names, AWS CLI profile names `<target>-<role>`, switch-role labels",
    "`<role>@<target>` cut to 64 characters), or when a key outside the project's namespace is not one the AWS",
    "provider reads. `npm start` also checks the environment as a whole before any program runs: one target",
    "stack per account, none in the Jump account, each listed in `jump-account:targets` and naming the planned",
    "jump stack in `target-account:jumpStack`.",
    "",
    "**Users live at path `/`.** The self-service policy names each user as `user/${aws:username}`, the form of",
    "the article and of AWS's own self-service examples; it matches a user only at the root path, so a user",
    "under another path could never set up MFA, and without MFA never switch role. Rather than widen that",
    "policy to `user/*/${aws:username}` (a document the article and the evaluator's proofs do not cover),",
    "`users[].path` accepts only `/`. Groups and roles may have any IAM path.",
    "",
    "**Stack files** are read as the Pulumi CLI reads them: `Pulumi.<stack>.yaml` beside `Pulumi.yaml`",
    "(never `.yml`), stack names of 1 to 100 letters, digits, `_`, `.` or `-`; a file the CLI would ignore is",
    "an error naming it. A stack file is untrusted input: at most 2 MiB, 10,000 aliases, nesting 32 deep, and",
    "aliases may expand it to at most 10 times its size plus 1 MiB (see `verify/harness/stack-file.ts`).",
    "",
  ];
  for (const p of PROJECTS) lines.push(...projectSection(p));
  return `${lines.join("\n").replace(/\n+$/, "")}\n`;
}
