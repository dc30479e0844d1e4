import * as assert from "assert";
import { runPolicies } from "./offline";
import { BYPASS_CASES, configOf, findingKeys } from "./test/bypasses";

describe("bypasses (offline runner): each refused, its nearest valid neighbour passed", () => {
  for (const c of BYPASS_CASES) {
    it(c.name, async () => {
      const r = await runPolicies(c.resources, { config: configOf(c) });
      assert.deepStrictEqual(findingKeys(r.violations), [...c.expect].sort(), r.violations.map((v) => v.message).join("\n"));
    });
  }
});
