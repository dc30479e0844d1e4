import { JUMP_COMPONENT, loadJumpConfig } from "@jumpenv/shared";
import { JumpAccount } from "./jump-account";

const config = loadJumpConfig();
const jump = new JumpAccount(JUMP_COMPONENT, config);

// The contract the target-account stacks read (see shared/contract.ts).
export const contractVersion = jump.contract.contractVersion;
export const jumpAccountId = jump.contract.jumpAccountId;
export const trustPolicyMaxChars = jump.contract.trustPolicyMaxChars;
export const targets = jump.contract.targets;

export const userArns = jump.userArns;
export const initialPasswords = jump.initialPasswords;
// Per user while users x roles stays under PER_USER_ACCESS_OUTPUT_LIMIT; per group always.
export const switchRoleUrls = jump.access.switchRoleUrls;
export const awsConfigProfiles = jump.access.awsConfigProfiles;
export const groupSwitchRoleUrls = jump.access.groupSwitchRoleUrls;
export const groupAwsConfigProfiles = jump.access.groupAwsConfigProfiles;
