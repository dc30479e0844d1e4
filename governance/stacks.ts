/**
 * The stacks this repository deploys: every committed `Pulumi.<stack>.yaml` of the jump-account,
 * target-account and identity-center projects. CI previews and deploys exactly these, and the governance project
 * enforces the policy pack on exactly these, so a stack is added in one place: its file.
 */
import * as path from "path";
import { projectName, stackFilesIn } from "../verify/harness/stack-file";
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

export function projectNameOf(dir: string): string {
  return projectName(dir);
}

/**
 * The committed stacks of one project folder, sorted by stack name: read by the harness's stack
 * file reader, so CI, the governance project and `npm start` find the same files the Pulumi CLI
 * reads (`Pulumi.<stack>.yaml`; a file it would ignore is an error), with the same bounds.
 */
export function stacksIn(role: StackRole, dir: string): CommittedStack[] {
  return stackFilesIn(dir).map((f) => ({
    role,
    dir: path.relative(REPO_ROOT, dir),
    project: f.project,
    stack: f.stack,
    file: f.file,
    config: f.config,
  }));
}

/**
 * Every committed stack in deploy order: the jump stacks, the target stacks, then the
 * identity-center stacks (their permission sets reference the boundary the target stacks create).
 */
export function committedStacks(root = REPO_ROOT): CommittedStack[] {
  return [
    ...stacksIn("jump", path.join(root, "jump-account")),
    ...stacksIn("target", path.join(root, "target-account")),
    ...stacksIn("identity-center", path.join(root, "identity-center")),
  ];
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
