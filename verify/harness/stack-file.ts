/**
 * Stack files as the Pulumi CLI finds and reads them. The CLI reads a stack's config from
 * `Pulumi.<stack><ext>` beside the project file, where `<ext>` is the project file's own extension
 * (`workspace.ProjectStackPath` in pulumi/pulumi), so next to `Pulumi.yaml` a `Pulumi.dev.yml` is
 * never read; stack names are 1 to 100 of `A-Za-z0-9_.-`. A file the CLI would ignore is reported
 * by name here, never skipped in silence.
 *
 * A stack file is also untrusted input (a pull request may change it): it is read with bounds, so
 * that no file costs more than a small multiple of its own size (see `parseStackYaml`).
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import type { RawConfig } from "@jumpenv/shared";

export interface StackFile {
  readonly projectDir: string;
  readonly project: string;
  readonly stack: string;
  readonly file: string;
  readonly config: RawConfig;
}

/** A stack file the CLI would not read as the user meant: one line naming the file and the fix. */
export class StackFileError extends Error {}

/** Stack names the CLI accepts (`validateStackName` in pulumi/pulumi's backend). */
export const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

export const STACK_FILE_LIMITS = {
  /** Bytes of one stack file: 3.5 times the jump stack of 1,000 accounts x 1,000 users with 64-character names (0.58 MB). */
  maxBytes: 2 * 1024 * 1024,
  /** Alias nodes (`*name`) in one file. */
  maxAliases: 10_000,
  /** What the aliases may expand the file to, as a multiple of its size (plus `expansionSlack`). */
  maxExpansion: 10,
  expansionSlack: 1024 * 1024,
  /** Nesting of lists and maps; the deepest config key (a role's groups) is 7 levels down. */
  maxDepth: 32,
} as const;

function readYamlProject(projectDir: string): { name?: unknown; main?: unknown } | null {
  const file = path.join(projectDir, "Pulumi.yaml");
  return YAML.parse(fs.readFileSync(file, "utf8")) as { name?: unknown; main?: unknown } | null;
}

export function projectName(projectDir: string): string {
  const doc = readYamlProject(projectDir);
  if (typeof doc?.name !== "string") throw new StackFileError(`${path.join(projectDir, "Pulumi.yaml")}: no project name`);
  return doc.name;
}

/**
 * The program file the CLI runs for a project: `Pulumi.yaml`'s `main` (a file, or a folder whose
 * `index.ts` is the program), else the project folder's `index.ts`.
 */
export function programEntry(projectDir: string): string {
  const doc = readYamlProject(projectDir);
  const main = typeof doc?.main === "string" && doc.main.trim() !== "" ? doc.main : ".";
  const target = path.resolve(projectDir, main);
  return fs.existsSync(target) && fs.statSync(target).isDirectory() ? path.join(target, "index.ts") : target;
}

/**
 * The size a YAML document would have once its aliases are expanded, measured on the parsed
 * tree without expanding anything (an anchored node's size is computed once and reused by each
 * alias of it). Throws a one-line reason when the document breaks a bound.
 */
function checkExpansion(doc: YAML.Document.Parsed, bytes: number): void {
  const anchors = new Map<string, YAML.Node>();
  const sizes = new Map<YAML.Node, number>();
  const open = new Set<YAML.Node>();
  const budget = STACK_FILE_LIMITS.maxExpansion * bytes + STACK_FILE_LIMITS.expansionSlack;
  let aliases = 0;
  const size = (node: unknown, depth: number): number => {
    if (depth > STACK_FILE_LIMITS.maxDepth) throw new Error(`lists and maps nested more than ${STACK_FILE_LIMITS.maxDepth} deep`);
    if (YAML.isAlias(node)) {
      if (++aliases > STACK_FILE_LIMITS.maxAliases) throw new Error(`more than ${STACK_FILE_LIMITS.maxAliases} aliases`);
      const target = anchors.get(node.source);
      if (!target) throw new Error(`alias *${node.source} has no anchor &${node.source} before it`);
      if (open.has(target)) throw new Error(`alias *${node.source} refers to a node that contains it`);
      return sizes.get(target) ?? 0;
    }
    if (!YAML.isNode(node) && !YAML.isPair(node)) return 1;
    if (YAML.isPair(node)) return size(node.key, depth) + size(node.value, depth) + 2;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    // An anchor is visible to the aliases after it in document order, inside its own node too.
    if (node.anchor) anchors.set(node.anchor, node);
    open.add(node);
    let n = 2;
    if (YAML.isScalar(node)) n += String(node.value).length;
    else if (YAML.isCollection(node)) for (const item of node.items) n += size(item, depth + 1);
    open.delete(node);
    sizes.set(node, n);
    if (n > budget)
      throw new Error(`its aliases expand it past ${budget} characters (${STACK_FILE_LIMITS.maxExpansion} times its size plus 1 MiB)`);
    return n;
  };
  size(doc.contents, 0);
}

/**
 * Parse a stack file's text as the CLI's YAML reader would (merge keys `<<` included), within
 * bounds: a file over `maxBytes`, with more than `maxAliases` aliases, whose aliases expand it past
 * `maxExpansion` times its size, or nested past `maxDepth`, is refused before anything expands.
 */
