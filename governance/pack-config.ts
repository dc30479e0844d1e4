/**
 * The policy pack's config for each stack, and the Pulumi Cloud policy groups that apply it.
 *
 * One org-wide file, `governance/policy-pack-config.json` (the `--policy-pack-config` format:
 * policy name -> enforcement level or settings; `all` -> default level), holds the decisions that
 * are the same for every stack, such as break-glass role patterns. What differs per stack comes
 * from the stack's own file: which permissions boundary it creates (`boundaryPolicyName`,
 * `boundaryPolicyPath`, with the target-account project's defaults), the one AWS account it
 * deploys to (`boundaryAccountIds`, from `aws:allowedAccountIds`: the pack requires that account's
 * boundary, never another's) and which project holds the target accounts (`targetProjects`). A stack-derived key is set on every policy whose config
 * schema declares it.
 *
 * CI writes each stack's config with `npm run policy-config` and passes it to
 * `pulumi preview --policy-pack-config`; the governance project groups the stacks by their config
 * and gives each group the same config in Pulumi Cloud. Both call `packConfigFor`, so the two
 * cannot drift apart.
 */
import * as fs from "fs";
import * as path from "path";
import { validateConfig } from "../policy-pack/config-file";
import type { PackPolicy, PolicyPackManifest } from "./pack";
import { accountIdOf, boundaryOf, defaultBoundary, type CommittedStack } from "./stacks";

export const BASE_CONFIG_FILE = path.join(__dirname, "policy-pack-config.json");

/** `--policy-pack-config` JSON: `all` or a policy name -> an enforcement level or the policy's settings. */
export type PolicyPackConfig = Readonly<Record<string, string | Readonly<Record<string, unknown>>>>;

/** Pack config keys whose values come from each stack's file, never from the org-wide file. */
export interface StackDerivedSettings {
  readonly boundaryPolicyName: string;
  readonly boundaryPolicyPath: string;
  /** The stack's AWS account (its `aws:allowedAccountIds`); empty for a stack that deploys to no AWS account. */
  readonly boundaryAccountIds: readonly string[];
  readonly targetProjects: readonly string[];
}

export const STACK_DERIVED_KEYS: readonly (keyof StackDerivedSettings)[] = [
  "boundaryPolicyName",
  "boundaryPolicyPath",
  "boundaryAccountIds",
  "targetProjects",
];

export class PackConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "PackConfigError";
  }
}

export function readBaseConfig(file = BASE_CONFIG_FILE): PolicyPackConfig {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new PackConfigError(file, [`not readable JSON: ${(e as Error).message}`]);
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc))
    throw new PackConfigError(file, ["expected a JSON object of policy name -> settings"]);
  return doc as PolicyPackConfig;
}

/** What a stack's file says the pack must check there. */
export function stackDerivedSettings(stack: CommittedStack, targetProjects: readonly string[]): StackDerivedSettings {
  const boundary = stack.role === "jump" ? defaultBoundary() : boundaryOf(stack);
  return { ...boundary, boundaryAccountIds: [accountIdOf(stack)], targetProjects: [...targetProjects] };
}

/**
 * Problems of a stack's pack config, by the pack's own validation, in the form Pulumi Cloud reads
 * a policy group's config: every entry an object. Empty when valid.
 */
export function packConfigProblems(config: PolicyPackConfig, policies: readonly PackPolicy[]): string[] {
  return validateConfig(policies, config, { objectEntries: true });
}

/**
 * The pack config of one stack: the org-wide config plus the stack-derived settings, each on
 * every policy that declares it, with every entry an object (a bare level `"advisory"` becomes
 * `{"enforcementLevel": "advisory"}`, and `all` becomes the level of each policy that sets none,
 * which is what the CLI makes of it). Throws a PackConfigError naming every problem.
 */
