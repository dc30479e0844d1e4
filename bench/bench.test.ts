import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { benchGenerated, renderRows } from "./bench";
import { median, packageOf, renderStart, renderTest, startStoppedAfterLoading, tracedStart } from "./speed";

describe("npm run bench (bench/bench.ts)", () => {
  it("plans a generated environment through the --env loader and reports its cost", async () => {
    const row = await benchGenerated(2, 3);
    assert.equal(row.stacks, 3);
    assert.equal(row.failed, 0);
    assert.ok(row.checks > 50);
    assert.ok(row.planSeconds > 0 && row.evaluateSeconds > 0 && row.accessSeconds >= row.evaluateSeconds);
    const table = renderRows([row]).split("\n");
    assert.match(table[0], /^environment +stacks +resources +plan +per stack +pack +access proof +checks +checks\/s +failed$/);
    assert.match(table[1], /^generated: 2 targets, 3 users +3 +\d+ +\d+\.\d\d s +\d+ ms +\d+\.\d\d s +\d+\.\d\d s +\d+ +\d+ +0$/);
  });
});

describe("the speed a user feels (bench/speed.ts)", () => {
  it("traces the packages npm start loads and its peak memory, in the npm start process only", () => {
    const r = tracedStart(["--help"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^usage: npm start/);
    for (const p of ["@pulumi/pulumi", "@pulumi/policy", "@cloud-copilot/iam-simulate", "zod"]) assert.ok(r.packages.includes(p), p);
    assert.ok(!r.packages.some((p) => p.startsWith(".") || p.startsWith("node:")), r.packages.join(" "));
    assert.ok(r.maxRssBytes > 10 * 1024 ** 2 && r.maxRssBytes < 4 * 1024 ** 3, String(r.maxRssBytes));
    // Every module file a dependency loaded, lazily loaded ones included, and nothing of the repository's own.
    assert.ok(r.modules.length > r.packages.length, `${r.modules.length} modules`);
    assert.ok(r.modules.every((m) => m.includes("/node_modules/") && fs.existsSync(m)));
    assert.ok(r.modules.some((m) => m.endsWith("/@pulumi/pulumi/index.js")));
  });

  it("measures the floor as the same npm start, stopped after loading the modules and before the repository's code", () => {
    const pulumi = require.resolve("@pulumi/pulumi");
    // A module of its own says which process loaded it: the one running cli/start.ts, not npm's.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jumpenv-probe-"));
    try {
      const probe = path.join(dir, "probe.js");
      const seen = path.join(dir, "seen.json");
      fs.writeFileSync(probe, `require("fs").writeFileSync(${JSON.stringify(seen)}, JSON.stringify(process.argv));`);
      const stopped = startStoppedAfterLoading([pulumi, probe]);
      assert.equal(stopped.status, 0, stopped.stderr);
      assert.equal(stopped.stdout, "", "the plan ran: the floor would include the repository's own work");
      const argv = JSON.parse(fs.readFileSync(seen, "utf8")) as string[];
      assert.ok(argv[1].endsWith(path.join("cli", "start.ts")), argv.join(" "));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // It does load them: a module that does not exist stops the run.
    const missing = startStoppedAfterLoading([`${pulumi}.missing.js`]);
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /Cannot find module/);
  });

  it("prints each figure beside its goal and floor, and says when one is missed", () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    const figures = { runs: 5, floorSeconds: 1.25, launchSeconds: 0.25, packages: ["a", "b"], modules: 4000 };
    const fast = renderStart({ ...figures, startSeconds: 2 });
    assert.deepEqual(fast, [
      "npm start (example), median of 5: 2.00 s  goal <= 2.50 s: meets",
      "  floor, the same npm start stopped once it has loaded the 4,000 module files of the 2 packages it loads: 1.25 s; ratio 1.60x  goal <= 2x: meets",
      "  of which npm's and node's own launch: 0.25 s; without it on either side, 1.75x",
    ]);
    assert.equal(packageOf("/r/node_modules/@pulumi/aws/iam/role.js"), "@pulumi/aws");
    assert.equal(packageOf("/r/node_modules/a/node_modules/semver/index.js"), "semver");
    const slow = renderStart({ ...figures, startSeconds: 3 });
    assert.match(slow[0], /goal <= 2\.50 s: MISSES$/);
    assert.match(slow[1], /ratio 2\.40x {2}goal <= 2x: MISSES$/);
    assert.match(
      renderTest({ seconds: 45, status: 0, summary: "400 passing (40s)" })[0],
      /: 45\.00 s, exit 0 \(400 passing \(40s\)\) {2}goal <= 60 s: meets$/,
    );
    assert.match(renderTest({ seconds: 45, status: 1, summary: "1 failing" })[0], /MISSES$/);
  });
});
