import { loadTargetConfig } from "@jumpenv/shared";
import { readJumpStack, targetOf } from "./jump-stack";
import { TargetAccount } from "./target-account";

export = async () => {
  const config = loadTargetConfig();
  const contract = await readJumpStack(config.jumpStack);
  const target = targetOf(contract, config.accountId, config.jumpStack);
  const account = new TargetAccount("target", {
    accountId: config.accountId,
    jumpAccountId: contract.jumpAccountId,
    trustPolicyMaxChars: contract.trustPolicyMaxChars,
    boundaryPolicyName: config.boundaryPolicyName,
    boundaryPolicyPath: config.boundaryPolicyPath,
    boundaryProfile: config.boundaryProfile,
    roles: target.roles,
    enableProtection: config.enableProtection,
    protectedRoleNames: config.protectedRoleNames,
    delegatedPath: config.delegatedPath,
  });
  return {
    accountId: config.accountId,
    boundaryPolicyArn: account.boundaryPolicyArn,
    roleArns: account.roleArns,
  };
};
