"use strict";
/**
 * Deterministic ARNs. Every ARN the programs need before a resource exists (target role ARNs in
 * the jump account, the boundary ARN inside the boundary's own conditions) is formed here, so the
 * value is known during preview and there is no circular stack reference.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.userArn = userArn;
exports.roleArn = roleArn;
exports.policyArn = policyArn;
exports.groupArn = groupArn;
exports.mfaDeviceArn = mfaDeviceArn;
exports.accountRootArn = accountRootArn;
exports.roleNameWithPath = roleNameWithPath;
exports.accountOfArn = accountOfArn;
function userArn(accountId, path, name) {
    return `arn:aws:iam::${accountId}:user${path}${name}`;
}
function roleArn(accountId, path, name) {
    return `arn:aws:iam::${accountId}:role${path}${name}`;
}
function policyArn(accountId, path, name) {
    return `arn:aws:iam::${accountId}:policy${path}${name}`;
}
function groupArn(accountId, path, name) {
    return `arn:aws:iam::${accountId}:group${path}${name}`;
}
/** The virtual MFA device the self-service policy lets a user create: named after the user. */
function mfaDeviceArn(accountId, userName) {
    return `arn:aws:iam::${accountId}:mfa/${userName}`;
}
function accountRootArn(accountId) {
    return `arn:aws:iam::${accountId}:root`;
}
/** `/jump/` + `admin` -> `jump/admin`, the form the console's switch-role page takes. */
function roleNameWithPath(path, name) {
    return `${path.slice(1)}${name}`;
}
/** The account id inside an IAM ARN, or undefined for anything else. */
function accountOfArn(arn) {
    const m = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(arn);
    return m ? m[1] : undefined;
}
