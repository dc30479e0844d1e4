/**
 * `npm run docs` — generates, from the zod config schemas (the one source of truth):
 *   - the `config:` declarations of `jump-account/Pulumi.yaml`, `target-account/Pulumi.yaml` and the
 *     root `Pulumi.yaml` (the governance project): type, description and default of every key
 *     Pulumi can declare (pulumi-yaml.ts);
 *   - `docs/config-reference.md`: every key, including those Pulumi.yaml cannot declare
 *     (config-reference.ts).
 * `npm run docs -- --check` writes nothing and exits 1 when a committed file is stale; the docs
 * test does the same comparison.
 */
import * as fs from "fs";
import * as path from "path";
import { catalogueMatrix, matrixMarkdown } from "../verify/escalations/evaluate";
import { writeSection } from "./generated-section";
import { README_PATH as PACK_README_PATH, updateReadme as updatePackReadme } from "../policy-pack/tools/gen-readme";
import { configReference, REFERENCE_FILE } from "./config-reference";
import { PROJECTS, REPO_ROOT } from "./projects";
import { configBlock, withConfigBlock } from "./pulumi-yaml";

export interface GeneratedFile {
  /** Relative to the repository root. */
  readonly path: string;
  readonly content: string;
}

/** Every generated file with the content it should have now. */
export function generatedFiles(): GeneratedFile[] {
  const files = PROJECTS.map((p) => {
    const rel = path.join(p.dir, "Pulumi.yaml");
    const current = fs.readFileSync(path.join(REPO_ROOT, rel), "utf8");
    return { path: rel, content: withConfigBlock(current, configBlock(p)) };
  });
  files.push({ path: REFERENCE_FILE, content: configReference() });
  return files;
}

/** The generated files whose committed copy differs from what the generator writes. */
export function staleFiles(): string[] {
  return generatedFiles()
    .filter((f) => {
      const file = path.join(REPO_ROOT, f.path);
      return !fs.existsSync(file) || fs.readFileSync(file, "utf8") !== f.content;
    })
    .map((f) => f.path);
}

export async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes("--check")) {
    const stale = staleFiles();
    if (stale.length === 0) return 0;
    console.error(`stale generated files (run \`npm run docs\`): ${stale.join(", ")}`);
    return 1;
  }
  for (const f of generatedFiles()) {
    const file = path.join(REPO_ROOT, f.path);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const before = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
    if (before !== f.content) {
      fs.writeFileSync(file, f.content);
      console.log(`wrote ${f.path}`);
    }
  }
  // The policy pack's README table, from the policy objects.
  const packReadme = fs.readFileSync(PACK_README_PATH, "utf8");
  const nextPackReadme = updatePackReadme(packReadme);
  if (nextPackReadme !== packReadme) {
    fs.writeFileSync(PACK_README_PATH, nextPackReadme);
    console.log(`wrote ${path.relative(REPO_ROOT, PACK_README_PATH)}`);
  }
  // The escalation matrix is computed by the IAM evaluator (see verify/escalations).
  if (writeSection(path.join(REPO_ROOT, ESCALATIONS_FILE), "escalation matrix", matrixMarkdown(await catalogueMatrix())))
    console.log(`wrote ${ESCALATIONS_FILE}`);
  return 0;
}

const ESCALATIONS_FILE = "docs/escalations.md";
