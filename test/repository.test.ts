/**
 * The repository's own hygiene: no build output beside its sources (Node loads `x.js` before
 * `x.ts`, so a stale compiled copy silently runs instead of the source).
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");

function trackedAndUntracked(): string[] {
  const out = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" });
  return out.split("\n").filter((f) => f.length > 0);
}

/** The compiled files (`.js`, `.d.ts`, `.js.map`) that sit beside a `.ts` source of the same name. */
export function compiledBesideSources(files: readonly string[]): string[] {
  const sources = new Set(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")).map((f) => f.slice(0, -3)));
  return files.filter((f) => {
    const m = /^(.*)\.(js|d\.ts|js\.map)$/.exec(f);
    return m !== null && sources.has(m[1]);
  });
}

describe("repository hygiene", () => {
  it("no compiled .js, .d.ts or .js.map sits beside its .ts source", () => {
    assert.deepEqual(compiledBesideSources(trackedAndUntracked()), []);
  });

  it("the check finds a compiled copy beside its source, and leaves other files alone", () => {
    assert.deepEqual(compiledBesideSources(["shared/arn.ts", "shared/arn.js", "shared/arn.d.ts", "shared/x.js", "a/b.ts", "a/b.js.map"]), [
      "shared/arn.js",
      "shared/arn.d.ts",
      "a/b.js.map",
    ]);
  });
});
