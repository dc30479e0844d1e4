/**
 * `npm start -- --env DIR` on a generated environment past the sampling threshold, through the
 * same path as the CLI (`main`): the report states what the access proof sampled, and every
 * check holds. (1,000 accounts x 1,000 users takes minutes: run it with `npm start -- --env DIR`.)
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { generateEnvironment, writeEnvironment } from "../harness/generate";
import { main } from "./plan";

// Past the 10,000 user-role pairs (240 users x 60 roles), with at least as many accounts as a
// stretch of the sample is wide, so the rotation reaches every user; about 15 s.
const ACCOUNTS = 30;
const USERS = 240;

describe(`npm start -- --env DIR, ${ACCOUNTS} accounts x ${USERS} users with names at IAM's maximum (sampled access proof)`, () => {
  let dir: string;
  let code: number;
  let stdout: string;
  let stderr: string;
  before(async function () {
    this.timeout(120_000);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "jumpenv-plan-scale-"));
    writeEnvironment(dir, generateEnvironment({ accounts: ACCOUNTS, users: USERS, groups: 3, roleKinds: 2, nameLength: 64 }));
    stdout = "";
    stderr = "";
    code = await main(["--env", dir], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("exits 0 and every check holds", () => {
    assert.equal(
      code,
      0,
      stderr +
        stdout
          .split("\n")
          .filter((l) => l.includes("✘"))
          .join("\n"),
    );
    assert.equal(stderr, "");
    assert.doesNotMatch(stdout, /✘/);
    // Per role: 23 session checks, 8 sampled intended users x 6 (4 on the trust, 2 on the hardened Jump side), 8 sampled
    // outsiders x 2, another account; per user 21 self-service checks (16, and 5 of the hardened profile).
    const checks = ACCOUNTS * 2 * (23 + 8 * 6 + 8 * 2 + 1) + USERS * 21;
    assert.match(
      stdout,
      new RegExp(
        `^OK: ${ACCOUNTS + 1} stacks, \\d+ resources, 0 violations, ${checks}/${checks} access checks hold \\(\\d+\\.\\d s\\)\\n$`,
        "m",
      ),
    );
    assert.match(stdout, new RegExp(`^Access proof: ${checks} checks \\(one request each\\)`, "m"));
  });

  it("states the sampling: the threshold, the sample per role and how many users it covered", () => {
    const lines = stdout.split("\n");
    const at = lines.findIndex((l) => l.startsWith("Access proof:"));
    assert.equal(
      lines[at + 1],
      `  sampled: ${USERS} Jump users x ${ACCOUNTS * 2} roles = ${USERS * ACCOUNTS * 2} user-role pairs, past 10000: each role's trust is checked for at most 8 of its intended users and 8 of its outsiders`,
    );
    // Groups g0 and g1 (160 users) are mapped to roles, g2 to none; everybody is an outsider of some
    // role. 30 rotations (one per account) cover stretches of 13 intended users and 26-27 outsiders:
    // every user is checked somewhere.
    assert.equal(
      lines[at + 2],
      "  (the first, the last and the rest spread evenly, rotating by account): 160 of 160 users sampled as intended users, 240 of 240 as outsiders; role sessions and self-service in full",
    );
  });

  it("each role's trust rows say how many of its users were sampled", () => {
    const rows = (label: string) => stdout.split("\n").filter((l) => l.startsWith(`    ✔ ${label}`));
    assert.equal(rows("its Jump users may assume it with MFA (console, CLI) ×16, 8 of 80 users sampled").length, ACCOUNTS * 2);
    assert.equal(
      rows("its Jump users may not assume it without MFA (console, access key) ×16, 8 of 80 users sampled").length,
      ACCOUNTS * 2,
    );
    assert.equal(rows("Jump users outside its groups may not assume it ×16, 8 of 160 users sampled").length, ACCOUNTS * 2);
    assert.equal(rows("may not create IAM users ").length, ACCOUNTS * 2, "session checks run for every role");
  });
});
