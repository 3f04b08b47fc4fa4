import { parseCli, UsageError, type CliOptions } from './args.js';
import { HELP, VERSION } from './help.js';

/** Where a command writes; the binary passes the process streams, tests pass buffers. */
export interface CliIo {
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  /** Current directory for resolving relative paths; default process.cwd(). */
  cwd?: string;
  /** Aborted on Ctrl-C; the binary wires SIGINT/SIGTERM to it. */
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

/** Runs one meshspec command and returns its exit code (0 ok, 1 failed, 2 usage, 130 interrupted). */
export async function main(argv: string[], io?: CliIo): Promise<number> {
  const streams: CliIo = io ?? processIo();
  let options: CliOptions;
  try {
    options = parseCli(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      streams.stderr.write(`meshspec: ${error.message}\nRun 'meshspec ${error.command ?? ''}${error.command ? ' ' : ''}--help' for usage.\n`);
      return 2;
    }
    throw error;
  }
  if (options.command === 'help') return write(streams.stdout, HELP.main ?? "");
  if (options.help) return write(streams.stdout, HELP[options.command] ?? HELP.main ?? "");
  if (options.command === 'version') return write(streams.stdout, VERSION);

  const { runCommand } = await import('./commands/run.js');
  return runCommand(options, streams);
}

function write(stream: CliIo['stdout'], text: string): number {
  stream.write(`${text}\n`);
  return 0;
}

/**
 * The real process: Ctrl-C (or SIGTERM) aborts the run so running steps' children are killed, state is
 * saved and the lock released before exiting with 130; a second Ctrl-C exits at once.
 */
function processIo(): CliIo {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(`\nmeshspec: ${signal}: stopping running steps and saving state (again to force quit)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { stdout: process.stdout, stderr: process.stderr, signal: controller.signal };
}
