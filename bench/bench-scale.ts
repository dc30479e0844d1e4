/**
 * The scale half of `npm run bench`: for N target accounts and N users (10, 100, 1,000, names at
 * IAM's maximum), the time to build and measure every document of the environment, the largest
 * document of each kind against its quota, and the offline plan time of the jump stack and of one
 * target stack at that scale.
 */
import {
  groupAssumeRolePolicies,
  jumpContract,
  jumpQuotaProblems,
  LIMITS,
  parseJumpConfig,
  policySize,
  selfServicePolicy,
  targetDocuments,
  targetQuotaProblems,
  type BoundaryProfile,
  type JumpConfig,
  type JumpContract,
  type TargetContract,
  type TargetDocumentArgs,
} from "@jumpenv/shared";
import { generateEnvironment } from "../verify/harness/generate";
import { runStack, stackNames } from "../verify/harness/mock-run";

export interface ScaleRow {
  readonly size: number;
  readonly documents: number;
  readonly buildSeconds: number;
  /** Largest document of each kind, in characters as IAM counts them, with its quota. */
  readonly largest: { readonly kind: string; readonly size: number; readonly quota: number }[];
  readonly problems: number;
  readonly trust: string;
  readonly groupPolicies: number;
  readonly jumpPlanSeconds: number;
  readonly targetPlanSeconds: number;
}

function since(t: bigint): number {
  return Number(process.hrtime.bigint() - t) / 1e9;
}

/** A generated target stack's document settings: the target-account defaults and the stated profile. */
export function generatedTargetArgs(
  contract: JumpContract,
  target: TargetContract,
  profile: BoundaryProfile = "hardened",
): TargetDocumentArgs {
  return {
    accountId: target.accountId,
    jumpAccountId: contract.jumpAccountId,
    boundaryPolicyName: "jump-permissions-boundary",
    boundaryPolicyPath: "/",
    boundaryProfile: profile,
    roles: target.roles,
    protectedRoleNames: ["OrganizationAccountAccessRole"],
    delegatedPath: "/delegated/",
    trustPolicyMaxChars: contract.trustPolicyMaxChars,
  };
}

/** Build every document of a generated environment, as both programs would, and measure it. */
export function buildAll(cfg: JumpConfig): Omit<ScaleRow, "size" | "jumpPlanSeconds" | "targetPlanSeconds"> {
  const t = process.hrtime.bigint();
  const contract = jumpContract(cfg);
  const problems = jumpQuotaProblems(cfg, { project: "jump-account", stack: "jump" });
  const group = cfg.groups.flatMap((g) => groupAssumeRolePolicies(cfg, g)).map((d) => policySize(d.document));
  let boundary = 0;
  let trust = 0;
  let documents = group.length + 1;
  for (const target of contract.targets) {
    const args = generatedTargetArgs(contract, target);
    const docs = targetDocuments(args);
    problems.push(...targetQuotaProblems(args, docs, { project: "target-account", stack: target.name }));
    boundary = Math.max(boundary, policySize(docs.boundary));
    for (const d of docs.trustPolicies.values()) trust = Math.max(trust, policySize(d));
    documents += 1 + docs.trustPolicies.size;
  }
  const buildSeconds = since(t);
  return {
    documents,
    buildSeconds,
    largest: [
      { kind: "group assume-role policy", size: Math.max(...group), quota: LIMITS.managedPolicyChars },
      { kind: "self-service policy", size: policySize(selfServicePolicy("hardened")), quota: LIMITS.managedPolicyChars },
      { kind: "boundary (hardened)", size: boundary, quota: LIMITS.managedPolicyChars },
      { kind: "role trust policy", size: trust, quota: contract.trustPolicyMaxChars },
    ],
    problems: problems.length,
    trust: [...new Set(contract.targets.flatMap((t) => t.roles.map((r) => r.trust.strategy)))].join("+"),
    groupPolicies: group.length,
  };
}

export async function benchScale(size: number): Promise<ScaleRow> {
  const gen = generateEnvironment({ accounts: size, users: size, groups: 3, roleKinds: 2, nameLength: 64 });
  const cfg = parseJumpConfig(gen.environment.jump.config, { project: "jump-account", stack: "jump" });
  const built = buildAll(cfg);
  let t = process.hrtime.bigint();
  const jump = await runStack(gen.environment.jump);
  const jumpPlanSeconds = since(t);
  t = process.hrtime.bigint();
  await runStack(gen.environment.targets[gen.environment.targets.length - 1], {
    stackOutputs: new Map(stackNames(jump).map((n) => [n, jump.outputs])),
  });
  return { size, ...built, jumpPlanSeconds, targetPlanSeconds: since(t) };
}

export function renderScale(rows: readonly ScaleRow[]): string {
  const out = [
    "accounts x users  documents  build all  jump plan  one target plan  trust       group policies  largest document / quota (characters)  over quota",
  ];
  for (const r of rows) {
    const largest = r.largest.map((l) => `${l.kind} ${l.size}/${l.quota}`).join(", ");
    out.push(
      `${`${r.size} x ${r.size}`.padEnd(17)}  ${String(r.documents).padStart(9)}  ${`${r.buildSeconds.toFixed(2)} s`.padStart(9)}  ${`${r.jumpPlanSeconds.toFixed(2)} s`.padStart(9)}  ${`${r.targetPlanSeconds.toFixed(2)} s`.padStart(15)}  ${r.trust.padEnd(10)}  ${String(r.groupPolicies).padStart(14)}  ${largest}  ${r.problems}`,
    );
  }
  return out.join("\n");
}
