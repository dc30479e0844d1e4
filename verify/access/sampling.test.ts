/**
 * Trust sampling (verify/access/trust-sampling.ts): past `sampleAbovePairs` user-role pairs, each
 * role's trust is checked for a bounded, deterministic sample of its intended users and outsiders.
 */
import { strict as assert } from "assert";
import { loadEnvironment, planEnvironment, type Environment } from "../harness/environment";
import { generateEnvironment } from "../harness/generate";
import { TRUST_SAMPLING, type ProofOptions } from "./expectation";
import { accessExpectations } from "./expectations";
import { roleSample, samplePositions, trustSampling, trustSamplingSummary } from "./trust-sampling";
import { accessModel, type AccessModel, type PlannedStack } from "./access-model";
import { checkAll } from "./proof";

const NOW = new Date("2026-03-01T12:00:00Z");

async function modelOf(env: Environment): Promise<AccessModel> {
  const plan = await planEnvironment(env);
  const planned = (
    run: { project: string; stack: string; resources: PlannedStack["resources"] },
    config: PlannedStack["config"],
  ): PlannedStack => ({ ...run, config });
  return accessModel(
    planned(plan.jump, env.jump.config),
    plan.targets.map((t) => planned(t, env.targets.find((f) => f.stack === t.stack)!.config)),
  );
}

