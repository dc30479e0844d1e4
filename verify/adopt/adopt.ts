/**
 * `npm run adopt -- SNAPSHOT... [--env DIR] [--out DIR] [--json]`: brings a console-built setup
 * under Pulumi without recreating it. For every stack whose account a snapshot covers (the stack
 * files say which account each stack deploys to), the stack's program runs under Pulumi's runtime
 * mocks exactly as `npm start` runs it, and each resource it registers becomes an entry of the
 * file `pulumi import --file` takes: its type, its logical name, its parent (the component, which
 * the file creates empty, as `pulumi import` does for `component: true` entries since v3.94.0) and
 * the import ID the AWS provider documents for its type. The URNs the import creates are therefore
 * the ones the program registers, and the next `pulumi preview` updates in place.
 *
 * The report lists what the account lacks (the first `pulumi up` creates it), what cannot be
 * imported and what the user does instead, what the snapshot cannot confirm, what in the account
 * the stack will not manage, and every input that would still force a replacement (exit 1).
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "@jumpenv/shared";
import { loadEnvironment, planEnvironment } from "../harness/environment";
import { ProgramError, StackFileError, type RegisteredResource, type StackFile, type StackRun } from "../harness/mock-run";
import { awsManagedRoleKind, readSnapshots, SnapshotError, type AccountSnapshot } from "../snapshot/snapshot";
import { IMPORT_RULES, LEFT_TO_USERS, NOT_IMPORTABLE, isAdoptable } from "./import-ids";

/** One entry of `pulumi import --file` (pulumi/pulumi pkg/cmd/pulumi/operations/import.go `importSpec`). */
export interface ImportSpec {
  readonly type: string;
  readonly name: string;
  readonly id?: string;
  readonly parent?: string;
  readonly component?: true;
}

export interface ImportFile {
  readonly nameTable: Record<string, string>;
  readonly resources: readonly ImportSpec[];
}

export interface Replacement {
  readonly name: string;
  readonly type: string;
  readonly property: string;
  readonly inAws: unknown;
  readonly inProgram: unknown;
}

export interface AdoptPlan {
  /** `project/stack`. */
  readonly stack: string;
  readonly account: string;
  readonly importFile: ImportFile;
  /** Registered, and absent from the account: the first `pulumi up` creates them. */
  readonly toCreate: readonly { readonly type: string; readonly name: string }[];
  readonly notImportable: readonly { readonly type: string; readonly name: string; readonly why: string }[];
  /** In the import file, but the snapshot cannot confirm they exist. */
  readonly unconfirmed: readonly { readonly name: string; readonly note: string }[];
  readonly replacements: readonly Replacement[];
  /** ARNs of users, groups, roles and policies in the account that the stack does not manage. */
  readonly unmanaged: readonly string[];
  /** What the stack never manages (passwords, MFA devices, for a stack with users), and what the user does instead. */
  readonly leftToUsers: readonly { readonly what: string; readonly instead: string }[];
  /** Users of the stack the credential report shows without an MFA device (they cannot switch role until they add one). */
  readonly withoutMfa: readonly string[];
  /** Members the program's exclusive group memberships would remove. */
  readonly membershipRemovals: readonly { readonly group: string; readonly user: string }[];
}

export class AdoptInputError extends Error {}

function accountOf(file: StackFile): string {
  const ids = JSON.parse(file.config["aws:allowedAccountIds"] ?? "null") as unknown;
  if (!Array.isArray(ids) || typeof ids[0] !== "string")
    throw new AdoptInputError(`${file.file}: aws:allowedAccountIds must list the stack's account`);
  return ids[0];
}

const lower = (v: unknown) => String(v).toLowerCase();

