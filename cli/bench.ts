/** `npm run bench`: the offline plan's figures beside their goals. */
import { main } from "../bench/bench";
import { run } from "./run";

run("bench", main);
