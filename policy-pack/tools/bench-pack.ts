/**
 * `npm run bench:pack`: what every preview of every stack pays for this pack.
 *
 * 1. Builds the pack (`npm run build`: the compiled JavaScript the CLI runs).
 * 2. Cold start: spawns `node bin/index.js` as the Pulumi CLI does and times it until the gRPC
 *    port is printed (the CLI waits for that line); for comparison, the same with a TypeScript
 *    `main` type-checked by ts-node, which is what a pack without compiled output costs.
 * 3. Per-resource validation over a generated 10,000-resource `pulumi stack export`
 *    (policy-pack/.bench/, git-ignored): through the offline runner, and through
 *    `@pulumi/policy`'s own Analyze handler with protobuf requests as the engine sends them.
 *
 *   npm run bench:pack [-- --resources N --runs N]
 */
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseAuditInput } from "../../verify/audit/audit";

const PACK_DIR = path.resolve(__dirname, "..");
const BIN = path.join(PACK_DIR, "bin");
const BOUNDARY = "jump-permissions-boundary";
const ACCOUNT = "444455556666";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const ms = (ns: bigint) => Number(ns) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x: number, digits = 1) => x.toFixed(digits);

/** Spawn the pack as the CLI does and time it to the printed port. */
function timeToPort(argv: string[], timeoutMs = 120_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, argv, { cwd: PACK_DIR, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`no port within ${timeoutMs} ms: ${err}`));
    }, timeoutMs);
    child.stderr.on("data", (d) => (err += d));
    child.stdout.on("data", (d) => {
      out += d;
      if (/^\d+\s*$/m.test(out)) {
        const elapsed = ms(process.hrtime.bigint() - start);
        clearTimeout(timer);
        child.kill();
        resolve(elapsed);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (!/^\d+\s*$/m.test(out)) reject(new Error(`pack exited (${code}) before printing a port: ${err}`));
    });
  });
}

/** A stack export of `n` resources, shaped like a large target account. */
export function generateStackExport(n: number): { doc: unknown; counts: Record<string, number> } {
  const stack = "urn:pulumi:bench::target-account";
  const boundaryArn = `arn:aws:iam::${ACCOUNT}:policy/${BOUNDARY}`;
  const trust = (i: number) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: [`arn:aws:iam::111122223333:user/user-${i}`, `arn:aws:iam::111122223333:user/user-${i + 1}`] },
          Action: "sts:AssumeRole",
          Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
        },
      ],
    });
  const boundaryDoc = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: "*", Resource: "*" },
      { Effect: "Deny", Action: ["iam:*User*", "iam:*Group*", "iam:CreateLoginProfile", "iam:CreateAccessKey"], Resource: "*" },
      {
        Effect: "Deny",
        Action: [
          "iam:CreateRole",
          "iam:AttachRolePolicy",
          "iam:DetachRolePolicy",
          "iam:PutRolePolicy",
          "iam:DeleteRolePolicy",
          "iam:PutRolePermissionsBoundary",
        ],
        Resource: "*",
        Condition: { StringNotEquals: { "iam:PermissionsBoundary": boundaryArn } },
      },
      {
        Effect: "Deny",
        Action: "iam:DeleteRolePermissionsBoundary",
        Resource: "*",
        Condition: { StringEquals: { "iam:PermissionsBoundary": boundaryArn } },
      },
      {
        Effect: "Deny",
        Action: ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"],
        Resource: boundaryArn,
      },
    ],
  });
  const resources: unknown[] = [];
  const counts: Record<string, number> = {};
  const add = (type: string, name: string, inputs: Record<string, unknown>, outputs: Record<string, unknown> = {}) => {
    counts[type] = (counts[type] ?? 0) + 1;
    resources.push({ urn: `${stack}::${type}::${name}`, custom: true, id: name, type, inputs, outputs: { ...inputs, ...outputs } });
  };
  add("aws:iam/policy:Policy", "boundary", { name: BOUNDARY, path: "/", policy: boundaryDoc }, { arn: boundaryArn });
  for (let i = 0; resources.length < n; i++) {
    const kind = i % 10;
    if (kind < 3) {
      add(
        "aws:iam/role:Role",
        `role-${i}`,
        {
          name: `role-${i}`,
          path: "/",
          assumeRolePolicy: trust(i),
          permissionsBoundary: boundaryArn,
          maxSessionDuration: 3600,
          tags: { team: `t${i % 17}` },
        },
        { arn: `arn:aws:iam::${ACCOUNT}:role/role-${i}` },
      );
    } else if (kind < 6) {
      add("aws:iam/rolePolicyAttachment:RolePolicyAttachment", `attach-${i}`, {
        role: `role-${i - 3}`,
        policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
      });
    } else if (kind < 8) {
      add("aws:iam/policy:Policy", `policy-${i}`, {
        name: `app-policy-${i}`,
        path: "/app/",
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: `arn:aws:s3:::bucket-${i}/*` }],
        }),
      });
    } else {
      add("aws:s3/bucketV2:BucketV2", `bucket-${i}`, { bucket: `bucket-${i}`, tags: { team: `t${i % 17}` } });
    }
  }
  return {
    doc: { version: 3, deployment: { manifest: { time: new Date(0).toISOString(), magic: "", version: "v3.200.0" }, resources } },
    counts,
  };
}

