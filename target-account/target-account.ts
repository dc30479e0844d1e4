import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  assertWithinQuotas,
  targetDocuments,
  targetNameProblems,
  targetQuotaProblems,
  targetResourceName,
  toJson,
  type TargetDocumentArgs,
} from "@jumpenv/shared";

export interface TargetAccountArgs extends TargetDocumentArgs {
  /** `protect` the boundary policy and the roles (turn off only for sandboxes). */
  readonly enableProtection: boolean;
}

/**
 * A target account: the permissions-boundary policy and the restricted roles that carry it,
 * each trusting only its Jump users, and only with MFA. Every document is measured against IAM's
 * quotas before anything is registered.
 */
export class TargetAccount extends pulumi.ComponentResource {
  /** Known before anything exists: the boundary's conditions name it, and the policy pack checks it at preview. */
  readonly boundaryPolicyArn: string;
  readonly roleArns: Record<string, string>;

  constructor(name: string, args: TargetAccountArgs, opts?: pulumi.ComponentResourceOptions) {
    const docs = targetDocuments(args);
    const id = { project: pulumi.getProject(), stack: pulumi.getStack() };
    assertWithinQuotas([...targetNameProblems(args, id, name), ...targetQuotaProblems(args, docs, id)]);
    super("jumpenv:index:TargetAccount", name, {}, opts);
    const protect = args.enableProtection;
    const tags = { "jumpenv:managed-by": "pulumi", "jumpenv:component": name };

    this.boundaryPolicyArn = docs.boundaryPolicyArn;
    const boundary = new aws.iam.Policy(
      targetResourceName.boundary(name),
      {
        name: args.boundaryPolicyName,
        path: args.boundaryPolicyPath,
        description: `Permissions boundary (${args.boundaryProfile}) for roles assumed from the Jump account and every role they create.`,
        policy: toJson(docs.boundary),
        tags,
      },
      // IAM has no call that changes a managed policy's description, so a different one replaces
      // the policy, and a boundary in use cannot be deleted: the description is written once, at
      // creation (an imported console-built boundary keeps its own).
      { parent: this, protect, ignoreChanges: ["description"] },
    );

    this.roleArns = {};
    for (const r of args.roles) {
      const role = new aws.iam.Role(
        targetResourceName.role(name, r.name),
        {
          name: r.name,
          path: r.path,
          description: `Assumed from the Jump account with MFA by: ${r.groups.join(", ")}. Capped by ${args.boundaryPolicyName}.`.slice(
            0,
            1000,
          ),
          assumeRolePolicy: toJson(docs.trustPolicies.get(r.name)!),
          // The deterministic ARN, not boundary.arn: the value is known during preview, so the
          // policy pack can verify it there. dependsOn keeps the create order right.
          permissionsBoundary: this.boundaryPolicyArn,
          maxSessionDuration: r.maxSessionDuration,
          tags,
        },
        { parent: this, protect, dependsOn: [boundary] },
      );
      r.managedPolicyArns.forEach((arn) => {
        new aws.iam.RolePolicyAttachment(
          targetResourceName.roleAttachment(name, r.name, arn),
          { role: role.name, policyArn: arn },
          { parent: this },
        );
      });
      this.roleArns[r.name] = r.arn;
    }

    this.registerOutputs({ boundaryPolicyArn: this.boundaryPolicyArn, roleArns: this.roleArns });
  }
}