/** The import plan of one planned stack against its account's snapshot. */
export function adoptPlan(run: StackRun, account: string, snapshot: AccountSnapshot): AdoptPlan {
  const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
  const parentName = (r: RegisteredResource): string | undefined => {
    const p = r.options.parent === undefined ? undefined : byUrn.get(r.options.parent);
    return p && isAdoptable(p) ? p.name : undefined;
  };
  const resources: ImportSpec[] = [];
  const toCreate: { type: string; name: string }[] = [];
  const notImportable: { type: string; name: string; why: string }[] = [];
  const unconfirmed: { name: string; note: string }[] = [];
  const replacements: Replacement[] = [];
  for (const r of run.resources.filter(isAdoptable)) {
    const parent = parentName(r);
    const base = { type: r.type, name: r.name, ...(parent ? { parent } : {}) };
    if (!r.custom) {
      resources.push({ ...base, component: true });
      continue;
    }
    const why = NOT_IMPORTABLE[r.type];
    if (why) {
      notImportable.push({ type: r.type, name: r.name, why });
      continue;
    }
    const rule = IMPORT_RULES[r.type];
    if (!rule)
      throw new Error(
        `adopt does not know how \`pulumi import\` finds ${r.type} (resource ${r.name}); add it to verify/adopt/import-ids.ts`,
      );
    const exists = rule.exists(r.props, snapshot);
    if (exists === false) {
      toCreate.push({ type: r.type, name: r.name });
      continue;
    }
    if (typeof exists === "string") unconfirmed.push({ name: r.name, note: exists });
    resources.push({ ...base, id: rule.id(r.props, account) });
    const held = rule.forceNew?.(r.props, snapshot) ?? {};
    for (const [property, inAws] of Object.entries(held)) {
      if (r.options.ignoreChanges.includes(property)) continue;
      const inProgram = r.props[property] ?? (property === "path" ? "/" : property === "description" ? "" : undefined);
      if (inProgram !== inAws) replacements.push({ name: r.name, type: r.type, property, inAws, inProgram });
    }
  }

  const managed = (type: string, key: string) => new Set(run.resources.filter((r) => r.type === type).map((r) => lower(r.props[key])));
  const users = managed("aws:iam/user:User", "name");
  const groups = managed("aws:iam/group:Group", "name");
  const roles = managed("aws:iam/role:Role", "name");
  const policies = managed("aws:iam/policy:Policy", "name");
  const unmanaged = [
    ...snapshot.users.filter((u) => !users.has(lower(u.UserName))).map((u) => u.Arn),
    ...snapshot.groups.filter((g) => !groups.has(lower(g.GroupName))).map((g) => g.Arn),
    ...snapshot.roles.filter((r) => !awsManagedRoleKind(r) && !roles.has(lower(r.RoleName))).map((r) => r.Arn),
    ...snapshot.policies.filter((p) => !policies.has(lower(p.PolicyName))).map((p) => p.Arn),
  ];
  const membershipRemovals = run.resources
    .filter((r) => r.type === "aws:iam/groupMembership:GroupMembership")
    .flatMap((m) => {
      const keep = new Set((Array.isArray(m.props.users) ? m.props.users : []).map(lower));
      return snapshot.users
        .filter((u) => u.GroupList.some((g) => lower(g) === lower(m.props.group)) && !keep.has(lower(u.UserName)))
        .map((u) => ({ group: String(m.props.group), user: u.UserName }));
    });
  return {
    stack: `${run.project}/${run.stack}`,
    account,
    importFile: { nameTable: {}, resources },
    toCreate,
    notImportable,
    unconfirmed,
    replacements,
    unmanaged,
    membershipRemovals,
    withoutMfa: (snapshot.credentials ?? []).filter((c) => !c.mfaActive && users.has(lower(c.user))).map((c) => c.user),
    leftToUsers: run.resources.some((r) => r.type === "aws:iam/user:User") ? LEFT_TO_USERS : [],
  };
}

export interface AdoptArgs {
  readonly snapshots: readonly string[];
  readonly env?: string;
  readonly out: string;
  readonly json: boolean;
}

export const USAGE = "usage: npm run adopt -- SNAPSHOT... [--env DIR] [--out DIR] [--json]";

/** `--help`: the usage and what each argument means. */
export const HELP = `${USAGE}
  SNAPSHOT    an account's \`aws iam get-account-authorization-details\` output (every page), with
              its credential report (\`aws iam get-credential-report\`) if you have one
  --env DIR   the stack files that name the accounts (default: the committed ones)
  --out DIR   where to write <project>.<stack>.import.json, one per stack a snapshot covers (default: .)
  --json      print the plans as one JSON document instead of the report
  --help      this text
exit status: 0 ready to import, 1 an input that forces a replacement differs from the account, 2 bad input`;

export function parseArgs(argv: readonly string[]): AdoptArgs {
  const snapshots: string[] = [];
  let env: string | undefined;
  let out = ".";
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json") json = true;
    else if (a === "--env" || a === "--out") {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new AdoptInputError(`${a} needs a directory; ${USAGE}`);
      if (a === "--env") env = v;
      else out = v;
    } else if (a.startsWith("--")) throw new AdoptInputError(`unknown option ${a}; ${USAGE}`);
    else snapshots.push(a);
  }
  if (snapshots.length === 0) throw new AdoptInputError(`no SNAPSHOT given; ${USAGE}`);
  return { snapshots, ...(env !== undefined ? { env } : {}), out, json };
}

