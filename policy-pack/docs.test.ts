import * as assert from "assert";
import * as fs from "fs";
import { validateConfig } from "./config-file";
import { policies } from "./policies";
import { iamRoleRequiresPermissionsBoundary } from "./iam-role-requires-permissions-boundary";
import { README_PATH, renderPolicySection, updateReadme } from "./tools/gen-readme";

describe("policy-pack/README.md", () => {
  const readme = fs.readFileSync(README_PATH, "utf8");

  it("has the policy table and config reference generated from the current policies (run `npm run readme --workspace policy-pack`)", () => {
    assert.strictEqual(updateReadme(readme), readme);
    for (const p of policies) assert.ok(readme.includes(`| [\`${p.name}\`](#${p.name}) | ${p.enforcementLevel} |`), p.name);
  });

  it("would change when a policy's config changes (the section is generated, not copied)", () => {
    const changed = policies.map((p) =>
      p === iamRoleRequiresPermissionsBoundary
        ? {
            ...p,
            configSchema: {
              properties: {
                ...p.configSchema!.properties,
                unknownBoundary: { ...p.configSchema!.properties.unknownBoundary, default: "warn" },
              },
            },
          }
        : p,
    );
    const section = renderPolicySection(changed);
    assert.notStrictEqual(updateReadme(readme, changed), readme);
    assert.match(section, /\| `unknownBoundary` \| `"deny"` \\\| `"warn"` \| `"warn"` \|/);
  });

  it("shows a pack config example that the pack accepts", () => {
    const m = /<!-- pack-config-example -->\s*```json\n([\s\S]*?)```/.exec(readme);
    assert.ok(m, "no example marked <!-- pack-config-example -->");
    assert.deepStrictEqual(validateConfig(policies, JSON.parse(m[1])), []);
  });
});
