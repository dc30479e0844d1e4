/**
 * An environment: one jump-account stack, its target-account stacks and at most one
 * identity-center stack, as `Pulumi.<stack>.yaml` files. The committed examples live in the
 * project folders; `--env DIR` reads `DIR/jump-account/Pulumi.*.yaml`,
 * `DIR/target-account/Pulumi.*.yaml` and `DIR/identity-center/Pulumi.*.yaml` instead, with the
 * same programs.
 */
import * as path from "path";
import {
  ConfigError,
  JUMP_COMPONENT,
  TARGET_COMPONENT,
  jumpContract,
  jumpNameProblems,
  parseIdentityCenterConfig,
  parseJumpConfig,
  parseTargetConfig,
  targetNameProblems,
  type JumpConfig,
  type TargetConfig,
} from "@jumpenv/shared";
import { MODELLED_AWS_MANAGED_POLICIES } from "../access/aws-managed";
import { runStack, stackFilesIn, stackNames, StackFileError, type RunOptions, type StackFile, type StackRun } from "./mock-run";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const JUMP_PROJECT_DIR = path.join(REPO_ROOT, "jump-account");
export const TARGET_PROJECT_DIR = path.join(REPO_ROOT, "target-account");
export const IDENTITY_CENTER_PROJECT_DIR = path.join(REPO_ROOT, "identity-center");

/** The organisation the offline plan runs in: target stacks may name the jump stack `<organization>/jump-account/<stack>`. */
export const PLAN_ORGANIZATION = "organization";

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

export interface CheckedEnvironment {
  readonly jump: JumpConfig;
  readonly targets: readonly TargetConfig[];
}

/**
 * Validate the environment as one thing, before any program runs: every stack's own config, and
 * what no single stack can see. One target stack per account (two would fight over one boundary
 * and the same roles), none in the Jump account, each listed in the jump stack's targets and
 * reading the jump stack that was planned; every name each program would generate free of clashes.
 * Throws a ConfigError listing every problem.
 */
export function checkEnvironment(env: Environment, organization = PLAN_ORGANIZATION): CheckedEnvironment {
  const problems: string[] = [];
  const parse = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems.push(...e.problems);
      return undefined;
    }
  };
  const jumpId = { project: env.jump.project, stack: env.jump.stack };
  const jump = parse(() => parseJumpConfig(env.jump.config, jumpId));
  const targets = env.targets.map((t) => ({
    file: t,
    cfg: parse(() => parseTargetConfig(t.config, { project: t.project, stack: t.stack })),
  }));
  const ic = env.identityCenter;
  if (ic) parse(() => parseIdentityCenterConfig(ic.config, { project: ic.project, stack: ic.stack }));
  if (!jump || problems.length > 0) throw new ConfigError(problems);

  problems.push(...jumpNameProblems(jump, jumpId, JUMP_COMPONENT));
  const contract = jumpContract(jump);
  const jumpNames = stackNames({ project: env.jump.project, stack: env.jump.stack }, organization);
  const stackOfAccount = new Map<string, string>();
  for (const { file, cfg } of targets) {
    if (!cfg) continue;
    const id = { project: file.project, stack: file.stack };
    const where = `stack "${file.stack}": aws:allowedAccountIds is ["${cfg.accountId}"]`;
    const other = stackOfAccount.get(cfg.accountId);
    if (other !== undefined)
      problems.push(
        `${where}, the account of target stack "${other}" too; expected one target stack per account (both would create the same boundary policy and roles)`,
      );
    stackOfAccount.set(cfg.accountId, file.stack);
    if (cfg.accountId === jump.accountId)
      problems.push(`${where}, the Jump account; expected a target account (the Jump account holds only users and groups)`);
    // Without a jump stack the account is reached only through IAM Identity Center: no roles here.
    if (cfg.jumpStack === undefined) {
      const listed = contract.targets.find((t) => t.accountId === cfg.accountId);
      if (listed)
        problems.push(
          `stack "${file.stack}": ${file.project}:jumpStack is missing, but jump stack "${env.jump.stack}" lists this account (${listed.name}) with roles ${listed.roles.map((r) => r.name).join(", ")}; expected ${file.project}:jumpStack naming it (${jumpNames.map((n) => `"${n}"`).join(" or ")}), or the account removed from ${env.jump.project}:targets (the Jump users would be granted roles that no stack creates)`,
        );
      problems.push(...targetNameProblems({ roles: [], protectedRoleNames: cfg.protectedRoleNames }, id, TARGET_COMPONENT));
      continue;
    }
    if (!jumpNames.includes(cfg.jumpStack))
      problems.push(
        `stack "${file.stack}": ${file.project}:jumpStack is "${cfg.jumpStack}"; expected the jump stack of this environment: ${jumpNames.map((n) => `"${n}"`).join(" or ")}`,
      );
    const entry = contract.targets.find((t) => t.accountId === cfg.accountId);
    if (!entry) {
      problems.push(
        `${where}, but jump stack "${env.jump.stack}" lists no such target (it lists ${contract.targets.map((t) => t.accountId).join(", ")}); expected an account declared in ${env.jump.project}:targets`,
      );
      continue;
    }
    problems.push(...targetNameProblems({ roles: entry.roles, protectedRoleNames: cfg.protectedRoleNames }, id, TARGET_COMPONENT));
    // The offline proof evaluates a role with its managed policies' documents: AWS's own only where
    // verify/access/aws-managed.ts models them, a customer's never (no planned stack creates one).
    // A role it cannot evaluate is refused here, in one line, rather than failing every check.
    for (const r of entry.roles)
      for (const arn of r.managedPolicyArns)
        if (!MODELLED_AWS_MANAGED_POLICIES.includes(arn))
          problems.push(
            `stack "${env.jump.stack}": role ${r.name} in ${entry.name} attaches ${arn}, whose document the offline plan does not know; expected one of ${MODELLED_AWS_MANAGED_POLICIES.join(", ")} (add a model of an AWS managed policy to verify/access/aws-managed.ts to plan it offline)`,
          );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { jump, targets: targets.map((t) => t.cfg!) };
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
