import { strict as assert } from "assert";
import * as path from "path";
import {
  boundaryPolicy,
  HARDENED_SIDS,
  LIMITS,
  policyArn,
  policySize,
  RESERVED_TAG_KEY_PATTERN,
  RESERVED_TAG_KEY_PATTERNS,
  roleArn,
  trustPolicy,
} from "@jumpenv/shared";
import { requestContext } from "../access/context";
import { evaluate, namedPolicy } from "../access/evaluator";
import { readSection } from "../../docgen/generated-section";
import { METHODS } from "./methods";
import { TASKS } from "./tasks";
import { catalogueMatrix, matrixMarkdown, PROFILES, profileBoundary, REFERENCE_SCENARIO, type CatalogueRun } from "./evaluate";
import { outsideSources } from "./sources";
import type { Profile } from "./methods";

describe("escalation catalogue, evaluated against every boundary profile", () => {
  let matrix: Map<Profile, CatalogueRun>;
  before(async () => {
    matrix = await catalogueMatrix();
  });

  for (const profile of PROFILES) {
    it(`${profile}: every method ends as the catalogue expects`, () => {
      const wrong = matrix
        .get(profile)!
        .methods.filter((r) => (r.method.residual ? r.status !== "residual" : r.status !== r.method.expected[profile]))
        .map((r) => `${r.method.id}: ${r.status}, expected ${r.method.residual ? "residual" : r.method.expected[profile]}`);
      assert.deepEqual(wrong, []);
    });

    it(`${profile}: every delegated task still works`, () => {
      const denied = matrix
        .get(profile)!
        .tasks.filter((t) => !t.allowed)
        .map((t) => t.task.id);
      assert.deepEqual(denied, []);
    });
  }

  it("hardened: every method is blocked, by an explicit deny of the boundary, or honestly marked residual", () => {
    for (const r of matrix.get("hardened")!.methods) {
      if (r.method.residual) {
        assert.equal(r.status, "residual", r.method.id);
        continue;
      }
      assert.equal(r.status, "blocked", r.method.id);
      const denied = r.steps.find((s) => s.verdict.decision !== "Allowed")!;
      assert.equal(denied.verdict.decision, "ExplicitlyDenied", `${r.method.id}: ${denied.action} was not denied by a statement`);
      assert.ok(
        denied.verdict.reasons.some(
          (x) => x.kind === "boundary" && x.policy === REFERENCE_SCENARIO.boundaryArn && x.sid === r.method.blockedBy,
        ),
        `${r.method.id}: ${denied.action} was not denied by the boundary statement ${r.method.blockedBy}: ${JSON.stringify(denied.verdict.reasons)}`,
      );
    }
  });

  it("seed leaves open the methods the article's boundary does not address (so the catalogue can tell profiles apart)", () => {
    const open = matrix
      .get("seed")!
      .methods.filter((r) => r.status === "open")
      .map((r) => r.method.id);
    assert.ok(
      open.includes("update-assume-role-policy-unbounded") && open.includes("pass-role-ec2") && open.includes("edit-restricted-role-trust"),
      open.join(", "),
    );
  });

  it("a residual method is never counted as blocked", () => {
    for (const profile of PROFILES)
      for (const r of matrix.get(profile)!.methods.filter((x) => x.method.residual)) assert.notEqual(r.status, "blocked");
  });

  it("the matrix in docs/escalations.md is the one the code computes", () => {
    const committed = readSection(path.resolve(__dirname, "../../docs/escalations.md"), "escalation matrix");
    assert.equal(committed, matrixMarkdown(matrix).trim(), "docs/escalations.md is stale: run `npm run docs`");
  });

  it("holds at least 40 methods from at least 3 outside sources, each naming where in its source it comes from", () => {
    assert.ok(METHODS.length >= 40, `${METHODS.length} methods`);
    assert.ok(outsideSources(METHODS).length >= 3, outsideSources(METHODS).join(", "));
    for (const m of METHODS) {
      assert.ok(m.sources.length > 0, m.id);
      for (const r of m.sources)
        assert.match(r.ref, /^(https:\/\/|[A-Za-z0-9-]+\/[A-Za-z0-9.-]+ |test-pb-policy$|the Jump-account)/, `${m.id}: ${r.ref}`);
      assert.ok(m.residual || m.blockedBy, `${m.id} names neither the statement that blocks it nor the control of a residual method`);
    }
  });

  it("every statement the catalogue names exists in the hardened boundary, and each blocks some method", () => {
    const doc = profileBoundary("hardened", REFERENCE_SCENARIO);
    const sids = new Set(doc.Statement.map((st) => st.Sid));
    const named = new Set(METHODS.flatMap((m) => (m.blockedBy ? [m.blockedBy] : [])));
    for (const sid of named) assert.ok(sids.has(sid), sid);
    for (const sid of Object.values(HARDENED_SIDS)) assert.ok(named.has(sid), `no method is blocked by ${sid}`);
  });

  it("no Deny of the hardened boundary tests iam:PermissionsBoundary with an ...IfExists operator (an unbounded role would slip through)", () => {
    for (const st of profileBoundary("hardened", REFERENCE_SCENARIO).Statement.filter((x) => x.Effect === "Deny"))
      for (const [op, keys] of Object.entries(st.Condition ?? {}))
        if (Object.keys(keys as object).some((k) => k.toLowerCase() === "iam:permissionsboundary"))
          assert.doesNotMatch(op, /IfExists$/i, st.Sid);
  });

  it("a reserved tag key in another letter case is the same key to IAM: the group-tags trust admits it, so the boundary refuses every case", async () => {
    const jump = "111122223333";
    const key = RESERVED_TAG_KEY_PATTERN.replace("*", "group/platform-admins");
    const role = roleArn(REFERENCE_SCENARIO.accountId, "/", "restricted-admin");
    const trust = trustPolicy({ trust: { strategy: "group-tags", tagKeys: [key] }, jumpAccountId: jump });
    for (const spelt of [key, key.toUpperCase(), `JumpEnv${key.slice(7)}`]) {
      const verdict = await evaluate({
        principal: `arn:aws:iam::${jump}:user/mallory`,
        action: "sts:AssumeRole",
        resource: role,
        resourceAccount: REFERENCE_SCENARIO.accountId,
        context: requestContext(
          {
            kind: "user",
            account: jump,
            name: "mallory",
            path: "/",
            tags: { [spelt]: "true" },
            credentials: { kind: "console", mfaAgeSeconds: 60 },
          },
          "sts:AssumeRole",
          { resource: role, account: REFERENCE_SCENARIO.accountId },
          { now: new Date("2026-01-15T09:00:00Z"), region: REFERENCE_SCENARIO.region },
        ),
        policies: {
          identity: [
            namedPolicy("allow", { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: role }] }),
          ],
          trust: namedPolicy("trust", trust),
        },
      });
      assert.equal(verdict.decision, "Allowed", `${spelt}: ${JSON.stringify(verdict)}`);
    }
    assert.deepEqual([...RESERVED_TAG_KEY_PATTERNS].sort(), ["JU?????:*", "Ju?????:*", "jU?????:*", "ju?????:*"]);
  });

  it("lists every method and task once", () => {
    assert.equal(new Set(METHODS.map((m) => m.id)).size, METHODS.length);
    assert.equal(new Set(TASKS.map((t) => t.id)).size, TASKS.length);
  });
});

