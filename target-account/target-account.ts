import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { boundaryPolicy, policyArn, roleArn, toJson, trustPolicy, type BoundaryProfile, type RoleContract } from "@jumpenv/shared";

export interface TargetAccountArgs {
  /** The target account's id (the stack's `aws:allowedAccountIds`). */
  readonly accountId: string;
  /** Boundary policy name, path and profile (`seed` = the article's document, `hardened`). */
  readonly boundaryPolicyName: string;
  readonly boundaryPolicyPath: string;
  readonly boundaryProfile: BoundaryProfile;
  /** The roles the jump stack's contract lists for this account. */
  readonly roles: readonly RoleContract[];
  /** `protect` the boundary policy and the roles (turn off only for sandboxes). */
  readonly enableProtection: boolean;
  /** Existing roles (at path `/`) shielded by the hardened boundary, e.g. OrganizationAccountAccessRole. */
  readonly protectedRoleNames: readonly string[];
  /** Path under which bounded principals may pass roles and version policies (hardened profile). */
  readonly delegatedPath: string;
}

/**
 * A target account: the permissions-boundary policy and the restricted roles that carry it,
 * each trusting only its Jump users, and only with MFA.
 */
export class TargetAccount extends pulumi.ComponentResource {
  /** Known before anything exists: the boundary's conditions name it, and the policy pack checks it at preview. */
  readonly boundaryPolicyArn: string;
  readonly roleArns: Record<string, string>;

  constructor(name: string, args: TargetAccountArgs, opts?: pulumi.ComponentResourceOptions) {
    super("jumpenv:index:TargetAccount", name, {}, opts);
    const protect = args.enableProtection;
    const tags = { "jumpenv:managed-by": "pulumi", "jumpenv:component": name };

    this.boundaryPolicyArn = policyArn(args.accountId, args.boundaryPolicyPath, args.boundaryPolicyName);
    const shieldedRoleArns = [
      ...args.roles.map((r) => r.arn),
      ...args.protectedRoleNames.map((n) => roleArn(args.accountId, "/", n)),
    ];
    const boundary = new aws.iam.Policy(
      `${name}-boundary`,
      {
        name: args.boundaryPolicyName,
        path: args.boundaryPolicyPath,
        description: `Permissions boundary (${args.boundaryProfile}) for roles assumed from the Jump account and every role they create.`,
        policy: toJson(
          boundaryPolicy(args.boundaryProfile, {
            boundaryArn: this.boundaryPolicyArn,
            accountId: args.accountId,
            shieldedRoleArns,
            delegatedPath: args.delegatedPath,
          }),
        ),
        tags,
      },
      { parent: this, protect },
    );

    this.roleArns = {};
    for (const r of args.roles) {
      const role = new aws.iam.Role(
        `${name}-role-${r.name}`,
        {
          name: r.name,
          path: r.path,
          description: `Assumed from the Jump account with MFA by: ${r.groups.join(", ")}. Capped by ${args.boundaryPolicyName}.`,
          assumeRolePolicy: toJson(trustPolicy({ principalArns: r.trustedPrincipalArns, mfaMaxAgeSeconds: r.mfaMaxAgeSeconds })),
          // The deterministic ARN, not boundary.arn: the value is known during preview, so the
          // policy pack can verify it there. dependsOn keeps the create order right.
          permissionsBoundary: this.boundaryPolicyArn,
          maxSessionDuration: r.maxSessionDuration,
          tags,
        },
        { parent: this, protect, dependsOn: [boundary] },
      );
      r.managedPolicyArns.forEach((arn) => {
        new aws.iam.RolePolicyAttachment(`${name}-role-${r.name}-${arn.split("/").pop()}`, { role: role.name, policyArn: arn }, { parent: this });
      });
      this.roleArns[r.name] = r.arn;
    }

    this.registerOutputs({ boundaryPolicyArn: this.boundaryPolicyArn, roleArns: this.roleArns });
  }
}
