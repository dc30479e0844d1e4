/**
 * What `aws iam get-account-authorization-details` would print for an account once a planned
 * stack is deployed: every user, group, role and customer managed policy the program registered,
 * in AWS's shape. Documents come decoded (AWS CLI v2) or URL-encoded (the raw API), and the output
 * can be cut into pages as `--max-items` cuts it. The tests build the committed examples' snapshots
 * with it, so a snapshot audit is proven against exactly what the programs would create.
 */
import { groupArn, policyArn, roleArn, userArn } from "@jumpenv/shared";
import type { RegisteredResource, StackRun } from "../harness/mock-run";

export interface SerialiseOptions {
  readonly account: string;
  /** `url`: each document as the raw API returns it, a URL-encoded JSON string. */
  readonly documents?: "decoded" | "url";
}

const CREATED = "2026-01-15T09:00:00+00:00";

function ofType(run: StackRun, type: string): RegisteredResource[] {
  return run.resources.filter((r) => r.type === type);
}

function s(v: unknown): string {
  return String(v);
}

/** RFC 3986 encoding of a JSON document, as IAM returns it from the API. */
export function urlEncodeDocument(doc: unknown): string {
  return encodeURIComponent(JSON.stringify(doc)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function tagList(props: Record<string, unknown>): { Key: string; Value: string }[] {
  const t = props.tags;
  return t !== null && typeof t === "object"
    ? Object.entries(t as Record<string, unknown>).map(([Key, Value]) => ({ Key, Value: s(Value) }))
    : [];
}

/** The account's snapshot, as one page. */
export function snapshotOfRun(run: StackRun, opts: SerialiseOptions): Record<string, unknown> {
  const doc = (text: unknown) => {
    const parsed = JSON.parse(s(text)) as unknown;
    return opts.documents === "url" ? urlEncodeDocument(parsed) : parsed;
  };
  const a = opts.account;
  const path = (r: RegisteredResource) => (typeof r.props.path === "string" ? r.props.path : "/");
  const attachments = (kind: "user" | "group" | "role", name: string) => {
    const Kind = kind[0].toUpperCase() + kind.slice(1);
    return ofType(run, `aws:iam/${kind}PolicyAttachment:${Kind}PolicyAttachment`)
      .filter((x) => x.props[kind] === name)
      .map((x) => ({ PolicyName: s(x.props.policyArn).split("/").pop(), PolicyArn: s(x.props.policyArn) }));
  };
  const groupsOf = (user: string) => [
    ...ofType(run, "aws:iam/groupMembership:GroupMembership")
      .filter((m) => Array.isArray(m.props.users) && (m.props.users as unknown[]).includes(user))
      .map((m) => s(m.props.group)),
  ];
  const policies = ofType(run, "aws:iam/policy:Policy");
  return {
    UserDetailList: ofType(run, "aws:iam/user:User").map((u) => ({
      Path: path(u),
      UserName: s(u.props.name),
      UserId: `AIDA${s(u.props.name)
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, "")}`,
      Arn: userArn(a, path(u), s(u.props.name)),
      CreateDate: CREATED,
      UserPolicyList: [],
      GroupList: groupsOf(s(u.props.name)),
      AttachedManagedPolicies: attachments("user", s(u.props.name)),
      Tags: tagList(u.props),
    })),
    GroupDetailList: ofType(run, "aws:iam/group:Group").map((g) => ({
      Path: path(g),
      GroupName: s(g.props.name),
      GroupId: `AGPA${s(g.props.name)
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, "")}`,
      Arn: groupArn(a, path(g), s(g.props.name)),
      CreateDate: CREATED,
      GroupPolicyList: [],
      AttachedManagedPolicies: attachments("group", s(g.props.name)),
    })),
    RoleDetailList: ofType(run, "aws:iam/role:Role").map((r) => ({
      Path: path(r),
      RoleName: s(r.props.name),
      RoleId: `AROA${s(r.props.name)
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, "")}`,
      Arn: roleArn(a, path(r), s(r.props.name)),
      CreateDate: CREATED,
      AssumeRolePolicyDocument: doc(r.props.assumeRolePolicy),
      InstanceProfileList: [],
      RolePolicyList: [],
      AttachedManagedPolicies: attachments("role", s(r.props.name)),
      ...(typeof r.props.permissionsBoundary === "string"
        ? { PermissionsBoundary: { PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: r.props.permissionsBoundary } }
        : {}),
      Tags: tagList(r.props),
      RoleLastUsed: {},
    })),
    Policies: policies.map((p) => ({
      PolicyName: s(p.props.name),
      PolicyId: `ANPA${s(p.props.name)
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, "")}`,
      Arn: policyArn(a, path(p), s(p.props.name)),
      Path: path(p),
      DefaultVersionId: "v1",
      AttachmentCount: 1,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      ...(typeof p.props.description === "string" ? { Description: p.props.description } : {}),
      CreateDate: CREATED,
      UpdateDate: CREATED,
      PolicyVersionList: [{ Document: doc(p.props.policy), VersionId: "v1", IsDefaultVersion: true, CreateDate: CREATED }],
    })),
    IsTruncated: false,
  };
}

/** A snapshot cut into pages of at most `size` entities per list, as `--max-items` pages it. */
export function paginate(snapshot: Record<string, unknown>, size: number): Record<string, unknown>[] {
  const keys = ["UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"];
  const longest = Math.max(...keys.map((k) => (snapshot[k] as unknown[]).length));
  const count = Math.max(1, Math.ceil(longest / size));
  return Array.from({ length: count }, (_, i) => ({
    ...Object.fromEntries(keys.map((k) => [k, (snapshot[k] as unknown[]).slice(i * size, (i + 1) * size)])),
    IsTruncated: i < count - 1,
    ...(i < count - 1 ? { Marker: `page-${i + 2}` } : {}),
  }));
}
