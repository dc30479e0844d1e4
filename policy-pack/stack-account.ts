/**
 * The stack's AWS account: a fact of the stack, never of the document being checked.
 *
 * Two sources, in order: the pack config's `boundaryAccountIds` when it names exactly one account
 * (`npm run policy-config` sets it from the stack file's `aws:allowedAccountIds`, for CI and Pulumi
 * Cloud alike), then the resource's AWS provider, whose `allowedAccountIds` input pins the account
 * the provider may deploy to. `@pulumi/aws` and `@pulumi/aws-native` JSON-encode that list in the
 * provider's inputs (`resourceInputs["allowedAccountIds"] = ...apply(JSON.stringify)`), and a
 * default provider receives the stack's `aws:allowedAccountIds` config string as it is.
 */
import type { PolicyProviderResource } from "@pulumi/policy";
import type { BoundaryConfig } from "./config";
import { readProp } from "./unknown";

const ACCOUNT_ID = /^\d{12}$/;

/** Where the stack's account came from, for messages. */
export interface StackAccount {
  readonly accountId: string;
  readonly source: "config" | "provider";
}

/** The single account an AWS provider may deploy to, when its `allowedAccountIds` names exactly one. */
export function providerAccount(provider: PolicyProviderResource | undefined): string | undefined {
  if (!provider || !/^pulumi:providers:aws(-native)?$/.test(provider.type)) return undefined;
  const r = readProp(provider.props as Record<string, unknown>, "allowedAccountIds");
  if (r.state !== "known") return undefined;
  let ids: unknown = r.value;
  if (typeof ids === "string") {
    try {
      ids = JSON.parse(ids);
    } catch {
      return undefined;
    }
  }
  return Array.isArray(ids) && ids.length === 1 && typeof ids[0] === "string" && ACCOUNT_ID.test(ids[0]) ? ids[0] : undefined;
}

/** The stack's account, when config or the resource's provider tells it. */
export function stackAccountOf(cfg: BoundaryConfig, provider: PolicyProviderResource | undefined): StackAccount | undefined {
  if (cfg.boundaryAccountIds.length === 1) return { accountId: cfg.boundaryAccountIds[0], source: "config" };
  const fromProvider = providerAccount(provider);
  if (fromProvider !== undefined && (cfg.boundaryAccountIds.length === 0 || cfg.boundaryAccountIds.includes(fromProvider))) {
    return { accountId: fromProvider, source: "provider" };
  }
  return undefined;
}

/** What to do when the account cannot be told, in words for a message. */
export const ACCOUNT_UNKNOWN_FIX =
  "set boundaryAccountIds to the stack's account (`npm run policy-config` does it from the stack file's aws:allowedAccountIds), " +
  "or pin the AWS provider's allowedAccountIds to that one account";
