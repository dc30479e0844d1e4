/**
 * The committed hardened example environment (examples/hardened): its stacks set every hardened
 * option explicitly, the programs register the hardened documents, and `npm start -- --env
 * examples/hardened` holds with no escalation method open.
 */
import { strict as assert } from "assert";
import * as path from "path";
import { hardenedSelfServicePolicy, REQUIRE_MFA } from "@jumpenv/shared";
import { loadEnvironment, planEnvironment, REPO_ROOT, type PlannedEnvironment } from "../verify/harness/environment";
import { main } from "../verify/plan/plan";

const DIR = path.join(REPO_ROOT, "examples", "hardened");

describe("the hardened example environment (examples/hardened)", () => {
  const env = loadEnvironment(DIR);
  let plan: PlannedEnvironment;
  before(async () => {
    plan = await planEnvironment(env);
  });

  it("its jump stack sets the hardened self-service profile, and every role bounds the MFA age", () => {
    assert.equal(env.jump.config["jump-account:selfServiceProfile"], "hardened");
    const targets = JSON.parse(env.jump.config["jump-account:targets"]) as { roles: { mfaMaxAgeSeconds?: number }[] }[];
    for (const r of targets.flatMap((t) => t.roles)) assert.ok(r.mfaMaxAgeSeconds, JSON.stringify(r));
  });

  it("its target stacks set every hardened boundary option", () => {
    assert.ok(env.targets.length >= 2);
    for (const t of env.targets) {
      for (const key of ["boundaryProfile", "enableProtection", "protectedRoleNames", "delegatedPath"])
        assert.ok(t.config[`target-account:${key}`] !== undefined, `${t.stack} does not set target-account:${key}`);
      assert.equal(t.config["target-account:boundaryProfile"], "hardened");
    }
  });

  it("the jump program registers the hardened self-service policy and group policies that require MFA", () => {
    const policies = plan.jump.resources.filter((r) => r.type === "aws:iam/policy:Policy");
    const self = policies.find((p) => p.props.name === "jump-self-service")!;
    assert.deepEqual(JSON.parse(String(self.props.policy)), hardenedSelfServicePolicy());
    const assume = policies.filter((p) => String(p.props.name).endsWith("-assume-roles"));
    assert.equal(assume.length, 2);
    for (const p of assume)
      for (const st of JSON.parse(String(p.props.policy)).Statement)
        assert.deepEqual(st.Condition.Bool, REQUIRE_MFA.Bool, String(p.props.name));
  });

  it("npm start -- --env examples/hardened: every check holds and no escalation method is open", async () => {
    let stdout = "";
    let stderr = "";
    const code = await main(["--env", DIR], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
    assert.equal(code, 0, stderr + stdout);
    assert.match(stdout, /^Escalation catalogue: \d+ methods \(from 5 outside sources: /m);
    assert.match(
      stdout,
      /^ {2}✔ target-account\/production \(hardened\) +\d+ blocked, \d+ residual, 0 open; (\d+)\/\1 delegated tasks work$/m,
    );
    assert.match(
      stdout,
      /^ {2}✔ target-account\/staging \(hardened\) +\d+ blocked, \d+ residual, 0 open; (\d+)\/\1 delegated tasks work$/m,
    );
    assert.match(
      stdout,
      /may not register an MFA device with a long-term access key ×\d+ +denied: jump-self-service statement DenyMFARegistrationWithLongTermAccessKeys/,
    );
  });
});
