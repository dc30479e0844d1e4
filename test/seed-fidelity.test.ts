/**
 * The committed example stacks reproduce the article: the four documents the programs register
 * are JSON-equal to the article's, kept in the repository (test/fixtures/article). Where the team's
 * reference folder sits beside the repository (../shared/reference/seed-policies), the kept copy is
 * also compared byte for byte with it; a user's clone has no such folder, and the test says so.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { loadEnvironment, planEnvironment, REPO_ROOT, type PlannedEnvironment } from "../verify/harness/environment";
import type { StackRun } from "../verify/harness/mock-run";
import { ARTICLE_DIR, ARTICLE_DOCUMENTS, articleDocument, type ArticleDocumentName } from "./fixtures/article";

const REFERENCE_DIR = path.resolve(REPO_ROOT, "..", "shared", "reference", "seed-policies");

/** The one liberty allowed: a single Statement object may be a one-element array. */
function normalise(doc: any): any {
  return { ...doc, Statement: Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement] };
}

function reference(name: ArticleDocumentName): any {
  return normalise(articleDocument(name));
}

function registered(run: StackRun, type: string, name: string, prop: string): any {
  const r = run.resources.find((x) => x.type === type && x.props.name === name);
  assert.ok(r, `${run.stack} registers no ${type} named ${name}`);
  return normalise(JSON.parse(String(r.props[prop])));
}

describe("seed fidelity: the example stacks reproduce the article's documents", () => {
  let plan: PlannedEnvironment;
  before(async () => {
    plan = await planEnvironment(loadEnvironment());
  });
  const seedTarget = () => plan.targets.find((t) => t.stack === "seed-target")!;

  it("test-jump-policy", () => {
    assert.deepEqual(registered(plan.jump, "aws:iam/policy:Policy", "test-jump-policy", "policy"), reference("test-jump-policy"));
  });
  it("test-self-control-policy", () => {
    assert.deepEqual(
      registered(plan.jump, "aws:iam/policy:Policy", "test-self-control-policy", "policy"),
      reference("test-self-control-policy"),
    );
  });
  it("test-pb-policy", () => {
    assert.deepEqual(registered(seedTarget(), "aws:iam/policy:Policy", "test-pb-policy", "policy"), reference("test-pb-policy"));
  });
  it("test-restricted-admin-role's trust policy", () => {
    assert.deepEqual(
      registered(seedTarget(), "aws:iam/role:Role", "test-restricted-admin-role", "assumeRolePolicy"),
      reference("test-restricted-admin-role.trust-policy"),
    );
  });
  it("the article's role carries AdministratorAccess and test-pb-policy as its boundary", () => {
    const role = seedTarget().resources.find((r) => r.type === "aws:iam/role:Role")!;
    assert.equal(role.props.permissionsBoundary, "arn:aws:iam::444455556666:policy/test-pb-policy");
    const attachment = seedTarget().resources.find((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment")!;
    assert.equal(attachment.props.policyArn, "arn:aws:iam::aws:policy/AdministratorAccess");
  });
});

describe("seed fidelity: the repository's copy of the article's documents", () => {
  it("holds exactly the four documents, each a policy document", () => {
    assert.deepEqual(fs.readdirSync(ARTICLE_DIR).sort(), ARTICLE_DOCUMENTS.map((n) => `${n}.json`).sort());
    for (const name of ARTICLE_DOCUMENTS) assert.equal(articleDocument(name).Version, "2012-10-17", name);
  });

  it("equals the team's reference folder byte for byte, where that folder exists beside the repository", function () {
    if (!fs.existsSync(REFERENCE_DIR)) {
      console.log(`    (no reference folder at ${REFERENCE_DIR}: a clone on its own; the kept copy is the reference)`);
      return;
    }
    const reference = fs
      .readdirSync(REFERENCE_DIR)
      .filter((f) => f.endsWith(".json"))
      .sort();
    assert.deepEqual(reference, ARTICLE_DOCUMENTS.map((n) => `${n}.json`).sort(), `documents in ${REFERENCE_DIR}`);
    for (const f of reference) {
      assert.equal(fs.readFileSync(path.join(ARTICLE_DIR, f), "utf8"), fs.readFileSync(path.join(REFERENCE_DIR, f), "utf8"), f);
    }
  });
});
