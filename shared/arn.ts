/**
 * Deterministic ARNs. Every ARN the programs need before a resource exists (target role ARNs in
 * the jump account, the boundary ARN inside the boundary's own conditions) is formed here, so the
 * value is known during preview and there is no circular stack reference.
 */

export function userArn(accountId: string, path: string, name: string): string {
  return `arn:aws:iam::${accountId}:user${path}${name}`;
}

export function roleArn(accountId: string, path: string, name: string): string {
  return `arn:aws:iam::${accountId}:role${path}${name}`;
}

export function policyArn(accountId: string, path: string, name: string): string {
  return `arn:aws:iam::${accountId}:policy${path}${name}`;
}

export function groupArn(accountId: string, path: string, name: string): string {
  return `arn:aws:iam::${accountId}:group${path}${name}`;
}

/** The virtual MFA device the self-service policy lets a user create: named after the user. */
export function mfaDeviceArn(accountId: string, userName: string): string {
  return `arn:aws:iam::${accountId}:mfa/${userName}`;
}

export function accountRootArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:root`;
}

/** `/jump/` + `admin` -> `jump/admin`, the form the console's switch-role page takes. */
export function roleNameWithPath(path: string, name: string): string {
  return `${path.slice(1)}${name}`;
}

/** The account id inside an IAM ARN, or undefined for anything else. */
export function accountOfArn(arn: string): string | undefined {
  const m = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(arn);
  return m ? m[1] : undefined;
}
