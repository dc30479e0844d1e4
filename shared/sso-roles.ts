/**
 * The roles IAM Identity Center provisions in an account for each assigned permission set:
 * `AWSReservedSSO_<permission set>_<16 hex>` under `/aws-reserved/sso.amazonaws.com/` (plus the
 * instance's region, when that is not us-east-1), trusted only by the account's Identity Center
 * SAML provider. Identity Center creates and owns them; nobody in the account should edit them.
 */

export const SSO_ROLE_PATH = "/aws-reserved/sso.amazonaws.com/";

/** The path of the roles an instance in `region` provisions. */
export function ssoRolePath(region: string): string {
  return region === "us-east-1" ? SSO_ROLE_PATH : `${SSO_ROLE_PATH}${region}/`;
}

/** The provisioned role's name: the suffix is Identity Center's own (16 hex characters). */
export function ssoRoleName(permissionSet: string, suffix: string): string {
  return `AWSReservedSSO_${permissionSet}_${suffix}`;
}

/** Every role Identity Center provisions in an account, in every region: what the hardened boundary shields. */
export function ssoRolesPattern(accountId: string): string {
  return `arn:aws:iam::${accountId}:role${SSO_ROLE_PATH}*`;
}

/** The SAML provider Identity Center creates in every account it provisions (`AWSSSO_<16 hex>_DO_NOT_DELETE`). */
export function ssoSamlProviderArn(accountId: string, id: string): string {
  return `arn:aws:iam::${accountId}:saml-provider/AWSSSO_${id}_DO_NOT_DELETE`;
}

/** The audience Identity Center's SAML assertions carry. */
export const SAML_AUDIENCE = "https://signin.aws.amazon.com/saml";
