/**
 * The access proof's expectations: the article's console verification, automated, and more.
 * Every expectation is derived from the planned environment (intent from config, documents from
 * the registered resources, see model.ts), so any `--env` gets its own proof.
 *
 * An expectation is one request with the verdict it must get:
 *
 *   { id, guarantee, subject, how, account, request, expected, deniedBy? }
 *
 * `expected` is `Allowed`, `Denied` (either kind), `ImplicitlyDenied` or `ExplicitlyDenied`;
 * `deniedBy` also requires that the denial comes from that kind of policy (e.g. `boundary`: for an
 * AdministratorAccess role only the boundary can deny; `resource`: only the trust policy stands
 * between an outsider that is allowed to call AssumeRole and the role).
 *
 * The request builders (`sessionRequest`, `userRequest`, `assumeRoleRequest`) and the probes
 * (`runInstancesTargets`, `createBucketTarget`) are exported for other catalogues to reuse.
 */
import { ADMINISTRATOR_ACCESS } from "./aws-managed";
import {
  permissionsBoundaryKey,
  principalOf,
  requestContext,
  type Caller,
  type Credentials,
  type RequestEnvironment,
  type RoleSessionCaller,
  type Target,
  type UserCaller,
} from "./context";
import type { AccessRequest, Decision, NamedPolicy, PolicyKind, PolicySet, RequestContext } from "./evaluator";
import type { AccessModel, JumpUserModel, RoleModel, TargetModel } from "./access-model";

export type Expected = Decision | "Denied";

export interface Expectation {
  /** Stable kebab-case id of the guarantee, the same for every subject. */
  readonly id: string;
  /** The guarantee, in words: `may not create IAM users (iam:CreateUser)`. */
  readonly guarantee: string;
  /** Who acts: `restricted-admin@sandbox` for a role session, `alice@jump` for a Jump user. */
  readonly subject: string;
  /** How the request is made, in words: `console, signed in with MFA`. */
  readonly how: string;
  /** The account the check is about (the target account, or the Jump account for self-service). */
  readonly account: string;
  readonly request: AccessRequest;
  readonly expected: Expected;
  /** When denied, the denial must come from this kind of policy. */
  readonly deniedBy?: PolicyKind;
  /** Known reasons the request cannot be modelled faithfully: the check fails with them. */
  readonly problems?: readonly string[];
  /** Set when the request is one of a sample: `checked` of the role's `of` users (intended users, or outsiders) are checked. */
  readonly sample?: { readonly checked: number; readonly of: number };
}

/** Names of the probe principals and resources the proof invents. */
export const PROBE = {
  user: "jump-proof-user",
  group: "jump-proof-group",
  role: "jump-proof-role",
  unboundedRole: "jump-proof-unbounded-role",
  outsider: "jump-proof-outsider",
  otherUser: "jump-proof-other-user",
  sessionName: "jump-proof-session",
} as const;

/** MFA ages the proof uses: a fresh sign-in, and a session obtained with MFA. */
export const MFA_AGE_SECONDS = 300;

export interface ProofOptions {
  /** The moment of every request (default: now). */
  readonly now?: Date;
  /** At most this many outsiders per role (default: all, or a sample, see below). Outsiders are taken in config order. */
  readonly outsidersPerRole?: number;
  /**
   * Past this many user-role pairs (Jump users x target roles), each role's trust is proven for a
   * sample of its users instead of every user (see `samplePositions`). Default 10,000: the cutoff
   * past which the jump stack stops exporting per-user outputs (docs/scale.md).
   */
  readonly sampleAbovePairs?: number;
  /** When sampling: how many of each role's intended users, and how many of its outsiders, are checked (default 8). */
  readonly usersPerRole?: number;
}

/** Defaults of the trust sampling (`ProofOptions.sampleAbovePairs`, `ProofOptions.usersPerRole`). */
export const TRUST_SAMPLING = { abovePairs: 10_000, usersPerRole: 8 } as const;

// ---------------------------------------------------------------------------------------------
// Request builders

function accountOfArn(arn: string): string | undefined {
  const p = arn.split(":");
  return p.length >= 6 && /^\d{12}$/.test(p[4]) ? p[4] : undefined;
}

/** A request by `caller` with `policies`, carrying the full context AWS would send. */
export function requestFor(
  caller: Caller,
  policies: PolicySet,
  action: string,
  target: Target,
  env: RequestEnvironment,
  serviceKeys: RequestContext = {},
): AccessRequest {
  return {
    principal: principalOf(caller),
    action,
    resource: target.resource,
    resourceAccount: target.account ?? accountOfArn(target.resource) ?? caller.account,
    context: requestContext(caller, action, target, env, serviceKeys),
    policies,
  };
}

