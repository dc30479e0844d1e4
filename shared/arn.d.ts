/**
 * Deterministic ARNs. Every ARN the programs need before a resource exists (target role ARNs in
 * the jump account, the boundary ARN inside the boundary's own conditions) is formed here, so the
 * value is known during preview and there is no circular stack reference.
 */
export declare function userArn(accountId: string, path: string, name: string): string;
export declare function roleArn(accountId: string, path: string, name: string): string;
export declare function policyArn(accountId: string, path: string, name: string): string;
export declare function groupArn(accountId: string, path: string, name: string): string;
/** The virtual MFA device the self-service policy lets a user create: named after the user. */
export declare function mfaDeviceArn(accountId: string, userName: string): string;
export declare function accountRootArn(accountId: string): string;
/** `/jump/` + `admin` -> `jump/admin`, the form the console's switch-role page takes. */
export declare function roleNameWithPath(path: string, name: string): string;
/** The account id inside an IAM ARN, or undefined for anything else. */
export declare function accountOfArn(arn: string): string | undefined;
