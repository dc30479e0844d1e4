import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../audit/audit";
import { loadEnvironment, planEnvironment, type PlannedEnvironment } from "../harness/environment";
import type { StackFile, StackRun } from "../harness/mock-run";
import { paginate, snapshotOfRun } from "./serialise";
import { credentialReportJson, parseCredentialReport } from "./credential-report";
import { decodeDocument, readSnapshots } from "./snapshot";

const FIXTURES = path.join(__dirname, "fixtures");
const CONSOLE_TARGET = ["console-target-page-1.json", "console-target-page-2.json"].map((f) => path.join(FIXTURES, f));

type Snapshot = Record<string, unknown> & {
  UserDetailList: Record<string, unknown>[];
  RoleDetailList: Record<string, any>[];
  Policies: Record<string, any>[];
};

async function audit(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

function accountOf(file: StackFile): string {
  return (JSON.parse(file.config["aws:allowedAccountIds"]) as string[])[0];
}

describe("IAM snapshots of live accounts (npm run audit -- SNAPSHOT)", function () {
  this.timeout(120_000);
  let dir: string;
  let plan: PlannedEnvironment;
  const stacks: { run: StackRun; file: StackFile }[] = [];
  const write = (name: string, doc: unknown): string => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, JSON.stringify(doc, null, 2));
    return f;
  };
  const snapshot = (stack: string, documents: "decoded" | "url" = "decoded"): Snapshot => {
    const s = stacks.find((x) => x.run.stack === stack)!;
    return snapshotOfRun(s.run, { account: accountOf(s.file), documents }) as Snapshot;
  };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "snapshot-audit-"));
    const env = loadEnvironment();
    plan = await planEnvironment(env);
    stacks.push({ run: plan.jump, file: env.jump }, ...plan.targets.map((run, i) => ({ run, file: env.targets[i] })));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads documents decoded (AWS CLI) and URL-encoded (raw API) alike", () => {
    const doc = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::a b/+c" }] };
    assert.deepStrictEqual(decodeDocument(doc, "x"), doc);
    assert.deepStrictEqual(decodeDocument(JSON.stringify(doc), "x"), doc);
    assert.deepStrictEqual(decodeDocument(encodeURIComponent(JSON.stringify(doc)), "x"), doc);
    // Go's url.QueryUnescape, as the AWS provider decodes: "+" is a space.
    assert.deepStrictEqual(decodeDocument("%7B%22a%22%3A%22x+y%22%7D", "x"), { a: "x y" });
  });

  for (const documents of ["decoded", "url"] as const) {
    it(`a snapshot of each committed example account audits clean (${documents} documents)`, async () => {
      for (const { run, file } of stacks) {
        const f = write(`${run.stack}.${documents}.json`, snapshotOfRun(run, { account: accountOf(file), documents }));
        const r = await audit(f, "--json");
        const report = JSON.parse(r.out);
        assert.deepStrictEqual(report.violations, [], `${run.stack}: ${r.out}`);
        assert.strictEqual(r.code, 0, run.stack);
        assert.deepStrictEqual(report.accounts[0], {
          account: accountOf(file),
          kind: run.project === "jump-account" ? "jump" : "target",
          why: `${path.relative(process.cwd(), file.file)} names it in aws:allowedAccountIds`,
        });
      }
    });
  }

  it("merges the pages of a paginated dump, and refuses a dump whose last page is missing", async () => {
    const pages = paginate(snapshot("jump"), 1).map((p, i) => write(`jump-page-${i + 1}.json`, p));
    assert.ok(pages.length > 2);
    const [merged] = readSnapshots(pages.map((p) => [p, fs.readFileSync(p, "utf8")] as const));
    assert.deepStrictEqual(
      merged.users.map((u) => u.UserName),
      (snapshot("jump").UserDetailList as { UserName: string }[]).map((u) => u.UserName),
    );
    assert.strictEqual((await audit(...pages)).code, 0);
    const r = await audit(...pages.slice(0, -1));
    assert.strictEqual(r.code, 2);
    assert.match(r.err, /^audit: the snapshot of account 111122223333 is incomplete: .* IsTruncated true/);
  });

  describe("drifted copies fail, naming the principal or policy by ARN", () => {
    const ROLE = "arn:aws:iam::444455556666:role/test-restricted-admin-role";
    const cases: { title: string; policy: string; arn: string; message: RegExp; drift: (s: Snapshot) => void }[] = [
      {
        title: "a guard removed from the boundary",
        policy: "iam-boundary-policy-integrity",
        arn: "arn:aws:iam::444455556666:policy/test-pb-policy",
        message: /iam:DeleteRolePermissionsBoundary/,
        drift: (s) => {
          const doc = s.Policies[0].PolicyVersionList[0].Document;
          doc.Statement = doc.Statement.filter(
            (st: { Action: unknown }) => JSON.stringify(st.Action) !== '["iam:DeleteRolePermissionsBoundary"]',
          );
        },
      },
      {
        title: "a role without the boundary",
        policy: "iam-role-requires-permissions-boundary",
        arn: ROLE,
        message: /has no permissions boundary/,
        drift: (s) => delete s.RoleDetailList[0].PermissionsBoundary,
      },
      {
        title: "a user in a target account",
        policy: "iam-no-users-in-target-accounts",
        arn: "arn:aws:iam::444455556666:user/bob",
        message: /IAM user "bob"/,
        drift: (s) =>
          s.UserDetailList.push({
            Path: "/",
            UserName: "bob",
            Arn: "arn:aws:iam::444455556666:user/bob",
            UserPolicyList: [],
            GroupList: [],
            AttachedManagedPolicies: [],
            Tags: [],
          }),
      },
      {
        title: "a trust policy without MFA",
        policy: "iam-cross-account-trust-requires-mfa",
        arn: ROLE,
        message: /without requiring MFA/,
        drift: (s) => {
          for (const st of s.RoleDetailList[0].AssumeRolePolicyDocument.Statement) delete st.Condition;
        },
      },
    ];
    for (const c of cases) {
      for (const documents of ["decoded", "url"] as const) {
        it(`${c.title} (${documents})`, async () => {
          const s = snapshot("seed-target");
          c.drift(s);
          const final = documents === "url" ? reencode(s) : s;
          const r = await audit(write(`drift-${c.policy}-${documents}.json`, final), "--json");
          assert.strictEqual(r.code, 1, r.out + r.err);
          const violations = JSON.parse(r.out).violations as { policy: string; arn: string; message: string; enforcementLevel: string }[];
          assert.deepStrictEqual(
            violations.map((v) => [v.policy, v.arn, v.enforcementLevel]),
            [[c.policy, c.arn, "mandatory"]],
          );
          assert.match(violations[0].message, c.message);
          assert.ok(!("urn" in violations[0]));
          // The text report names it by ARN too.
          const text = await audit(path.join(dir, `drift-${c.policy}-${documents}.json`));
          assert.match(text.out, new RegExp(`^MANDATORY ${c.policy}\\n  ${c.arn.replace(/[/.]/g, "\\$&")}$`, "m"));
        });
      }
    }
  });

  it("an access key of a user in a target account is a violation of its own", async () => {
    const s = snapshot("seed-target");
    const keys = {
      AccessKeyMetadata: [
        { UserName: "legacy-ci", AccessKeyId: "AKIAEXAMPLE0000001", Status: "Active", CreateDate: "2024-01-01T00:00:00Z" },
      ],
    };
    const r = await audit(write("keys-target.json", s), write("keys-legacy-ci.json", keys), "--json");
    assert.strictEqual(r.code, 1);
    const v = JSON.parse(r.out).violations;
    assert.deepStrictEqual(
      v.map((x: { policy: string; arn: string }) => [x.policy, x.arn]),
      [["iam-no-users-in-target-accounts", "arn:aws:iam::444455556666:user/legacy-ci"]],
    );
    assert.match(v[0].message, /IAM access key/);
  });

  it("the credential report: a console password and an access key of a user in a target account are violations, named by the user's ARN", async () => {
    const s = snapshot("seed-target");
    const bob = "arn:aws:iam::444455556666:user/bob";
    s.UserDetailList.push({
      Path: "/",
      UserName: "bob",
      Arn: bob,
      UserPolicyList: [],
      GroupList: [],
      AttachedManagedPolicies: [],
      Tags: [],
    });
    const report = credentialReportJson(
      [{ user: "bob", arn: bob, passwordEnabled: true, mfaActive: false, activeAccessKeys: 1 }],
      "444455556666",
    );
    const r = await audit(write("cr-target.json", s), write("cr-report.json", report), "--json");
    assert.strictEqual(r.code, 1);
    const v = JSON.parse(r.out).violations as { policy: string; arn: string; message: string }[];
    assert.deepStrictEqual(
      v.map((x) => [x.policy, x.arn, /IAM (user login profile|access key|user) /.exec(x.message.split("\n")[1])?.[1]]),
      [
        ["iam-no-users-in-target-accounts", bob, "user"],
        ["iam-no-users-in-target-accounts", bob, "user login profile"],
        ["iam-no-users-in-target-accounts", bob, "access key"],
      ],
    );
    const alone = await audit(path.join(dir, "cr-report.json"));
    assert.strictEqual(alone.code, 2);
    assert.match(alone.err, /only a credential report of account 444455556666/);
  });

  it("reads the credential report's CSV as AWS writes it (quoted names, the root row left out)", () => {
    const rows = [{ user: "a,b", arn: "arn:aws:iam::444455556666:user/a,b", passwordEnabled: false, mfaActive: true, activeAccessKeys: 2 }];
    assert.deepStrictEqual(parseCredentialReport(credentialReportJson(rows, "444455556666"), "r.json"), rows);
  });

  describe("a larger console-built account (raw API pages, service-linked and Identity Center roles)", () => {
    it("reports AWS's own roles apart, and the account's own drift and unbounded permission sets as violations", async () => {
      const r = await audit(...CONSOLE_TARGET, "--json");
      assert.strictEqual(r.code, 1, r.err);
      const report = JSON.parse(r.out);
      assert.deepStrictEqual(
        report.violations.map((v: { policy: string; arn: string }) => [v.policy, v.arn]),
        [
          ["iam-role-requires-permissions-boundary", "arn:aws:iam::444455556666:role/OrganizationAccountAccessRole"],
          ["iam-cross-account-trust-requires-mfa", "arn:aws:iam::444455556666:role/OrganizationAccountAccessRole"],
          // Identity Center gives these roles AdministratorAccess and ReadOnlyAccess with no boundary: their sets have none.
          [
            "sso-permission-set-requires-permissions-boundary",
            "arn:aws:iam::444455556666:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6a7b",
          ],
          [
            "sso-permission-set-requires-permissions-boundary",
            "arn:aws:iam::444455556666:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_ReadOnly_1a2b3c4d5e6f7a8b",
          ],
        ],
      );
      assert.match(report.violations[2].message, /permission set "AdministratorAccess" has no permissions boundary/);
      assert.deepStrictEqual(
        report.awsManagedRoles.map((x: { arn: string; kind: string }) => [x.kind, x.arn.split("/").pop()]),
        [
          ["service-linked", "AWSServiceRoleForSupport"],
          ["service-linked", "AWSServiceRoleForOrganizations"],
          ["service-linked", "AWSServiceRoleForSSO"],
          ["identity-center", "AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6a7b"],
          ["identity-center", "AWSReservedSSO_ReadOnly_1a2b3c4d5e6f7a8b"],
        ],
      );
    });

    it("passes an Identity Center role that carries the approved boundary, and refuses one bounded by another policy", async () => {
      const page = JSON.parse(fs.readFileSync(CONSOLE_TARGET[1], "utf8")) as Snapshot & { RoleDetailList: Record<string, unknown>[] };
      const bound = (arn: string) => ({ PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: arn });
      page.RoleDetailList[0].PermissionsBoundary = bound("arn:aws:iam::444455556666:policy/test-pb-policy");
      page.RoleDetailList[1].PermissionsBoundary = bound("arn:aws:iam::444455556666:policy/permissive");
      const r = await audit(CONSOLE_TARGET[0], write("bounded-page-2.json", page), "--json");
      const sso = JSON.parse(r.out).violations.filter(
        (v: { policy: string }) => v.policy === "sso-permission-set-requires-permissions-boundary",
      );
      assert.deepStrictEqual(
        sso.map((v: { arn: string }) => v.arn.split("/").pop()),
        ["AWSReservedSSO_ReadOnly_1a2b3c4d5e6f7a8b"],
      );
      assert.match(sso[0].message, /permission set "ReadOnly" is bounded by \/permissive, not the approved boundary \/test-pb-policy/);
    });

    it("audits clean once the break-glass role and permission sets are exempted in --config, as for a stack", async () => {
      const config = write("console-config.json", {
        "sso-permission-set-requires-permissions-boundary": {
          boundaryPolicyName: "test-pb-policy",
          exemptPermissionSetNames: ["AdministratorAccess", "ReadOnly"],
        },
        "iam-role-requires-permissions-boundary": {
          boundaryPolicyName: "test-pb-policy",
          exemptRoleNamePatterns: ["OrganizationAccountAccessRole"],
        },
        "iam-boundary-policy-integrity": { boundaryPolicyName: "test-pb-policy" },
        "iam-cross-account-trust-requires-mfa": { machineRoleNamePatterns: ["OrganizationAccountAccessRole"] },
      });
      const r = await audit(...CONSOLE_TARGET, "--config", config);
      assert.strictEqual(r.code, 0, r.out);
      assert.match(r.out, /Roles AWS manages \(reported apart, not violations\):\n {2}arn:aws:iam::444455556666:role\/aws-service-role\//);
    });
  });

  it("refuses what is not a snapshot, in one line", async () => {
    const r = await audit(write("not-iam.json", { Users: [] }));
    assert.strictEqual(r.code, 2);
    const bad = snapshot("seed-target");
    bad.RoleDetailList[0].AssumeRolePolicyDocument = "%7Bnot-json";
    const r2 = await audit(write("bad-doc.json", bad));
    assert.strictEqual(r2.code, 2);
    assert.match(r2.err, /^audit: .*bad-doc\.json: RoleDetailList\[0\]\.AssumeRolePolicyDocument: the policy document is not JSON/);
    assert.strictEqual(r2.err.trim().split("\n").length, 1);
  });

  describe("--prove: the live accounts evaluated as npm start evaluates planned stacks", () => {
    it("the examples' snapshots hold: escalation catalogue and access proof", async () => {
      const files = stacks.map(({ run }) => write(`prove-${run.stack}.json`, snapshot(run.stack, "url")));
      const r = await audit(...files, "--prove", "--json");
      assert.strictEqual(r.code, 0, r.out.slice(0, 2000) + r.err);
      const proof = JSON.parse(r.out).proof;
      assert.ok(proof.checks.length > 100);
      assert.ok(proof.checks.every((c: { ok: boolean }) => c.ok));
      assert.deepStrictEqual(
        proof.escalations.map((e: { stack: string; ok: boolean }) => [e.stack, e.ok]).sort(),
        stacks
          .filter((s) => s.run.project === "target-account")
          .map((s) => [`target-account/${s.run.stack}`, true])
          .sort(),
      );
    });

    it("a trust that lets users switch without MFA fails the access proof", async () => {
      const drifted = snapshot("seed-target");
      for (const st of drifted.RoleDetailList[0].AssumeRolePolicyDocument.Statement) delete st.Condition;
      const files = stacks.map(({ run }) =>
        write(`prove-nomfa-${run.stack}.json`, run.stack === "seed-target" ? drifted : snapshot(run.stack)),
      );
      const r = await audit(...files, "--prove", "--json");
      assert.strictEqual(r.code, 1);
      const failed = (JSON.parse(r.out).proof.checks as { ok: boolean; principal: string; context: Record<string, unknown> }[]).filter(
        (c) => !c.ok,
      );
      assert.ok(failed.length > 0);
      assert.ok(
        failed.some((c) => c.context["aws:MultiFactorAuthPresent"] === "false"),
        JSON.stringify(failed[0]),
      );
    });

    it("a boundary missing a guard opens an escalation method on that target", async () => {
      const drifted = snapshot("seed-target");
      const doc = drifted.Policies[0].PolicyVersionList[0].Document;
      doc.Statement = doc.Statement.filter(
        (st: { Action: unknown }) => JSON.stringify(st.Action) !== '["iam:DeleteRolePermissionsBoundary"]',
      );
      const r = await audit(write("prove-guard.json", drifted), "--prove", "--json");
      assert.strictEqual(r.code, 1);
      const [e] = JSON.parse(r.out).proof.escalations;
      assert.strictEqual(e.stack, "target-account/seed-target");
      assert.ok(
        e.problems.some((p: string) => /is open under this seed boundary/.test(p)),
        JSON.stringify(e.problems),
      );
    });

    it("needs a stack file naming every account", async () => {
      const s = snapshot("seed-target");
      const other = JSON.parse(JSON.stringify(s).replace(/444455556666/g, "123412341234"));
      const r = await audit(write("unnamed.json", other), "--prove");
      assert.strictEqual(r.code, 2);
      assert.match(r.err, /--prove needs the stack config of every account, and no stack file names 123412341234/);
    });
  });
});

/** The snapshot with every document URL-encoded, as the raw API returns it. */
function reencode(s: Snapshot): Snapshot {
  const enc = (d: unknown) => encodeURIComponent(JSON.stringify(d));
  return {
    ...s,
    RoleDetailList: s.RoleDetailList.map((r) => ({ ...r, AssumeRolePolicyDocument: enc(r.AssumeRolePolicyDocument) })),
    Policies: s.Policies.map((p) => ({
      ...p,
      PolicyVersionList: p.PolicyVersionList.map((v: { Document: unknown }) => ({ ...v, Document: enc(v.Document) })),
    })),
  };
}
