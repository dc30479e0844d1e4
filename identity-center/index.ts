import { ConfigError, loadIdentityCenterConfig } from "@jumpenv/shared";
import { IdentityCenter } from "./identity-center";
import { readTargetStack, targetStackProblems } from "./target-stacks";

export = async () => {
  const config = loadIdentityCenterConfig();
  const facts = await Promise.all(config.targets.map((t) => readTargetStack(t.targetStack)));
  const problems = targetStackProblems(config, facts);
  if (problems.length > 0) throw new ConfigError(problems);
  const ic = new IdentityCenter("identity-center", config);
  return {
    permissionSetArns: ic.permissionSetArns,
    boundaryPolicyName: config.boundaryPolicyName,
    boundaryPolicyPath: config.boundaryPolicyPath,
    assignedAccountIds: config.targets.map((t) => t.accountId),
  };
};
