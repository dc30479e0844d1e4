/**
 * Generated environments for scale tests and benchmarks: N target accounts, M users, a few
 * groups and role kinds (role names shared across accounts, as organisations name them), names
 * as long as asked. Returns in-memory stack files; `writeEnvironment` writes them for `--env`.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import type { Environment } from "./environment";
import { JUMP_PROJECT_DIR, TARGET_PROJECT_DIR } from "./environment";
import type { StackFile } from "./mock-run";

export interface GenerateOptions {
  readonly accounts: number;
  readonly users: number;
  /** Groups (default 3); user i is in group i mod groups. */
  readonly groups?: number;
  /** Role kinds per account (default 2): kind k is assumable by group k mod groups. */
  readonly roleKinds?: number;
  /** Length of user, group and role names (default short; 64 = IAM's maximum for users and roles). */
  readonly nameLength?: number;
  /** Extra jump-account config, e.g. { trustStrategy: "users" }. */
  readonly jump?: Readonly<Record<string, unknown>>;
  /** Extra target-account config for every target stack. */
  readonly target?: Readonly<Record<string, unknown>>;
}

export const JUMP_ACCOUNT_ID = "111111111111";

function padded(prefix: string, i: number, length: number | undefined): string {
  const base = `${prefix}${i}`;
  return length === undefined || base.length >= length ? base : `${base}-${"x".repeat(length - base.length - 1)}`;
}

export function accountIdOf(i: number): string {
  return String(200000000000 + i);
}

export interface GeneratedEnvironment {
  readonly jumpConfig: Record<string, unknown>;
  readonly targetConfigs: readonly Record<string, unknown>[];
  readonly environment: Environment;
}

export function generateEnvironment(opts: GenerateOptions): GeneratedEnvironment {
  const groupCount = opts.groups ?? 3;
  const kinds = opts.roleKinds ?? 2;
  const groups = Array.from({ length: groupCount }, (_, g) => ({
    name: padded("g", g, opts.nameLength && Math.min(opts.nameLength, 100)),
  }));
  const users = Array.from({ length: opts.users }, (_, i) => ({
    name: padded("u", i, opts.nameLength),
    groups: [groups[i % groupCount].name],
  }));
  const roles = Array.from({ length: kinds }, (_, k) => ({ name: padded("r", k, opts.nameLength), groups: [groups[k % groupCount].name] }));
  const targets = Array.from({ length: opts.accounts }, (_, a) => ({ accountId: accountIdOf(a), name: `t${a}`, roles }));
  const jumpConfig: Record<string, unknown> = {
    "aws:region": "us-east-1",
    "aws:allowedAccountIds": [JUMP_ACCOUNT_ID],
    "jump-account:groups": groups,
    "jump-account:users": users,
    "jump-account:targets": targets,
    ...Object.fromEntries(Object.entries(opts.jump ?? {}).map(([k, v]) => [`jump-account:${k}`, v])),
  };
  const targetConfigs = targets.map((t) => ({
    "aws:region": "us-east-1",
    "aws:allowedAccountIds": [t.accountId],
    "target-account:jumpStack": "organization/jump-account/jump",
    "target-account:enableProtection": false,
    ...Object.fromEntries(Object.entries(opts.target ?? {}).map(([k, v]) => [`target-account:${k}`, v])),
  }));
  const raw = (c: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(c).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
  const environment: Environment = {
    jump: {
      projectDir: JUMP_PROJECT_DIR,
      project: "jump-account",
      stack: "jump",
      file: "(generated)",
      config: raw(jumpConfig),
    } satisfies StackFile,
    targets: targets.map((t, i) => ({
      projectDir: TARGET_PROJECT_DIR,
      project: "target-account",
      stack: t.name,
      file: "(generated)",
      config: raw(targetConfigs[i]),
    })),
  };
  return { jumpConfig, targetConfigs, environment };
}

/** Write a generated environment as `DIR/jump-account/Pulumi.jump.yaml` and `DIR/target-account/Pulumi.<t>.yaml`. */
export function writeEnvironment(dir: string, gen: GeneratedEnvironment): void {
  fs.mkdirSync(path.join(dir, "jump-account"), { recursive: true });
  fs.mkdirSync(path.join(dir, "target-account"), { recursive: true });
  fs.writeFileSync(
    path.join(dir, "jump-account", "Pulumi.jump.yaml"),
    YAML.stringify({ config: gen.jumpConfig }, { aliasDuplicateObjects: false }),
  );
  gen.environment.targets.forEach((t, i) =>
    fs.writeFileSync(
      path.join(dir, "target-account", `Pulumi.${t.stack}.yaml`),
      YAML.stringify({ config: gen.targetConfigs[i] }, { aliasDuplicateObjects: false }),
    ),
  );
}
