/**
 * The one way a command-line entry point runs: call `main` with the arguments, set the exit code it
 * returns, and turn an unexpected failure into one line on stderr (a user never sees a stack trace;
 * `DEBUG_STACK=1` prints it for a developer).
 */
export function run(name: string, main: (argv: readonly string[]) => number | Promise<number>, crashCode = 1): void {
  const fail = (e: unknown): void => {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`${name}: error: ${message.replace(/\s*\n\s*/g, " ")}\n`);
    if (process.env.DEBUG_STACK && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    process.exitCode = crashCode;
  };
  try {
    Promise.resolve(main(process.argv.slice(2))).then((code) => {
      process.exitCode = code;
    }, fail);
  } catch (e) {
    fail(e);
  }
}
