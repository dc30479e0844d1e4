/**
 * An IAM snapshot of a live account: the JSON of `aws iam get-account-authorization-details`, read
 * the way AWS writes it. AWS CLI v2 (and v1, and boto3) print every policy document decoded, as an
 * object; the raw API (and SDKs such as Go's and Java's) return each document as a URL-encoded
 * JSON string (RFC 3986), which Terraform's AWS provider decodes with Go's `url.QueryUnescape`:
 * both are accepted. A dump taken with `--no-paginate` or `--max-items` comes in pages
 * (`IsTruncated`, `Marker`); the pages of one account merge into one snapshot.
 *
 * `aws iam get-account-authorization-details` lists no access keys, console passwords or MFA
 * devices: the credential report (`aws iam get-credential-report`) and the output of
 * `aws iam list-access-keys --user-name NAME` (`AccessKeyMetadata[]`) are read beside it.
 */
import { CredentialReportError, isCredentialReport, parseCredentialReport, type CredentialRow } from "./credential-report";

/** A policy document as IAM holds it: always decoded to a value here. */
export type Document = unknown;

export interface InlinePolicy {
  readonly PolicyName: string;
  readonly PolicyDocument: Document;
}

export interface AttachedPolicy {
  readonly PolicyName?: string;
  readonly PolicyArn: string;
}

export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

export interface UserDetail {
  readonly Path: string;
  readonly UserName: string;
  readonly UserId?: string;
  readonly Arn: string;
  readonly UserPolicyList: readonly InlinePolicy[];
  readonly GroupList: readonly string[];
  readonly AttachedManagedPolicies: readonly AttachedPolicy[];
  readonly PermissionsBoundary?: { readonly PermissionsBoundaryArn: string };
  readonly Tags: readonly Tag[];
}

export interface GroupDetail {
  readonly Path: string;
  readonly GroupName: string;
  readonly GroupId?: string;
  readonly Arn: string;
  readonly GroupPolicyList: readonly InlinePolicy[];
  readonly AttachedManagedPolicies: readonly AttachedPolicy[];
}

export interface RoleDetail {
  readonly Path: string;
  readonly RoleName: string;
  readonly RoleId?: string;
  readonly Arn: string;
  readonly AssumeRolePolicyDocument: Document;
  readonly RolePolicyList: readonly InlinePolicy[];
  readonly AttachedManagedPolicies: readonly AttachedPolicy[];
  readonly PermissionsBoundary?: { readonly PermissionsBoundaryArn: string };
  readonly Tags: readonly Tag[];
}

export interface ManagedPolicyDetail {
  readonly PolicyName: string;
  readonly Arn: string;
  readonly Path: string;
  readonly Description?: string;
  readonly DefaultVersionId?: string;
  /** The default version's document. */
  readonly Document: Document;
}

export interface AccessKey {
  readonly UserName: string;
  readonly AccessKeyId: string;
  readonly Status?: string;
}

/** One account's snapshot, every page merged. */
export interface AccountSnapshot {
  readonly account: string;
  readonly files: readonly string[];
  readonly users: readonly UserDetail[];
  readonly groups: readonly GroupDetail[];
  readonly roles: readonly RoleDetail[];
  /** Customer managed policies of the account (AWS managed ones are known by ARN). */
  readonly policies: readonly ManagedPolicyDetail[];
  readonly accessKeys: readonly AccessKey[];
  /** The credential report's rows, when one was given (undefined: nothing is known of passwords and MFA). */
  readonly credentials?: readonly CredentialRow[];
}

/** The snapshot could not be used; the message is one line naming the file and the key. */
export class SnapshotError extends Error {}

const LIST_KEYS = ["UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"] as const;

/** Whether a parsed JSON document is a page of `get-account-authorization-details` or of `list-access-keys`. */
export function isSnapshotDocument(doc: unknown): boolean {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return false;
  const o = doc as Record<string, unknown>;
  return LIST_KEYS.some((k) => Array.isArray(o[k])) || Array.isArray(o.AccessKeyMetadata) || isCredentialReport(o);
}

/**
 * A document as IAM returned it: an object (CLI output), a JSON string, or a URL-encoded JSON
 * string (raw API). Decoded like `url.QueryUnescape`: `+` is a space, `%XX` a byte.
 */
