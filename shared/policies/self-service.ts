import type { SELF_SERVICE_PROFILES } from "../config-schema";
import type { PolicyDocument, PolicyStatement } from "../policy-document";

/** Actions a user may take on their own identity before signing in with MFA. */
export const SELF_SERVICE_WITHOUT_MFA = [
  "iam:CreateVirtualMFADevice",
  "iam:EnableMFADevice",
  "iam:ListMFADevices",
  "iam:ListUsers",
  "iam:ListVirtualMFADevices",
  "iam:ResyncMFADevice",
  "iam:GetAccountPasswordPolicy",
  "iam:ChangePassword",
];

/**
 * The bootstrap actions of the hardened profile: the article's list, plus `sts:GetSessionToken`
 * as in AWS's own "self-manage an MFA device" example (it exchanges an access key and an MFA code
 * for an MFA session, and policies cannot control it anyway).
 */
export const HARDENED_SELF_SERVICE_WITHOUT_MFA = [...SELF_SERVICE_WITHOUT_MFA, "sts:GetSessionToken"];

/**
 * Registering an MFA device: what a thief of a long-term access key would do first, to hold an
 * MFA session of their own. The hardened profile allows it only with temporary credentials.
 */
export const MFA_REGISTRATION_ACTIONS = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ResyncMFADevice"];

export type SelfServiceProfile = (typeof SELF_SERVICE_PROFILES)[number];

const OWN_MFA_AND_USER = ["arn:aws:iam::*:mfa/${aws:username}", "arn:aws:iam::*:user/${aws:username}"];

/** The allows both profiles share: the article's, statement for statement. */
function selfServiceAllows(): PolicyStatement[] {
  return [
    { Sid: "AllowListActions", Effect: "Allow", Action: ["iam:ListUsers", "iam:ListVirtualMFADevices"], Resource: "*" },
    {
      Sid: "AllowIndividualUserToListOnlyTheirOwnMFA",
      Effect: "Allow",
      Action: ["iam:ListMFADevices"],
      Resource: ["arn:aws:iam::*:mfa/*", "arn:aws:iam::*:user/${aws:username}"],
    },
    {
      Sid: "AllowIndividualUserToManageTheirOwnMFA",
      Effect: "Allow",
      Action: ["iam:CreateVirtualMFADevice", "iam:DeleteVirtualMFADevice", "iam:EnableMFADevice", "iam:ResyncMFADevice"],
      Resource: [...OWN_MFA_AND_USER],
    },
    {
      Sid: "AllowIndividualUserToDeactivateOnlyTheirOwnMFAOnlyWhenUsingMFA",
      Effect: "Allow",
      Action: ["iam:DeactivateMFADevice"],
      Resource: [...OWN_MFA_AND_USER],
      Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
    },
    { Sid: "AllowGetAccountPasswordPolicy", Effect: "Allow", Action: "iam:GetAccountPasswordPolicy", Resource: "*" },
    { Sid: "AllowChangePassword", Effect: "Allow", Action: "iam:ChangePassword", Resource: "arn:aws:iam::*:user/${aws:username}" },
  ];
}

/**
 * The article's `test-self-control-policy`: a Jump user may list users and MFA devices, manage
 * their own MFA and password, and nothing else on their own identity until they signed in with MFA.
 * (After the AWS documentation examples "allow IAM users to self-manage an MFA device" and
 * "allow users to change their own password".)
 */
export function seedSelfServicePolicy(): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      ...selfServiceAllows(),
      {
        Sid: "BlockMostAccessUnlessSignedInWithMFA",
        Effect: "Deny",
        NotAction: [...SELF_SERVICE_WITHOUT_MFA],
        Resource: [...OWN_MFA_AND_USER],
        Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
      },
    ],
  };
}

/**
 * The `hardened` profile. Two differences from the article's, each closing what a stolen
 * long-term access key (no MFA in the request) could do:
 * - MFA registration is denied when `aws:MultiFactorAuthPresent` is absent, which is exactly a
 *   long-term key: a console sign-in carries it (`false` before MFA), so a first-time user still
 *   sets up MFA there. Credentials from `sts:GetSessionToken` without MFA also carry `false`, but
 *   AWS refuses every IAM call made with them unless MFA was used.
 * - The MFA gate covers every action on every resource (`Resource: "*"`, as in AWS's example),
 *   not only the user's own ARNs: whatever a Jump group is granted later needs MFA too, the
 *   groups' `sts:AssumeRole` included.
 */
export function hardenedSelfServicePolicy(): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      ...selfServiceAllows(),
      {
        Sid: "DenyMFARegistrationWithLongTermAccessKeys",
        Effect: "Deny",
        Action: [...MFA_REGISTRATION_ACTIONS],
        Resource: "*",
        Condition: { Null: { "aws:MultiFactorAuthPresent": "true" } },
      },
      {
        Sid: "BlockMostAccessUnlessSignedInWithMFA",
        Effect: "Deny",
        NotAction: [...HARDENED_SELF_SERVICE_WITHOUT_MFA],
        Resource: "*",
        Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
      },
    ],
  };
}

/** The self-service document of a profile. */
export function selfServicePolicy(profile: SelfServiceProfile): PolicyDocument {
  return profile === "seed" ? seedSelfServicePolicy() : hardenedSelfServicePolicy();
}
