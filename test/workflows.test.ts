/**
 * The GitHub workflows: previews in pull requests, deployments in order on main, the pack
 * published on a version tag; every stack that is committed is previewed and deployed, every
 * preview and update runs the policy pack, and AWS is reached only through OIDC.
 * Each rule is also run over a broken copy, to show it catches what it guards.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { committedStacks, projectNameOf, REPO_ROOT } from "../governance/stacks";
import {
  awsAccessProblems,
  clone,
  deployOrderProblems,
  loadWorkflows,
  matrixProblems,
  packBuildProblems,
  packProblems,
  publishBuildProblems,
  pulumiOperations,
  runLines,
  triggers,
  type LoadedWorkflow,
  type Workflow,
} from "./workflow-rules";

const WORKFLOW_DIR = path.join(REPO_ROOT, ".github", "workflows");

/** Committed stack names by project folder, including the root (governance) project. */
function committedByDir(): Map<string, string[]> {
  const byDir = new Map<string, string[]>([
    ["jump-account", []],
    ["target-account", []],
  ]);
  for (const s of committedStacks()) byDir.get(s.dir)!.push(s.stack);
  byDir.set(
    ".",
    fs
      .readdirSync(REPO_ROOT)
      .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
      .filter((s): s is string => s !== undefined),
  );
  return byDir;
}

function projectsByDir(): Map<string, string> {
  return new Map(["jump-account", "target-account", "."].map((d) => [d, projectNameOf(path.join(REPO_ROOT, d))]));
}

