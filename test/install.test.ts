import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../verify/harness/environment";

/** Every copy of a package's package.json below a node_modules tree. */
function copiesOf(pkg: string, dir: string, found: string[] = []): string[] {
  const nm = path.join(dir, "node_modules");
  if (!fs.existsSync(nm)) return found;
  const candidate = path.join(nm, pkg, "package.json");
  if (fs.existsSync(candidate)) found.push(candidate);
  for (const entry of fs.readdirSync(nm)) {
    const scoped = entry.startsWith("@")
      ? fs.readdirSync(path.join(nm, entry)).map((e) => path.join(nm, entry, e))
      : [path.join(nm, entry)];
    for (const p of scoped) if (fs.statSync(p).isDirectory() && !fs.lstatSync(p).isSymbolicLink()) copiesOf(pkg, p, found);
  }
  return found;
}

describe("installed tree", () => {
  it("holds exactly one copy of @pulumi/pulumi (two copies break resource registration)", () => {
    const copies = [REPO_ROOT, ...["shared", "jump-account", "target-account", "policy-pack"].map((d) => path.join(REPO_ROOT, d))].flatMap(
      (d) => copiesOf("@pulumi/pulumi", d),
    );
    assert.deepEqual(copies, [path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi", "package.json")]);
  });

  it("pins TypeScript 5.x (7 is outside @pulumi/pulumi's peer range)", () => {
    const version = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "node_modules", "typescript", "package.json"), "utf8")).version;
    assert.match(version, /^5\./);
  });
});