export function decodeDocument(value: unknown, where: string): Document {
  if (value !== null && typeof value === "object") return value;
  if (typeof value !== "string")
    throw new SnapshotError(`${where}: expected a policy document (object or string), got ${JSON.stringify(value)}`);
  let text = value.trim();
  if (!text.startsWith("{")) {
    try {
      text = decodeURIComponent(text.replace(/\+/g, " "));
    } catch {
      throw new SnapshotError(`${where}: not a JSON document nor a URL-encoded one`);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new SnapshotError(`${where}: the policy document is not JSON (${(e as Error).message})`);
  }
}

/** One page as read from a file, before pages merge. */
interface Page {
  readonly file: string;
  readonly truncated: boolean;
  readonly users: UserDetail[];
  readonly groups: GroupDetail[];
  readonly roles: RoleDetail[];
  readonly policies: ManagedPolicyDetail[];
  readonly accessKeys: AccessKey[];
  readonly credentials?: CredentialRow[];
}

function list(o: Record<string, unknown>, key: string, where: string): Record<string, unknown>[] {
  const v = o[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new SnapshotError(`${where}: ${key} is not a list`);
  return v.map((x, i) => {
    if (x === null || typeof x !== "object" || Array.isArray(x)) throw new SnapshotError(`${where}: ${key}[${i}] is not an object`);
    return x as Record<string, unknown>;
  });
}

function str(o: Record<string, unknown>, key: string, where: string, fallback?: string): string {
  const v = o[key];
  if (typeof v === "string") return v;
  if (v === undefined && fallback !== undefined) return fallback;
  throw new SnapshotError(`${where}: ${key} is ${v === undefined ? "missing" : JSON.stringify(v)}; expected a string`);
}

function inline(o: Record<string, unknown>, key: string, where: string): InlinePolicy[] {
  return list(o, key, where).map((p, i) => {
    const at = `${where}.${key}[${i}]`;
    return { PolicyName: str(p, "PolicyName", at), PolicyDocument: decodeDocument(p.PolicyDocument, `${at}.PolicyDocument`) };
  });
}

function attached(o: Record<string, unknown>, where: string): AttachedPolicy[] {
  return list(o, "AttachedManagedPolicies", where).map((p, i) => ({
    PolicyName: typeof p.PolicyName === "string" ? p.PolicyName : undefined,
    PolicyArn: str(p, "PolicyArn", `${where}.AttachedManagedPolicies[${i}]`),
  }));
}

function boundary(o: Record<string, unknown>, where: string): { PermissionsBoundaryArn: string } | undefined {
  const b = o.PermissionsBoundary;
  if (b === undefined || b === null) return undefined;
  if (typeof b !== "object") throw new SnapshotError(`${where}.PermissionsBoundary is not an object`);
  return { PermissionsBoundaryArn: str(b as Record<string, unknown>, "PermissionsBoundaryArn", `${where}.PermissionsBoundary`) };
}

function tags(o: Record<string, unknown>, where: string): Tag[] {
  return list(o, "Tags", where).map((t, i) => ({
    Key: str(t, "Key", `${where}.Tags[${i}]`),
    Value: str(t, "Value", `${where}.Tags[${i}]`, ""),
  }));
}

/** Read one file's page; throws SnapshotError naming the file and the key. */
export function parsePage(doc: unknown, file: string): Page {
  if (!isSnapshotDocument(doc)) {
    throw new SnapshotError(
      `${file} is not an IAM snapshot: expected the JSON of \`aws iam get-account-authorization-details\` (UserDetailList, GroupDetailList, RoleDetailList, Policies), \`aws iam get-credential-report\` (Content, ReportFormat text/csv) or \`aws iam list-access-keys\` (AccessKeyMetadata)`,
    );
  }
  const o = doc as Record<string, unknown>;
  if (isCredentialReport(o)) {
    try {
      return {
        file,
        truncated: false,
        users: [],
        groups: [],
        roles: [],
        policies: [],
        accessKeys: [],
        credentials: parseCredentialReport(o, file),
      };
    } catch (e) {
      if (e instanceof CredentialReportError) throw new SnapshotError(e.message);
      throw e;
    }
  }
  const users = list(o, "UserDetailList", file).map((u, i): UserDetail => {
    const at = `${file}: UserDetailList[${i}]`;
    const groupList = u.GroupList === undefined ? [] : u.GroupList;
    if (!Array.isArray(groupList) || !groupList.every((g) => typeof g === "string"))
      throw new SnapshotError(`${at}.GroupList is not a list of group names`);
    return {
      Path: str(u, "Path", at, "/"),
      UserName: str(u, "UserName", at),
      UserId: typeof u.UserId === "string" ? u.UserId : undefined,
      Arn: str(u, "Arn", at),
      UserPolicyList: inline(u, "UserPolicyList", at),
      GroupList: groupList as string[],
      AttachedManagedPolicies: attached(u, at),
      PermissionsBoundary: boundary(u, at),
      Tags: tags(u, at),
    };
  });
  const groups = list(o, "GroupDetailList", file).map((g, i): GroupDetail => {
    const at = `${file}: GroupDetailList[${i}]`;
    return {
      Path: str(g, "Path", at, "/"),
      GroupName: str(g, "GroupName", at),
      GroupId: typeof g.GroupId === "string" ? g.GroupId : undefined,
      Arn: str(g, "Arn", at),
      GroupPolicyList: inline(g, "GroupPolicyList", at),
      AttachedManagedPolicies: attached(g, at),
    };
  });
  const roles = list(o, "RoleDetailList", file).map((r, i): RoleDetail => {
    const at = `${file}: RoleDetailList[${i}]`;
    return {
      Path: str(r, "Path", at, "/"),
      RoleName: str(r, "RoleName", at),
      RoleId: typeof r.RoleId === "string" ? r.RoleId : undefined,
      Arn: str(r, "Arn", at),
      AssumeRolePolicyDocument: decodeDocument(r.AssumeRolePolicyDocument, `${at}.AssumeRolePolicyDocument`),
      RolePolicyList: inline(r, "RolePolicyList", at),
      AttachedManagedPolicies: attached(r, at),
      PermissionsBoundary: boundary(r, at),
      Tags: tags(r, at),
    };
  });
  const policies = list(o, "Policies", file).map((p, i): ManagedPolicyDetail => {
    const at = `${file}: Policies[${i}]`;
    const versions = list(p, "PolicyVersionList", at);
    const defaultId = typeof p.DefaultVersionId === "string" ? p.DefaultVersionId : undefined;
    const v = versions.find((x) => x.IsDefaultVersion === true) ?? versions.find((x) => x.VersionId === defaultId);
    if (!v) throw new SnapshotError(`${at}: PolicyVersionList has no default version (IsDefaultVersion true)`);
    return {
      PolicyName: str(p, "PolicyName", at),
      Arn: str(p, "Arn", at),
      Path: str(p, "Path", at, "/"),
      ...(typeof p.Description === "string" ? { Description: p.Description } : {}),
      ...(defaultId ? { DefaultVersionId: defaultId } : {}),
      Document: decodeDocument(v.Document, `${at}.PolicyVersionList.Document`),
    };
  });
  const accessKeys = list(o, "AccessKeyMetadata", file).map((k, i): AccessKey => {
    const at = `${file}: AccessKeyMetadata[${i}]`;
    return {
      UserName: str(k, "UserName", at),
      AccessKeyId: str(k, "AccessKeyId", at),
      Status: typeof k.Status === "string" ? k.Status : undefined,
    };
  });
  return { file, truncated: o.IsTruncated === true, users, groups, roles, policies, accessKeys };
}

const ACCOUNT_OF_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):/;

/** The accounts a page's ARNs name (AWS managed policies, `arn:aws:iam::aws:...`, name none). */
function accountsOf(page: Page): Set<string> {
  const out = new Set<string>();
  for (const e of [
    ...page.users,
    ...page.groups,
    ...page.roles,
    ...page.policies,
    ...(page.credentials ?? []).map((c) => ({ Arn: c.arn })),
  ]) {
    const m = ACCOUNT_OF_ARN.exec(e.Arn);
    if (m) out.add(m[1]);
  }
  return out;
}

function byArn<T extends { readonly Arn: string }>(items: readonly T[]): T[] {
  return [...new Map(items.map((x) => [x.Arn, x])).values()];
}

/**
 * Merge the pages of one or more accounts into one snapshot per account. Every page but the last
 * of an account is truncated; a missing last page is an error (the audit would miss entities).
 */
export function mergePages(pages: readonly Page[]): AccountSnapshot[] {
  const byAccount = new Map<string, Page[]>();
  const keysOnly: Page[] = [];
  for (const page of pages) {
    const accounts = accountsOf(page);
    if (accounts.size > 1)
      throw new SnapshotError(
        `${page.file} holds entities of several accounts (${[...accounts].sort().join(", ")}); give one file per account`,
      );
    const [account] = [...accounts];
    if (account === undefined) {
      if (page.accessKeys.length > 0 || page.users.length + page.groups.length + page.roles.length + page.policies.length === 0) {
        keysOnly.push(page);
        continue;
      }
      throw new SnapshotError(`${page.file}: no entity names an account in its Arn`);
    }
    byAccount.set(account, [...(byAccount.get(account) ?? []), page]);
  }
  if (byAccount.size === 0)
    throw new SnapshotError(
      `${pages.map((p) => p.file).join(", ")}: no IAM entity names an account; give the output of \`aws iam get-account-authorization-details\``,
    );
  if (keysOnly.length > 0 && byAccount.size > 1) {
    throw new SnapshotError(
      `${keysOnly[0].file} names no account (list-access-keys output carries none), and the snapshots are of several accounts (${[...byAccount.keys()].join(", ")}); audit that account on its own`,
    );
  }
  const out: AccountSnapshot[] = [];
  for (const [account, accountPages] of byAccount) {
    const all = [...accountPages, ...keysOnly];
    const reports = all.filter((p) => p.credentials !== undefined);
    const detailPages = accountPages.filter((p) => p.credentials === undefined);
    if (detailPages.length === 0) {
      throw new SnapshotError(
        `${accountPages.map((p) => p.file).join(", ")}: only a credential report of account ${account}; give its \`aws iam get-account-authorization-details\` too`,
      );
    }
    const truncated = detailPages.filter((p) => p.truncated);
    if (truncated.length >= detailPages.length) {
      throw new SnapshotError(
        `the snapshot of account ${account} is incomplete: ${truncated.map((p) => p.file).join(", ")} ${truncated.length === 1 ? "says" : "say"} IsTruncated true, and no file holds the last page; pass every page (or run the command without --max-items/--no-paginate)`,
      );
    }
    out.push({
      account,
      files: all.map((p) => p.file),
      users: byArn(all.flatMap((p) => p.users)),
      groups: byArn(all.flatMap((p) => p.groups)),
      roles: byArn(all.flatMap((p) => p.roles)),
      policies: byArn(all.flatMap((p) => p.policies)).filter((p) => ACCOUNT_OF_ARN.test(p.Arn)),
      accessKeys: [...new Map(all.flatMap((p) => p.accessKeys).map((k) => [k.AccessKeyId, k])).values()],
      ...(reports.length > 0 ? { credentials: reports.flatMap((p) => p.credentials!) } : {}),
    });
  }
  return out.sort((a, b) => a.account.localeCompare(b.account));
}

/** Parse and merge snapshot files given as `[file, text]`. */
export function readSnapshots(files: readonly (readonly [string, string])[]): AccountSnapshot[] {
  const pages = files.map(([file, text]) => {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new SnapshotError(`${file} is not JSON (${(e as Error).message})`);
    }
    return parsePage(doc, file);
  });
  return mergePages(pages);
}

/** Roles AWS creates and manages itself: never ours to give a boundary. */
export type AwsManagedRoleKind = "service-linked" | "identity-center";

/**
 * Service-linked roles live under `/aws-service-role/` and only their service may change them;
 * IAM Identity Center's permission-set roles live under `/aws-reserved/sso.amazonaws.com/` (with a
 * region segment when the instance is not in us-east-1) and Identity Center rewrites them.
 */
export function awsManagedRoleKind(role: Pick<RoleDetail, "Path">): AwsManagedRoleKind | undefined {
  if (role.Path.startsWith("/aws-service-role/")) return "service-linked";
  if (role.Path.startsWith("/aws-reserved/sso.amazonaws.com/")) return "identity-center";
  return undefined;
}
