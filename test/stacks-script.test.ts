/**
 * .ci/stacks.sh, the one place the workflows run Pulumi on stacks, run for real with a stand-in
 * `pulumi` on PATH and a stand-in GitHub OIDC token endpoint: each stack gets the built pack, its
 * own pack config and a role in its own account; the token reaches the provider only through a
 * file and is masked; a failing stack does not stop the others but fails the job.
 */
import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { main as policyConfig } from "../governance/policy-config";
import { REPO_ROOT } from "../governance/stacks";

const TOKEN = "eyJ-stand-in-oidc-token";

/** A `pulumi` that records its arguments and the AWS environment the provider would see, then fails for `sandbox`. */
const FAKE_PULUMI = `#!/usr/bin/env bash
token=""; [ -n "\${AWS_WEB_IDENTITY_TOKEN_FILE:-}" ] && token=$(cat "$AWS_WEB_IDENTITY_TOKEN_FILE")
printf '%s\\n' "$*" >> "$CALLS"
printf 'role=%s region=%s token=%s\\n' "\${AWS_ROLE_ARN:-}" "\${AWS_REGION:-}" "$token" >> "$CALLS"
echo "Resources:"
echo "    + 2 to create"
echo "    3 unchanged"
case "$*" in *target-account/sandbox*) exit 1;; esac
`;

describe(".ci/stacks.sh (the workflows' stack runner)", function () {
  this.timeout(120_000);
  let tmp: string;
  let server: http.Server;
  let url: string;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-sh-"));
    fs.mkdirSync(path.join(tmp, "bin"));
    fs.writeFileSync(path.join(tmp, "bin", "pulumi"), FAKE_PULUMI, { mode: 0o755 });
    server = http.createServer((req, res) => {
      const ok = req.headers.authorization === "bearer request-token" && /[?&]audience=sts\.amazonaws\.com$/.test(req.url ?? "");
      res.writeHead(ok ? 200 : 403, { "content-type": "application/json" });
      res.end(ok ? JSON.stringify({ value: TOKEN }) : "{}");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/token?api-version=2.0`;
  });
  after(() => {
    server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** Runs the script without blocking the event loop (the token endpoint is served from this process). */
  const runScript = (args: string[], env: Record<string, string>) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn("bash", [path.join(REPO_ROOT, ".ci", "stacks.sh"), ...args], {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          PATH: `${path.join(tmp, "bin")}:${process.env.PATH}`,
          RUNNER_TEMP: tmp,
          CALLS: path.join(tmp, "calls"),
          ...env,
        },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("close", (status) => resolve({ status, stdout, stderr }));
    });

  it("runs every stack with the pack, its own pack config and a role in its own account, and fails the job when one fails", async () => {
    const r = await runScript(["preview", "target-account", "sandbox", "seed-target"], {
      GITHUB_ACTIONS: "true",
      ACTIONS_ID_TOKEN_REQUEST_URL: url,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: "request-token",
      AWS_ROLE_NAME: "pulumi-preview",
      PULUMI_ORG: "acme",
    });
    assert.equal(r.status, 1, r.stderr);
    const calls = fs.readFileSync(path.join(tmp, "calls"), "utf8").trim().split("\n");
    const out = path.join(tmp, "stacks", "target-account");
    assert.deepEqual(calls, [
      `preview --diff --non-interactive --stack acme/target-account/sandbox --policy-pack ${REPO_ROOT}/policy-pack --policy-pack-config ${out}/sandbox.policy-config.json`,
      `role=arn:aws:iam::555566667777:role/pulumi-preview region=us-east-1 token=${TOKEN}`,
      `preview --diff --non-interactive --stack acme/target-account/seed-target --policy-pack ${REPO_ROOT}/policy-pack --policy-pack-config ${out}/seed-target.policy-config.json`,
      `role=arn:aws:iam::444455556666:role/pulumi-preview region=us-east-1 token=${TOKEN}`,
    ]);
    // Each stack's pack config is exactly what policy-config gives that stack.
    for (const stack of ["sandbox", "seed-target"]) {
      let printed = "";
      const write = process.stdout.write;
      process.stdout.write = ((s: string) => ((printed += s), true)) as typeof process.stdout.write;
      try {
        policyConfig([`target-account/${stack}`]);
      } finally {
        process.stdout.write = write;
      }
      assert.deepEqual(JSON.parse(fs.readFileSync(path.join(out, `${stack}.policy-config.json`), "utf8")), JSON.parse(printed), stack);
    }
    assert.equal(fs.readFileSync(path.join(out, "sandbox.result"), "utf8").trim(), "failed|target-account/sandbox|pulumi preview exited 1");
    assert.equal(
      fs.readFileSync(path.join(out, "seed-target.result"), "utf8").trim(),
      "ok|target-account/seed-target|+ 2 to create,3 unchanged",
    );
    // The token appears in the log only in the line that masks it, and is not left on disk.
    assert.deepEqual(
      r.stdout.split("\n").filter((l) => l.includes(TOKEN)),
      [`::add-mask::${TOKEN}`, `::add-mask::${TOKEN}`],
    );
    assert.ok(!fs.existsSync(path.join(out, "token")));
  });

  it("refuses to run AWS stacks in GitHub Actions without an OIDC token, and names the permission", async () => {
    const r = await runScript(["up", "jump-account", "jump"], {
      GITHUB_ACTIONS: "true",
      ACTIONS_ID_TOKEN_REQUEST_URL: "",
      AWS_ROLE_NAME: "pulumi-deploy",
      PULUMI_ORG: "acme",
    });
    assert.equal(r.status, 2);
    assert.match(
      r.stderr,
      /jump-account\/jump needs AWS account 111122223333, and this job has no OIDC token \(permissions: id-token: write\)/,
    );
  });

  it("refuses a stack name that is not one, and an unknown command, with exit 2", async () => {
    assert.equal((await runScript(["preview", "target-account", "a;b"], { PULUMI_ORG: "acme" })).status, 2);
    const r = await runScript(["destroy", "target-account", "sandbox"], { PULUMI_ORG: "acme" });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /expected preview or up, got destroy/);
  });
});
