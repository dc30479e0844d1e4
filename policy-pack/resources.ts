/**
 * The resource types the pack looks at, where each keeps the properties it needs, and the small
 * helpers every policy shares (role names, name patterns, advisory reports).
 */
import type { ReportViolation } from "@pulumi/policy";
import { globMatch } from "./iam-document";

/** IAM role types and the names of their properties (`aws` classic and `aws-native`). */
export const ROLE_TYPES: Readonly<Record<string, { readonly name: string; readonly trustPolicy: string }>> = {
  "aws:iam/role:Role": { name: "name", trustPolicy: "assumeRolePolicy" },
  "aws-native:iam:Role": { name: "roleName", trustPolicy: "assumeRolePolicyDocument" },
};

/** Customer managed policy types: name, path and document properties. */
export const MANAGED_POLICY_TYPES: Readonly<Record<string, { readonly name: string; readonly path: string; readonly document: string }>> = {
  "aws:iam/policy:Policy": { name: "name", path: "path", document: "policy" },
  "aws-native:iam:ManagedPolicy": { name: "managedPolicyName", path: "path", document: "policyDocument" },
};

/** Whether an IAM name matches one of the patterns (`*` and `?` wildcards; IAM names ignore case). */
export function matchesAnyPattern(name: string, patterns: readonly string[]): string | undefined {
  return patterns.find((p) => globMatch(p, name, true));
}

/** The project part of a URN `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export function projectOfUrn(urn: string): string | undefined {
  const parts = urn.split("::");
  return parts.length >= 4 && parts[0].startsWith("urn:pulumi:") ? parts[1] : undefined;
}

/**
 * Reports a violation as advisory whatever the policy's level. `@pulumi/policy` 1.21 accepts an
 * object carrying its own `enforcementLevel` (server.js `makeReportViolationFun`); its type
 * declaration only shows the string form. The message keeps the description prefix that string
 * reports get.
 */
export function reportAdvisory(report: ReportViolation, description: string, message: string): void {
  const reportObject = report as unknown as (v: { message: string; enforcementLevel: "advisory" }) => void;
  reportObject({ message: `${description}\n${message}`, enforcementLevel: "advisory" });
}
