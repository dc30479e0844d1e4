/**
 * Requests as AWS would receive them: by a role session, a Jump user, or an AssumeRole caller, with
 * the full context (see context.ts), and the probe policies and resources the proof invents. Exported
 * for other catalogues to reuse.
 */
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
import type { AccessRequest, NamedPolicy, PolicySet, RequestContext } from "./evaluator";
import type { JumpUserModel, RoleModel } from "./access-model";
import { MFA_AGE_SECONDS, PROBE } from "./expectation";

export function accountOfArn(arn: string): string | undefined {
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

/** An identity policy that allows everything: what a group might be granted later. */
export function probeAllowEverything(): NamedPolicy {
  let p = probes.get("everything");
  if (!p) {
    p = {
      name: "probe: an identity policy allowing every action",
      document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
    };
    probes.set("everything", p);
  }
  return p;
}

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
