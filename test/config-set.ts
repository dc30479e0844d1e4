/**
 * What `pulumi config set [--path] KEY VALUE` does to a stack file's `config:` map, as the CLI
 * does it (pulumi/pulumi sdk/go/common/resource/config/map.go, `Map.Set`): the CLI edits only
 * the stack file, never the defaults in Pulumi.yaml, so a path into a key the stack file lacks
 * starts from nothing; an array index may be at most the array's length (equal appends), else
 * "array index out of range"; with --path, "true"/"false" become booleans and integers numbers.
 */

/** One segment of a property path: a map key or an array index. */
export type PathSegment = string | number;

export class ConfigSetError extends Error {}

/** Pulumi's property path syntax (`a.b`, `a[0]`, `a["k.e.y"]`), as `resource.ParsePropertyPath` reads a key's name. */
export function parsePropertyPath(text: string): PathSegment[] {
  const out: PathSegment[] = [];
  let i = 0;
  let name = "";
  const flush = () => {
    if (name !== "") out.push(name);
    name = "";
  };
  while (i < text.length) {
    const c = text[i];
    if (c === ".") {
      flush();
      i++;
    } else if (c === "[") {
      flush();
      const close = text.indexOf("]", i);
      if (close < 0) throw new ConfigSetError(`invalid config key path: missing ] in ${text}`);
      const inner = text.slice(i + 1, close);
      const quoted = /^"(.*)"$/.exec(inner);
      if (quoted) out.push(quoted[1]);
      else if (/^\d+$/.test(inner)) out.push(Number(inner));
      else throw new ConfigSetError(`invalid config key path: [${inner}] in ${text}`);
      i = close + 1;
    } else {
      name += c;
      i++;
    }
  }
  flush();
  return out;
}

/** `config set --path` turns "true"/"false" into booleans and plain integers into numbers. */
function adjust(value: string): unknown {
  if (value === "true") return true;
  if (value === "false") return false;
  if (/^(0|-?[1-9]\d*)$/.test(value) && Number.isSafeInteger(Number(value))) return Number(value);
  return value;
}

type Container = unknown[] | Record<string, unknown>;

function getIn(container: Container, key: PathSegment): unknown {
  if (Array.isArray(container)) {
    const i = key as number;
    if (i < 0 || i > container.length) throw new ConfigSetError("array index out of range");
    return i === container.length ? undefined : container[i];
  }
  return container[key as string];
}

function setIn(container: Container, key: PathSegment, value: unknown): void {
  if (Array.isArray(container)) {
    const i = key as number;
    if (i < 0 || i > container.length) throw new ConfigSetError("array index out of range");
    container[i] = value;
  } else container[key as string] = value;
}

/**
 * A copy of a stack file's `config:` map after `pulumi config set [--path] key value` in project
 * `project` (a key without a namespace is the project's). Throws ConfigSetError with the CLI's message.
 */
export function configSet(
  config: Readonly<Record<string, unknown>>,
  project: string,
  key: string,
  value: string,
  usePath: boolean,
): Record<string, unknown> {
  const out = JSON.parse(JSON.stringify(config ?? {})) as Record<string, unknown>;
  const colon = key.indexOf(":");
  const namespace = colon < 0 ? project : key.slice(0, colon);
  const name = colon < 0 ? key : key.slice(colon + 1);
  if (!usePath) {
    out[`${namespace}:${name}`] = value;
    return out;
  }
  const p = parsePropertyPath(name);
  if (p.length === 0) throw new ConfigSetError("empty config key path");
  if (typeof p[0] !== "string") throw new ConfigSetError("first path segement of config key must be a string");
  const full = `${namespace}:${p[0]}`;
  if (p.length === 1) {
    out[full] = value;
    return out;
  }
  // The root holds only what the stack file has; a top-level string is overwritten.
  const current = out[full];
  const root: Record<string, unknown> = { [p[0]]: typeof current === "string" ? undefined : current };
  let cursor: Container = root;
  let cursorKey: PathSegment = p[0];
  for (const next of p.slice(1)) {
    let v = getIn(cursor, cursorKey);
    if (v === undefined || v === null) {
      v = typeof next === "number" ? [] : {};
      setIn(cursor, cursorKey, v);
    } else if (typeof next === "number" && !Array.isArray(v)) {
      throw new ConfigSetError(`an array was expected for index ${next}`);
    } else if (typeof next === "string" && (typeof v !== "object" || Array.isArray(v))) {
      throw new ConfigSetError(`a map was expected for key "${next}"`);
    }
    cursor = v as Container;
    cursorKey = next;
  }
  setIn(cursor, cursorKey, adjust(value));
  out[full] = root[p[0]];
  return out;
}

/** One `pulumi config set` command as a README writes it. */
export interface ConfigSetCommand {
  readonly text: string;
  readonly key: string;
  readonly value: string;
  readonly path: boolean;
}

/** Shell words of one command line (single and double quotes; no expansion). */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"((?:\\.|[^"\\])*)"|(\S+)/g;
  for (const m of line.matchAll(re)) out.push(m[1] ?? m[2]?.replace(/\\(.)/g, "$1") ?? m[3]);
  return out;
}

/** Parse `pulumi config set [--path] KEY VALUE`; undefined for any other command. */
export function parseConfigSet(text: string): ConfigSetCommand | undefined {
  const w = words(text.trim());
  if (w[0] !== "pulumi" || w[1] !== "config" || w[2] !== "set") return undefined;
  const rest = w.slice(3);
  const path = rest.includes("--path");
  const args = rest.filter((a) => !a.startsWith("--"));
  if (args.length !== 2) throw new ConfigSetError(`${text}: expected KEY VALUE`);
  return { text, key: args[0], value: args[1], path };
}
