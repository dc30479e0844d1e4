import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as path from "path";
import { CLOSED_PIPE_STATUS } from "./run";

const ROOT = path.resolve(__dirname, "..");

describe("command-line entry points (cli/run.ts)", () => {
  it("a reader that closes the pipe early (npm start | head) ends the command quietly, without a stack trace", async () => {
    const child = spawn(process.execPath, ["-r", "./cli/typescript-hook.js", "cli/start.ts"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    // The reader is gone before the report is written: its write fails with EPIPE.
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    assert.equal(stderr, "");
    assert.equal(code, CLOSED_PIPE_STATUS);
  });
});
