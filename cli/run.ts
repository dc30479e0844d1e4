/**
 * The one way a command-line entry point runs: call `main` with the arguments, set the exit code it
 * returns, and turn an unexpected failure into one line on stderr (a user never sees a stack trace;
 * `DEBUG_STACK=1` prints it for a developer). A reader that closes the pipe early ends it quietly.
 */
/** The exit status of a process a closed pipe stopped (128 + SIGPIPE), as `yes | head` leaves `yes`. */
export const CLOSED_PIPE_STATUS = 141;

export function run(name: string, main: (argv: readonly string[]) => number | Promise<number>, crashCode = 1): void {
  // `npm start | head`: once the reader has gone there is nobody to tell anything; stop quietly
  // instead of dying with Node's stack trace of the failed write.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(CLOSED_PIPE_STATUS);
    throw e;
  });
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