describe("trust sampling (verify/access/trust-sampling.ts)", () => {
  describe("samplePositions", () => {
    it("keeps every position when there are no more than k", () => {
      assert.deepEqual(samplePositions(0, 8), []);
      assert.deepEqual(samplePositions(5, 8), [0, 1, 2, 3, 4]);
      assert.deepEqual(samplePositions(8, 8, 3), [0, 1, 2, 3, 4, 5, 6, 7]);
    });

    it("takes k distinct positions in order: the first, the last, and one in each of k - 2 equal stretches between", () => {
      for (const n of [9, 10, 17, 333, 334, 666, 1000]) {
        for (const rotation of [0, 1, 7, 54, 55, 999]) {
          const p = samplePositions(n, 8, rotation);
          assert.equal(p.length, 8, `${n} ${rotation}`);
          assert.equal(p[0], 0);
          assert.equal(p[7], n - 1);
          for (let i = 1; i < p.length; i++) assert.ok(p[i] > p[i - 1], `${n} ${rotation}: ${p}`);
          const stretch = (n - 2) / 6;
          for (let j = 0; j < 6; j++) {
            assert.ok(
              p[j + 1] >= 1 + Math.floor(j * stretch) && p[j + 1] < 1 + Math.floor((j + 1) * stretch),
              `${n} ${rotation}: ${p[j + 1]} in stretch ${j}`,
            );
          }
        }
      }
      assert.deepEqual(samplePositions(1000, 8), [0, 1, 167, 333, 500, 666, 832, 999]);
      assert.deepEqual(samplePositions(1000, 8), samplePositions(1000, 8), "deterministic");
      assert.deepEqual(samplePositions(10, 2, 5), [0, 9]);
      assert.deepEqual(samplePositions(10, 1, 5), [0]);
    });

    it("rotating covers every position once there are as many rotations as a stretch is wide", () => {
      for (const n of [334, 666]) {
        const seen = new Set<number>();
        for (let r = 0; r < Math.ceil((n - 2) / 6); r++) for (const p of samplePositions(n, 8, r)) seen.add(p);
        assert.equal(seen.size, n);
      }
    });
  });

  it("the example environment is not sampled: every user against every role, 147 checks", async () => {
    const model = await modelOf(loadEnvironment());
    assert.equal(trustSampling(model), undefined);
    assert.equal(trustSamplingSummary(model), undefined);
    const expectations = await accessExpectations(model, { now: NOW });
    assert.equal(expectations.length, 147);
    assert.ok(expectations.every((e) => e.sample === undefined));
  });

  it("past the threshold with few users per role, the sample is every user: nothing is marked sampled, and the report has no sampling line", async () => {
    const model = await modelOf(generateEnvironment({ accounts: 3, users: 5 }).environment);
    const opts: ProofOptions = { now: NOW, sampleAbovePairs: 10 };
    assert.ok(trustSampling(model, opts));
    assert.equal(trustSamplingSummary(model, opts), undefined);
    const expectations = await accessExpectations(model, opts);
    assert.deepEqual(expectations, await accessExpectations(model, { now: NOW }));
  });

  describe("a generated environment past the threshold (3 accounts x 40 users, threshold lowered to 100 pairs, 4 users per role)", () => {
    const opts: ProofOptions = { now: NOW, sampleAbovePairs: 100, usersPerRole: 4 };
    let model: AccessModel;
    before(async () => {
      model = await modelOf(generateEnvironment({ accounts: 3, users: 40 }).environment);
    });

    it("samples past the threshold only, and defaults to 10,000 pairs and 8 users per role", () => {
      assert.deepEqual(trustSampling(model, opts), { pairs: 240, users: 40, roles: 6, abovePairs: 100, usersPerRole: 4 });
      assert.equal(trustSampling(model, { sampleAbovePairs: 240 }), undefined, "at the threshold: every user");
      assert.equal(trustSampling(model), undefined);
      assert.deepEqual(TRUST_SAMPLING, { abovePairs: 10_000, usersPerRole: 8 });
    });

    it("checks each role's sampled users with every request of the full proof, marks those requests, and every check holds", async () => {
      const expectations = await accessExpectations(model, opts);
      const checks = await checkAll(expectations);
      assert.deepEqual(
        checks.filter((c) => !c.ok).map((c) => c.message),
        [],
      );
      const role = model.targets[1].roles[0];
      const subject = `${role.name}@${model.targets[1].name}`;
      const sample = roleSample(model, role, opts, trustSampling(model, opts), 1);
      assert.equal(sample.intendedOf, 14, "users 0, 3, 6 ... 39 are in group g0");
      assert.equal(sample.outsidersOf, 26);
      const intended = role.intendedUsers;
      assert.deepEqual(
        sample.intended.map((u) => u.name),
        samplePositions(14, 4, 1).map((i) => intended[i]),
      );
      assert.equal(sample.intended[0].name, intended[0], "the first");
      assert.equal(sample.intended[3].name, intended[13], "the last");
      const of = (id: string) => expectations.filter((e) => e.subject === subject && e.id === id);
      // Per sampled intended user: console and CLI with MFA, console and access key without.
      assert.equal(of("trust-mapped-user-with-mfa").length, 8);
      assert.equal(of("trust-no-assume-without-mfa").length, 8);
      assert.deepEqual(
        [...new Set(of("trust-mapped-user-with-mfa").map((e) => e.request.principal.split("/").pop()))],
        sample.intended.map((u) => u.name),
      );
      for (const e of [...of("trust-mapped-user-with-mfa"), ...of("trust-no-assume-without-mfa")])
        assert.deepEqual(e.sample, { checked: 4, of: 14 });
      // Per sampled outsider: with their own policies, and with a policy allowing the AssumeRole.
      assert.equal(of("trust-no-outsider").length, 8);
      for (const e of of("trust-no-outsider")) assert.deepEqual(e.sample, { checked: 4, of: 26 });
      assert.equal(of("trust-no-other-account").length, 1);
      assert.equal(of("trust-no-other-account")[0].sample, undefined);
      // The generated Jump stack uses the hardened self-service profile: its own MFA gate refuses too.
      assert.equal(of("trust-jump-policies-require-mfa").length, 8);
      // Sessions and self-service are not sampled (16 checks per user, 5 more under the hardened profile).
      assert.equal(expectations.filter((e) => e.id.startsWith("self-")).length, 40 * 21);
      assert.ok(
        expectations.filter((e) => !e.id.startsWith("trust-") || e.id === "trust-no-other-account").every((e) => e.sample === undefined),
      );
    });

    it("rotates the sample by account and reports its coverage", () => {
      const sampling = trustSampling(model, opts)!;
      const names = (index: number) => roleSample(model, model.targets[index].roles[0], opts, sampling, index).intended.map((u) => u.name);
      assert.notDeepEqual(names(0), names(1));
      assert.deepEqual(trustSamplingSummary(model, opts), {
        ...sampling,
        // Group g2's 13 users are mapped to no role; everybody is an outsider of some role.
        intended: {
          checked: new Set(
            model.targets.flatMap((t, i) => t.roles.flatMap((r) => roleSample(model, r, opts, sampling, i).intended.map((u) => u.name))),
          ).size,
          of: 27,
        },
        outsiders: {
          checked: new Set(
            model.targets.flatMap((t, i) => t.roles.flatMap((r) => roleSample(model, r, opts, sampling, i).outsiders.map((u) => u.name))),
          ).size,
          of: 40,
        },
      });
    });

    it("an explicit outsidersPerRole still takes the first outsiders in config order", () => {
      const role = model.targets[0].roles[0];
      const sample = roleSample(model, role, { ...opts, outsidersPerRole: 3 }, trustSampling(model, opts), 0);
      assert.deepEqual(
        sample.outsiders.map((u) => u.name),
        model.jump.users
          .filter((u) => !role.intendedUsers.includes(u.name))
          .slice(0, 3)
          .map((u) => u.name),
      );
    });
  });
});
