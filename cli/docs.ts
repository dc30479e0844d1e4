/** `npm run docs [-- --check]`: writes (or checks) every generated document. */
import { main } from "../docgen/generated-files";
import { run } from "./run";

run("docs", main);
