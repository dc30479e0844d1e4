/**
 * Loading the identity-center project's config: the schema's checks, then the checks across keys
 * (every assignment names a declared permission set and group, each account once).
 */
import type { z } from "zod";
import * as pulumi from "@pulumi/pulumi";
import { duplicates, parseStackConfig, problem, type DeepReadonly, type RawConfig, type StackIdentity } from "./config";
import { identityCenterConfigSchema } from "./identity-center-schema";

export type IdentityCenterSettings = DeepReadonly<z.output<typeof identityCenterConfigSchema>>;
export type PermissionSetSettings = IdentityCenterSettings["permissionSets"][number];
export type IdentityCenterGroupSettings = IdentityCenterSettings["groups"][number];
export type IdentityCenterTarget = IdentityCenterSettings["targets"][number];

/** Validated config of an identity-center stack. `accountId` (the management or delegated administrator account) comes from `aws:allowedAccountIds`. */
export interface IdentityCenterConfig extends IdentityCenterSettings {
  readonly accountId: string;
}

function crossCheck(cfg: IdentityCenterConfig, id: StackIdentity, problems: string[]): void {
  const ns = id.project;
  const sets = new Set(cfg.permissionSets.map((s) => s.name));
  const groups = new Set(cfg.groups.map((g) => g.name));
  // Permission set names are unique in an instance whatever their case.
  for (const d of duplicates(cfg.permissionSets.map((s) => s.name.toLowerCase())))
    problems.push(
      problem(id, `${ns}:permissionSets`, d, "expected each permission set name once (names are unique in an instance, ignoring case)"),
    );
  for (const d of duplicates(cfg.groups.map((g) => g.name))) problems.push(problem(id, `${ns}:groups`, d, "expected each group name once"));
  for (const d of duplicates(cfg.groups.map((g) => g.id))) problems.push(problem(id, `${ns}:groups`, d, "expected each group id once"));
  for (const d of duplicates(cfg.targets.map((t) => t.accountId)))
    problems.push(problem(id, `${ns}:targets`, d, "expected each target account id once"));
  for (const d of duplicates(cfg.targets.map((t) => t.name)))
    problems.push(problem(id, `${ns}:targets`, d, "expected each target name once"));
  for (const d of duplicates(cfg.targets.map((t) => t.targetStack)))
    problems.push(problem(id, `${ns}:targets`, d, "expected each target stack once (one target-account stack per account)"));
  cfg.targets.forEach((t, i) => {
    for (const d of duplicates(t.assignments.map((a) => a.permissionSet)))
      problems.push(
        problem(id, `${ns}:targets[${i}].assignments`, d, "expected each permission set once per account (list all its groups there)"),
      );
    t.assignments.forEach((a, j) => {
      if (!sets.has(a.permissionSet))
        problems.push(
          problem(
            id,
            `${ns}:targets[${i}].assignments[${j}].permissionSet`,
            a.permissionSet,
            `expected a permission set declared in ${ns}:permissionSets (${[...sets].join(", ")})`,
          ),
        );
      a.groups.forEach((g, k) => {
        if (!groups.has(g))
          problems.push(
            problem(
              id,
              `${ns}:targets[${i}].assignments[${j}].groups[${k}]`,
              g,
              `expected a group declared in ${ns}:groups (${[...groups].join(", ")})`,
            ),
          );
      });
    });
  });
}

/** Pure: parse an identity-center stack's raw config into `IdentityCenterConfig`. */
export function parseIdentityCenterConfig(raw: RawConfig, id: StackIdentity): IdentityCenterConfig {
  return parseStackConfig<IdentityCenterSettings, IdentityCenterConfig>(identityCenterConfigSchema, raw, id, crossCheck);
}

/** Load and validate the running identity-center stack's config. */
export function loadIdentityCenterConfig(): IdentityCenterConfig {
  return parseIdentityCenterConfig(pulumi.runtime.allConfig(), { project: pulumi.getProject(), stack: pulumi.getStack() });
}
