/**
 * What the governance project and CI need to know about the policy pack, read from the pack
 * itself at run time: its name and version from `policy-pack/package.json` (what
 * `pulumi policy publish` publishes), and its policies with their config schemas from
 * `policy-pack/policies.ts` (a module without side effects; `index.ts` would start the pack's
 * gRPC server).
 */
import * as fs from "fs";
import * as path from "path";
import type { PolicyConfigSchema } from "@pulumi/policy";
import { REPO_ROOT } from "./stacks";

export const POLICY_PACK_DIR = path.join(REPO_ROOT, "policy-pack");

export interface PolicyPackManifest {
  /** The pack's name, as published (package.json `name`). */
  readonly name: string;
  /** The version tag Pulumi Cloud knows the published pack by (package.json `version`). */
  readonly version: string;
}

/** One policy of the pack, as far as its config is concerned. */
export interface PackPolicy {
  readonly name: string;
  readonly configSchema?: PolicyConfigSchema;
}

export function readPolicyPackManifest(dir = POLICY_PACK_DIR): PolicyPackManifest {
  const file = path.join(dir, "package.json");
  const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: unknown; version?: unknown };
  if (typeof pkg.name !== "string" || pkg.name === "") throw new Error(`${file}: no "name"`);
  if (typeof pkg.version !== "string" || pkg.version === "") throw new Error(`${file}: no "version"`);
  return { name: pkg.name, version: pkg.version };
}

/** The pack's policies, from `policies.ts` (its `policies` export). */
export function loadPackPolicies(dir = POLICY_PACK_DIR): readonly PackPolicy[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(dir, "policies")) as { policies?: unknown };
  if (!Array.isArray(mod.policies)) throw new Error(`${path.join(dir, "policies.ts")}: expected an exported "policies" array`);
  return mod.policies.map((p: { name?: unknown; configSchema?: PolicyConfigSchema }) => {
    if (typeof p.name !== "string") throw new Error(`${path.join(dir, "policies.ts")}: a policy without a name`);
    return { name: p.name, ...(p.configSchema ? { configSchema: p.configSchema } : {}) };
  });
}
