/**
 * Mocha, as `npm test` runs it: every `*.test.ts`, through the TypeScript hook, spread over the
 * machine's cores (a file per process; each file plans under Pulumi's process-global runtime on its
 * own). `npx mocha FILE` runs one file the same way.
 */
"use strict";
const os = require("os");

module.exports = {
  require: ["./cli/typescript-hook.js"],
  extension: ["ts"],
  ignore: ["**/node_modules/**"],
  timeout: 60000,
  reporter: "spec",
  parallel: true,
  jobs: Math.max(2, os.availableParallelism()),
};
