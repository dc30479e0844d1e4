/**
 * The IAM credential report, as `aws iam get-credential-report` prints it: `{"Content": <base64 of
 * a CSV>, "ReportFormat": "text/csv", "GeneratedTime": ...}`. One row per user (and one for the
 * root user, `<root_account>`), with whether the user has a console password (`password_enabled`),
 * an MFA device (`mfa_active`) and active access keys (`access_key_1_active`, `access_key_2_active`).
 * `get-account-authorization-details` lists none of these.
 */
import { accountRootArn } from "@jumpenv/shared";

export interface CredentialRow {
  readonly user: string;
  readonly arn: string;
  readonly passwordEnabled: boolean;
  readonly mfaActive: boolean;
  /** Active access keys: 0, 1 or 2. */
  readonly activeAccessKeys: number;
}

export class CredentialReportError extends Error {}

export function isCredentialReport(doc: Record<string, unknown>): boolean {
  return typeof doc.Content === "string" && doc.ReportFormat === "text/csv";
}

/** RFC 4180 fields of one line (IAM user names may hold commas, which the report quotes). */
function fields(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** The user rows of a report (the root user's row left out). */
export function parseCredentialReport(doc: Record<string, unknown>, file: string): CredentialRow[] {
  const csv = Buffer.from(String(doc.Content), "base64").toString("utf8");
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== "");
  const header = fields(lines[0] ?? "");
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0)
      throw new CredentialReportError(`${file}: the credential report has no column ${name} (columns: ${header.join(", ") || "none"})`);
    return i;
  };
  const [user, arn, password, mfa, key1, key2] = [
    "user",
    "arn",
    "password_enabled",
    "mfa_active",
    "access_key_1_active",
    "access_key_2_active",
  ].map(col);
  return lines
    .slice(1)
    .map(fields)
    .filter((f) => f[user] !== "<root_account>")
    .map((f) => ({
      user: f[user],
      arn: f[arn],
      passwordEnabled: f[password] === "true",
      mfaActive: f[mfa] === "true",
      activeAccessKeys: [f[key1], f[key2]].filter((v) => v === "true").length,
    }));
}

/** A report's JSON as `aws iam get-credential-report` prints it, for the given rows (tests build snapshots with it). */
export function credentialReportJson(rows: readonly CredentialRow[], account: string): Record<string, unknown> {
  const header =
    "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";
  const q = (v: string) => (/[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const when = "2026-01-15T09:00:00+00:00";
  const line = (r: CredentialRow) =>
    [
      q(r.user),
      q(r.arn),
      when,
      String(r.passwordEnabled),
      "N/A",
      r.passwordEnabled ? when : "N/A",
      "N/A",
      String(r.mfaActive),
      String(r.activeAccessKeys >= 1),
      r.activeAccessKeys >= 1 ? when : "N/A",
      "N/A",
      "N/A",
      "N/A",
      String(r.activeAccessKeys >= 2),
      r.activeAccessKeys >= 2 ? when : "N/A",
      "N/A",
      "N/A",
      "N/A",
      "false",
      "N/A",
      "false",
      "N/A",
    ].join(",");
  const root = `<root_account>,${accountRootArn(account)},${when},not_supported,N/A,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`;
  return {
    Content: Buffer.from([header, root, ...rows.map(line)].join("\n")).toString("base64"),
    ReportFormat: "text/csv",
    GeneratedTime: when,
  };
}
