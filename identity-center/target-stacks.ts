import * as pulumi from "@pulumi/pulumi";
import { ConfigError, policyArn, readStackOutputs, type IdentityCenterConfig } from "@jumpenv/shared";

/** What an identity-center stack needs from a target-account stack. */
export interface TargetStackFacts {
  readonly accountId: string;
  readonly boundaryPolicyArn: string;
  readonly identityCenter: boolean;
}

/**
 * The one typed reader of the target-account stacks. Identity Center provisions a permission
 * set's role only when the referenced boundary exists, with that name and path, in the account;
 * a role provisioned into an account whose hardened boundary does not shield it could be edited
 * by its own holder. So every assigned account's stack must create exactly the boundary this
 * stack references, and set `target-account:identityCenter`.
 */
export async function readTargetStack(stackName: string): Promise<TargetStackFacts> {
  const facts = (await readStackOutputs(new pulumi.StackReference(stackName))) ?? {};
  if (typeof facts.accountId !== "string" || typeof facts.boundaryPolicyArn !== "string") {
    throw new ConfigError([
      `stack "${pulumi.getStack()}": identity-center:targets names "${stackName}", but that stack has no outputs accountId and boundaryPolicyArn; expected a deployed target-account stack (run \`pulumi up\` there first)`,
    ]);
  }
  return { accountId: facts.accountId, boundaryPolicyArn: facts.boundaryPolicyArn, identityCenter: facts.identityCenter === true };
}

/** Problems of each target against its stack's facts: the account, the boundary, the shield. */
export function targetStackProblems(config: IdentityCenterConfig, facts: readonly TargetStackFacts[]): string[] {
  const stack = pulumi.getStack();
  const problems: string[] = [];
  config.targets.forEach((t, i) => {
    const f = facts[i];
    const key = `identity-center:targets[${i}]`;
    if (f.accountId !== t.accountId) {
      problems.push(
        `stack "${stack}": ${key}.accountId is "${t.accountId}", but its targetStack "${t.targetStack}" is account ${f.accountId}; expected the stack of that account`,
      );
      return;
    }
    const referenced = policyArn(t.accountId, config.boundaryPolicyPath, config.boundaryPolicyName);
    if (f.boundaryPolicyArn !== referenced) {
      problems.push(
        `stack "${stack}": identity-center:boundaryPolicyPath and boundaryPolicyName reference ${referenced}, but target stack "${t.targetStack}" creates ${f.boundaryPolicyArn}; expected the same name and path in every assigned account (Identity Center fails to provision a permission set whose boundary is missing)`,
      );
    }
    if (!f.identityCenter) {
      problems.push(
        `stack "${stack}": ${key} assigns permission sets in account ${t.accountId}, but target stack "${t.targetStack}" does not set target-account:identityCenter; expected true there (deploy it first), so that its boundary shields the roles Identity Center provisions`,
      );
    }
  });
  return problems;
}
