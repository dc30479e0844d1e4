import { strict as assert } from "assert";
import { benchGenerated, renderRows } from "./bench";

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
