/**
 * The pack's policies, in the order the pack serves them: the one list. Importing this module has no side
 * effects: the offline runner, the audit tool, the README generator and the tests use it;
 * only `index.ts` constructs the `PolicyPack` (which starts a gRPC server).
 */
import type { Policies } from "@pulumi/policy";
import { iamBoundaryPolicyIntegrity } from "./iam-boundary-policy-integrity";
import { iamCrossAccountTrustRequiresMfa } from "./iam-cross-account-trust-requires-mfa";
import { iamNoUsersInTargetAccounts } from "./iam-no-users-in-target-accounts";
import { iamPrincipalsOutOfSight } from "./iam-principals-out-of-sight";
import { iamRoleRequiresPermissionsBoundary } from "./iam-role-requires-permissions-boundary";
import { ssoPermissionSetRequiresPermissionsBoundary } from "./sso-permission-set-requires-permissions-boundary";

/** The pack's name: package.json `name`, as `pulumi policy publish` shows it. */
export const PACK_NAME = "jump-account-guardrails";

export const policies: Policies = [
  iamRoleRequiresPermissionsBoundary,
  iamNoUsersInTargetAccounts,
  iamBoundaryPolicyIntegrity,
  iamCrossAccountTrustRequiresMfa,
  ssoPermissionSetRequiresPermissionsBoundary,
  iamPrincipalsOutOfSight,
];
