/**
 * An account snapshot as the resources a Pulumi program would register for it: the same type
 * tokens and property names the jump-account and target-account programs use (`aws:iam/role:Role`
 * with `assumeRolePolicy` and `permissionsBoundary`, `aws:iam/policy:Policy` with `policy`, group
 * memberships as `aws:iam/groupMembership:GroupMembership`, ...). The policy pack, the access proof
 * and the escalation catalogue read these exactly as they read a planned stack, so a live account
 * is judged by the same code as a planned one. Each resource keeps the ARN of the principal or
 * policy it stands for, which reports show where a stack's report shows a URN.
 */
import { userArn } from "@jumpenv/shared";
import type { RegisteredResource } from "../harness/mock-run";
import {
  awsManagedRoleKind,
  type AccountSnapshot,
  type AttachedPolicy,
  type AwsManagedRoleKind,
  type InlinePolicy,
  type Tag,
} from "./snapshot";

export interface SnapshotResource extends RegisteredResource {
  /** The principal's or policy's ARN: the entity itself, or the user, group or role that owns an attachment, inline policy or key. */
  readonly arn: string;
}

export interface AwsManagedRole {
  readonly arn: string;
  readonly kind: AwsManagedRoleKind;
  readonly boundaryArn?: string;
}

export interface SnapshotResources {
  readonly resources: readonly SnapshotResource[];
  /** Service-linked and Identity Center roles: AWS manages them, so they are reported apart (an Identity Center role's permission set is judged by the pack). */
  readonly awsManagedRoles: readonly AwsManagedRole[];
}

function tagMap(tags: readonly Tag[]): Record<string, string> {
  return Object.fromEntries(tags.map((t) => [t.Key, t.Value]));
}

/**
 * The resources of one account snapshot, with URNs in the given project and stack (the project
 * decides, for the pack, whether the account is a target account).
 */
