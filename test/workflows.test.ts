/**
 * The GitHub workflows: previews in pull requests, deployments in order on main, the pack
 * published on a version tag. The stacks come from the committed stack files through the plan
 * job, in shards that keep every matrix within GitHub's 256 jobs at 1,000 target accounts; every
 * preview and update runs the built policy pack; AWS is reached only through OIDC; secrets never
 * reach step outputs; one required check per workflow always reports.
 * Each rule is also run over a broken copy, to show it catches what it guards.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { MAX_MATRIX_JOBS, planCommitted, planStacks, expectedJobs, STACKS_PER_SHARD, githubOutputs } from "../ci/plan";
import { checkProblems } from "../ci/check";
import { MAX_COMMENT_CHARS, previewComment, parseResult } from "../ci/report";
import { committedStacks, REPO_ROOT } from "../governance/stacks";
import { MIN_PULUMI_CLI } from "../docgen/projects";
import { generateEnvironment, writeEnvironment } from "../verify/harness/generate";
import {
  awsAccessProblems,
  clone,
  deployOrderProblems,
  loadWorkflows,
  needsOf,
  packBuildProblems,
  packProblems,
  pulumiOperations,
  requiredCheckProblems,
  runLines,
  secretProblems,
  stackSourceProblems,
  triggers,
  type LoadedWorkflow,
  type Workflow,
} from "./workflow-rules";

const WORKFLOW_DIR = path.join(REPO_ROOT, ".github", "workflows");
const SCRIPT = fs.readFileSync(path.join(REPO_ROOT, ".ci", "stacks.sh"), "utf8");

describe("GitHub workflows", () => {
  let workflows: LoadedWorkflow[];
  let preview: Workflow;
  let deploy: Workflow;
  let release: Workflow;

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

    it("previews the jump stack, the target shards, the identity-center and governance stacks, only pulumi preview", () => {
      const ops = pulumiOperations(preview);
      for (const op of ops) assert.equal(op.command, "preview", `${op.job} runs pulumi ${op.command} in a pull request`);
      assert.deepEqual([...new Set(ops.map((op) => op.workDir))].sort(), [".", "identity-center", "jump-account", "target-account"]);
      assert.deepEqual(stackSourceProblems(preview), []);
    });

    it("plans from the files the pull request changes, and the fork and backend decide what may run", () => {
      const plan = preview.jobs.plan.steps!.find((s) => s.id === "plan")!.run!;
      assert.match(plan, /--workflow preview --changed "\$RUNNER_TEMP\/changed.txt"/);
      assert.match(plan, /--trusted \$\{\{ github.event.pull_request.head.repo.full_name == github.repository \}\}/);
      assert.match(plan, /--cloud \$\{\{ vars.PULUMI_BACKEND_URL == '' \}\}/);
      assert.ok(runLines(preview, "plan").some((l) => /^git diff --name-only "\$BASE\.\.\.HEAD"/.test(l)));
      for (const job of ["preview-jump", "preview-targets", "preview-identity-center", "preview-governance"])
        assert.equal(preview.jobs[job].if, `contains(fromJSON(needs.plan.outputs.expect), '${job}')`, job);
    });

    it("every preview runs the built policy pack with the stack's pack config", () => {
      assert.deepEqual(packProblems(preview, SCRIPT), []);
      assert.deepEqual(packBuildProblems(preview), []);
    });

    it("one comment on the pull request, found on every page of comments and edited in place", () => {
      const run = runLines(preview, "report").join("\n");
      assert.match(run, /gh api --paginate "repos\/\$GITHUB_REPOSITORY\/issues\/\$PR\/comments"/);
      assert.match(run, /gh api -X PATCH "repos\/\$GITHUB_REPOSITORY\/issues\/comments\/\$id"/);
      assert.deepEqual(needsOf(preview.jobs.report).sort(), [
        "plan",
        "preview-governance",
        "preview-identity-center",
        "preview-jump",
        "preview-targets",
      ]);
      assert.match(preview.jobs.report.if!, /^always\(\) && needs.plan.result == 'success'/);
      for (const w of workflows)
        for (const j of Object.values(w.doc.jobs)) for (const s of j.steps ?? []) assert.equal(s.with?.["comment-on-pr"], undefined);
    });

    it("one required check, preview result, that always runs", () => {
      assert.deepEqual(requiredCheckProblems(preview), []);
      assert.equal(preview.jobs.result.name, "preview result");
    });
  });

  describe("merges to main (deploy.yml)", () => {
    it("runs on pushes to main", () => {
      assert.deepEqual((deploy.on!.push as { branches: string[] }).branches, ["main"]);
    });

    it("runs pulumi up for every planned stack, jump first, then the target shards, then identity-center (needs:)", () => {
      const ops = pulumiOperations(deploy);
      for (const op of ops) assert.equal(op.command, "up");
      assert.deepEqual(stackSourceProblems(deploy), []);
      assert.deepEqual(deployOrderProblems(deploy), []);
      assert.deepEqual([...new Set(ops.map((op) => op.workDir))].sort(), ["identity-center", "jump-account", "target-account"]);
      assert.match(deploy.jobs.plan.steps!.find((s) => s.id === "plan")!.run!, /--workflow deploy >> "\$GITHUB_OUTPUT"$/);
    });

    it("every update runs the built policy pack with the stack's pack config", () => {
      assert.deepEqual(packProblems(deploy, SCRIPT), []);
      assert.deepEqual(packBuildProblems(deploy), []);
    });

    it("deploys from a protected environment, one run at a time, never cancelled halfway", () => {
      for (const op of pulumiOperations(deploy)) assert.equal(deploy.jobs[op.job].environment, "production", op.job);
      assert.deepEqual(deploy.concurrency, { group: "deploy", "cancel-in-progress": false });
    });

    it("one required check, deploy result, that always runs", () => {
      assert.deepEqual(requiredCheckProblems(deploy), []);
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
      assert.deepEqual(packBuildProblems(release), []);
      const broken = clone(release);
      broken.jobs.publish.steps = broken.jobs.publish.steps!.filter((s) => !/npm run build/.test(s.run ?? ""));
      assert.match(packBuildProblems(broken).join("\n"), /job publish: the policy pack is not built .* before pulumi policy publish/);
    });

    it("applies the governance stacks after the publish, with the pack", () => {
      assert.deepEqual(needsOf(release.jobs.governance), ["publish"]);
      assert.deepEqual(stackSourceProblems(release), []);
      assert.deepEqual(packProblems(release, SCRIPT), []);
    });
  });

  describe("every workflow", () => {
    it("reaches AWS only through GitHub OIDC, in the account of the stack's own file", () => {
      for (const w of workflows) {
        const raw = fs.readFileSync(path.join(WORKFLOW_DIR, w.file), "utf8");
        assert.deepEqual(awsAccessProblems(w.doc, raw, SCRIPT), [], w.file);
      }
    });

    it("never reads stack outputs, masks the OIDC token, and installs the pinned CLI", () => {
      for (const w of workflows) {
        const raw = fs.readFileSync(path.join(WORKFLOW_DIR, w.file), "utf8");
        assert.deepEqual(secretProblems(w.doc, raw, SCRIPT), [], w.file);
      }
    });

    it("pins every action to a major version", () => {
      for (const w of workflows) {
        for (const job of Object.values(w.doc.jobs)) {
          for (const s of job.steps ?? []) if (s.uses) assert.match(s.uses, /^[\w.-]+\/[\w.-]+@v\d+$/, `${w.file}: ${s.uses}`);
        }
      }
    });

    it("the CLI CI installs (.pulumi.version) is the SDK's version, which reads type: object config declarations", () => {
      const cli = fs.readFileSync(path.join(REPO_ROOT, ".pulumi.version"), "utf8").trim();
      const sdk = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")).devDependencies["@pulumi/pulumi"];
      assert.equal(cli, sdk);
      const [major, minor] = cli.split(".").map(Number);
      const [minMajor, minMinor] = MIN_PULUMI_CLI.split(".").map(Number);
      assert.ok(
        major > minMajor || (major === minMajor && minor >= minMinor),
        `${cli} predates type: object config declarations (${MIN_PULUMI_CLI})`,
      );
      for (const readme of ["README.md", "README.ja.md"])
        assert.ok(
          fs.readFileSync(path.join(REPO_ROOT, readme), "utf8").includes(`Pulumi CLI ${MIN_PULUMI_CLI}`),
          `${readme} names the minimum CLI`,
        );
    });
  });

  describe("the checks catch what they guard", () => {
    it("a stack list written in the workflow instead of the plan's", () => {
      const broken = clone(preview);
      broken.jobs["preview-targets"].steps!.find((s) => /stacks\.sh/.test(s.run ?? ""))!.env!.STACKS = "sandbox seed-target";
      assert.match(stackSourceProblems(broken).join("\n"), /STACKS is "sandbox seed-target", not the plan's list/);
      const matrix = clone(deploy);
      matrix.jobs["up-targets"].strategy!.matrix = { stack: ["sandbox"] };
      assert.match(stackSourceProblems(matrix).join("\n"), /strategy.matrix is not the plan's shards/);
      const failFast = clone(deploy);
      delete failFast.jobs["up-targets"].strategy!["fail-fast"];
      assert.match(stackSourceProblems(failFast).join("\n"), /without fail-fast: false/);
    });

    it("a preview without the policy pack, and a pulumi/actions preview", () => {
      assert.match(packProblems(preview, SCRIPT.replace(/--policy-pack "\$root\/policy-pack" /, "")).join("\n"), /without --policy-pack/);
      const manual = clone(deploy);
      manual.jobs["up-jump"].steps!.push({ run: "pulumi up --yes --stack acme/jump-account/jump", "working-directory": "jump-account" });
      assert.match(packProblems(manual, SCRIPT).join("\n"), /pulumi up without --policy-pack/);
      const action = clone(preview);
      action.jobs["preview-jump"].steps!.push({
        uses: "pulumi/actions@v6",
        with: { command: "preview", "pulumi-version-file": ".pulumi.version" },
      });
      assert.match(packProblems(action, SCRIPT).join("\n"), /pulumi\/actions runs pulumi preview/);
      assert.match(
        secretProblems(action, "", SCRIPT).join("\n"),
        /pulumi\/actions with command preview sets every stack output as a step output/,
      );
    });

    it("an unbuilt pack", () => {
      const broken = clone(deploy);
      broken.jobs["up-targets"].steps = broken.jobs["up-targets"].steps!.filter((s) => !/npm run build/.test(s.run ?? ""));
      assert.match(packBuildProblems(broken).join("\n"), /up-targets: the policy pack is not built/);
    });

    it("targets deployed without waiting for the jump stack", () => {
      const broken = clone(deploy);
      broken.jobs["up-targets"].needs = ["plan", "test"];
      assert.match(deployOrderProblems(broken).join("\n"), /up-targets deploys target stacks without needing the jump stack's job/);
    });

    it("identity-center stacks deployed without waiting for the target stacks, or not deployed at all", () => {
      const early = clone(deploy);
      early.jobs["up-identity-center"].needs = ["plan", "up-jump"];
      assert.match(
        deployOrderProblems(early).join("\n"),
        /up-identity-center deploys identity-center stacks without needing the target stacks' job \(up-targets\)/,
      );
      const missing = clone(deploy);
      delete missing.jobs["up-identity-center"];
      assert.match(deployOrderProblems(missing).join("\n"), /no job runs pulumi up in identity-center/);
    });

    it("long-lived keys, a missing id-token permission, a role not from the stack's account, the deploy role in a preview", () => {
      assert.match(
        awsAccessProblems(deploy, "aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}", SCRIPT).join("\n"),
        /long-lived AWS keys/,
      );
      const noToken = clone(deploy);
      noToken.jobs["up-jump"].permissions = { contents: "read" };
      assert.match(awsAccessProblems(noToken, "", SCRIPT).join("\n"), /up-jump: runs AWS stacks without permissions id-token: write/);
      assert.match(
        awsAccessProblems(
          deploy,
          "",
          SCRIPT.replace('AWS_ROLE_ARN="arn:aws:iam::$account:role', 'AWS_ROLE_ARN="arn:aws:iam::444455556666:role'),
        ).join("\n"),
        /does not assume \$AWS_ROLE_NAME in the account/,
      );
      const deployRole = clone(preview);
      deployRole.jobs["preview-targets"].steps!.find((s) => /stacks\.sh/.test(s.run ?? ""))!.env!.AWS_ROLE_NAME =
        "${{ vars.AWS_DEPLOY_ROLE_NAME || 'pulumi-deploy' }}";
      assert.match(awsAccessProblems(deployRole, "", SCRIPT).join("\n"), /previews with the deploy role/);
    });

    it("stack outputs read, an unmasked token, an unpinned CLI", () => {
      assert.match(secretProblems(deploy, "run: pulumi stack output --show-secrets --json", SCRIPT).join("\n"), /reads stack outputs/);
      assert.match(secretProblems(deploy, "", SCRIPT.replace('echo "::add-mask::$token"', "")).join("\n"), /does not mask the OIDC token/);
      const unpinned = clone(release);
      delete unpinned.jobs.publish.steps!.find((s) => s.uses?.startsWith("pulumi/actions@"))!.with;
      assert.match(secretProblems(unpinned, "", SCRIPT).join("\n"), /without pulumi-version-file/);
    });

    it("a required check that can be skipped, misses a job, or carries a matrix name", () => {
      const skipped = clone(preview);
      skipped.jobs.result.if = "success()";
      assert.match(requiredCheckProblems(skipped).join("\n"), /not always\(\)/);
      const missing = clone(deploy);
      missing.jobs.result.needs = ["plan", "test", "up-jump"];
      assert.match(requiredCheckProblems(missing).join("\n"), /does not need up-targets/);
      const named = clone(deploy);
      named.jobs.result.name = "deploy ${{ matrix.shard }}";
      assert.match(requiredCheckProblems(named).join("\n"), /its name must be fixed/);
    });
  });
});

describe("CI plan: which stacks a run previews or deploys", () => {
  const stacks = committedStacks();
  const targets = stacks.filter((s) => s.role === "target").map((s) => s.stack);

  it("a push (no changed-file list) runs every committed stack", () => {
    const plan = planCommitted();
    assert.deepEqual(plan.jump, ["jump"]);
    assert.deepEqual(plan.targets, targets);
    assert.equal(plan.governance, true);
    assert.deepEqual(plan.governanceStacks, ["org"]);
  });

  it("a pull request that changes only some target stack files previews those (and the governance stacks)", () => {
    const plan = planStacks(stacks, ["target-account/Pulumi.sandbox.yaml"], ["org"]);
    assert.deepEqual(plan.jump, []);
    assert.deepEqual(plan.targets, ["sandbox"]);
    assert.deepEqual(plan.targetMatrix, { include: [{ shard: "1-of-1", stacks: "sandbox" }] });
    assert.equal(plan.governance, true);
  });

  it("the jump stack file previews the jump stack; documentation alone previews nothing", () => {
    assert.deepEqual(planStacks(stacks, ["jump-account/Pulumi.jump.yaml"]).jump, ["jump"]);
    assert.deepEqual(planStacks(stacks, ["jump-account/Pulumi.jump.yaml"]).targets, []);
    const docs = planStacks(stacks, [
      "README.md",
      "docs/scale.md",
      "README.ja.md",
      "examples/identity-center/jump-account/Pulumi.jump.yaml",
    ]);
    assert.deepEqual([docs.jump, docs.targets, docs.governance], [[], [], false]);
  });

  for (const shared of [
    "shared/policies/boundary.ts",
    "target-account/index.ts",
    "target-account/Pulumi.yaml",
    "jump-account/jump-account.ts",
    "policy-pack/iam-role-requires-permissions-boundary.ts",
    "package-lock.json",
    ".github/workflows/preview.yml",
    ".ci/stacks.sh",
    "governance/policy-pack-config.json",
  ]) {
    it(`a change to ${shared} previews everything`, () => {
      const plan = planStacks(stacks, ["target-account/Pulumi.sandbox.yaml", shared]);
      assert.deepEqual([plan.jump, plan.targets, plan.governance], [["jump"], targets, true]);
    });
  }

  it("identity-center stack files: a changed one is previewed, a removed one previews nothing, and a push runs them after the targets", () => {
    const withIdentityCenter = [
      ...stacks.filter((s) => s.role !== "identity-center"),
      {
        role: "identity-center" as const,
        dir: "identity-center",
        project: "identity-center",
        stack: "org",
        file: path.join(REPO_ROOT, "identity-center", "Pulumi.org.yaml"),
        config: {},
      },
    ];
    const changed = planStacks(withIdentityCenter, ["identity-center/Pulumi.org.yaml"], ["org"]);
    assert.deepEqual([changed.jump, changed.targets, changed.identityCenter, changed.governance], [[], [], ["org"], true]);
    assert.deepEqual(expectedJobs("preview", changed, { trusted: true, cloud: true }), [
      "plan",
      "offline",
      "preview-identity-center",
      "preview-governance",
      "report",
    ]);
    const removed = planStacks(withIdentityCenter, ["identity-center/Pulumi.gone.yaml"]);
    assert.deepEqual([removed.identityCenter, removed.targets, removed.jump], [[], [], []]);
    assert.match(planStacks(withIdentityCenter, ["identity-center/identity-center.ts"]).reason, /shared by every stack/);
    const push = planStacks(withIdentityCenter);
    assert.deepEqual(push.identityCenter, ["org"]);
    assert.deepEqual(expectedJobs("deploy", push, { trusted: true, cloud: true }), [
      "plan",
      "test",
      "up-jump",
      "up-targets",
      "up-identity-center",
    ]);
    assert.match(githubOutputs(push), /^identity-center=org$/m);
  });

  it("a committed identity-center stack file is found as the CLI reads it", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "ci-ic-"));
    try {
      for (const f of ["Pulumi.yaml", "jump-account/Pulumi.yaml", "target-account/Pulumi.yaml", "identity-center/Pulumi.yaml"]) {
        fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
        fs.copyFileSync(path.join(REPO_ROOT, f), path.join(root, f));
      }
      fs.copyFileSync(
        path.join(REPO_ROOT, "examples", "identity-center", "identity-center", "Pulumi.org.yaml"),
        path.join(root, "identity-center", "Pulumi.org.yaml"),
      );
      assert.deepEqual(planCommitted(undefined, root).identityCenter, ["org"]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("the jobs a run must finish: none that cannot reach AWS from a fork, no governance without Pulumi Cloud", () => {
    const plan = planCommitted();
    const identityCenter = plan.identityCenter.length > 0 ? ["preview-identity-center"] : [];
    assert.deepEqual(expectedJobs("preview", plan, { trusted: true, cloud: true }), [
      "plan",
      "offline",
      "preview-jump",
      "preview-targets",
      ...identityCenter,
      "preview-governance",
      "report",
    ]);
    assert.deepEqual(expectedJobs("preview", plan, { trusted: false, cloud: true }), ["plan", "offline"]);
    assert.ok(!expectedJobs("preview", plan, { trusted: true, cloud: false }).includes("preview-governance"));
    assert.deepEqual(expectedJobs("deploy", plan, { trusted: true, cloud: true }), [
      "plan",
      "test",
      "up-jump",
      "up-targets",
      ...(plan.identityCenter.length > 0 ? ["up-identity-center"] : []),
    ]);
  });

  it("every expected job id is a job of its workflow", () => {
    const docs = Object.fromEntries(loadWorkflows(WORKFLOW_DIR).map((w) => [w.file, w.doc]));
    const plan = planCommitted();
    for (const id of expectedJobs("preview", plan, { trusted: true, cloud: true })) assert.ok(docs["preview.yml"].jobs[id], id);
    for (const id of expectedJobs("deploy", plan, { trusted: true, cloud: true })) assert.ok(docs["deploy.yml"].jobs[id], id);
  });

  it("the required check fails on a failed, cancelled or unexpectedly skipped job, and passes a planned skip", () => {
    const expect = ["plan", "offline", "preview-targets"];
    const ok = {
      plan: { result: "success" },
      offline: { result: "success" },
      "preview-targets": { result: "success" },
      "preview-jump": { result: "skipped" },
    };
    assert.deepEqual(checkProblems(ok, expect), []);
    assert.match(
      checkProblems({ ...ok, "preview-targets": { result: "skipped" } }, expect).join(),
      /preview-targets was expected to succeed and ended skipped/,
    );
    assert.match(
      checkProblems({ ...ok, offline: { result: "cancelled" } }, expect).join(),
      /offline was expected to succeed and ended cancelled/,
    );
    assert.match(checkProblems({ ...ok, "preview-jump": { result: "failure" } }, expect).join(), /preview-jump ended failure/);
  });
});

describe("CI at 1,000 target accounts", function () {
  this.timeout(120_000);
  let root: string;
  const ACCOUNTS = 1000;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "ci-scale-"));
    writeEnvironment(root, generateEnvironment({ accounts: ACCOUNTS, users: 10 }));
    for (const f of ["Pulumi.yaml", "Pulumi.org.yaml", "jump-account/Pulumi.yaml", "target-account/Pulumi.yaml"])
      fs.copyFileSync(path.join(REPO_ROOT, f), path.join(root, f));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("deploys every stack within GitHub's limits: at most 256 jobs per matrix, each stack in exactly one shard", () => {
    const plan = planCommitted(undefined, root);
    assert.equal(plan.targets.length, ACCOUNTS);
    const shards = plan.targetMatrix.include;
    assert.ok(shards.length <= MAX_MATRIX_JOBS, `${shards.length} jobs in one matrix`);
    assert.equal(shards.length, Math.ceil(ACCOUNTS / STACKS_PER_SHARD));
    const all = shards.flatMap((s) => s.stacks.split(" "));
    assert.deepEqual([...all].sort(), [...plan.targets].sort());
    assert.equal(new Set(all).size, ACCOUNTS);
    for (const s of shards) assert.ok(s.stacks.split(" ").length <= STACKS_PER_SHARD, s.shard);
    // Jobs of one run: the fixed jobs of each workflow plus the shards; a job's outputs are capped at 1 MB.
    for (const w of loadWorkflows(WORKFLOW_DIR)) {
      const sharded = Object.values(w.doc.jobs).filter((j) => j.strategy?.matrix !== undefined).length;
      assert.ok(sharded <= 1, `${w.file}: ${sharded} matrices`);
    }
    assert.ok(Buffer.byteLength(githubOutputs(plan)) < 1024 * 1024);
  });

  it("past 256 x 20 stacks the shards grow instead of the matrix", () => {
    const many = Array.from({ length: 6000 }, (_, i) => `t${i}`);
    const plan = planStacks(
      many.map((stack) => ({
        role: "target" as const,
        dir: "target-account",
        project: "target-account",
        stack,
        file: `${root}/target-account/Pulumi.${stack}.yaml`,
        config: {},
      })),
      undefined,
      [],
      root,
    );
    assert.equal(plan.targetMatrix.include.length, MAX_MATRIX_JOBS);
    assert.equal(plan.targetMatrix.include.flatMap((s) => s.stacks.split(" ")).length, 6000);
    for (const s of plan.targetMatrix.include) assert.ok(s.stacks.split(" ").length <= Math.ceil(6000 / MAX_MATRIX_JOBS), s.shard);
  });

  it("a pull request touching 300 target stack files previews those 300, within the limits", () => {
    const changed = Array.from({ length: 300 }, (_, i) => `target-account/Pulumi.t${i * 3}.yaml`);
    const plan = planCommitted(changed, root);
    assert.equal(plan.targets.length, 300);
    assert.deepEqual(plan.jump, []);
    assert.ok(plan.targetMatrix.include.length <= MAX_MATRIX_JOBS);
  });

  it("the pull request comment for 1,000 changed stacks stays within GitHub's 65,536 characters", () => {
    const results = Array.from({ length: ACCOUNTS + 2 }, (_, i) =>
      parseResult(
        i % 50 === 0
          ? `failed|target-account/t${i}|pulumi preview exited 255`
          : `ok|target-account/t${i}|+ 2 to create,~ 1 to update,3 unchanged`,
      )!,
    );
    const body = previewComment(results, "https://github.com/o/r/actions/runs/1", ACCOUNTS + 2);
    assert.ok(body.length <= MAX_COMMENT_CHARS, `${body.length} characters`);
    assert.match(body, /^<!-- jump-account-iam: pulumi preview -->/);
    assert.match(body, /1002 of 1002 planned stacks previewed with the policy pack: 21 failed, 981 with changes/);
    assert.match(body, /more stacks not listed \(comment size limit\)/);
    // Failures come first, so none is cut while changes are listed.
    assert.ok(body.indexOf("❌") < body.indexOf("| `target-account/t1` |"));
  });
});
