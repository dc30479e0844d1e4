/**
 * The pack's entry point (package.json `main` is its compiled form, bin/index.js). Constructing
 * the PolicyPack starts the gRPC server the Pulumi CLI talks to and never returns control, so no
 * other module or test imports this file. The policies are listed here explicitly; a test of the
 * packed tarball asks the running server for them and compares with `policies.ts`.
 */
import { PolicyPack } from "@pulumi/policy";
import { iamBoundaryPolicyIntegrity } from "./iam-boundary-policy-integrity";
import { iamCrossAccountTrustRequiresMfa } from "./iam-cross-account-trust-requires-mfa";
import { iamNoUsersInTargetAccounts } from "./iam-no-users-in-target-accounts";
import { iamRoleRequiresPermissionsBoundary } from "./iam-role-requires-permissions-boundary";
import { PACK_NAME } from "./policies";
import { ssoPermissionSetRequiresPermissionsBoundary } from "./sso-permission-set-requires-permissions-boundary";

new PolicyPack(PACK_NAME, {
  policies: [
    iamRoleRequiresPermissionsBoundary,
    iamNoUsersInTargetAccounts,
    iamBoundaryPolicyIntegrity,
    iamCrossAccountTrustRequiresMfa,
    ssoPermissionSetRequiresPermissionsBoundary,
  ],
});
