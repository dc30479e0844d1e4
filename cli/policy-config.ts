/** `npm run --silent policy-config -- <folder>/<stack> [--out FILE]`: one stack's pack config, as CI and Pulumi Cloud get it. */
import { main } from "../governance/policy-config";
import { run } from "./run";

run("policy-config", main);