describe("hardened boundary size", () => {
  const account = "444455556666";
  const build = (opts: { nameLength: number; roles: number; pathLength: number }) => {
    const p = opts.pathLength <= 1 ? "/" : `/${"p".repeat(opts.pathLength - 2)}/`;
    return boundaryPolicy("hardened", {
      boundaryArn: policyArn(account, p, "b".repeat(opts.nameLength * 2)),
      accountId: account,
      shieldedRoleArns: [
        ...Array.from({ length: opts.roles }, (_, i) => roleArn(account, p, `${i}`.padEnd(opts.nameLength, "r"))),
        roleArn(account, "/", "OrganizationAccountAccessRole"),
      ],
      delegatedPath: "/delegated/",
    });
  };

  it("stays within the 6,144-character managed-policy quota with the longest names (128-character policy, 64-character roles, 20 roles)", () => {
    const size = policySize(build({ nameLength: 64, roles: 20, pathLength: 1 }));
    assert.ok(size <= LIMITS.managedPolicyChars, `${size} characters`);
  });

  it("is measured without white space, as IAM counts it", () => {
    const doc = build({ nameLength: 64, roles: 20, pathLength: 1 });
    assert.ok(JSON.stringify(doc, null, 2).length > LIMITS.managedPolicyChars, "the pretty-printed form would exceed the quota");
    assert.ok(policySize(doc) <= LIMITS.managedPolicyChars);
  });
});
