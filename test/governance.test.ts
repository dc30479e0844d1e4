/**
 * The governance project (root Pulumi.yaml, program in governance/): run for real under Pulumi's
 * runtime mocks with the committed Pulumi.org.yaml, as `pulumi up` would, and checked against
 * what it must enforce: the published pack, at the version in policy-pack/package.json, in
 * preventative mode, on every committed jump-account and target-account stack, each with the pack
 * config its own file implies — the same config CI passes to `--policy-pack-config`.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "@jumpenv/shared";
import { withConfig } from "../verify/harness/environment";
import {
  ProgramError,
  programEntry,
  readStackFile,
  runStack,
  stackFilesIn,
  type RegisteredResource,
  type StackRun,
} from "../verify/harness/mock-run";
import { loadPackPolicies, readPolicyPackManifest, POLICY_PACK_DIR } from "../governance/pack";
import {
  packConfigFor,
  packConfigProblems,
  PackConfigError,
  planPolicyGroups,
  readBaseConfig,
  type PolicyPackConfig,
} from "../governance/pack-config";
import { policyConfigOf } from "../governance/policy-config";
import { committedStacks, REPO_ROOT, type CommittedStack } from "../governance/stacks";

const ORG = "acme";
const GOVERNANCE_STACK = path.join(REPO_ROOT, "Pulumi.org.yaml");

interface PolicyGroupProps {
  name: string;
  organizationName: string;
  entityType: string;
  mode: string;
  stacks: { name: string; routingProject: string }[];
  policyPacks: { name: string; versionTag: string; config: PolicyPackConfig }[];
}

function groupsOf(run: StackRun): (RegisteredResource & { props: PolicyGroupProps })[] {
  return run.resources.filter((r) => r.type === "pulumiservice:index:PolicyGroup") as (RegisteredResource & { props: PolicyGroupProps })[];
}

function groupOfStack(run: StackRun, project: string, stack: string) {
  const found = groupsOf(run).filter((g) => g.props.stacks.some((s) => s.routingProject === project && s.name === stack));
  assert.equal(found.length, 1, `${project}/${stack} is in ${found.length} policy groups`);
  return found[0];
}

/** Policies of the pack whose config schema declares `key`. */
function policiesDeclaring(key: string): string[] {
  return loadPackPolicies()
    .filter((p) => key in (p.configSchema?.properties ?? {}))
    .map((p) => p.name);
}

