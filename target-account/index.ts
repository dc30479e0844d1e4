import { LIMITS, loadTargetConfig, TARGET_COMPONENT } from "@jumpenv/shared";
import { readJumpStack, targetOf } from "./jump-stack";
import { TargetAccount } from "./target-account";

export = async () => {
  const config = loadTargetConfig();
  // Without a jump stack the account is reached only through IAM Identity Center: the boundary,
  // and no restricted role (nothing here trusts the Jump account).
  const jump = config.jumpStack === undefined ? undefined : await readJumpStack(config.jumpStack);
  const target = jump && config.jumpStack !== undefined ? targetOf(jump, config.accountId, config.jumpStack) : undefined;
  const account = new TargetAccount(TARGET_COMPONENT, {
    accountId: config.accountId,
    ...(jump ? { jumpAccountId: jump.jumpAccountId } : {}),
    trustPolicyMaxChars: jump?.trustPolicyMaxChars ?? LIMITS.trustPolicyCharsDefault,
    boundaryPolicyName: config.boundaryPolicyName,
    boundaryPolicyPath: config.boundaryPolicyPath,
    boundaryProfile: config.boundaryProfile,
    roles: target?.roles ?? [],
    enableProtection: config.enableProtection,
    protectedRoleNames: config.protectedRoleNames,
    delegatedPath: config.delegatedPath,
    identityCenter: config.identityCenter,
  });
  return {
    accountId: config.accountId,
    boundaryPolicyArn: account.boundaryPolicyArn,
    roleArns: account.roleArns,
    // The identity-center stack reads this: it assigns permission sets only where the boundary shields their roles.
    identityCenter: config.identityCenter,
  };
};
