/**
 * Generated sections of committed documents: the text between
 * `<!-- BEGIN GENERATED: name -->` and `<!-- END GENERATED: name -->` is written from code, and a
 * test fails when the committed copy is stale (`npm run docs` rewrites every section).
 */
import * as fs from "fs";

function markers(name: string): [string, string] {
  return [`<!-- BEGIN GENERATED: ${name} -->`, `<!-- END GENERATED: ${name} -->`];
}

/** The committed text of a section, or undefined when the file or the markers are missing. */
export function readSection(file: string, name: string): string | undefined {
  if (!fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, "utf8");
  const [begin, end] = markers(name);
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < a) return undefined;
  return text.slice(a + begin.length, b).trim();
}

/** `text` with a section's text replaced; the markers must already be in it. */
export function withSection(text: string, name: string, content: string, file = "the document"): string {
  const [begin, end] = markers(name);
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${file}: no "${begin}" ... "${end}" markers`);
  return `${text.slice(0, a + begin.length)}\n${content.trim()}\n${text.slice(b)}`;
}