describe("governance project: org-wide enforcement of the policy pack", () => {
  const manifest = readPolicyPackManifest();
  let run: StackRun;

  before(async () => {
    run = await runStack(readStackFile(REPO_ROOT, GOVERNANCE_STACK), { organization: ORG });
  });

  it("is the root Pulumi.yaml, whose `main` is governance/ (the mock runner honours it)", () => {
    assert.equal(run.project, "governance");
    assert.equal(programEntry(REPO_ROOT), path.join(REPO_ROOT, "governance", "index.ts"));
    assert.equal(programEntry(path.join(REPO_ROOT, "jump-account")), path.join(REPO_ROOT, "jump-account", "index.ts"));
  });

  it("builds one PolicyEnforcement component whose children are the policy groups", () => {
    const components = run.resources.filter((r) => r.type === "jumpenv:index:PolicyEnforcement");
    assert.equal(components.length, 1);
    const groups = groupsOf(run);
    assert.ok(groups.length >= 1);
    for (const g of groups) assert.equal(g.options.parent, components[0].urn, `${g.name} is not parented to the component`);
    assert.equal(run.resources.length, 1 + groups.length, "registers nothing but the component and its groups");
  });

  it("puts every committed jump-account, target-account and identity-center stack in exactly one group, and nothing else", () => {
    const enforced = groupsOf(run)
      .flatMap((g) => g.props.stacks.map((s) => `${s.routingProject}/${s.name}`))
      .sort();
    const committed = ["jump-account", "target-account", "identity-center"]
      .flatMap((dir) => stackFilesIn(path.join(REPO_ROOT, dir)))
      .map((s) => `${s.project}/${s.stack}`)
      .sort();
    assert.deepEqual(enforced, committed);
    assert.ok(
      committed.includes("jump-account/jump") &&
        committed.includes("target-account/seed-target") &&
        committed.includes("target-account/sandbox"),
    );
  });

  it("applies the pack named and versioned by policy-pack/package.json, in preventative mode, in the stack's organisation", () => {
    for (const g of groupsOf(run)) {
      assert.equal(g.props.organizationName, ORG);
      assert.equal(g.props.mode, "preventative");
      assert.equal(g.props.entityType, "stacks");
      assert.equal(g.props.policyPacks.length, 1);
      assert.equal(g.props.policyPacks[0].name, manifest.name);
      assert.equal(g.props.policyPacks[0].versionTag, manifest.version);
    }
    assert.equal(run.outputs.policyPackName, manifest.name);
    assert.equal(run.outputs.policyPackVersionTag, manifest.version);
  });

  it("writes the pack's name and version nowhere but policy-pack/package.json", () => {
    const sources = fs.readdirSync(path.join(REPO_ROOT, "governance")).map((f) => path.join(REPO_ROOT, "governance", f));
    for (const file of [...sources, path.join(REPO_ROOT, "Pulumi.yaml"), GOVERNANCE_STACK]) {
      const text = fs.readFileSync(file, "utf8");
      assert.ok(
        !text.includes(manifest.name),
        `${path.relative(REPO_ROOT, file)} names the pack "${manifest.name}"; read it from policy-pack/package.json`,
      );
      assert.ok(!text.includes(`"${manifest.version}"`), `${path.relative(REPO_ROOT, file)} writes the pack's version`);
    }
  });

  it("the name the pack serves itself under (policies.ts PACK_NAME) is package.json's name, so the group names what `pulumi policy publish` published", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PACK_NAME } = require(path.join(POLICY_PACK_DIR, "policies")) as { PACK_NAME: string };
    assert.equal(PACK_NAME, manifest.name);
  });

  it("approves, in each stack's group, the boundary that stack's file creates", () => {
    const seed = groupOfStack(run, "target-account", "seed-target").props.policyPacks[0].config;
    const sandbox = groupOfStack(run, "target-account", "sandbox").props.policyPacks[0].config;
    const declaring = policiesDeclaring("boundaryPolicyName");
    assert.ok(declaring.includes("iam-role-requires-permissions-boundary"));
    assert.ok(declaring.includes("iam-boundary-policy-integrity"));
    for (const policy of declaring) {
      assert.deepEqual(
        {
          name: (seed[policy] as Record<string, unknown>).boundaryPolicyName,
          path: (seed[policy] as Record<string, unknown>).boundaryPolicyPath,
        },
        { name: "test-pb-policy", path: "/" },
        `seed-target, ${policy}`,
      );
      assert.equal(
        (sandbox[policy] as Record<string, unknown>).boundaryPolicyName,
        "jump-permissions-boundary",
        `sandbox (the project default), ${policy}`,
      );
    }
    assert.notEqual(
      groupOfStack(run, "target-account", "seed-target").props.name,
      groupOfStack(run, "target-account", "sandbox").props.name,
    );
  });

  it("names the target-account project as the target projects, and keeps the org-wide settings", () => {
    const base = readBaseConfig();
    for (const g of groupsOf(run)) {
      const config = g.props.policyPacks[0].config;
      for (const policy of policiesDeclaring("targetProjects"))
        assert.deepEqual((config[policy] as Record<string, unknown>).targetProjects, ["target-account"]);
      for (const [policy, settings] of Object.entries(base)) {
        if (typeof settings === "string")
          assert.equal((config[policy] as Record<string, unknown>).enforcementLevel ?? config[policy], settings);
        else
          for (const [k, v] of Object.entries(settings))
            assert.deepEqual((config[policy] as Record<string, unknown>)[k], v, `${g.props.name}: ${policy}.${k}`);
      }
    }
  });

  it("gives every group a config the pack's own config schemas accept", () => {
    const policies = loadPackPolicies();
    for (const g of groupsOf(run)) assert.deepEqual(packConfigProblems(g.props.policyPacks[0].config, policies), [], g.props.name);
  });

  it("gives Pulumi Cloud exactly the config CI passes to --policy-pack-config for each stack", () => {
    for (const s of committedStacks()) {
      const ci = policyConfigOf(`${s.dir}/${s.stack}`).config;
      assert.deepEqual(groupOfStack(run, s.project, s.stack).props.policyPacks[0].config, ci, `${s.dir}/${s.stack}`);
    }
  });

  it("reads the stack files as the programs do (the mock runner's reader gives the same config)", () => {
    for (const s of committedStacks()) {
      const viaRunner = readStackFile(path.join(REPO_ROOT, s.dir), s.file);
      assert.deepEqual(s.config, viaRunner.config, s.file);
    }
  });

  it("governance:mode audit makes every group report instead of block", async () => {
    const audit = await runStack(withConfig(readStackFile(REPO_ROOT, GOVERNANCE_STACK), { "governance:mode": "audit" }), {
      organization: ORG,
    });
    assert.ok(groupsOf(audit).length > 0);
    for (const g of groupsOf(audit)) assert.equal(g.props.mode, "audit");
  });

  it("a bad governance config fails naming the key, and registers nothing", async () => {
    for (const [key, value, expected] of [
      ["governance:mode", "block", /governance:mode is "block"; expected one of preventative, audit/],
      ["governance:policyGroups", "x", /governance:policyGroups is "x"; unknown key; expected one of governance:mode/],
    ] as const) {
      const err = await runStack(withConfig(readStackFile(REPO_ROOT, GOVERNANCE_STACK), { [key]: value }), { organization: ORG }).then(
        () => assert.fail(`${key}=${value} was accepted`),
        (e: unknown) => e,
      );
      assert.ok(err instanceof ProgramError);
      assert.ok(err.cause instanceof ConfigError, String(err.cause));
      assert.match(err.message, expected);
      assert.deepEqual(err.resources, []);
    }
  });
});