/** A session of `role`, obtained with MFA, named after the first Jump user mapped to it. */
export function sessionOf(role: RoleModel, sessionName?: string): RoleSessionCaller {
  return {
    kind: "role-session",
    account: role.account,
    roleName: role.name,
    rolePath: role.path,
    sessionName: sessionName ?? role.intendedUsers[0] ?? PROBE.sessionName,
    tags: role.tags,
    mfaAgeSeconds: MFA_AGE_SECONDS,
  };
}

/** The policies that apply to a session of `role`: its identity policies, capped by its current boundary. */
export function sessionPolicies(role: RoleModel): PolicySet {
  return { identity: role.policies, ...(role.boundary ? { boundary: role.boundary } : {}) };
}

/** A request made by a session of `role`. `boundary` feeds `iam:PermissionsBoundary` (see context.ts). */
export async function sessionRequest(
  role: RoleModel,
  action: string,
  target: Target,
  env: RequestEnvironment,
  keys: RequestContext = {},
  boundary: { readonly passed?: string; readonly current?: string } = {},
): Promise<AccessRequest> {
  return requestFor(sessionOf(role), sessionPolicies(role), action, target, env, {
    ...(await permissionsBoundaryKey(action, boundary)),
    ...keys,
  });
}

export function userCaller(user: Pick<JumpUserModel, "account" | "name" | "path" | "tags">, credentials: Credentials): UserCaller {
  return { kind: "user", account: user.account, name: user.name, path: user.path, tags: user.tags, credentials };
}

/** A request made by a Jump user with their own policies (or `policies`, for a probe). */
export function userRequest(
  user: JumpUserModel,
  credentials: Credentials,
  action: string,
  target: Target,
  env: RequestEnvironment,
  policies?: PolicySet,
): AccessRequest {
  return requestFor(userCaller(user, credentials), policies ?? { identity: user.policies }, action, target, env);
}

/** `sts:AssumeRole` of `role` by `caller`: the caller's identity policies and the role's trust policy both decide. */
export function assumeRoleRequest(
  caller: Caller,
  identity: readonly NamedPolicy[],
  role: RoleModel,
  env: RequestEnvironment,
  sessionName?: string,
): AccessRequest {
  const name = sessionName ?? (caller.kind === "user" ? caller.name : caller.sessionName);
  return requestFor(
    caller,
    { identity, ...(role.trust ? { trust: role.trust } : {}) },
    "sts:AssumeRole",
    { resource: role.arn, account: role.account, tags: role.tags },
    env,
    {
      "sts:RoleSessionName": name,
    },
  );
}

/** An identity policy that allows AssumeRole of `roleArn`: what a principal could give itself in its own account. */
export function probeAllowAssume(roleArn: string): NamedPolicy {
  let p = probes.get(roleArn);
  if (!p) {
    // One object per role: the evaluator validates and checks a document object once.
    p = {
      name: "probe: an identity policy allowing sts:AssumeRole of the role",
      document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: roleArn }] },
    };
    probes.set(roleArn, p);
  }
  return p;
}
const probes = new Map<string, NamedPolicy>();

/** An identity policy that allows a user everything on their own identity: what a broader group policy might grant. */
export function probeAllowOwnIdentity(account: string): NamedPolicy {
  let p = probes.get(`own:${account}`);
  if (!p) {
    p = {
      name: "probe: an identity policy allowing iam:* on the user's own identity",
      document: {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "iam:*", Resource: `arn:aws:iam::${account}:user/\${aws:username}` }],
      },
    };
    probes.set(`own:${account}`, p);
  }
  return p;
}

/** `s3:CreateBucket` of a new bucket, with the keys S3 sends for a signed CLI request. */
export function createBucketTarget(account: string, region: string): { target: Target; keys: RequestContext } {
  return {
    target: { resource: `arn:aws:s3:::jump-proof-${account}-${region}`, account },
    keys: {
      "s3:authType": "REST-HEADER",
      "s3:signatureversion": "AWS4-HMAC-SHA256",
      "s3:signatureAge": "850",
      "s3:TlsVersion": "1.3",
      "s3:x-amz-content-sha256": "UNSIGNED-PAYLOAD",
      "s3:ResourceAccount": account,
      ...(region !== "us-east-1" ? { "s3:locationconstraint": region } : {}),
    },
  };
}

/**
 * `ec2:RunInstances` is authorised once per resource it touches: the new instance, its image, its
 * network interface, security group, subnet and root volume. Each gets its own request. The
 * image is modelled as one the account owns: a public Amazon image is shared through a launch
 * permission the evaluator cannot model.
 */