describe("GitHub workflows", () => {
  let workflows: LoadedWorkflow[];
  let preview: Workflow;
  let deploy: Workflow;
  let release: Workflow;
  const stacksByDir = committedByDir();
  const projectByDir = projectsByDir();

  before(() => {
    workflows = loadWorkflows(WORKFLOW_DIR);
    const byFile = (f: string) => {
      const w = workflows.find((x) => x.file === f);
      assert.ok(w, `.github/workflows/${f} is missing`);
      return w.doc;
    };
    preview = byFile("preview.yml");
    deploy = byFile("deploy.yml");
    release = byFile("release.yml");
  });

  describe("pull requests (preview.yml)", () => {
    it("runs on pull requests to main", () => {
      assert.deepEqual(triggers(preview), ["pull_request"]);
      assert.deepEqual((preview.on!.pull_request as { branches: string[] }).branches, ["main"]);
    });

    it("runs npm ci, npm test and the offline plan (npm start), in that order", () => {
      const lines = runLines(preview, "offline");
      const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
      assert.ok(at(/^npm ci$/) >= 0, "no npm ci");
      assert.ok(at(/^npm ci$/) < at(/^npm test$/), "npm test must follow npm ci");
      assert.ok(at(/^npm test$/) < at(/^npm start$/), "npm start must follow npm test");
    });

    it("previews every committed stack: the jump stack and a matrix of every target stack", () => {
      const previewed = new Map<string, Set<string>>();
      for (const op of pulumiOperations(preview)) {
        assert.equal(op.command, "preview", `${op.job} runs pulumi ${op.command} in a pull request`);
        const stacks = (preview.jobs[op.job].strategy?.matrix?.stack as string[]) ?? [];
        const dir = op.workDir.replace(/\/$/, "");
        previewed.set(dir, new Set([...(previewed.get(dir) ?? []), ...stacks]));
      }
      for (const dir of ["jump-account", "target-account"]) {
        assert.deepEqual([...(previewed.get(dir) ?? [])].sort(), [...stacksByDir.get(dir)!].sort(), `previews of ${dir}`);
      }
      assert.ok(stacksByDir.get("target-account")!.length >= 2, "the examples hold several target stacks");
    });

    it("each matrix equals the committed Pulumi.<stack>.yaml files of its project", () => {
      assert.deepEqual(matrixProblems(preview, stacksByDir, projectByDir), []);
    });

    it("every preview runs the built policy pack with the stack's pack config", () => {
      assert.deepEqual(packProblems(preview), []);
      assert.deepEqual(packBuildProblems(preview), []);
    });

    it("every preview comments on the pull request", () => {
      for (const op of pulumiOperations(preview)) assert.equal(op.step.with?.["comment-on-pr"], true, `${op.job}: comment-on-pr`);
    });
  });

  describe("merges to main (deploy.yml)", () => {
    it("runs on pushes to main", () => {
      assert.deepEqual((deploy.on!.push as { branches: string[] }).branches, ["main"]);
    });

    it("runs pulumi up for every committed stack, jump first, then the targets (needs:)", () => {
      const ops = pulumiOperations(deploy);
      assert.ok(ops.length > 0);
      for (const op of ops) assert.equal(op.command, "up");
      assert.deepEqual(matrixProblems(deploy, stacksByDir, projectByDir), []);
      assert.deepEqual(deployOrderProblems(deploy), []);
      const dirs = new Set(ops.map((op) => op.workDir));
      assert.deepEqual([...dirs].sort(), ["jump-account", "target-account"]);
    });

    it("every update runs the built policy pack with the stack's pack config", () => {
      assert.deepEqual(packProblems(deploy), []);
      assert.deepEqual(packBuildProblems(deploy), []);
    });

    it("deploys from a protected environment, one run at a time, never cancelled halfway", () => {
      for (const op of pulumiOperations(deploy)) assert.equal(deploy.jobs[op.job].environment, "production", op.job);
      assert.deepEqual((deploy as unknown as { concurrency: unknown }).concurrency, { group: "deploy", "cancel-in-progress": false });
    });
  });

  describe("version tags (release.yml)", () => {
    it("publishes the pack from policy-pack/ on a v* tag, after checking the tag against package.json", () => {
      assert.deepEqual((release.on!.push as { tags: string[] }).tags, ["v*"]);
      const steps = release.jobs.publish.steps ?? [];
      const publish = steps.findIndex((s) => /^pulumi policy publish\b/.test(s.run ?? ""));
      assert.ok(publish >= 0, "no pulumi policy publish step");
      assert.equal(steps[publish]["working-directory"], "policy-pack");
      const check = steps.findIndex((s) => /policy-pack\/package\.json/.test(s.run ?? "") && /GITHUB_REF_NAME/.test(s.run ?? ""));
      assert.ok(check >= 0 && check < publish, "the tag is not checked against policy-pack/package.json before publishing");
    });

    it("builds the pack before publishing it (publish starts bin/index.js, then packs bin/)", () => {
      assert.deepEqual(publishBuildProblems(release), []);
      const broken = clone(release);
      broken.jobs.publish.steps = broken.jobs.publish.steps!.filter((s) => !/npm run build/.test(s.run ?? ""));
      assert.match(publishBuildProblems(broken).join("\n"), /publish: the policy pack is not built .* before pulumi policy publish/);
    });

    it("applies the governance project after the publish, with the pack", () => {
      assert.deepEqual(needsOfJob(release, "governance"), ["publish"]);
      assert.deepEqual(matrixProblems(release, stacksByDir, projectByDir), []);
      assert.deepEqual(packProblems(release), []);
      assert.deepEqual(packBuildProblems(release), []);
    });
  });

  describe("every workflow", () => {
    it("reaches AWS only through GitHub OIDC, with the account from the stack's own file", () => {
      for (const w of workflows) {
        const raw = fs.readFileSync(path.join(WORKFLOW_DIR, w.file), "utf8");
        assert.deepEqual(awsAccessProblems(w.doc, raw), [], w.file);
      }
    });

    it("runs the policy pack on every preview and update", () => {
      for (const w of workflows) assert.deepEqual(packProblems(w.doc), [], w.file);
    });

    it("pins every action to a major version", () => {
      for (const w of workflows) {
        for (const job of Object.values(w.doc.jobs)) {
          for (const s of job.steps ?? []) if (s.uses) assert.match(s.uses, /^[\w.-]+\/[\w.-]+@v\d+$/, `${w.file}: ${s.uses}`);
        }
      }
    });
  });

  describe("the checks catch what they guard", () => {
    it("a target stack missing from the matrix", () => {
      const broken = clone(preview);
      broken.jobs["preview-targets"].strategy!.matrix!.stack = ["seed-target"];
      assert.match(matrixProblems(broken, stacksByDir, projectByDir).join("\n"), /lacks committed stack\(s\) sandbox of target-account/);
    });

    it("a matrix entry without a stack file", () => {
      const broken = clone(deploy);
      (broken.jobs["up-targets"].strategy!.matrix!.stack as string[]).push("staging");
      assert.match(
        matrixProblems(broken, stacksByDir, projectByDir).join("\n"),
        /lists staging, which target-account has no Pulumi.<stack>.yaml/,
      );
    });

    it("a new stack file the matrix does not list", () => {
      const withNew = new Map(stacksByDir);
      withNew.set("target-account", [...stacksByDir.get("target-account")!, "production"]);
      assert.match(matrixProblems(preview, withNew, projectByDir).join("\n"), /lacks committed stack\(s\) production/);
    });

    it("a preview without the policy pack, and a run step without --policy-pack", () => {
      const broken = clone(preview);
      const step = broken.jobs["preview-jump"].steps!.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
      delete step.with!.policyPacks;
      assert.match(packProblems(broken).join("\n"), /preview-jump.*pulumi preview without policyPacks/);

      const manual = clone(deploy);
      manual.jobs["up-jump"].steps!.push({ run: "pulumi up --yes --stack acme/jump-account/jump", "working-directory": "jump-account" });
      assert.match(packProblems(manual).join("\n"), /pulumi up without --policy-pack/);
      manual.jobs["up-jump"].steps!.pop();
      manual.jobs["up-jump"].steps!.push({ run: "pulumi up --yes --policy-pack ../policy-pack --policy-pack-config p.json" });
      assert.deepEqual(packProblems(manual), []);
    });

    it("an unbuilt pack", () => {
      const broken = clone(deploy);
      broken.jobs["up-targets"].steps = broken.jobs["up-targets"].steps!.filter((s) => !/npm run build/.test(s.run ?? ""));
      assert.match(packBuildProblems(broken).join("\n"), /up-targets: the policy pack is not built/);
    });

    it("targets deployed without waiting for the jump stack", () => {
      const broken = clone(deploy);
      broken.jobs["up-targets"].needs = "test";
      assert.match(deployOrderProblems(broken).join("\n"), /up-targets deploys target stacks without needing the jump stack's job/);
    });

    it("long-lived keys, a missing id-token permission, a hard-coded account", () => {
      const raw = "aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}";
      assert.match(awsAccessProblems(deploy, raw).join("\n"), /long-lived AWS keys/);
      const noToken = clone(deploy);
      noToken.jobs["up-jump"].permissions = { contents: "read" };
      assert.match(awsAccessProblems(noToken, "").join("\n"), /up-jump: assumes a role through OIDC without permissions id-token: write/);
      const literal = clone(preview);
      const aws = literal.jobs["preview-targets"].steps!.find((s) => s.uses?.startsWith("aws-actions/"))!;
      aws.with!["role-to-assume"] = "arn:aws:iam::444455556666:role/pulumi-preview";
      assert.match(
        awsAccessProblems(literal, "").join("\n"),
        /preview-targets: role-to-assume .* does not take the account from the stack's own file/,
      );
    });
  });
});

function needsOfJob(wf: Workflow, job: string): string[] {
  const n = wf.jobs[job]?.needs;
  return n === undefined ? [] : Array.isArray(n) ? n : [n];
}