export function packConfigFor(
  base: PolicyPackConfig,
  settings: StackDerivedSettings,
  policies: readonly PackPolicy[],
  source = "policy pack config",
): PolicyPackConfig {
  const problems = validateConfig(policies, base);
  for (const [name, entry] of Object.entries(base)) {
    if (typeof entry !== "object" || entry === null) continue;
    for (const key of STACK_DERIVED_KEYS) {
      if (key in entry) problems.push(`"${name}".${key} comes from each stack's file; remove it from the org-wide config`);
    }
  }
  if (problems.length > 0) throw new PackConfigError(source, problems);

  const asObject = (entry: PolicyPackConfig[string] | undefined): Record<string, unknown> | undefined =>
    entry === undefined ? undefined : typeof entry === "string" ? { enforcementLevel: entry } : { ...entry };
  const all = asObject(base.all)?.enforcementLevel;
  const out: Record<string, Record<string, unknown>> = {};
  for (const policy of policies) {
    const entry = asObject(base[policy.name]) ?? {};
    if (all !== undefined && entry.enforcementLevel === undefined) entry.enforcementLevel = all;
    const declared = Object.keys(policy.configSchema?.properties ?? {});
    for (const key of STACK_DERIVED_KEYS.filter((k) => declared.includes(k))) {
      entry[key] = Array.isArray(settings[key]) ? [...(settings[key] as readonly string[])] : settings[key];
    }
    if (Object.keys(entry).length > 0) out[policy.name] = entry;
  }
  const after = packConfigProblems(out, policies);
  if (after.length > 0) throw new PackConfigError(source, after);
  return sortKeys(out) as PolicyPackConfig;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** A Pulumi Cloud policy group: the stacks that share one pack config (one account and boundary). */
export interface PolicyGroupPlan {
  readonly name: string;
  /** The AWS account the group's stacks deploy to (none for a stack without AWS resources). */
  readonly accountId?: string;
  /** The boundary the group's stacks are checked against, e.g. `/test-pb-policy`. */
  readonly boundary: string;
  readonly stacks: readonly { readonly project: string; readonly stack: string }[];
  readonly config: PolicyPackConfig;
}

function slug(text: string): string {
  return text
    .replace(/[^A-Za-z0-9_.-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
}

/**
 * Group the stacks by the pack config they need: one policy group per distinct config, named
 * after the pack, the account and the boundary it approves (`<pack name>-444455556666-test-pb-policy`).
 */
export function planPolicyGroups(
  stacks: readonly CommittedStack[],
  base: PolicyPackConfig,
  policies: readonly PackPolicy[],
  pack: PolicyPackManifest,
  targetProjects: readonly string[],
): PolicyGroupPlan[] {
  const groups = new Map<
    string,
    { accountId?: string; boundary: string; stacks: { project: string; stack: string }[]; config: PolicyPackConfig }
  >();
  for (const s of stacks) {
    const settings = stackDerivedSettings(s, targetProjects);
    const config = packConfigFor(base, settings, policies, `policy pack config of ${s.project}/${s.stack}`);
    const key = JSON.stringify(config);
    const group = groups.get(key) ?? {
      ...(settings.boundaryAccountIds.length === 1 ? { accountId: settings.boundaryAccountIds[0] } : {}),
      boundary: `${settings.boundaryPolicyPath}${settings.boundaryPolicyName}`,
      stacks: [],
      config,
    };
    group.stacks.push({ project: s.project, stack: s.stack });
    groups.set(key, group);
  }
  const plans = [...groups.values()].map((g) => ({ name: slug([pack.name, g.accountId ?? "", g.boundary].join("-")), ...g }));
  const seen = new Map<string, PolicyGroupPlan>();
  for (const p of plans) {
    const other = seen.get(p.name);
    if (other) {
      throw new PackConfigError("policy groups", [
        `stacks ${[...other.stacks, ...p.stacks].map((s) => `${s.project}/${s.stack}`).join(", ")} need different pack configs but would share the group name "${p.name}"`,
      ]);
    }
    seen.set(p.name, p);
  }
  return plans.sort((a, b) => a.name.localeCompare(b.name));
}
