/** `npm run --silent ci -- plan|check ...`: the workflows' stack plan and their one required check (ci/cli.ts). */
import { main } from "../ci/cli";
import { run } from "./run";

run("ci", main);
