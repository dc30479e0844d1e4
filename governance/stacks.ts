/**
 * The stacks this repository deploys: every committed `Pulumi.<stack>.yaml` of the jump-account
 * and target-account projects. CI previews and deploys exactly these, and the governance project
 * enforces the policy pack on exactly these, so a stack is added in one place: its file.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { parseIdentityCenterConfig, parseTargetConfig, targetConfigSchema, type RawConfig } from "@jumpenv/shared";

export const REPO_ROOT = path.resolve(__dirname, "..");
export const JUMP_PROJECT_DIR = path.join(REPO_ROOT, "jump-account");
export const TARGET_PROJECT_DIR = path.join(REPO_ROOT, "target-account");

export type StackRole = "jump" | "target" | "identity-center";

export interface CommittedStack {
  readonly role: StackRole;
  /** The project folder, relative to the repository root (`jump-account`). */
  readonly dir: string;
  /** The Pulumi project name, from the folder's `Pulumi.yaml`. */
  readonly project: string;
  /** The stack's short name (`seed-target` in `Pulumi.seed-target.yaml`). */
  readonly stack: string;
  readonly file: string;
  /** Config as the CLI hands it to a program: `<namespace>:<key>` to a string (JSON for non-strings). */
  readonly config: RawConfig;
}

function readYaml(file: string): unknown {
  try {
    return YAML.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file}: not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
}

export function projectNameOf(dir: string): string {
  const file = path.join(dir, "Pulumi.yaml");
  const name = (readYaml(file) as { name?: unknown } | null)?.name;
  if (typeof name !== "string") throw new Error(`${file}: no project name`);
  return name;
}

function readStack(role: StackRole, dir: string, fileName: string): CommittedStack {
  const file = path.join(dir, fileName);
  const project = projectNameOf(dir);
  const config = (readYaml(file) as { config?: unknown } | null)?.config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config))
    throw new Error(`${file}: "config" must be a map of keys to values`);
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    const full = key.includes(":") ? key : `${project}:${key}`;
    raw[full] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return { role, dir: path.relative(REPO_ROOT, dir), project, stack: /^Pulumi\.(.+)\.ya?ml$/.exec(fileName)![1], file, config: raw };
}

/** The committed stacks of one project folder, sorted by stack name. */
export function stacksIn(role: StackRole, dir: string): CommittedStack[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^Pulumi\..+\.ya?ml$/.test(f))
    .sort()
    .map((f) => readStack(role, dir, f));
}

/** Every committed jump-account and target-account stack: the jump stacks first. */
export function committedStacks(root = REPO_ROOT): CommittedStack[] {
  return [...stacksIn("jump", path.join(root, "jump-account")), ...stacksIn("target", path.join(root, "target-account"))];
}

/** The stack's AWS account: its `aws:allowedAccountIds` entry (the loaders require exactly one). */
export function accountIdOf(stack: CommittedStack): string {
  const ids = JSON.parse(stack.config["aws:allowedAccountIds"] ?? "null") as unknown;
  if (!Array.isArray(ids) || ids.length !== 1 || typeof ids[0] !== "string") {
    throw new Error(`${stack.file}: aws:allowedAccountIds must list exactly one account id`);
  }
  return ids[0];
}

/** The stack's AWS region (`aws:region`). */
export function regionOf(stack: CommittedStack): string {
  const region = stack.config["aws:region"];
  if (!region) throw new Error(`${stack.file}: aws:region is not set`);
  return region;
}

/**
 * The permissions boundary a target stack creates, or that an identity-center stack's permission
 * sets reference, with the projects' defaults applied.
 */
export function boundaryOf(stack: CommittedStack): { readonly boundaryPolicyName: string; readonly boundaryPolicyPath: string } {
  const id = { project: stack.project, stack: stack.stack };
  const cfg = stack.role === "identity-center" ? parseIdentityCenterConfig(stack.config, id) : parseTargetConfig(stack.config, id);
  return { boundaryPolicyName: cfg.boundaryPolicyName, boundaryPolicyPath: cfg.boundaryPolicyPath };
}

/**
 * The boundary the target-account project creates when a stack sets neither key: the jump
 * account holds no roles and no boundary, so its stacks are checked against these defaults.
 */
export function defaultBoundary(): { readonly boundaryPolicyName: string; readonly boundaryPolicyPath: string } {
  return {
    boundaryPolicyName: targetConfigSchema.shape.boundaryPolicyName.parse(undefined),
    boundaryPolicyPath: targetConfigSchema.shape.boundaryPolicyPath.parse(undefined),
  };
}
