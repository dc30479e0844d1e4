import type { PolicyDocument } from "../policy-document";

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

const OWN_MFA_AND_USER = ["arn:aws:iam::*:mfa/${aws:username}", "arn:aws:iam::*:user/${aws:username}"];

/**
 * The article's `test-self-control-policy`: a Jump user may list users and MFA devices, manage
 * their own MFA and password, and nothing else on their own identity until they signed in with MFA.
 * (After the AWS documentation examples "allow IAM users to self-manage an MFA device" and
 * "allow users to change their own password".)
 */
export function selfServicePolicy(): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
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
