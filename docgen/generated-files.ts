/**
 * `npm run docs` — writes every generated document from the code it describes:
 *   - the `config:` declarations of `jump-account/Pulumi.yaml`, `target-account/Pulumi.yaml` and the
 *     root `Pulumi.yaml` (the governance project), from the zod config schemas (pulumi-yaml.ts);
 *   - `docs/config-reference.md`: every config key, including those Pulumi.yaml cannot declare
 *     (config-reference.ts);
 *   - the policy table of `policy-pack/README.md`, from the pack's policy objects
 *     (policy-pack/tools/gen-readme.ts);
 *   - the escalation matrix of `docs/escalations.md`, computed by the IAM evaluator
 *     (verify/escalations/evaluate.ts).
 * `npm run docs -- --check` writes nothing and exits 1 naming every stale file; the docs test
 * runs the same check. Both go through GENERATORS, so a generator cannot be written without
 * also being checked.
 */
import * as fs from "fs";
import * as path from "path";
import { catalogueMatrix, matrixMarkdown } from "../verify/escalations/evaluate";
import { withSection } from "./generated-section";
import { README_PATH as PACK_README_PATH, updateReadme as updatePackReadme } from "../policy-pack/tools/gen-readme";
import { configReference, REFERENCE_FILE } from "./config-reference";
import { PROJECTS, REPO_ROOT } from "./projects";
import { configBlock, withConfigBlock } from "./pulumi-yaml";

export const ESCALATIONS_FILE = "docs/escalations.md";
export const PACK_README_FILE = path.relative(REPO_ROOT, PACK_README_PATH);

/** One generated file: where it is, and what it should hold given what it holds now. */
export interface Generator {
  /** Relative to the repository root. */
  readonly path: string;
  /**
   * The file's generated content. `committed` is its current text (undefined when it is missing):
   * the generators that own only part of a file keep the rest of it.
   */
  readonly render: (committed: string | undefined) => string | Promise<string>;
}

/** A generator that replaces only its part of a hand-written file needs that file. */
function existing(file: string, committed: string | undefined): string {
  if (committed === undefined) throw new Error(`${file} is missing: it holds hand-written text around the generated part`);
  return committed;
}

export const GENERATORS: readonly Generator[] = [
  ...PROJECTS.map((p) => {
    const file = path.join(p.dir, "Pulumi.yaml");
    return { path: file, render: (committed: string | undefined) => withConfigBlock(existing(file, committed), configBlock(p)) };
  }),
  { path: REFERENCE_FILE, render: () => configReference() },
  { path: PACK_README_FILE, render: (committed) => updatePackReadme(existing(PACK_README_FILE, committed)) },
  {
    path: ESCALATIONS_FILE,
    render: async (committed) =>
      withSection(existing(ESCALATIONS_FILE, committed), "escalation matrix", matrixMarkdown(await catalogueMatrix()), ESCALATIONS_FILE),
  },
];

/** How a generated file's committed text is read: from the repository, or (in tests) from anywhere. */
export type ReadCommitted = (file: string) => string | undefined;

export const readFromRepository: ReadCommitted = (file) => {
  const abs = path.join(REPO_ROOT, file);
  return fs.existsSync(abs) ? fs.readFileSync(abs, "utf8") : undefined;
};

export interface GeneratedFile {
  /** Relative to the repository root. */
  readonly path: string;
  readonly committed: string | undefined;
  readonly content: string;
}

/** Every generated file with its committed text and the content it should have now. */
export async function generatedFiles(read: ReadCommitted = readFromRepository): Promise<GeneratedFile[]> {
  const out: GeneratedFile[] = [];
  for (const g of GENERATORS) {
    const committed = read(g.path);
    out.push({ path: g.path, committed, content: await g.render(committed) });
  }
  return out;
}

/** The generated files whose committed copy differs from what the generator writes. */
export async function staleFiles(read: ReadCommitted = readFromRepository): Promise<string[]> {
  return (await generatedFiles(read)).filter((f) => f.committed !== f.content).map((f) => f.path);
}

export async function main(argv: readonly string[], read: ReadCommitted = readFromRepository): Promise<number> {
  const unknown = argv.find((a) => a !== "--check");
  if (unknown !== undefined) {
    console.error(`error: unknown argument ${JSON.stringify(unknown)}; usage: npm run docs [-- --check]`);
    return 2;
  }
  if (argv.includes("--check")) {
    const stale = await staleFiles(read);
    if (stale.length === 0) return 0;
    console.error(`stale generated files (run \`npm run docs\`): ${stale.join(", ")}`);
    return 1;
  }
  for (const f of await generatedFiles(read)) {
    if (f.committed === f.content) continue;
    const file = path.join(REPO_ROOT, f.path);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, f.content);
    console.log(`wrote ${f.path}`);
  }
  return 0;
}
