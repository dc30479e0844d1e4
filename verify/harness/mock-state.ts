/**
 * What AWS would return for the resources these programs create, so outputs like `arn` are
 * realistic under mocks. During a preview, computed outputs stay unknown (absent), as they do
 * with the real engine.
 */
import { createHash } from "crypto";
import type { MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";
import type { RawConfig } from "@jumpenv/shared";

function accountOf(config: RawConfig): string {
  try {
    const ids = JSON.parse(config["aws:allowedAccountIds"] ?? "[]") as unknown;
    if (Array.isArray(ids) && typeof ids[0] === "string") return ids[0];
  } catch {
    /* fall through */
  }
  return "000000000000";
}

function hex16(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

export function mockState(args: MockResourceArgs, config: RawConfig, preview: boolean): Record<string, unknown> {
  const inputs = args.inputs as Record<string, unknown>;
  if (preview) return { ...inputs };
  const account = accountOf(config);
  const path = typeof inputs.path === "string" ? inputs.path : "/";
  const name = typeof inputs.name === "string" ? inputs.name : args.name;
  switch (args.type) {
    case "aws:iam/user:User":
      return { ...inputs, arn: `arn:aws:iam::${account}:user${path}${name}`, uniqueId: `AIDA${name.toUpperCase()}` };
    case "aws:iam/group:Group":
      return { ...inputs, arn: `arn:aws:iam::${account}:group${path}${name}` };
    case "aws:iam/role:Role":
      return { ...inputs, arn: `arn:aws:iam::${account}:role${path}${name}` };
    case "aws:iam/policy:Policy":
      return { ...inputs, arn: `arn:aws:iam::${account}:policy${path}${name}` };
    case "aws:ssoadmin/permissionSet:PermissionSet":
      // Identity Center's id of a permission set: ps- and 16 hex characters, derived from its name here.
      return { ...inputs, arn: `${String(inputs.instanceArn).replace(":instance/", ":permissionSet/")}/ps-${hex16(name)}` };
    case "aws:iam/userLoginProfile:UserLoginProfile":
      return inputs.pgpKey
        ? { ...inputs, encryptedPassword: `mock-pgp-message-for-${String(inputs.user)}` }
        : { ...inputs, password: `mock-initial-password-${String(inputs.user)}` };
    default:
      return { ...inputs };
  }
}
