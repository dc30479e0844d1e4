import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { IdentityCenterGroupSettings, IdentityCenterTarget, PermissionSetSettings } from "@jumpenv/shared";

export interface IdentityCenterArgs {
  /** The Identity Center instance (`arn:aws:sso:::instance/ssoins-...`). */
  readonly instanceArn: string;
  /** The boundary every permission set references: it must exist with this name and path in every assigned account. */
  readonly boundaryPolicyName: string;
  readonly boundaryPolicyPath: string;
  readonly permissionSets: readonly PermissionSetSettings[];
  readonly groups: readonly IdentityCenterGroupSettings[];
  readonly targets: readonly IdentityCenterTarget[];
}

/**
 * IAM Identity Center's side of the pattern: one permission set per configured set, each with its
 * AWS managed policies and the permissions boundary (a customer managed policy reference, by name
 * and path, resolved in each account), and the assignments of groups to target accounts. The
 * roles Identity Center provisions from them carry the same boundary as the restricted roles.
 */
export class IdentityCenter extends pulumi.ComponentResource {
  readonly permissionSetArns: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: IdentityCenterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("jumpenv:index:IdentityCenter", name, {}, opts);
    const tags = { "jumpenv:managed-by": "pulumi", "jumpenv:component": name };
    const instanceArn = args.instanceArn;
    const groupIds = new Map(args.groups.map((g) => [g.name, g.id]));

    this.permissionSetArns = {};
    const sets = new Map<string, { set: aws.ssoadmin.PermissionSet; configured: pulumi.Resource[] }>();
    for (const ps of args.permissionSets) {
      const set = new aws.ssoadmin.PermissionSet(
        `${name}-${ps.name}`,
        {
          instanceArn,
          name: ps.name,
          description: ps.description ?? `Capped by the permissions boundary ${args.boundaryPolicyPath}${args.boundaryPolicyName}.`,
          sessionDuration: ps.sessionDuration,
          tags,
        },
        { parent: this },
      );
      const configured: pulumi.Resource[] = ps.managedPolicyArns.map(
        (arn) =>
          new aws.ssoadmin.ManagedPolicyAttachment(
            `${name}-${ps.name}-${arn.split("/").pop()}`,
            { instanceArn, permissionSetArn: set.arn, managedPolicyArn: arn },
            { parent: this },
          ),
      );
      configured.push(
        new aws.ssoadmin.PermissionsBoundaryAttachment(
          `${name}-${ps.name}-boundary`,
          {
            instanceArn,
            permissionSetArn: set.arn,
            permissionsBoundary: { customerManagedPolicyReference: { name: args.boundaryPolicyName, path: args.boundaryPolicyPath } },
          },
          { parent: this },
        ),
      );
      sets.set(ps.name, { set, configured });
      this.permissionSetArns[ps.name] = set.arn;
    }

    for (const t of args.targets) {
      for (const a of t.assignments) {
        const { set, configured } = sets.get(a.permissionSet)!;
        for (const group of a.groups) {
          // Provisioned only once the set carries its policies and its boundary: a role without
          // the boundary must never exist in the account, not even for a moment.
          new aws.ssoadmin.AccountAssignment(
            `${name}-${t.name}-${a.permissionSet}-${group}`,
            {
              instanceArn,
              permissionSetArn: set.arn,
              principalId: groupIds.get(group)!,
              principalType: "GROUP",
              targetId: t.accountId,
              targetType: "AWS_ACCOUNT",
            },
            { parent: this, dependsOn: configured },
          );
        }
      }
    }

    this.registerOutputs({ permissionSetArns: this.permissionSetArns });
  }
}
