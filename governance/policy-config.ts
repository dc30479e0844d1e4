/**
 * `npm run --silent policy-config -- <folder>/<stack> [--out FILE]`
 *
 * Prints the policy pack's config for one committed stack (the JSON that
 * `pulumi preview --policy-pack-config` takes), e.g. `target-account/seed-target`. With `--out FILE`
 * it writes the JSON to FILE and prints `key=value` lines for `$GITHUB_OUTPUT` instead:
 * `policy-config` (the file), `account-id` and `region` (from the stack file; not for the
 * governance stack, which needs no AWS account).
 * `<folder>` is `jump-account`, `target-account`, `identity-center` or `governance` (the root project).
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "@jumpenv/shared";
import { packConfigFor, readBaseConfig, PackConfigError, type PolicyPackConfig } from "./pack-config";
import { packConfigOfStack, targetProjects } from "./enforcement-plan";
import { loadPackPolicies } from "./pack";
import { accountIdOf, committedStacks, defaultBoundary, regionOf, REPO_ROOT, type CommittedStack } from "./stacks";

const USAGE = "usage: npm run --silent policy-config -- <jump-account|target-account|identity-center|governance>/<stack> [--out FILE]";

export interface PolicyConfigResult {
  readonly config: PolicyPackConfig;
  readonly stack?: CommittedStack;
}

/** The pack config of `<folder>/<stack>`; the governance stack gets the org-wide config with the default boundary. */
export function policyConfigOf(spec: string): PolicyConfigResult {
  const m = /^([^/]+)\/([^/]+)$/.exec(spec);
  if (!m) throw new Error(`"${spec}" is not <folder>/<stack>\n${USAGE}`);
  const [, folder, stackName] = m;
  if (folder === "governance") {
    if (!fs.existsSync(path.join(REPO_ROOT, `Pulumi.${stackName}.yaml`)))
      throw new Error(`no governance stack file Pulumi.${stackName}.yaml at the repository root`);
    return {
      config: packConfigFor(
        readBaseConfig(),
        { ...defaultBoundary(), boundaryAccountIds: [], targetProjects: targetProjects() },
        loadPackPolicies(),
        `policy pack config of governance/${stackName}`,
      ),
    };
  }
  // An identity-center stack's pack config names the boundary its permission sets must reference.
  const stacks = committedStacks();
  const stack = stacks.find((s) => s.dir === folder && s.stack === stackName);
  if (!stack) {
    throw new Error(`no committed stack ${spec}; the committed stacks are ${stacks.map((s) => `${s.dir}/${s.stack}`).join(", ")}`);
  }
  return { config: packConfigOfStack(stack), stack };
}

export function main(argv: readonly string[]): number {
  const args = [...argv];
  const outAt = args.indexOf("--out");
  let out: string | undefined;
  if (outAt >= 0) {
    out = args[outAt + 1];
    if (!out) {
      console.error(USAGE);
      return 2;
    }
    args.splice(outAt, 2);
  }
  if (args.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  try {
    const { config, stack } = policyConfigOf(args[0]);
    const json = `${JSON.stringify(config, null, 2)}\n`;
    if (!out) {
      process.stdout.write(json);
      return 0;
    }
    const file = path.resolve(out);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, json);
    const lines = [`policy-config=${file}`];
    if (stack) lines.push(`account-id=${accountIdOf(stack)}`, `region=${regionOf(stack)}`);
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  } catch (e) {
    // Every failure here is the caller's spec or a stack's config: one line, exit 2 (as npm start).
    if (e instanceof PackConfigError)
      console.error(`${e.source}: ${e.problems[0]}${e.problems.length > 1 ? ` (and ${e.problems.length - 1} more)` : ""}`);
    else if (e instanceof ConfigError) console.error(e.oneLine);
    else console.error((e instanceof Error ? e.message : String(e)).split("\n")[0]);
    return 2;
  }
}
