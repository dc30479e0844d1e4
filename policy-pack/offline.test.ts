import * as assert from "assert";
import type { Policies, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { iamNoUsersInTargetAccounts } from "./iam-no-users-in-target-accounts";
import { iamRoleRequiresPermissionsBoundary } from "./iam-role-requires-permissions-boundary";
import * as pulumiOutput from "@pulumi/pulumi/output";
import { effectiveConfig, validateConfig } from "./config-file";
import { toEngineProps } from "./engine-props";
import { PolicyRunError, runPolicies, type OfflineResource } from "./offline";
import { PACK_NAME, policies } from "./policies";
import { runOnEngineHandlers } from "./test/engine-server";
import {
  BOUNDARY_ARN,
  SEED_BOUNDARY,
  TARGET_ACCOUNT,
  UNKNOWN,
  clone,
  resource,
  seedBoundaryPolicy,
  validNativeRole,
  validRole,
} from "./test/fixtures";

/** One resource per case the pack distinguishes, at its default config. */
function fixtures(): OfflineResource[] {
  const brokenBoundary = clone(SEED_BOUNDARY) as unknown as { Statement: Record<string, unknown>[] };
  brokenBoundary.Statement.splice(3, 1);
  const noMfa = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: "111122223333" }, Action: "sts:AssumeRole" }],
  });
  return [
    validRole(),
    { ...validRole({ permissionsBoundary: undefined }), name: "no-boundary", urn: validRole().urn + "-2" },
    { ...validRole({ permissionsBoundary: UNKNOWN }), name: "unknown-boundary", urn: validRole().urn + "-3" },
    {
      ...validRole({ permissionsBoundary: `arn:aws:iam::${TARGET_ACCOUNT}:policy/other`, tags: UNKNOWN }),
      name: "other",
      urn: validRole().urn + "-4",
    },
    { ...validRole({ assumeRolePolicy: noMfa }), name: "no-mfa", urn: validRole().urn + "-5" },
    { ...validRole({ assumeRolePolicy: UNKNOWN }), name: "unknown-trust", urn: validRole().urn + "-6" },
    validNativeRole({ permissionsBoundary: undefined }),
    seedBoundaryPolicy(JSON.stringify(brokenBoundary), { name: "jump-permissions-boundary" }),
    seedBoundaryPolicy(UNKNOWN, { name: "jump-permissions-boundary" }),
    resource("aws:iam/user:User", "intruder", { name: "intruder" }),
    resource("aws:iam/user:User", "alice", { name: "alice" }, "jump-account"),
    resource("aws:s3/bucket:Bucket", "logs", { bucket: UNKNOWN }),
  ];
}

/** A policy that reads an unknown value without guarding it: the framework's own advisory path. */
const careless: ResourceValidationPolicy = {
  name: "careless",
  description: "Reads every prop.",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    if (JSON.stringify(args.props).length > 1e9) report("never");
  },
};

const sortBy = <T>(xs: T[], key: (x: T) => string) => [...xs].sort((a, b) => key(a).localeCompare(key(b)));