describe("governance: pack config per stack, and policy groups", () => {
  const policies = loadPackPolicies();
  const manifest = readPolicyPackManifest();
  const base = readBaseConfig();
  // The committed jump and target stacks (the cases below are about target boundaries).
  const stacks = committedStacks().filter((s) => s.role !== "identity-center");

  function targetStack(stack: string, extra: Record<string, string>): CommittedStack {
    const sandbox = stacks.find((s) => s.stack === "sandbox")!;
    return { ...sandbox, stack, file: `target-account/Pulumi.${stack}.yaml`, config: { ...sandbox.config, ...extra } };
  }

  it("a new target stack with its own boundary gets its own group; one with the default boundary joins the default group", () => {
    const plans = planPolicyGroups(
      [
        ...stacks,
        targetStack("payments", {
          "target-account:boundaryPolicyName": "payments-boundary",
          "target-account:boundaryPolicyPath": "/security/",
        }),
        targetStack("staging", {}),
      ],
      base,
      policies,
      manifest,
      ["target-account"],
    );
    const byStack = (name: string) => plans.find((p) => p.stacks.some((s) => s.stack === name))!;
    assert.equal(byStack("payments").name, `${manifest.name}-555566667777-security-payments-boundary`);
    assert.equal(byStack("payments").boundary, "/security/payments-boundary");
    assert.deepEqual(byStack("payments").stacks, [{ project: "target-account", stack: "payments" }]);
    assert.equal(byStack("staging").name, byStack("sandbox").name);
    // The same boundary name in another account is another account's boundary: its own group.
    assert.equal(byStack("jump").boundary, byStack("sandbox").boundary, "the jump stack is checked against the default boundary");
    assert.notEqual(byStack("jump").name, byStack("sandbox").name);
    assert.equal(byStack("jump").name, `${manifest.name}-111122223333-jump-permissions-boundary`);
    assert.equal(plans.length, 4);
  });

  it("refuses an org-wide config that names a policy the pack does not have", () => {
    assert.throws(
      () =>
        packConfigFor(
          { "iam-role-requires-boundary": { exemptRoleNamePatterns: [] } },
          { boundaryPolicyName: "b", boundaryPolicyPath: "/", boundaryAccountIds: ["444455556666"], targetProjects: ["t"] },
          policies,
        ),
      (e: unknown) => e instanceof PackConfigError && /"iam-role-requires-boundary" is not a policy of the pack/.test(e.message),
    );
  });

  it("refuses a setting the policy does not declare, and a value its schema rejects", () => {
    const settings = { boundaryPolicyName: "b", boundaryPolicyPath: "/", boundaryAccountIds: ["444455556666"], targetProjects: ["t"] };
    assert.throws(
      () => packConfigFor({ "iam-role-requires-permissions-boundary": { exemptRolePatterns: ["x"] } }, settings, policies),
      /"iam-role-requires-permissions-boundary".exemptRolePatterns is not a setting of that policy/,
    );
    assert.throws(
      () => packConfigFor({ "iam-role-requires-permissions-boundary": { exemptRoleNamePatterns: "break-glass" } }, settings, policies),
      /exemptRoleNamePatterns is "break-glass"; expected array/,
    );
    assert.throws(
      () => packConfigFor({ all: "strict" }, settings, policies),
      /"all" is "strict"; expected one of advisory, mandatory, remediate, disabled/,
    );
  });

  it("refuses a stack-derived setting in the org-wide config (it would contradict the stack files)", () => {
    assert.throws(
      () =>
        packConfigFor(
          { "iam-role-requires-permissions-boundary": { boundaryPolicyName: "other" } },
          { boundaryPolicyName: "b", boundaryPolicyPath: "/", boundaryAccountIds: ["444455556666"], targetProjects: ["t"] },
          policies,
        ),
      /boundaryPolicyName comes from each stack's file; remove it from the org-wide config/,
    );
  });

  it("keeps an org-wide enforcement level when it adds the stack's settings", () => {
    const config = packConfigFor(
      { "iam-boundary-policy-integrity": "advisory" },
      { boundaryPolicyName: "b", boundaryPolicyPath: "/p/", boundaryAccountIds: ["444455556666"], targetProjects: ["t"] },
      policies,
    );
    assert.deepEqual(config["iam-boundary-policy-integrity"], {
      enforcementLevel: "advisory",
      boundaryAccountIds: ["444455556666"],
      boundaryPolicyName: "b",
      boundaryPolicyPath: "/p/",
    });
  });

  it("`npm run policy-config` serves the governance stack and refuses a stack that is not committed", () => {
    // The governance stack deploys to no AWS account; otherwise it gets what the jump stack gets.
    const withoutAccount = (c: Record<string, unknown>) =>
      JSON.parse(JSON.stringify(c), (k, v) => (k === "boundaryAccountIds" ? undefined : v)) as Record<string, unknown>;
    const governance = policyConfigOf("governance/org").config as Record<string, Record<string, unknown>>;
    assert.deepEqual(governance["iam-role-requires-permissions-boundary"].boundaryAccountIds, []);
    assert.deepEqual(withoutAccount(governance), withoutAccount(policyConfigOf("jump-account/jump").config));
    assert.throws(
      () => policyConfigOf("target-account/production"),
      /no committed stack target-account\/production; the committed stacks are jump-account\/jump, /,
    );
  });
});

