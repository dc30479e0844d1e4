/**
 * Our own plain, readonly IAM policy-document type. The provider's `aws.iam.PolicyDocument` wraps
 * every field in `Input<>` and cannot be indexed in tests; `document-compat.ts` proves once, at
 * compile time, that every value of this type is also a valid provider document.
 */

export type OneOrMany<T> = T | T[];

export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, OneOrMany<string>>>>>;

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?:
    "*" | Readonly<{ AWS: OneOrMany<string> }> | Readonly<{ Service: OneOrMany<string> }> | Readonly<{ Federated: OneOrMany<string> }>;
  readonly Action?: OneOrMany<string>;
  readonly NotAction?: OneOrMany<string>;
  readonly Resource?: OneOrMany<string>;
  readonly NotResource?: OneOrMany<string>;
  readonly Condition?: ConditionBlock;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: PolicyStatement[];
}

/** A single value stays a string, as the article writes it; several become a list. */
export function oneOrMany(values: readonly string[]): OneOrMany<string> {
  if (values.length === 0) throw new Error("oneOrMany: a policy element needs at least one value");
  return values.length === 1 ? values[0] : [...values];
}

export function asList<T>(v: OneOrMany<T> | undefined): readonly T[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? (v as readonly T[]) : [v as T];
}

/** The JSON the programs hand to IAM. */
export function toJson(doc: PolicyDocument): string {
  return JSON.stringify(doc);
}

/**
 * A document's size as IAM counts it against its quota: white space outside strings is not
 * counted, which is exactly what compact JSON leaves out.
 */
export function policySize(doc: PolicyDocument): number {
  return JSON.stringify(doc).length;
}

/** Structural problems IAM would reject in an identity (or boundary) policy. */
export function validateIdentityPolicy(doc: PolicyDocument): string[] {
  const problems: string[] = [];
  doc.Statement.forEach((s, i) => {
    if (s.Principal !== undefined) problems.push(`statement ${i}: an identity policy cannot name a Principal`);
    if ((s.Action === undefined) === (s.NotAction === undefined))
      problems.push(`statement ${i}: exactly one of Action and NotAction is required`);
    if ((s.Resource === undefined) === (s.NotResource === undefined))
      problems.push(`statement ${i}: exactly one of Resource and NotResource is required`);
  });
  return problems;
}

/** Structural problems IAM would reject in a role trust policy. */
export function validateTrustPolicy(doc: PolicyDocument): string[] {
  const problems: string[] = [];
  doc.Statement.forEach((s, i) => {
    if (s.Principal === undefined) problems.push(`statement ${i}: a trust policy statement needs a Principal`);
    if (s.Resource !== undefined || s.NotResource !== undefined) problems.push(`statement ${i}: a trust policy cannot name a Resource`);
    if ((s.Action === undefined) === (s.NotAction === undefined))
      problems.push(`statement ${i}: exactly one of Action and NotAction is required`);
  });
  return problems;
}