describe("offline runner", () => {
  describe("matches @pulumi/policy's own Analyze/Remediate handlers", () => {
    it("violations, levels and messages of the pack at its defaults", async () => {
      const all: Policies = [...policies, careless];
      const resources = fixtures();
      const engine = await runOnEngineHandlers(all, resources, PACK_NAME, "0.1.0");
      const offline = await runPolicies(resources, { policies: all, packVersion: "0.1.0" });
      const key = (v: { policy: string; urn: string; message: string; enforcementLevel: string }) =>
        `${v.urn}|${v.policy}|${v.enforcementLevel}|${v.message}`;
      assert.deepStrictEqual(sortBy(offline.violations.map(key), String), sortBy(engine.diagnostics.map(key), String));
      // The cases really are distinct: every level and several policies appear.
      assert.ok(engine.diagnostics.length >= 10, String(engine.diagnostics.length));
      assert.deepStrictEqual(new Set(engine.diagnostics.map((d) => d.enforcementLevel)), new Set(["mandatory", "advisory"]));
      assert.ok(
        engine.diagnostics.some((d) => d.policy === "careless" && d.message.startsWith("can't run policy 'careless' from policy pack")),
      );
    });

    it("not-applicable records", async () => {
      const resources = fixtures();
      const engine = await runOnEngineHandlers(policies, resources, PACK_NAME, "0.1.0");
      const offline = await runPolicies(resources);
      const key = (n: { policy: string; urn?: string; reason?: string }) => `${n.urn}|${n.policy}|${n.reason ?? ""}`;
      assert.deepStrictEqual(sortBy(offline.notApplicable.map(key), String), sortBy(engine.notApplicable.map(key), String));
    });

    it("remediation: changed props, other unknowns kept, then validation of the result", async () => {
      const remediating: Policies = [
        { ...iamRoleRequiresPermissionsBoundary, enforcementLevel: "remediate" },
        { ...iamNoUsersInTargetAccounts, enforcementLevel: "remediate" }, // validates only
      ];
      const resources = [...fixtures().slice(0, 4), resource("aws:iam/user:User", "intruder", { name: "intruder" })];
      const engine = await runOnEngineHandlers(remediating, resources, PACK_NAME, "0.1.0");
      const offline = await runPolicies(resources, { policies: remediating, packVersion: "0.1.0" });
      assert.strictEqual(engine.remediations.length, 2);
      assert.deepStrictEqual(
        offline.remediations.map((r) => [r.urn, r.props]),
        engine.remediations.map((r) => [r.urn, r.props]),
      );
      assert.deepStrictEqual(
        offline.remediations.map((r) => r.props.permissionsBoundary),
        [BOUNDARY_ARN, BOUNDARY_ARN],
      );
      assert.ok(offline.remediations.some((r) => r.props.tags === UNKNOWN));
      const key = (v: { urn: string; message: string; enforcementLevel: string }) => `${v.urn}|${v.enforcementLevel}|${v.message}`;
      assert.deepStrictEqual(sortBy(offline.violations.map(key), String), sortBy(engine.diagnostics.map(key), String));
      assert.ok(offline.violations.some((v) => v.message.includes('IAM user "intruder"') && v.enforcementLevel === "mandatory"));
      const na = (n: { policy: string; urn?: string; reason?: string }) => `${n.urn}|${n.policy}|${n.reason ?? ""}`;
      assert.deepStrictEqual(sortBy(offline.notApplicable.map(na), String), sortBy(engine.notApplicable.map(na), String));
      assert.ok(engine.notApplicable.some((n) => n.reason === "Policy does not implement remediateResource"));
    });
  });

  describe("config", () => {
    it("levels: policy default, then `all`, then the policy's own entry", () => {
      const eff = effectiveConfig(policies, {
        all: "advisory",
        "iam-role-requires-permissions-boundary": { enforcementLevel: "remediate", boundaryAccountIds: [TARGET_ACCOUNT] },
      });
      assert.strictEqual(eff["iam-role-requires-permissions-boundary"].enforcementLevel, "remediate");
      assert.deepStrictEqual(eff["iam-role-requires-permissions-boundary"].props, { boundaryAccountIds: [TARGET_ACCOUNT] });
      assert.strictEqual(eff["iam-no-users-in-target-accounts"].enforcementLevel, "advisory");
      assert.strictEqual(effectiveConfig(policies)["iam-no-users-in-target-accounts"].enforcementLevel, "mandatory");
    });

    it("a disabled policy does not run; an advisory one reports advisory", async () => {
      const role = validRole({ permissionsBoundary: undefined });
      const off = await runPolicies([role], { config: { "iam-role-requires-permissions-boundary": "disabled" } });
      assert.deepStrictEqual(off.violations, []);
      const adv = await runPolicies([role], { config: { "iam-role-requires-permissions-boundary": "advisory" } });
      assert.deepStrictEqual(
        adv.violations.map((v) => v.enforcementLevel),
        ["advisory"],
      );
    });

    it("validates a config file against the policies' schemas", () => {
      assert.deepStrictEqual(
        validateConfig(policies, {
          all: "mandatory",
          "iam-role-requires-permissions-boundary": {
            boundaryPolicyName: "pb",
            boundaryAccountIds: [TARGET_ACCOUNT],
            unknownBoundary: "warn",
          },
          "iam-no-users-in-target-accounts": { targetStackTags: { kind: "target" } },
        }),
        [],
      );
      assert.deepStrictEqual(
        validateConfig(policies, {
          "iam-role-requires-permisions-boundary": "mandatory",
          "iam-role-requires-permissions-boundary": {
            boundaryPolicyPath: "no-slash",
            unknownBoundary: "maybe",
            boundaryAccountIds: ["123"],
            exemptRoles: [],
          },
          "iam-no-users-in-target-accounts": { enforcementLevel: "strict", targetProjects: "target-account", targetStackTags: { kind: 1 } },
        }),
        [
          `"iam-role-requires-permisions-boundary" is not a policy of the pack; expected one of ${policies.map((p) => p.name).join(", ")}`,
          '"iam-role-requires-permissions-boundary".boundaryPolicyPath is "no-slash"; expected a match of /^/([\\x21-\\x7E]*/)?$/',
          '"iam-role-requires-permissions-boundary".unknownBoundary is "maybe"; expected one of "deny", "warn"',
          '"iam-role-requires-permissions-boundary".boundaryAccountIds[0] is "123"; expected a match of /^[0-9]{12}$/',
          '"iam-role-requires-permissions-boundary".exemptRoles is not a setting of that policy; expected one of enforcementLevel, boundaryPolicyName, boundaryPolicyPath, boundaryAccountIds, exemptRoleNamePatterns, unknownBoundary',
          '"iam-no-users-in-target-accounts".enforcementLevel is "strict"; expected one of advisory, mandatory, remediate, disabled',
          '"iam-no-users-in-target-accounts".targetProjects is "target-account"; expected array',
          '"iam-no-users-in-target-accounts".targetStackTags.kind is 1; expected string',
        ],
      );
      assert.deepStrictEqual(validateConfig(policies, []), ["the config is []; expected a JSON object of policy name -> settings"]);
    });
  });

  describe("engine behaviour", () => {
    it("a policy that throws fails the run, naming the policy", async () => {
      const boom: ResourceValidationPolicy = {
        name: "boom",
        description: "d",
        validateResource: () => {
          throw new Error("kaboom");
        },
      };
      await assert.rejects(
        runPolicies([validRole()], { policies: [boom] }),
        (e: Error) => e instanceof PolicyRunError && /policy 'boom'.*kaboom/.test(e.message),
      );
    });

    it("stack policies see every resource with parents and dependencies resolved", async () => {
      const seen: string[] = [];
      const stackPolicy: StackValidationPolicy = {
        name: "stack",
        description: "Stack view.",
        enforcementLevel: "mandatory",
        validateStack: (args, report) => {
          for (const r of args.resources) seen.push(`${r.name}<${r.parent?.name ?? ""}>[${r.dependencies.map((d) => d.name).join(",")}]`);
          report("found", args.resources[1].urn);
        },
      };
      const parent = resource("jumpenv:index:TargetAccount", "target", {});
      const child = { ...validRole(), parent: parent.urn, dependencies: [parent.urn] };
      const r = await runPolicies([parent, child], { policies: [stackPolicy] });
      assert.deepStrictEqual(seen, ["target<>[]", "target-role-test-restricted-admin-role<target>[target]"]);
      assert.deepStrictEqual(r.violations, [
        { policy: "stack", urn: child.urn, message: "Stack view.\nfound", enforcementLevel: "mandatory" },
      ]);
    });

    it("takes props as Pulumi's runtime records them: SDK unknowns become the sentinel, secrets their value", async () => {
      const recorded = {
        name: "r",
        permissionsBoundary: pulumiOutput.unknown,
        tags: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: { a: "b" } },
      };
      assert.deepStrictEqual(toEngineProps(recorded), { name: "r", permissionsBoundary: UNKNOWN, tags: { a: "b" } });
      const r = await runPolicies([{ ...validRole(), props: { ...validRole().props, permissionsBoundary: pulumiOutput.unknown } }]);
      assert.match(r.violations[0].message, /unknown during preview/);
    });

    it("makes URNs from project and stack when a resource has none, and leaves its input untouched", async () => {
      const input = [{ type: "aws:iam/user:User", name: "u", urn: "", props: { name: "u" } }];
      const before = clone(input);
      const r = await runPolicies(input, { project: "target-account", stack: "dev" });
      assert.deepStrictEqual(
        r.violations.map((v) => v.urn),
        ["urn:pulumi:dev::target-account::aws:iam/user:User::u"],
      );
      assert.deepStrictEqual(input, before);
    });
  });
});
