/**
 * An environment: one jump-account stack, its target-account stacks and at most one
 * identity-center stack, as `Pulumi.<stack>.yaml` files. The committed examples live in the
 * project folders; `--env DIR` reads `DIR/jump-account/Pulumi.*.yaml`,
 * `DIR/target-account/Pulumi.*.yaml` and `DIR/identity-center/Pulumi.*.yaml` instead, with the
 * same programs.
 */
import * as path from "path";
import { runStack, stackFilesIn, stackNames, StackFileError, type RunOptions, type StackFile, type StackRun } from "./mock-run";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const JUMP_PROJECT_DIR = path.join(REPO_ROOT, "jump-account");
export const TARGET_PROJECT_DIR = path.join(REPO_ROOT, "target-account");
export const IDENTITY_CENTER_PROJECT_DIR = path.join(REPO_ROOT, "identity-center");

export interface Environment {
  readonly jump: StackFile;
  readonly targets: readonly StackFile[];
  /** The IAM Identity Center stack, when the organisation uses it. */
  readonly identityCenter?: StackFile;
}

export interface PlannedEnvironment {
  readonly jump: StackRun;
  readonly targets: readonly StackRun[];
  readonly identityCenter?: StackRun;
}

/** Load an environment's stack files: the committed examples, or those under `root`. */
export function loadEnvironment(root?: string): Environment {
  const jumpDir = root ? path.join(root, "jump-account") : JUMP_PROJECT_DIR;
  const targetDir = root ? path.join(root, "target-account") : TARGET_PROJECT_DIR;
  const jumps = stackFilesIn(JUMP_PROJECT_DIR, jumpDir);
  if (jumps.length !== 1) {
    throw new StackFileError(`${jumpDir}: expected exactly one jump-account stack file (Pulumi.<stack>.yaml), found ${jumps.length}`);
  }
  const targets = stackFilesIn(TARGET_PROJECT_DIR, targetDir);
  if (targets.length === 0) throw new StackFileError(`${targetDir}: expected at least one target-account stack file (Pulumi.<stack>.yaml)`);
  const icDir = root ? path.join(root, "identity-center") : IDENTITY_CENTER_PROJECT_DIR;
  const ics = stackFilesIn(IDENTITY_CENTER_PROJECT_DIR, icDir);
  if (ics.length > 1)
    throw new StackFileError(`${icDir}: expected at most one identity-center stack file (Pulumi.<stack>.yaml), found ${ics.length}`);
  return { jump: jumps[0], targets, ...(ics.length === 1 ? { identityCenter: ics[0] } : {}) };
}

/** A copy of a stack file with some raw config keys replaced (a value of undefined removes the key). */
export function withConfig(file: StackFile, changes: Readonly<Record<string, string | undefined>>): StackFile {
  const config: Record<string, string> = { ...file.config };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete config[k];
    else config[k] = v;
  }
  return { ...file, config };
}

/**
 * Run the jump stack, then every target stack with the jump stack's outputs behind its
 * StackReference, then the identity-center stack with the target stacks' outputs behind its own.
 */
export async function planEnvironment(env: Environment, opts: Omit<RunOptions, "stackOutputs"> = {}): Promise<PlannedEnvironment> {
  const jump = await runStack(env.jump, opts);
  const stackOutputs = new Map(stackNames(jump, opts.organization).map((n) => [n, jump.outputs]));
  const targets: StackRun[] = [];
  for (const t of env.targets) targets.push(await runStack(t, { ...opts, stackOutputs }));
  if (!env.identityCenter) return { jump, targets };
  for (const t of targets) for (const n of stackNames(t, opts.organization)) stackOutputs.set(n, t.outputs);
  const identityCenter = await runStack(env.identityCenter, { ...opts, stackOutputs });
  return { jump, targets, identityCenter };
}
