/**
 * Finds the IAM policy documents in registered resources (a document may arrive as the JSON
 * string the program passed, or as an object) and checks each one: its syntax as IAM validates
 * that kind of document, and every action and condition key against the IAM catalogue.
 */
import { validateIdentityPolicy, validateResourcePolicy, validateTrustPolicy } from "@cloud-copilot/iam-policy";
import { documentActionProblems, statementsOf } from "./iam-catalogue";

/** What the access proof needs of a registered resource (a `RegisteredResource` is one). */
export interface ResourceLike {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly props: Readonly<Record<string, unknown>>;
}

export interface StackLike {
  readonly project: string;
  readonly stack: string;
  readonly resources: readonly ResourceLike[];
}

export type DocumentKind = "identity" | "trust" | "resource";

export interface FoundDocument {
  readonly resource: ResourceLike;
  /** Property path, e.g. `policy`, `assumeRolePolicy`, `inlinePolicies[0].policy`. */
  readonly prop: string;
  readonly kind: DocumentKind;
  /** The parsed document, or undefined with `parseError`. */
  readonly document?: unknown;
  readonly parseError?: string;
}

/** A finding of the planner's own checks, in the shape of a policy-pack violation. */
export interface Finding {
  /** `project/stack`. */
  readonly stack: string;
  readonly policy: string;
  readonly urn: string;
  readonly message: string;
  readonly enforcementLevel: "mandatory" | "advisory";
}

export const CATALOGUE_CHECK = "iam-action-catalogue";
export const SYNTAX_CHECK = "iam-policy-syntax";

/** Parse a document property: a JSON string or an object; undefined when it is not a document. */
export function parseDocument(value: unknown): { document?: unknown; parseError?: string } | undefined {
  if (typeof value === "string") {
    const text = value.trim();
    if (!text.startsWith("{")) return undefined;
    try {
      return { document: JSON.parse(text) };
    } catch (e) {
      return text.includes("Statement") ? { parseError: `not valid JSON: ${(e as Error).message}` } : undefined;
    }
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value) && "Statement" in value) return { document: value };
  return undefined;
}

function looksLikeDocument(d: { document?: unknown; parseError?: string } | undefined): boolean {
  if (!d) return false;
  if (d.parseError) return true;
  return d.document !== null && typeof d.document === "object" && "Statement" in (d.document as object);
}

const KNOWN: Readonly<Record<string, Readonly<Record<string, DocumentKind>>>> = {
  "aws:iam/policy:Policy": { policy: "identity" },
  "aws:iam/role:Role": { assumeRolePolicy: "trust" },
  "aws:iam/rolePolicy:RolePolicy": { policy: "identity" },
  "aws:iam/userPolicy:UserPolicy": { policy: "identity" },
  "aws:iam/groupPolicy:GroupPolicy": { policy: "identity" },
};

/** The policy documents a resource carries. Unknown resource types are scanned for any property holding a document. */
export function documentsOf(r: ResourceLike): FoundDocument[] {
  const out: FoundDocument[] = [];
  const known = KNOWN[r.type];
  if (known) {
    for (const [prop, kind] of Object.entries(known)) {
      const d = parseDocument(r.props[prop]);
      if (d) out.push({ resource: r, prop, kind, ...d });
    }
    if (r.type === "aws:iam/role:Role" && Array.isArray(r.props.inlinePolicies)) {
      (r.props.inlinePolicies as unknown[]).forEach((p, i) => {
        const d = parseDocument((p as Record<string, unknown> | null)?.policy);
        if (d) out.push({ resource: r, prop: `inlinePolicies[${i}].policy`, kind: "identity", ...d });
      });
    }
    return out;
  }
  for (const [prop, value] of Object.entries(r.props)) {
    const d = parseDocument(value);
    if (!looksLikeDocument(d)) continue;
    const kind: DocumentKind = statementsOf(d!.document).some((s) => "Principal" in s || "NotPrincipal" in s) ? "resource" : "identity";
    out.push({ resource: r, prop, kind, ...d });
  }
  return out;
}

const VALIDATE = { identity: validateIdentityPolicy, trust: validateTrustPolicy, resource: validateResourcePolicy } as const;

export function stackLabel(s: Pick<StackLike, "project" | "stack">): string {
  return `${s.project}/${s.stack}`;
}

/** Syntax and catalogue findings of every document in every stack. */
export async function documentFindings(stacks: readonly StackLike[]): Promise<{ findings: Finding[]; documents: number; actions: number }> {
  const findings: Finding[] = [];
  let documents = 0;
  let actions = 0;
  for (const s of stacks) {
    for (const r of s.resources) {
      for (const d of documentsOf(r)) {
        documents++;
        const at = `${r.name}.${d.prop}`;
        const finding = (policy: string, message: string): Finding => ({
          stack: stackLabel(s),
          policy,
          urn: r.urn,
          message: `${at}: ${message}`,
          enforcementLevel: "mandatory",
        });
        if (d.parseError) {
          findings.push(finding(SYNTAX_CHECK, d.parseError));
          continue;
        }
        for (const e of VALIDATE[d.kind](d.document)) findings.push(finding(SYNTAX_CHECK, `${e.path}: ${e.message}`));
        for (const st of statementsOf(d.document)) {
          for (const f of ["Action", "NotAction"])
            actions += Array.isArray(st[f]) ? (st[f] as unknown[]).length : st[f] === undefined ? 0 : 1;
        }
        for (const m of await documentActionProblems(d.document)) findings.push(finding(CATALOGUE_CHECK, m));
      }
    }
  }
  return { findings, documents, actions };
}