async function main(): Promise<void> {
  const n = arg("resources", 10_000);
  const runs = arg("runs", 5);
  process.stdout.write("building the pack (npm run build)... ");
  execFileSync("npm", ["run", "--silent", "build"], { cwd: PACK_DIR, stdio: ["ignore", "ignore", "inherit"] });
  console.log("done");

  // Cold start.
  const cold: number[] = [];
  for (let i = 0; i < runs; i++) cold.push(await timeToPort([path.join(BIN, "index.js")]));
  const loadScript =
    `const t0=process.hrtime.bigint();require("@pulumi/policy");const t1=process.hrtime.bigint();` +
    `require(${JSON.stringify(path.join(BIN, "policies.js"))});const t2=process.hrtime.bigint();` +
    `console.log(JSON.stringify([Number(t1-t0)/1e6,Number(t2-t1)/1e6]))`;
  const loads = Array.from(
    { length: runs },
    () => JSON.parse(execFileSync(process.execPath, ["-e", loadScript], { cwd: PACK_DIR }).toString()) as [number, number],
  );
  const sdkLoad = median(loads.map((l) => l[0]));
  const ownLoad = median(loads.map((l) => l[1]));
  const tsStart = await timeToPort([
    "-e",
    "require('ts-node').register({ typeCheck: true, project: 'tsconfig.json' }); require('./index.ts')",
  ]);

  // A generated stack export, read as `npm run audit` reads it.
  const dir = path.join(PACK_DIR, ".bench");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `stack-export-${n}.json`);
  const { doc, counts } = generateStackExport(n);
  fs.writeFileSync(file, JSON.stringify(doc));
  const resources = parseAuditInput(fs.readFileSync(file, "utf8"), file);

  // The compiled pack, as shipped.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runPolicies } = require(path.join(BIN, "offline.js")) as typeof import("../offline");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { policies, PACK_NAME } = require(path.join(BIN, "policies.js")) as typeof import("../policies");
  const offlineTimes: number[] = [];
  let violations = -1;
  for (let i = 0; i < 3; i++) {
    const t = process.hrtime.bigint();
    const r = await runPolicies(resources, { policies });
    offlineTimes.push(ms(process.hrtime.bigint() - t));
    violations = r.violations.length;
  }

  // @pulumi/policy's own Analyze handler, one protobuf request per resource as the engine sends them.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const server = require("@pulumi/policy/server");
  const pb = require("@pulumi/pulumi/proto/analyzer_pb");
  const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const requests = resources.map((r) => {
    const req = new pb.AnalyzeRequest();
    req.setType(r.type);
    req.setName(r.name);
    req.setUrn(r.urn);
    req.setProperties(Struct.fromJavaScript(r.props));
    req.setOptions(new pb.AnalyzerResourceOptions());
    return req;
  });
  const analyze = server.makeAnalyzeRpcFun(PACK_NAME, "bench", "advisory", policies);
  const engineTimes: number[] = [];
  let diagnostics = -1;
  for (let i = 0; i < 3; i++) {
    let count = 0;
    const t = process.hrtime.bigint();
    for (const req of requests) {
      await new Promise<void>((resolve, reject) =>
        analyze({ request: req }, (err: unknown, resp: { getDiagnosticsList(): unknown[] }) => {
          if (err) reject(err);
          else {
            count += resp.getDiagnosticsList().length;
            resolve();
          }
        }),
      );
    }
    engineTimes.push(ms(process.hrtime.bigint() - t));
    diagnostics = count;
  }

  const perRes = (t: number) => (t * 1000) / resources.length;
  console.log("");
  console.log(`policy pack ${PACK_NAME}: ${policies.length} policies`);
  console.log(`cold start, node bin/index.js to gRPC port (median of ${runs}): ${fmt(median(cold))} ms (min ${fmt(Math.min(...cold))} ms)`);
  console.log(`  of which loading @pulumi/policy (with @pulumi/pulumi): ${fmt(sdkLoad)} ms; the pack's own modules: ${fmt(ownLoad)} ms`);
  console.log(`  for comparison, a TypeScript main type-checked by ts-node: ${fmt(tsStart)} ms`);
  console.log(
    `stack export: ${resources.length} resources (${Object.entries(counts)
      .map(([t, c]) => `${c} ${t}`)
      .join(", ")})`,
  );
  console.log(`  ${path.relative(process.cwd(), file)}`);
  console.log(
    `validation, offline runner (median of 3): ${fmt(median(offlineTimes))} ms total, ${fmt(perRes(median(offlineTimes)), 2)} µs per resource; violations: ${violations}`,
  );
  console.log(
    `validation, @pulumi/policy Analyze handler (median of 3): ${fmt(median(engineTimes))} ms total, ${fmt(perRes(median(engineTimes)), 2)} µs per resource; diagnostics: ${diagnostics}`,
  );
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
