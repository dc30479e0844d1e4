/** `npm start`: plans the example environment (or `--env DIR`) offline and proves it. */
import { main } from "../verify/plan/plan";
import { run } from "./run";

run("start", (argv) => main(argv));
