/** What one expectation of the access proof is, the proof's options, and the names of the probes it invents. */
import type { AccessRequest, Decision, PolicyKind } from "./evaluator";

export type Expected = Decision | "Denied";

export interface Expectation {
  /** Stable kebab-case id of the guarantee, the same for every subject. */
  readonly id: string;
  /** The guarantee, in words: `may not create IAM users (iam:CreateUser)`. */
  readonly guarantee: string;
  /** Who acts: `restricted-admin@sandbox` for a role session, `alice@jump` for a Jump user. */
  readonly subject: string;
  /** How the request is made, in words: `console, signed in with MFA`. */
  readonly how: string;
  /** The account the check is about (the target account, or the Jump account for self-service). */
  readonly account: string;
  readonly request: AccessRequest;
  readonly expected: Expected;
  /** When denied, the denial must come from this kind of policy. */
  readonly deniedBy?: PolicyKind;
  /** Known reasons the request cannot be modelled faithfully: the check fails with them. */
  readonly problems?: readonly string[];
  /** Set when the request is one of a sample: `checked` of the role's `of` users (intended users, or outsiders) are checked. */
  readonly sample?: { readonly checked: number; readonly of: number };
}

/** Names of the probe principals and resources the proof invents. */
export const PROBE = {
  user: "jump-proof-user",
  group: "jump-proof-group",
  role: "jump-proof-role",
  unboundedRole: "jump-proof-unbounded-role",
  outsider: "jump-proof-outsider",
  otherUser: "jump-proof-other-user",
  sessionName: "jump-proof-session",
} as const;

/** MFA ages the proof uses: a fresh sign-in, and a session obtained with MFA. */
export const MFA_AGE_SECONDS = 300;

export interface ProofOptions {
  /** The moment of every request (default: now). */
  readonly now?: Date;
  /** At most this many outsiders per role (default: all, or a sample, see below). Outsiders are taken in config order. */
  readonly outsidersPerRole?: number;
  /**
   * Past this many user-role pairs (Jump users x target roles), each role's trust is proven for a
   * sample of its users instead of every user (see `samplePositions`). Default 10,000: the cutoff
   * past which the jump stack stops exporting per-user outputs (docs/scale.md).
   */
  readonly sampleAbovePairs?: number;
  /** When sampling: how many of each role's intended users, and how many of its outsiders, are checked (default 8). */
  readonly usersPerRole?: number;
}

/** Defaults of the trust sampling (`ProofOptions.sampleAbovePairs`, `ProofOptions.usersPerRole`). */
export const TRUST_SAMPLING = { abovePairs: 10_000, usersPerRole: 8 } as const;

/** The guarantee behind each expectation id, for reports that group requests by guarantee. */
export const GUARANTEES: Readonly<Record<string, string>> = {
  "session-no-create-user": "may not create IAM users",
  "session-no-create-group": "may not create IAM groups",
  "session-no-create-role-without-boundary": "may not create a role without the boundary",
  "session-no-create-role-with-other-boundary": "may not create a role with another boundary",
  "session-no-remove-own-boundary": "may not remove the boundary from its own role",
  "session-no-remove-boundary": "may not remove the boundary from a bounded role",
  "session-no-swap-boundary": "may not replace a role's boundary with another",
  "session-no-grant-unbounded-role": "may not attach policies to a role without the boundary",
  "session-no-edit-boundary": "may not edit or delete the boundary policy",
  "session-create-role-with-boundary": "may create a role that carries the boundary",
  "session-grant-bounded-role": "may attach policies to a role that carries the boundary",
  "session-ordinary-work": "may do ordinary work (s3:CreateBucket, ec2:RunInstances)",
  "session-no-write": "may not write (its policies are read-only)",
  "session-read": "may read (ec2:DescribeInstances, s3:ListAllMyBuckets)",
  "trust-mapped-user-with-mfa": "its Jump users may assume it with MFA (console, CLI)",
  "trust-no-assume-without-mfa": "its Jump users may not assume it without MFA (console, access key)",
  "trust-jump-policies-require-mfa": "its Jump users' own policies refuse switching without MFA (console, access key)",
  "trust-no-assume-with-old-mfa": "its Jump users may not assume it when their MFA is too old",
  "trust-no-outsider": "Jump users outside its groups may not assume it",
  "trust-no-other-account": "a principal of another account may not assume it",
  "sso-trust-saml-provider": "Identity Center's SAML provider may assume it (AssumeRoleWithSAML)",
  "sso-trust-no-other-saml": "no other SAML provider or audience may assume it",
  "sso-trust-no-iam-principal": "no Jump user may assume an Identity Center role (only its SAML provider may)",
  "self-change-password": "may change their own password without MFA",
  "self-read-password-policy": "may read the password policy without MFA",
  "self-enable-mfa": "may set up their own MFA without MFA",
  "self-no-touch-other-mfa": "may not touch another user's MFA",
  "self-no-remove-own-mfa-without-mfa": "may not remove their own MFA without MFA",
  "self-manage-own-mfa-with-mfa": "may manage their own MFA once signed in with MFA",
  "self-no-access-keys": "may not create access keys",
  "self-mfa-gate": "without MFA, nothing more on their identity, whatever else allows it",
  "self-no-mfa-registration-with-access-key": "may not register an MFA device with a long-term access key",
  "self-mfa-gate-everywhere": "without MFA, nothing anywhere, whatever a group is granted later",
};