describe("governance: each stack's account in the config CI and Pulumi Cloud receive", () => {
  const policies = loadPackPolicies();

  it("names the stack file's aws:allowedAccountIds account on every policy that checks a boundary", () => {
    for (const [spec, account] of [
      ["target-account/seed-target", "444455556666"],
      ["target-account/sandbox", "555566667777"],
      ["jump-account/jump", "111122223333"],
    ] as const) {
      const config = policyConfigOf(spec).config as Record<string, Record<string, unknown>>;
      const declaring = policies.filter((p) => p.configSchema?.properties.boundaryAccountIds).map((p) => p.name);
      assert.ok(declaring.length >= 2, declaring.join(", "));
      for (const name of declaring) assert.deepEqual(config[name].boundaryAccountIds, [account], `${spec} ${name}`);
    }
  });

  it("gives Pulumi Cloud every entry as an object: a bare level and `all` become enforcementLevel", () => {
    const config = packConfigFor(
      { all: "advisory", "iam-no-users-in-target-accounts": "mandatory" },
      { boundaryPolicyName: "b", boundaryPolicyPath: "/", boundaryAccountIds: ["444455556666"], targetProjects: ["t"] },
      policies,
    ) as Record<string, unknown>;
    assert.equal(config.all, undefined);
    for (const [name, entry] of Object.entries(config)) assert.equal(typeof entry, "object", name);
    assert.equal((config["iam-no-users-in-target-accounts"] as Record<string, unknown>).enforcementLevel, "mandatory");
    assert.equal((config["iam-role-requires-permissions-boundary"] as Record<string, unknown>).enforcementLevel, "advisory");
    assert.deepEqual(packConfigProblems({ "iam-no-users-in-target-accounts": "mandatory" }, policies), [
      '"iam-no-users-in-target-accounts" is "mandatory"; expected an object such as {"enforcementLevel": "mandatory"} (Pulumi Cloud reads each policy\'s config as an object)',
    ]);
  });
});