export function parseStackYaml(bytes: Buffer, file: string): unknown {
  if (bytes.length > STACK_FILE_LIMITS.maxBytes)
    throw new StackFileError(`${file}: ${bytes.length} bytes; expected a stack file of at most ${STACK_FILE_LIMITS.maxBytes} bytes`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new StackFileError(`${file}: not UTF-8 text; expected a YAML file in UTF-8, as the Pulumi CLI reads it`);
  }
  // The lexer streams tokens without building a tree: a file with too many aliases or too deep a
  // nesting is refused before the parser spends memory on its nodes.
  let aliases = 0;
  let depth = 0;
  for (const token of new YAML.Lexer().lex(text)) {
    const c = token[0];
    if (c === "*" && ++aliases > STACK_FILE_LIMITS.maxAliases)
      throw new StackFileError(`${file}: refused: more than ${STACK_FILE_LIMITS.maxAliases} aliases; expected a plain stack file`);
    if (c === "[" || c === "{") {
      if (++depth > STACK_FILE_LIMITS.maxDepth)
        throw new StackFileError(
          `${file}: refused: lists and maps nested more than ${STACK_FILE_LIMITS.maxDepth} deep; expected a plain stack file`,
        );
    } else if (c === "]" || c === "}") depth--;
  }
  let doc: YAML.Document.Parsed;
  try {
    // logLevel "error": the library would print its warnings on the process's stderr; they are
    // refused below instead, as one line (an ambiguous anchor in a security config is a mistake).
    doc = YAML.parseDocument(text, { merge: true, uniqueKeys: true, prettyErrors: false, logLevel: "error" });
  } catch (e) {
    throw new StackFileError(`${file}: not valid YAML: ${oneLine(e)}`);
  }
  if (doc.errors.length > 0) throw new StackFileError(`${file}: not valid YAML: ${oneLine(doc.errors[0])}`);
  if (doc.warnings.length > 0) throw new StackFileError(`${file}: ambiguous YAML: ${oneLine(doc.warnings[0])}`);
  try {
    checkExpansion(doc, bytes.length);
    return doc.toJS({ maxAliasCount: -1 });
  } catch (e) {
    throw new StackFileError(`${file}: refused: ${oneLine(e)}; expected a plain stack file`);
  }
}

function oneLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0].trim();
}

/** Top-level keys of a stack file the CLI knows; anything else is a mistake the CLI would reject or ignore. */
const STACK_FILE_KEYS = ["config", "secretsprovider", "encryptedkey", "encryptionsalt"];

/** Read `Pulumi.<stack>.yaml` into the raw key -> string map the CLI hands a program. */
export function readStackFile(projectDir: string, file: string): StackFile {
  const m = /^Pulumi\.(.+)\.yaml$/.exec(path.basename(file));
  if (!m) throw new StackFileError(`${file}: not a Pulumi.<stack>.yaml file`);
  if (!STACK_NAME.test(m[1]))
    throw new StackFileError(
      `${file}: stack name ${JSON.stringify(m[1])}; expected 1 to 100 letters, digits, "_", "." or "-" (the Pulumi CLI refuses other stack names)`,
    );
  const doc = parseStackYaml(fs.readFileSync(file), file);
  if (doc !== null && doc !== undefined && (typeof doc !== "object" || Array.isArray(doc)))
    throw new StackFileError(`${file}: expected a map with a "config:" key, as \`pulumi config set\` writes it`);
  const top = (doc ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(top))
    if (!STACK_FILE_KEYS.includes(key))
      throw new StackFileError(`${file}: top-level key ${JSON.stringify(key)}; expected only ${STACK_FILE_KEYS.join(", ")}`);
  const config = top.config ?? {};
  if (config === null || typeof config !== "object" || Array.isArray(config))
    throw new StackFileError(`${file}: "config" must be a map of keys to values`);
  const project = projectName(projectDir);
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value !== null && typeof value === "object" && "secure" in (value as object)) {
      throw new StackFileError(
        `${file}: ${key} is an encrypted secret; the offline plan cannot decrypt it (use plain values in example stacks)`,
      );
    }
    if (value === null) throw new StackFileError(`${file}: ${key} has no value; expected a value, or remove the key`);
    // The CLI namespaces bare keys with the project name and passes non-strings as JSON.
    const full = key.includes(":") ? key : `${project}:${key}`;
    if (Object.prototype.hasOwnProperty.call(raw, full))
      throw new StackFileError(`${file}: ${key} sets ${full} a second time; expected each key once`);
    raw[full] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return { projectDir, project, stack: m[1], file, config: raw };
}

/**
 * Every stack file in a folder, sorted by stack name. A file that looks meant for Pulumi but that
 * the CLI would not read as a stack of this project (`Pulumi.dev.yml`, `pulumi.dev.yaml`, a stack
 * name with a space) is an error naming it.
 */
export function stackFilesIn(projectDir: string, configDir = projectDir): StackFile[] {
  if (!fs.existsSync(configDir)) return [];
  const names = fs
    .readdirSync(configDir)
    .filter((f) => /^pulumi\./i.test(f) && !/^Pulumi\.(yaml|yml|json)$/.test(f))
    .sort();
  for (const f of names) {
    const m = /^Pulumi\.(.*)\.yaml$/.exec(f);
    if (m && STACK_NAME.test(m[1])) continue;
    const full = path.join(configDir, f);
    const ext = /^pulumi\.(.*)(\.[^.]*)$/i.exec(f);
    if (!m && ext && [".yml", ".json"].includes(ext[2]) && STACK_NAME.test(ext[1]))
      throw new StackFileError(
        `${full}: the Pulumi CLI reads a stack's config from Pulumi.<stack>.yaml beside Pulumi.yaml and would ignore this file; rename it to Pulumi.${ext[1]}.yaml`,
      );
    if (!m) throw new StackFileError(`${full}: the Pulumi CLI would ignore this file; expected Pulumi.<stack>.yaml (with a capital P)`);
    throw new StackFileError(
      `${full}: stack name ${JSON.stringify(m[1])}; expected 1 to 100 letters, digits, "_", "." or "-" (the Pulumi CLI refuses other stack names)`,
    );
  }
  return names.map((f) => readStackFile(projectDir, path.join(configDir, f)));
}
