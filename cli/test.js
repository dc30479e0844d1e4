/**
 * `npm test`: everything CI runs, in one command. The type-check (`tsc`) and the formatting check
 * (Prettier) run beside the tests instead of before them: on a fresh clone the type-check alone
 * takes about 15 s of one core while the test files are spread over all of them (`.mocharc.cjs`).
 * The tests' output streams as they run; the two checks' output follows it, and the command fails
 * when any of the three does. Plain JavaScript: it runs before any TypeScript could.
 */
"use strict";
const { spawn } = require("child_process");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const bin = (name) => path.join(ROOT, "node_modules", ".bin", name);

/** Run a command; resolve to its exit status and, when `quiet`, what it printed. */
function run(label, command, args, quiet) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", quiet ? "pipe" : "inherit", quiet ? "pipe" : "inherit"] });
    let output = "";
    if (quiet) for (const s of [child.stdout, child.stderr]) s.on("data", (d) => (output += d));
    child.on("error", (e) => resolve({ label, status: 1, output: `${output}${e.message}\n` }));
    child.on("close", (status, signal) => resolve({ label, status: status ?? (signal ? 1 : 0), output }));
  });
}

async function main() {
  // npm itself, as it runs this script (npm_execpath), for the package's own typecheck and format:check scripts.
  const npm = process.env.npm_execpath ? [process.execPath, [process.env.npm_execpath]] : ["npm", []];
  const script = (name) => [npm[0], [...npm[1], "run", "--silent", name]];
  const checks = [
    run("type-check (npm run typecheck)", ...script("typecheck"), true),
    run("formatting (npm run format:check)", ...script("format:check"), true),
  ];
  const tests = await run("tests (mocha)", bin("mocha"), ["**/*.test.ts"], false);
  let status = tests.status;
  for (const check of await Promise.all(checks)) {
    const ok = check.status === 0;
    process.stdout.write(`\n${ok ? "ok" : "FAILED"}: ${check.label}\n`);
    if (!ok) {
      process.stdout.write(check.output);
      status = status || check.status;
    }
  }
  process.exitCode = status;
}

main();
