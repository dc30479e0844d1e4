/**
 * The approved permissions boundary: the customer managed policy with the configured path and
 * name, in the role's own account (a boundary must live in the account of the role it caps).
 */
import type { BoundaryConfig } from "./config";

const PARTITIONS = "aws|aws-cn|aws-us-gov";
const IAM_ARN = new RegExp(`^arn:(${PARTITIONS}):(?:iam|sts)::(\\d{12}):`);

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A parsed ARN of the approved boundary. */
export interface ApprovedBoundary {
  readonly arn: string;
  readonly partition: string;
  readonly accountId: string;
}

/** The partition and 12-digit account of an IAM or STS ARN, else undefined. */
export function accountOfArn(arn: string): { partition: string; accountId: string } | undefined {
  const m = IAM_ARN.exec(arn);
  return m ? { partition: m[1], accountId: m[2] } : undefined;
}

/** The approved boundary's ARN in an account. */
export function approvedBoundaryArn(cfg: BoundaryConfig, accountId: string, partition = "aws"): string {
  return `arn:${partition}:iam::${accountId}:policy${cfg.boundaryPolicyPath}${cfg.boundaryPolicyName}`;
}

/** `arn` parsed, when it is the approved boundary in an allowed account; else undefined. */
export function asApprovedBoundary(cfg: BoundaryConfig, arn: string): ApprovedBoundary | undefined {
  const re = new RegExp(`^arn:(${PARTITIONS}):iam::(\\d{12}):policy${escapeRegExp(cfg.boundaryPolicyPath + cfg.boundaryPolicyName)}$`);
  const m = re.exec(arn);
  if (!m) return undefined;
  if (cfg.boundaryAccountIds.length > 0 && !cfg.boundaryAccountIds.includes(m[2])) return undefined;
  return { arn, partition: m[1], accountId: m[2] };
}

/** How the approved boundary reads in a message, e.g. `arn:aws:iam::<account>:policy/jump-permissions-boundary`. */
export function describeApprovedBoundary(cfg: BoundaryConfig, accountId?: string): string {
  const account = accountId ?? (cfg.boundaryAccountIds.length === 1 ? cfg.boundaryAccountIds[0] : "<the role's account>");
  const arn = approvedBoundaryArn(cfg, account);
  return cfg.boundaryAccountIds.length > 1 && !accountId ? `${arn} (accounts ${cfg.boundaryAccountIds.join(", ")})` : arn;
}
