/**
 * How node runs this repository's TypeScript (`node -r ./cli/typescript-hook.js x.ts`: npm start,
 * the other scripts and the tests). Sucrase strips the types; `npm test` type-checks with tsc
 * first, so nothing is lost. Sucrase keeps every line where it was, so a stack trace points at the
 * right line without a source map, and none is made.
 *
 * Each transpiled file is kept in node_modules/.cache/jumpenv/typescript under the hash of its
 * source, its path and sucrase's version: an edited source has a new hash, so a cached copy is
 * never stale. It is plain JavaScript (it has to load before any TypeScript can), not build output:
 * no .ts of the same name exists.
 */
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");
const { threadId } = require("worker_threads");

// Sucrase itself is loaded only when a file is not cached yet: a run whose files are all cached
// (every run after the first) never pays for it.
const SUCRASE_VERSION = require("sucrase/package.json").version;
const OPTIONS = { transforms: ["imports", "typescript"] };
const CACHE_DIR = path.join(__dirname, "..", "node_modules", ".cache", "jumpenv", "typescript");

function transpile(source, filename) {
  const key = crypto
    .createHash("sha256")
    .update(`${SUCRASE_VERSION}\0${JSON.stringify(OPTIONS)}\0${filename}\0${source}`)
    .digest("hex");
  const cached = path.join(CACHE_DIR, `${key}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {
    // not cached yet
  }
  const code = require("sucrase").transform(source, { ...OPTIONS, filePath: filename }).code;
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    // Written aside (per process and thread) and renamed, so a concurrent reader never sees half a file.
    const partial = `${cached}.${process.pid}.${threadId}.tmp`;
    fs.writeFileSync(partial, code);
    fs.renameSync(partial, cached);
  } catch {
    // A read-only checkout runs uncached.
  }
  return code;
}

Module._extensions[".ts"] = function compileTypeScript(module, filename) {
  module._compile(transpile(fs.readFileSync(filename, "utf8"), filename), filename);
};