export function runInstancesTargets(
  account: string,
  region: string,
): { readonly kind: string; readonly target: Target; readonly keys: RequestContext }[] {
  const az = `${region}a`;
  const vpc = `arn:aws:ec2:${region}:${account}:vpc/vpc-0123456789abcdef0`;
  const subnet = `arn:aws:ec2:${region}:${account}:subnet/subnet-0123456789abcdef0`;
  const common = { "ec2:Region": region, "ec2:IsLaunchTemplateResource": "false" };
  return [
    {
      kind: "instance",
      target: { resource: `arn:aws:ec2:${region}:${account}:instance/i-0123456789abcdef0` },
      keys: {
        ...common,
        "ec2:InstanceType": "t3.micro",
        "ec2:Tenancy": "default",
        "ec2:RootDeviceType": "ebs",
        "ec2:AvailabilityZone": az,
        "ec2:EbsOptimized": "false",
        "ec2:InstanceMarketType": "on-demand",
        "ec2:MetadataHttpTokens": "required",
        "ec2:MetadataHttpEndpoint": "enabled",
        "ec2:MetadataHttpPutResponseHopLimit": "2",
        "ec2:InstanceMetadataTags": "disabled",
      },
    },
    {
      kind: "image",
      target: { resource: `arn:aws:ec2:${region}::image/ami-0123456789abcdef0`, account },
      keys: {
        ...common,
        "ec2:ImageID": "ami-0123456789abcdef0",
        "ec2:ImageType": "machine",
        "ec2:Owner": account,
        "ec2:Public": "false",
        "ec2:RootDeviceType": "ebs",
      },
    },
    {
      kind: "network-interface",
      target: { resource: `arn:aws:ec2:${region}:${account}:network-interface/eni-0123456789abcdef0` },
      keys: { ...common, "ec2:Subnet": subnet, "ec2:Vpc": vpc, "ec2:AvailabilityZone": az, "ec2:AssociatePublicIpAddress": "false" },
    },
    {
      kind: "security-group",
      target: { resource: `arn:aws:ec2:${region}:${account}:security-group/sg-0123456789abcdef0` },
      keys: { ...common, "ec2:SecurityGroupID": "sg-0123456789abcdef0", "ec2:Vpc": vpc },
    },
    {
      kind: "subnet",
      target: { resource: subnet },
      keys: { ...common, "ec2:SubnetID": "subnet-0123456789abcdef0", "ec2:Vpc": vpc, "ec2:AvailabilityZone": az },
    },
    {
      kind: "volume",
      target: { resource: `arn:aws:ec2:${region}:${account}:volume/vol-0123456789abcdef0` },
      keys: {
        ...common,
        "ec2:VolumeSize": "8",
        "ec2:VolumeType": "gp3",
        "ec2:Encrypted": "true",
        "ec2:VolumeIops": "3000",
        "ec2:VolumeThroughput": "125",
        "ec2:AvailabilityZone": az,
      },
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// The proof's expectations

/** The guarantee behind each expectation id, for reports that group requests by guarantee. */
export const GUARANTEES: Readonly<Record<string, string>> = {
  "session-no-create-user": "may not create IAM users",
  "session-no-create-group": "may not create IAM groups",
  "session-no-create-role-without-boundary": "may not create a role without the boundary",
  "session-no-create-role-with-other-boundary": "may not create a role with another boundary",
  "session-no-remove-own-boundary": "may not remove the boundary from its own role",
  "session-no-remove-boundary": "may not remove the boundary from a bounded role",
  "session-no-swap-boundary": "may not replace a role's boundary with another",
  "session-no-grant-unbounded-role": "may not attach policies to a role without the boundary",
  "session-no-edit-boundary": "may not edit or delete the boundary policy",
  "session-create-role-with-boundary": "may create a role that carries the boundary",
  "session-grant-bounded-role": "may attach policies to a role that carries the boundary",
  "session-ordinary-work": "may do ordinary work (s3:CreateBucket, ec2:RunInstances)",
  "session-no-write": "may not write (its policies are read-only)",
  "session-read": "may read (ec2:DescribeInstances, s3:ListAllMyBuckets)",
  "trust-mapped-user-with-mfa": "its Jump users may assume it with MFA (console, CLI)",
  "trust-no-assume-without-mfa": "its Jump users may not assume it without MFA (console, access key)",
  "trust-no-assume-with-old-mfa": "its Jump users may not assume it when their MFA is too old",
  "trust-no-outsider": "Jump users outside its groups may not assume it",
  "trust-no-other-account": "a principal of another account may not assume it",
  "self-change-password": "may change their own password without MFA",
  "self-read-password-policy": "may read the password policy without MFA",
  "self-enable-mfa": "may set up their own MFA without MFA",
  "self-no-touch-other-mfa": "may not touch another user's MFA",
  "self-no-remove-own-mfa-without-mfa": "may not remove their own MFA without MFA",
  "self-manage-own-mfa-with-mfa": "may manage their own MFA once signed in with MFA",
  "self-no-access-keys": "may not create access keys",
  "self-mfa-gate": "without MFA, nothing more on their identity, whatever else allows it",
};

/** An account id that is none of the environment's. */
export function foreignAccount(model: Pick<AccessModel, "accounts">): string {
  const used = new Set(model.accounts);
  for (let n = 999988887777; ; n--) if (!used.has(String(n))) return String(n);
}

const HOW_SESSION = "role session obtained with MFA";

/** What a session of each target role may and may not do. */
export async function sessionExpectations(target: TargetModel, role: RoleModel, env: RequestEnvironment): Promise<Expectation[]> {
  const out: Expectation[] = [];
  const T = target.account;
  const B = target.intendedBoundaryArn;
  const subject = `${role.name}@${target.name}`;
  const guardBy: PolicyKind | undefined = role.capability === "admin" ? "boundary" : undefined;
  const problems = role.problems;
  const add = (id: string, guarantee: string, request: AccessRequest, expected: Expected, deniedBy?: PolicyKind) =>
    out.push({
      id,
      guarantee,
      subject,
      how: HOW_SESSION,
      account: T,
      request,
      expected,
      ...(deniedBy && expected !== "Allowed" ? { deniedBy } : {}),
      ...(problems.length ? { problems } : {}),
    });
  const iam = (kind: string, name: string, path = "/") => `arn:aws:iam::${T}:${kind}${path}${name}`;
  const delegatedRole = iam("role", PROBE.role, target.config.delegatedPath);
  const unboundedRole = iam("role", PROBE.unboundedRole);

  // The boundary's guards: they hold for every role, whatever its policies.
  add(
    "session-no-create-user",
    "may not create IAM users (iam:CreateUser)",
    await sessionRequest(role, "iam:CreateUser", { resource: iam("user", PROBE.user) }, env),
    "Denied",
    guardBy,
  );
  add(
    "session-no-create-group",
    "may not create IAM groups (iam:CreateGroup)",
    await sessionRequest(role, "iam:CreateGroup", { resource: iam("group", PROBE.group) }, env),
    "Denied",
    guardBy,
  );
  add(
    "session-no-create-role-without-boundary",
    "may not create a role without the boundary",
    await sessionRequest(role, "iam:CreateRole", { resource: delegatedRole }, env),
    "Denied",
    guardBy,
  );
  add(
    "session-no-create-role-with-other-boundary",
    "may not create a role with another boundary (AdministratorAccess)",
    await sessionRequest(role, "iam:CreateRole", { resource: delegatedRole }, env, {}, { passed: ADMINISTRATOR_ACCESS }),
    "Denied",
    guardBy,
  );
  add(
    "session-no-remove-own-boundary",
    "may not remove the boundary from its own role (iam:DeleteRolePermissionsBoundary)",
    await sessionRequest(
      role,
      "iam:DeleteRolePermissionsBoundary",
      { resource: role.arn, tags: role.tags },
      env,
      {},
      { current: role.boundaryArn },
    ),
    "Denied",
    guardBy,
  );
  add(
    "session-no-remove-boundary",
    "may not remove the boundary from a bounded role (iam:DeleteRolePermissionsBoundary)",
    await sessionRequest(role, "iam:DeleteRolePermissionsBoundary", { resource: delegatedRole, tags: {} }, env, {}, { current: B }),
    "Denied",
    guardBy,
  );
  add(
    "session-no-swap-boundary",
    "may not replace a role's boundary with another (iam:PutRolePermissionsBoundary)",
    await sessionRequest(
      role,
      "iam:PutRolePermissionsBoundary",
      { resource: delegatedRole, tags: {} },
      env,
      {},
      { passed: ADMINISTRATOR_ACCESS, current: B },
    ),
    "Denied",
    guardBy,
  );
  add(
    "session-no-grant-unbounded-role",
    "may not attach policies to a role without the boundary (iam:AttachRolePolicy)",
    await sessionRequest(
      role,
      "iam:AttachRolePolicy",
      { resource: unboundedRole, tags: {} },
      env,
      { "iam:PolicyARN": ADMINISTRATOR_ACCESS },
      {},
    ),
    "Denied",
    guardBy,
  );
  for (const action of ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"]) {
    add(
      `session-no-edit-boundary`,
      `may not edit or delete the boundary policy (${action})`,
      await sessionRequest(role, action, { resource: B, tags: target.boundaryTags }, env),
      "Denied",
      guardBy,
    );
  }

  // Delegated and ordinary work: what the role's configured policies are for. An
  // AdministratorAccess role must keep every legitimate task; a read-only role must not write.
  if (role.capability !== "custom") {
    const admin = role.capability === "admin";
    const write = (id: string, guarantee: string) =>
      admin
        ? { id, guarantee: `may ${guarantee}`, expected: "Allowed" as Expected }
        : { id: "session-no-write", guarantee: `may not ${guarantee} (read-only policies)`, expected: "Denied" as Expected };
    const w1 = write("session-create-role-with-boundary", "create a role that carries the boundary (iam:CreateRole)");
    add(
      w1.id,
      w1.guarantee,
      await sessionRequest(role, "iam:CreateRole", { resource: delegatedRole }, env, {}, { passed: B }),
      w1.expected,
    );
    const w2 = write("session-grant-bounded-role", "attach policies to a role that carries the boundary (iam:AttachRolePolicy)");
    add(
      w2.id,
      w2.guarantee,
      await sessionRequest(
        role,
        "iam:AttachRolePolicy",
        { resource: delegatedRole, tags: {} },
        env,
        { "iam:PolicyARN": ADMINISTRATOR_ACCESS },
        { current: B },
      ),
      w2.expected,
    );
    const bucket = createBucketTarget(T, target.region);
    const w3 = write("session-ordinary-work", "do ordinary work: s3:CreateBucket");
    add(w3.id, w3.guarantee, await sessionRequest(role, "s3:CreateBucket", bucket.target, env, bucket.keys), w3.expected);
    for (const r of runInstancesTargets(T, target.region)) {
      const w = write("session-ordinary-work", `do ordinary work: ec2:RunInstances (${r.kind})`);
      add(w.id, w.guarantee, await sessionRequest(role, "ec2:RunInstances", r.target, env, r.keys), w.expected);
    }
    add(
      "session-read",
      "may read: ec2:DescribeInstances",
      await sessionRequest(role, "ec2:DescribeInstances", { resource: "*" }, env, { "ec2:Region": target.region }),
      "Allowed",
    );
    const { "s3:locationconstraint": _unused, ...s3Keys } = bucket.keys;
    add(
      "session-read",
      "may read: s3:ListAllMyBuckets",
      await sessionRequest(role, "s3:ListAllMyBuckets", { resource: "*" }, env, s3Keys),
      "Allowed",
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Sampling: at 1,000 users x 2,000 roles, checking every user against every role is millions of
// requests. Past `sampleAbovePairs` user-role pairs, each role's trust is checked for a bounded,
// deterministic sample of its intended users and of its outsiders; every role's session checks
// and every user's self-service checks still run in full.

/**
 * `k` of `n` positions (0 ... n - 1), deterministic: the first, the last, and k - 2 spread evenly
 * between them, one in each of k - 2 equal stretches. `rotation` moves the pick inside each
 * stretch, so roles with different rotations (the proof uses the target's index) check different
 * users, and over enough targets every user. Every position when n <= k.
 */
export function samplePositions(n: number, k: number, rotation = 0): number[] {
  if (n <= k) return Array.from({ length: n }, (_, i) => i);
  if (k <= 0) return [];
  if (k === 1) return [0];
  const inner = k - 2;
  // n > k, so each stretch of the n - 2 middle positions holds at least one.
  const stretch = (n - 2) / inner;
  const out = [0];
  for (let j = 0; j < inner; j++) {
    const from = 1 + Math.floor(j * stretch);
    const width = 1 + Math.floor((j + 1) * stretch) - from;
    out.push(from + (((rotation % width) + width) % width));
  }
  out.push(n - 1);
  return out;
}

/** Whether the proof samples: the environment's user-role pairs, past the threshold. */
export interface TrustSampling {
  /** Jump users x target roles. */
  readonly pairs: number;
  readonly users: number;
  readonly roles: number;
  /** The threshold it is past. */
  readonly abovePairs: number;
  /** Intended users, and outsiders, checked per role. */
  readonly usersPerRole: number;
}

/** The sampling that applies to a model, or undefined when every user is checked against every role. */
export function trustSampling(model: Pick<AccessModel, "jump" | "targets">, opts: ProofOptions = {}): TrustSampling | undefined {
  const abovePairs = opts.sampleAbovePairs ?? TRUST_SAMPLING.abovePairs;
  const users = model.jump.users.length;
  const roles = model.targets.reduce((n, t) => n + t.roles.length, 0);
  const pairs = users * roles;
  return pairs > abovePairs
    ? { pairs, users, roles, abovePairs, usersPerRole: opts.usersPerRole ?? TRUST_SAMPLING.usersPerRole }
    : undefined;
}

/** The users a role's trust is checked for: its intended users and its outsiders, each with how many there are. */
export interface RoleSample {
  readonly intended: readonly JumpUserModel[];
  readonly intendedOf: number;
  readonly outsiders: readonly JumpUserModel[];
  readonly outsidersOf: number;
}

const usersByName = new WeakMap<readonly JumpUserModel[], ReadonlyMap<string, JumpUserModel>>();

/**
 * The users `role`'s trust is checked for. Without sampling: every intended user and every
 * outsider (the first `outsidersPerRole` outsiders in config order, when given). With sampling:
 * `samplePositions` of each list, in config order, rotated by `rotation`.
 */
export function roleSample(
  model: Pick<AccessModel, "jump">,
  role: RoleModel,
  opts: ProofOptions = {},
  sampling?: TrustSampling,
  rotation = 0,
): RoleSample {
  const intendedNames = new Set(role.intendedUsers);
  let byName = usersByName.get(model.jump.users);
  if (!byName) usersByName.set(model.jump.users, (byName = new Map(model.jump.users.map((u) => [u.name, u]))));
  const intended = role.intendedUsers.map((name) => byName.get(name)!);
  const outsiders = model.jump.users.filter((u) => !intendedNames.has(u.name));
  const pick = <T>(list: readonly T[]): readonly T[] =>
    sampling ? samplePositions(list.length, sampling.usersPerRole, rotation).map((i) => list[i]) : list;
  return {
    intended: pick(intended),
    intendedOf: intended.length,
    outsiders: opts.outsidersPerRole !== undefined ? outsiders.slice(0, opts.outsidersPerRole) : pick(outsiders),
    outsidersOf: outsiders.length,
  };
}

/** Who may switch into each role: the mapped Jump users with MFA, and nobody else. */
export function trustExpectations(
  model: AccessModel,
  target: TargetModel,
  role: RoleModel,
  env: RequestEnvironment,
  opts: ProofOptions = {},
  sample: RoleSample = roleSample(model, role, opts),
): Expectation[] {
  const out: Expectation[] = [];
  const subject = `${role.name}@${target.name}`;
  const maxAge = role.settings.mfaMaxAgeSeconds;
  const freshAge = maxAge !== undefined ? Math.min(MFA_AGE_SECONDS, maxAge - 1) : MFA_AGE_SECONDS;
  let sampled: Expectation["sample"];
  const add = (
    id: string,
    guarantee: string,
    how: string,
    request: AccessRequest,
    expected: Expected,
    deniedBy?: PolicyKind,
    problems: readonly string[] = [],
  ) => {
    const all = [...role.problems, ...problems];
    out.push({
      id,
      guarantee,
      subject,
      how,
      account: target.account,
      request,
      expected,
      ...(deniedBy ? { deniedBy } : {}),
      ...(all.length ? { problems: all } : {}),
      ...(sampled ? { sample: sampled } : {}),
    });
  };

  sampled = sample.intended.length < sample.intendedOf ? { checked: sample.intended.length, of: sample.intendedOf } : undefined;
  for (const u of sample.intended) {
    const name = u.name;
    const as = (c: Credentials) => assumeRoleRequest(userCaller(u, c), u.policies, role, env);
    add(
      "trust-mapped-user-with-mfa",
      `${name} may assume the role with MFA`,
      "console, signed in with MFA",
      as({ kind: "console", mfaAgeSeconds: freshAge }),
      "Allowed",
      undefined,
      u.problems,
    );
    add(
      "trust-mapped-user-with-mfa",
      `${name} may assume the role with MFA`,
      "access key with an MFA code (CLI profile with mfa_serial)",
      as({ kind: "access-key-with-mfa-code", mfaAgeSeconds: 0 }),
      "Allowed",
      undefined,
      u.problems,
    );
    add(
      "trust-no-assume-without-mfa",
      `${name} may not assume the role without MFA`,
      "console, signed in without MFA",
      as({ kind: "console" }),
      "Denied",
      "resource",
      u.problems,
    );
    add(
      "trust-no-assume-without-mfa",
      `${name} may not assume the role without MFA`,
      "long-term access key, no MFA",
      as({ kind: "access-key" }),
      "Denied",
      "resource",
      u.problems,
    );
    if (maxAge !== undefined) {
      add(
        "trust-no-assume-with-old-mfa",
        `${name} may not assume the role with MFA older than ${maxAge} s`,
        `console, MFA ${maxAge + 60} s ago`,
        as({ kind: "console", mfaAgeSeconds: maxAge + 60 }),
        "Denied",
        "resource",
        u.problems,
      );
    }
  }

  const outsiders = sample.outsiders;
  sampled = outsiders.length < sample.outsidersOf ? { checked: outsiders.length, of: sample.outsidersOf } : undefined;
  const mfa: Credentials = { kind: "console", mfaAgeSeconds: freshAge };
  for (const o of outsiders) {
    add(
      "trust-no-outsider",
      `${o.name} (not in a mapped group) may not assume the role`,
      "console, signed in with MFA",
      assumeRoleRequest(userCaller(o, mfa), o.policies, role, env),
      "Denied",
      undefined,
      o.problems,
    );
    add(
      "trust-no-outsider",
      `${o.name} (not in a mapped group) may not assume the role, even if their own policies allowed it`,
      "console, signed in with MFA",
      assumeRoleRequest(userCaller(o, mfa), [probeAllowAssume(role.arn)], role, env),
      "Denied",
      "resource",
    );
  }
  sampled = undefined;
  if (outsiders.length === 0) {
    // Everyone is mapped: a new Jump user in no mapped group stands in for the outsider.
    const probe = { account: model.jump.account, name: PROBE.outsider, path: "/", tags: {} };
    add(
      "trust-no-outsider",
      `a Jump user in no mapped group (${PROBE.outsider}) may not assume the role, even if their own policies allowed it`,
      "console, signed in with MFA",
      assumeRoleRequest(userCaller(probe, mfa), [probeAllowAssume(role.arn)], role, env),
      "Denied",
      "resource",
    );
  }

  const foreign = foreignAccount(model);
  const namesake = role.intendedUsers[0] ?? PROBE.outsider;
  const stranger = { account: foreign, name: namesake, path: "/", tags: {} };
  add(
    "trust-no-other-account",
    `a principal of another account (${foreign}, user ${namesake}) may not assume the role`,
    "console, signed in with MFA",
    assumeRoleRequest(userCaller(stranger, mfa), [probeAllowAssume(role.arn)], role, env),
    "Denied",
    "resource",
  );
  return out;
}

/** What a Jump user may do on their own identity before and after signing in with MFA. */
export function selfServiceExpectations(model: AccessModel, user: JumpUserModel, env: RequestEnvironment): Expectation[] {
  const out: Expectation[] = [];
  const J = model.jump.account;
  const subject = `${user.name}@jump`;
  const other = model.jump.users.find((u) => u.name !== user.name)?.name ?? PROBE.otherUser;
  const own = { user: `arn:aws:iam::${J}:user${user.path}${user.name}`, mfa: `arn:aws:iam::${J}:mfa/${user.name}` };
  const theirs = {
    user: `arn:aws:iam::${J}:user${model.jump.users.find((u) => u.name === other)?.path ?? "/"}${other}`,
    mfa: `arn:aws:iam::${J}:mfa/${other}`,
  };
  const noMfa: Credentials = { kind: "console" };
  const withMfa: Credentials = { kind: "console", mfaAgeSeconds: MFA_AGE_SECONDS };
  const key: Credentials = { kind: "access-key" };
  const HOW: Record<string, string> = {
    console: "console, signed in without MFA",
    mfa: "console, signed in with MFA",
    key: "long-term access key, no MFA",
  };
  const add = (
    id: string,
    guarantee: string,
    how: string,
    c: Credentials,
    action: string,
    resource: string,
    expected: Expected,
    deniedBy?: PolicyKind,
  ) =>
    out.push({
      id,
      guarantee,
      subject,
      how,
      account: J,
      request: userRequest(user, c, action, { resource, account: J }, env),
      expected,
      ...(deniedBy ? { deniedBy } : {}),
      ...(user.problems.length ? { problems: user.problems } : {}),
    });

  add(
    "self-change-password",
    "may change their own password without MFA (iam:ChangePassword)",
    HOW.console,
    noMfa,
    "iam:ChangePassword",
    own.user,
    "Allowed",
  );
  add(
    "self-read-password-policy",
    "may read the password policy without MFA (iam:GetAccountPasswordPolicy)",
    HOW.console,
    noMfa,
    "iam:GetAccountPasswordPolicy",
    "*",
    "Allowed",
  );
  add(
    "self-enable-mfa",
    "may create their own virtual MFA device without MFA (iam:CreateVirtualMFADevice)",
    HOW.console,
    noMfa,
    "iam:CreateVirtualMFADevice",
    own.mfa,
    "Allowed",
  );
  add(
    "self-enable-mfa",
    "may enable their own MFA device without MFA (iam:EnableMFADevice)",
    HOW.console,
    noMfa,
    "iam:EnableMFADevice",
    own.user,
    "Allowed",
  );
  add(
    "self-enable-mfa",
    "may list their own MFA devices without MFA (iam:ListMFADevices)",
    HOW.console,
    noMfa,
    "iam:ListMFADevices",
    own.user,
    "Allowed",
  );
  add(
    "self-no-touch-other-mfa",
    `may not create an MFA device for ${other} (iam:CreateVirtualMFADevice)`,
    HOW.console,
    noMfa,
    "iam:CreateVirtualMFADevice",
    theirs.mfa,
    "Denied",
  );
  add(
    "self-no-touch-other-mfa",
    `may not enable an MFA device on ${other} (iam:EnableMFADevice)`,
    HOW.console,
    noMfa,
    "iam:EnableMFADevice",
    theirs.user,
    "Denied",
  );
  add(
    "self-no-touch-other-mfa",
    `may not deactivate ${other}'s MFA device, even with MFA (iam:DeactivateMFADevice)`,
    HOW.mfa,
    withMfa,
    "iam:DeactivateMFADevice",
    theirs.user,
    "Denied",
  );
  add(
    "self-no-touch-other-mfa",
    `may not delete ${other}'s virtual MFA device, even with MFA (iam:DeleteVirtualMFADevice)`,
    HOW.mfa,
    withMfa,
    "iam:DeleteVirtualMFADevice",
    theirs.mfa,
    "Denied",
  );
  add(
    "self-no-remove-own-mfa-without-mfa",
    "may not deactivate their own MFA device without MFA (iam:DeactivateMFADevice)",
    HOW.console,
    noMfa,
    "iam:DeactivateMFADevice",
    own.user,
    "Denied",
  );
  add(
    "self-manage-own-mfa-with-mfa",
    "may deactivate their own MFA device once signed in with MFA (iam:DeactivateMFADevice)",
    HOW.mfa,
    withMfa,
    "iam:DeactivateMFADevice",
    own.user,
    "Allowed",
  );
  add(
    "self-no-access-keys",
    "may not create access keys (iam:CreateAccessKey)",
    HOW.console,
    noMfa,
    "iam:CreateAccessKey",
    own.user,
    "Denied",
  );
  add("self-no-access-keys", "may not create access keys (iam:CreateAccessKey)", HOW.key, key, "iam:CreateAccessKey", own.user, "Denied");
  add(
    "self-no-access-keys",
    "may not create access keys (iam:CreateAccessKey)",
    HOW.mfa,
    withMfa,
    "iam:CreateAccessKey",
    own.user,
    "Denied",
  );

  // The MFA gate itself: without MFA, nothing else on their own identity, even when another of
  // their policies grants it (the self-service policy's Deny must decide, not a missing Allow).
  const granted = { identity: [...user.policies, probeAllowOwnIdentity(J)] };
  for (const [how, c] of [
    [HOW.console, noMfa],
    [HOW.key, key],
  ] as const) {
    out.push({
      id: "self-mfa-gate",
      guarantee: "may not create access keys without MFA, even if another of their policies allowed it",
      subject,
      how,
      account: J,
      request: userRequest(user, c, "iam:CreateAccessKey", { resource: own.user, account: J }, env, granted),
      expected: "ExplicitlyDenied",
      deniedBy: "identity",
      ...(user.problems.length ? { problems: user.problems } : {}),
    });
  }
  return out;
}

/**
 * The proof's expectations, one batch per target role (its session, then its trust) and one per
 * Jump user (self-service), in the order `accessExpectations` returns them: a caller can evaluate
 * each batch and let it go.
 */
export async function* expectationBatches(model: AccessModel, opts: ProofOptions = {}): AsyncGenerator<Expectation[]> {
  const now = opts.now ?? new Date(Math.floor(Date.now() / 1000) * 1000);
  const sampling = trustSampling(model, opts);
  for (const [index, t] of model.targets.entries()) {
    const env: RequestEnvironment = { now, region: t.region };
    for (const r of t.roles) {
      const batch = await sessionExpectations(t, r, env);
      for (const e of trustExpectations(model, t, r, env, opts, roleSample(model, r, opts, sampling, index))) batch.push(e);
      yield batch;
    }
  }
  const jumpEnv: RequestEnvironment = { now, region: model.jump.region };
  for (const u of model.jump.users) yield selfServiceExpectations(model, u, jumpEnv);
}

/** Every expectation of the proof, for every target account and role and every Jump user. */
export async function accessExpectations(model: AccessModel, opts: ProofOptions = {}): Promise<Expectation[]> {
  const out: Expectation[] = [];
  for await (const batch of expectationBatches(model, opts)) for (const e of batch) out.push(e);
  return out;
}

/** What a sampled proof checked: per role, and across roles how many distinct users. */
export interface SamplingSummary extends TrustSampling {
  /** Distinct users checked as an intended user of some role, of the users intended for any role. */
  readonly intended: { readonly checked: number; readonly of: number };
  /** Distinct users checked as an outsider of some role, of the users that are an outsider of any role. */
  readonly outsiders: { readonly checked: number; readonly of: number };
}

/** The sampling `expectationBatches` applies to a model, with its coverage; undefined when it leaves no user of any role out. */
export function trustSamplingSummary(model: AccessModel, opts: ProofOptions = {}): SamplingSummary | undefined {
  const sampling = trustSampling(model, opts);
  if (!sampling) return undefined;
  const checked = { intended: new Set<string>(), outsiders: new Set<string>() };
  // How many roles intend each user: a user is an outsider of some role unless every role intends them.
  const intendedBy = new Map<string, number>();
  let cut = false;
  model.targets.forEach((t, index) => {
    for (const r of t.roles) {
      for (const name of r.intendedUsers) intendedBy.set(name, (intendedBy.get(name) ?? 0) + 1);
      const s = roleSample(model, r, opts, sampling, index);
      for (const u of s.intended) checked.intended.add(u.name);
      for (const u of s.outsiders) checked.outsiders.add(u.name);
      cut ||= s.intended.length < s.intendedOf || s.outsiders.length < s.outsidersOf;
    }
  });
  // Many roles but few users each: the sample is every user, and nothing was left out.
  if (!cut) return undefined;
  const outsidersOf = model.jump.users.filter((u) => (intendedBy.get(u.name) ?? 0) < sampling.roles).length;
  return {
    ...sampling,
    intended: { checked: checked.intended.size, of: intendedBy.size },
    outsiders: { checked: checked.outsiders.size, of: outsidersOf },
  };
}
