/** `npm run audit -- FILE`: runs the policy pack over a stack export or preview, offline. */
import { main } from "../verify/audit/audit";
import { run } from "./run";

run("audit", (argv) => main(argv, { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) }), 2);
