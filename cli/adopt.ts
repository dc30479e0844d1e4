/** `npm run adopt -- SNAPSHOT...`: writes the file `pulumi import --file` takes, from IAM snapshots of console-built accounts. */
import { main } from "../verify/adopt/adopt";
import { run } from "./run";

run("adopt", (argv) => main(argv, { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) }), 2);