/** The import file's name for a stack: `<project>.<stack>.import.json`. */
export function importFileName(plan: Pick<AdoptPlan, "stack">): string {
  return `${plan.stack.replace("/", ".")}.import.json`;
}

export function renderText(plans: readonly AdoptPlan[], out: string): string {
  const lines: string[] = [];
  for (const p of plans) {
    const imported = p.importFile.resources.filter((r) => !r.component).length;
    lines.push(`${p.stack} (account ${p.account}): ${imported} resources to import -> ${path.join(out, importFileName(p))}`);
    const section = (title: string, items: readonly string[]) => {
      if (items.length === 0) return;
      lines.push(`  ${title}:`, ...items.map((i) => `    ${i}`));
    };
    section(
      "would be REPLACED by the next `pulumi up` (make the stack config match the account first)",
      p.replacements.map(
        (r) => `${r.name} (${r.type}): ${r.property} is ${JSON.stringify(r.inAws)} in AWS, ${JSON.stringify(r.inProgram)} in the program`,
      ),
    );
    section(
      "not in the account, created by the first `pulumi up`",
      p.toCreate.map((r) => `${r.name} (${r.type})`),
    );
    const reasons = [...new Set(p.notImportable.map((r) => r.why))].map(
      (why) =>
        `${p.notImportable
          .filter((r) => r.why === why)
          .map((r) => r.name)
          .join(", ")}: ${why}`,
    );
    section("cannot be imported", [...reasons, ...p.leftToUsers.map((l) => `${l.what}: ${l.instead}`)]);
    section(
      "imported, but the snapshot cannot confirm they exist",
      p.unconfirmed.map((u) => `${u.name}: ${u.note}`),
    );
    section(
      "removed from their group by the first `pulumi up` (group memberships are exclusive)",
      p.membershipRemovals.map((m) => `${m.user} from ${m.group}`),
    );
    section("in the account, not managed by this stack (left as they are)", p.unmanaged);
    section(
      "without an MFA device (the credential report): they set one up at their next sign-in before they can switch role",
      p.withoutMfa,
    );
    lines.push("");
  }
  return lines.join("\n");
}

export interface Io {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
}

/** The command; resolves to the exit code: 0 ready to import, 1 something would be replaced, 2 bad input. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout(`${HELP}\n`);
    return 0;
  }
  try {
    const args = parseArgs(argv);
    const snapshots = readSnapshots(
      args.snapshots.map((f) => {
        try {
          return [f, fs.readFileSync(f, "utf8")] as const;
        } catch (e) {
          throw new AdoptInputError(`cannot read ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        }
      }),
    );
    const env = loadEnvironment(args.env === undefined ? undefined : path.resolve(args.env));
    const files = [env.jump, ...env.targets];
    const byAccount = new Map(files.map((f) => [accountOf(f), f]));
    const unnamed = snapshots.filter((s) => !byAccount.has(s.account)).map((s) => s.account);
    if (unnamed.length > 0) {
      throw new AdoptInputError(
        `no stack file names account ${unnamed.join(", ")} in aws:allowedAccountIds; add the stack (Pulumi.<stack>.yaml) that will manage it, or pass --env DIR`,
      );
    }
    const plan = await planEnvironment(env);
    const runs: [StackRun, StackFile][] = [
      [plan.jump, env.jump],
      ...plan.targets.map((r, i): [StackRun, StackFile] => [r, env.targets[i]]),
    ];
    const plans: AdoptPlan[] = [];
    for (const [run, file] of runs) {
      const snapshot = snapshots.find((s) => s.account === accountOf(file));
      if (snapshot) plans.push(adoptPlan(run, snapshot.account, snapshot));
    }
    fs.mkdirSync(args.out, { recursive: true });
    for (const p of plans) fs.writeFileSync(path.join(args.out, importFileName(p)), JSON.stringify(p.importFile, null, 4) + "\n");
    io.stdout(args.json ? JSON.stringify({ stacks: plans }, null, 2) + "\n" : renderText(plans, args.out));
    return plans.some((p) => p.replacements.length > 0) ? 1 : 0;
  } catch (e) {
    if (e instanceof AdoptInputError || e instanceof SnapshotError || e instanceof StackFileError || e instanceof ConfigError) {
      io.stderr(`adopt: ${e.message.replace(/\s*\n\s*/g, " ")}\n`);
      return 2;
    }
    if (e instanceof ProgramError && e.cause instanceof ConfigError) {
      io.stderr(`adopt: ${e.cause.message.replace(/\s*\n\s*/g, " ")}\n`);
      return 2;
    }
    throw e;
  }
}