export function snapshotResources(snapshot: AccountSnapshot, project: string, stack: string): SnapshotResources {
  const resources: SnapshotResource[] = [];
  const add = (type: string, name: string, arn: string, props: Record<string, unknown>): void => {
    resources.push({
      type,
      name,
      urn: `urn:pulumi:${stack}::${project}::${type}::${name}`,
      custom: true,
      props,
      options: { protect: false, dependsOn: [], ignoreChanges: [] },
      arn,
    });
  };
  const attachments = (kind: "user" | "group" | "role", owner: string, ownerArn: string, list: readonly AttachedPolicy[]): void => {
    const Kind = kind[0].toUpperCase() + kind.slice(1);
    for (const a of list) {
      add(`aws:iam/${kind}PolicyAttachment:${Kind}PolicyAttachment`, `${kind}/${owner}/${a.PolicyArn}`, ownerArn, {
        [kind]: owner,
        policyArn: a.PolicyArn,
      });
    }
  };
  const inlines = (kind: "user" | "group" | "role", owner: string, ownerArn: string, list: readonly InlinePolicy[]): void => {
    const Kind = kind[0].toUpperCase() + kind.slice(1);
    for (const p of list) {
      add(`aws:iam/${kind}Policy:${Kind}Policy`, `${kind}/${owner}/inline/${p.PolicyName}`, ownerArn, {
        [kind]: owner,
        name: p.PolicyName,
        policy: JSON.stringify(p.PolicyDocument),
      });
    }
  };

  for (const p of snapshot.policies) {
    add("aws:iam/policy:Policy", `policy${p.Path}${p.PolicyName}`, p.Arn, {
      name: p.PolicyName,
      path: p.Path,
      policy: JSON.stringify(p.Document),
      arn: p.Arn,
      ...(p.Description !== undefined ? { description: p.Description } : {}),
    });
  }
  for (const g of snapshot.groups) {
    add("aws:iam/group:Group", `group${g.Path}${g.GroupName}`, g.Arn, { name: g.GroupName, path: g.Path, arn: g.Arn });
    attachments("group", g.GroupName, g.Arn, g.AttachedManagedPolicies);
    inlines("group", g.GroupName, g.Arn, g.GroupPolicyList);
    const members = snapshot.users.filter((u) => u.GroupList.includes(g.GroupName)).map((u) => u.UserName);
    if (members.length > 0)
      add("aws:iam/groupMembership:GroupMembership", `group/${g.GroupName}/members`, g.Arn, { group: g.GroupName, users: members });
  }
  for (const u of snapshot.users) {
    add("aws:iam/user:User", `user${u.Path}${u.UserName}`, u.Arn, {
      name: u.UserName,
      path: u.Path,
      arn: u.Arn,
      tags: tagMap(u.Tags),
      ...(u.PermissionsBoundary ? { permissionsBoundary: u.PermissionsBoundary.PermissionsBoundaryArn } : {}),
    });
    attachments("user", u.UserName, u.Arn, u.AttachedManagedPolicies);
    inlines("user", u.UserName, u.Arn, u.UserPolicyList);
    for (const k of snapshot.accessKeys.filter((x) => x.UserName === u.UserName)) {
      add("aws:iam/accessKey:AccessKey", `user/${u.UserName}/access-key/${k.AccessKeyId}`, u.Arn, {
        user: u.UserName,
        status: k.Status ?? "Active",
      });
    }
  }
  // The credential report tells of console passwords and of keys list-access-keys did not list.
  for (const c of snapshot.credentials ?? []) {
    if (c.passwordEnabled) add("aws:iam/userLoginProfile:UserLoginProfile", `user/${c.user}/login-profile`, c.arn, { user: c.user });
    const listed = snapshot.accessKeys.filter((k) => k.UserName === c.user).length;
    for (let i = listed; i < c.activeAccessKeys; i++) {
      add("aws:iam/accessKey:AccessKey", `user/${c.user}/access-key-${i + 1}`, c.arn, { user: c.user, status: "Active" });
    }
  }
  for (const k of snapshot.accessKeys.filter((x) => !snapshot.users.some((u) => u.UserName === x.UserName))) {
    // A key of a user the snapshot does not list still tells of a user in this account.
    add("aws:iam/accessKey:AccessKey", `user/${k.UserName}/access-key/${k.AccessKeyId}`, userArn(snapshot.account, "/", k.UserName), {
      user: k.UserName,
      status: k.Status ?? "Active",
    });
  }
  // Identity Center writes its roles from a permission set, boundary included: each one stands
  // for its set, as the identity-center program registers it (the set, and its boundary
  // attachment tied to it by the set's ARN), so the pack judges the set it came from.
  const permissionSetOf = (roleName: string, roleArn: string, boundaryArn: string | undefined): void => {
    const set = /^AWSReservedSSO_(.+)_[0-9a-f]{16}$/.exec(roleName)?.[1] ?? roleName;
    add("aws:ssoadmin/permissionSet:PermissionSet", `permission-set/${roleName}`, roleArn, { name: set, arn: roleArn });
    if (!boundaryArn) return;
    const customer = /^arn:aws[a-z-]*:iam::\d{12}:policy(\/(?:.*\/)?)([^/]+)$/.exec(boundaryArn);
    add("aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment", `permission-set/${roleName}/boundary`, roleArn, {
      permissionSetArn: roleArn,
      permissionsBoundary: customer
        ? { customerManagedPolicyReference: { name: customer[2], path: customer[1] } }
        : { managedPolicyArn: boundaryArn },
    });
  };
  const awsManagedRoles: AwsManagedRole[] = [];
  for (const r of snapshot.roles) {
    const kind = awsManagedRoleKind(r);
    if (kind) {
      awsManagedRoles.push({
        arn: r.Arn,
        kind,
        ...(r.PermissionsBoundary ? { boundaryArn: r.PermissionsBoundary.PermissionsBoundaryArn } : {}),
      });
      if (kind === "identity-center") permissionSetOf(r.RoleName, r.Arn, r.PermissionsBoundary?.PermissionsBoundaryArn);
      continue;
    }
    add("aws:iam/role:Role", `role${r.Path}${r.RoleName}`, r.Arn, {
      name: r.RoleName,
      path: r.Path,
      assumeRolePolicy: JSON.stringify(r.AssumeRolePolicyDocument),
      arn: r.Arn,
      tags: tagMap(r.Tags),
      ...(r.PermissionsBoundary ? { permissionsBoundary: r.PermissionsBoundary.PermissionsBoundaryArn } : {}),
    });
    attachments("role", r.RoleName, r.Arn, r.AttachedManagedPolicies);
    inlines("role", r.RoleName, r.Arn, r.RolePolicyList);
  }
  return { resources, awsManagedRoles };
}
