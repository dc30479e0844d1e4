/**
 * The escalation catalogue over a planned environment: every target stack's registered boundary,
 * evaluated for a session of its restricted role. A target fails when a method ends other than
 * the catalogue expects for its profile, or a delegated task is denied.
 */
import { ADMINISTRATOR_ACCESS_ARN, parseTargetConfig, roleArn } from "@jumpenv/shared";
import type { StackFile, StackRun } from "../harness/mock-run";
import { METHODS, type Method, type Profile, type Scenario } from "./methods";
import { runCatalogueOutcome, type CatalogueOutcome, type Status } from "./evaluate";

export interface TargetEscalations {
  /** `project/stack`. */
  readonly stack: string;
  readonly account: string;
  readonly profile: Profile;
  /** The role whose session plays the attacker. */
  readonly role: string;
  /** Set when that role is one Identity Center provisions: its permission set. */
  readonly permissionSet?: string;
  readonly methods: readonly { readonly id: string; readonly status: Status; readonly expected: Status }[];
  readonly tasks: readonly { readonly id: string; readonly allowed: boolean }[];
  readonly ok: boolean;
  /** What does not hold, one line each. */
  readonly problems: readonly string[];
}

/** A role that holds the target's boundary and plays the attacker instead of the restricted role. */
export interface Attacker {
  readonly name: string;
  readonly path: string;
  /** The permission set Identity Center provisioned the role from. */
  readonly permissionSet: string;
}

/** Whether a planned target stack registered a role (an Identity Center-only account has none). */
export function hasRoles(run: StackRun): boolean {
  return run.resources.some((r) => r.type === "aws:iam/role:Role");
}

const METHOD_BY_ID = new Map(METHODS.map((m) => [m.id, m]));

/** What runs the catalogue: in this thread by default, or on a worker of the access proof (parallel-proof.ts). */
export type CatalogueRunner = (s: Scenario, boundary: unknown) => Promise<CatalogueOutcome>;

/**
 * Evaluate the catalogue for one planned target stack: a session of its restricted admin role,
 * or of `attacker` (a role Identity Center provisions with the same boundary).
 */
export async function targetEscalations(
  run: StackRun,
  file: StackFile,
  attacker?: Attacker,
  runCatalogue: CatalogueRunner = runCatalogueOutcome,
): Promise<TargetEscalations> {
  const cfg = parseTargetConfig(file.config, { project: file.project, stack: file.stack });
  const label = `${run.project}/${run.stack}`;
  const boundaryArn = String(run.outputs.boundaryPolicyArn);
  const boundary = run.resources.find(
    (r) =>
      r.type === "aws:iam/policy:Policy" && r.props.name === cfg.boundaryPolicyName && (r.props.path ?? "/") === cfg.boundaryPolicyPath,
  );
  if (!boundary) throw new Error(`${label}: no boundary policy "${cfg.boundaryPolicyName}" registered`);
  const roles = run.resources.filter((r) => r.type === "aws:iam/role:Role");
  const adminRoleNames = new Set(
    run.resources
      .filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && r.props.policyArn === ADMINISTRATOR_ACCESS_ARN)
      .map((r) => String(r.props.role)),
  );
  // The attacker holds an AdministratorAccess role when there is one: the boundary is all that caps it.
  const restricted = roles.find((r) => adminRoleNames.has(String(r.props.name))) ?? roles[0];
  if (!attacker && !restricted) throw new Error(`${label}: no role registered`);
  const scenario = {
    accountId: cfg.accountId,
    region: file.config["aws:region"] ?? "us-east-1",
    restrictedRole: attacker
      ? { name: attacker.name, path: attacker.path }
      : { name: String(restricted!.props.name), path: String(restricted!.props.path ?? "/") },
    boundaryArn,
    delegatedPath: cfg.delegatedPath,
    protectedRoleName: cfg.protectedRoleNames[0] ?? "OrganizationAccountAccessRole",
  };
  const outcome = await runCatalogue(scenario, JSON.parse(String(boundary.props.policy)));
  const profile = cfg.boundaryProfile;
  const ownRole = roleArn(cfg.accountId, scenario.restrictedRole.path, scenario.restrictedRole.name);
  // IAM itself refuses every change to a role under /aws-reserved/ ("this role is only modifiable
  // by AWS"): a method that only edits the Identity Center role it holds is blocked whatever the profile.
  const expectedOf = (m: Method): Status =>
    m.residual ? "residual" : attacker && m.steps.every((st) => st.resource(scenario) === ownRole) ? "blocked" : m.expected[profile];
  const methods = outcome.methods.map((m) => ({ id: m.id, status: m.status, expected: expectedOf(METHOD_BY_ID.get(m.id)!) }));
  const tasks = outcome.tasks.map((t) => ({ id: t.id, allowed: t.allowed }));
  const problems: string[] = [];
  outcome.methods.forEach((m, i) => {
    const expected = methods[i].expected;
    if (m.status === "error") problems.push(`escalation ${m.id} could not be evaluated: ${m.error}`);
    else if (m.status !== expected)
      problems.push(`escalation ${m.id} is ${m.status} under this ${profile} boundary; the catalogue expects ${expected}`);
  });
  for (const t of outcome.tasks)
    if (!t.allowed)
      problems.push(t.error ? `delegated task ${t.id} could not be evaluated: ${t.error}` : `delegated task ${t.id} is denied`);
  return {
    stack: label,
    account: cfg.accountId,
    profile,
    role: scenario.restrictedRole.name,
    ...(attacker ? { permissionSet: attacker.permissionSet } : {}),
    methods,
    tasks,
    ok: problems.length === 0,
    problems,
  };
}
