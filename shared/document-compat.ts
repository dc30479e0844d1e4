/**
 * Compile-time proof that our plain `PolicyDocument` is assignable to the provider's
 * `aws.iam.PolicyDocument`. Nothing here runs; `tsc` fails if the types drift apart.
 */
import type * as aws from "@pulumi/aws";
import type { PolicyDocument } from "./policy-document";

export type DocumentIsProviderCompatible = PolicyDocument extends aws.iam.PolicyDocument ? true : never;
export const documentIsProviderCompatible: DocumentIsProviderCompatible = true;
