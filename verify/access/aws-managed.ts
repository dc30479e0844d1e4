/**
 * AWS managed policies the offline proof can evaluate. The plan has no AWS account to read them
 * from, so each one is modelled here:
 *
 * - `AdministratorAccess`: exact (`Allow * on *`, AWS's own document).
 * - `ReadOnlyAccess`: an APPROXIMATION. AWS's document lists several thousand read actions across
 *   every service; this model keeps a small representative set of `Get*`, `List*` and `Describe*`
 *   patterns of the services the proof touches. It is right for what the proof asks (read yes,
 *   write no) and must not be used to prove a specific read action outside these services.
 *
 * A role with any other AWS managed policy cannot be evaluated: the proof reports it instead of
 * guessing.
 */
import type { NamedPolicy } from "./evaluator";

export const ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess";
export const READ_ONLY_ACCESS = "arn:aws:iam::aws:policy/ReadOnlyAccess";

const MODELS: Readonly<Record<string, { readonly exact: boolean; readonly document: object }>> = {
  [ADMINISTRATOR_ACCESS]: {
    exact: true,
    document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
  },
  [READ_ONLY_ACCESS]: {
    exact: false,
    document: {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ApproximationOfReadOnlyAccess",
          Effect: "Allow",
          Action: [
            "ec2:Describe*",
            "ec2:Get*",
            "s3:Get*",
            "s3:List*",
            "iam:Get*",
            "iam:List*",
            "sts:GetCallerIdentity",
            "cloudwatch:Describe*",
            "cloudwatch:Get*",
            "cloudwatch:List*",
            "logs:Describe*",
            "logs:Get*",
            "lambda:Get*",
            "lambda:List*",
          ],
          Resource: "*",
        },
      ],
    },
  },
};

/** The modelled AWS managed policy, named by its ARN; undefined when it is not modelled. */
export function awsManagedPolicy(arn: string): NamedPolicy | undefined {
  const m = MODELS[arn];
  return m ? { name: arn, document: m.document } : undefined;
}

/** Whether the model of an AWS managed policy is exact (false: an approximation, see above). */
export function isExactModel(arn: string): boolean {
  return MODELS[arn]?.exact === true;
}

export function isAwsManagedPolicyArn(arn: string): boolean {
  return arn.startsWith("arn:aws:iam::aws:policy/");
}

export const MODELLED_AWS_MANAGED_POLICIES: readonly string[] = Object.keys(MODELS);
