/**
 * The checks `npm test` runs before the tests: `npm run typecheck` (tsc) and `npm run format:check`
 * (Prettier), side by side, one core each (the tests after them spread over every core, so beside
 * them the checks would only slow them down). Each check's output is printed whole, in this order,
 * once both are done; the command fails when either does. Plain JavaScript: it runs before any
 * TypeScript could.
 */
"use strict";
const { spawn } = require("child_process");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
// npm itself, as it runs this script (npm_execpath), or the one on the PATH.
const NPM = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ["npm"];

function script(name) {
  return new Promise((resolve) => {
    const child = spawn(NPM[0], [...NPM.slice(1), "run", "--silent", name], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    for (const stream of [child.stdout, child.stderr]) stream.on("data", (d) => (output += d));
    child.on("error", (e) => resolve({ name, status: 1, output: `${output}${e.message}\n` }));
    child.on("close", (status) => resolve({ name, status: status ?? 1, output }));
  });
}

Promise.all(["typecheck", "format:check"].map(script)).then((results) => {
  for (const r of results) {
    process.stdout.write(r.output);
    process.stdout.write(`${r.status === 0 ? "ok" : "FAILED"}: npm run ${r.name}\n`);
  }
  process.exitCode = results.find((r) => r.status !== 0)?.status ?? 0;
});
