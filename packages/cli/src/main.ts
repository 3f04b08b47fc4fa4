import { writeSync } from 'node:fs';
import { parseCli, UsageError, type CliOptions } from './args.js';
import type { CliIo } from './cli-io.js';
import { HELP, VERSION } from './help.js';

export type { CliIo } from './cli-io.js';

/** Runs one meshspec command and returns its exit code (0 ok, 1 failed, 2 usage, 130 interrupted). */
export async function main(argv: string[], io?: CliIo): Promise<number> {
  let processStreams: CliIo | undefined;
  const streams = (): CliIo => io ?? (processStreams ??= processIo());
  let options: CliOptions;
  try {
    options = parseCli(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      streams().stderr.write(
        `meshspec: ${error.message}\nRun 'meshspec ${error.command ?? ''}${error.command ? ' ' : ''}--help' for usage.\n`,
      );
      return 2;
    }
    throw error;
  }
  const answer =
    options.command === 'help'
      ? HELP.main
      : options.help
        ? (HELP[options.command] ?? HELP.main)
        : options.command === 'version'
          ? VERSION
          : undefined;
  if (answer !== undefined) return io ? write(io.stdout, answer) : writeToProcess(answer);

  const { runCommand } = await import('./commands/run.js');
  return runCommand(options, streams());
}

function write(stream: CliIo['stdout'], text: string): number {
  stream.write(`${text}\n`);
  return 0;
}

/**
 * `--help` and `version` write straight to file descriptor 1: the first touch of `process.stdout` builds a
 * tty or socket stream (node:net and the stream machinery, ~3 ms of a ~35 ms start; issue 11) for one
 * write. Whatever goes wrong (a full non-blocking pipe, a closed one) is left to `process.stdout`, which
 * then writes the rest exactly as before.
 */
function writeToProcess(text: string): number {
  const bytes = Buffer.from(`${text}\n`, 'utf8');
  let written = 0;
  try {
    while (written < bytes.length) written += writeSync(1, bytes, written);
  } catch {
    process.stdout.write(bytes.subarray(written));
  }
  return 0;
}

/**
 * The real process. Until a command arms signals, SIGINT/SIGTERM keep their default action (the process ends
 * at once: validate, plan, schema, status and doctor have nothing to save). Once armed (apply, destroy), Ctrl-C
 * aborts the run so running steps' children are killed, state is saved and the lock released before exiting
 * with 130; a second Ctrl-C exits at once.
 */
/** Second Ctrl-C: say what is being cut short, then exit (the runner's exit hook kills the children's groups). */
async function forcedQuit(signal: NodeJS.Signals): Promise<never> {
  let running: string[] = [];
  try {
    // Already loaded by the command that armed the signals; this import only fetches it from the cache.
    running = (await import('@meshspec/core')).runningCommands();
  } catch {
    // Nothing more to say.
  }
  const lines = [
    `\nmeshspec: ${signal} again: forced quit.`,
    running.length > 0
      ? `  killing ${running.length} running command${running.length === 1 ? '' : 's'}:\n${running.map((c) => `    ${c.length > 200 ? `${c.slice(0, 199)}…` : c}`).join('\n')}`
      : '  no command was running.',
    '  state.json keeps the steps that completed; the next apply re-runs the interrupted ones and clears what is left (lock, temp files, stray processes).',
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
  process.exit(130);
}

function processIo(): CliIo {
  const controller = new AbortController();
  let armed = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      void forcedQuit(signal);
      return;
    }
    process.stderr.write(`\nmeshspec: ${signal}: stopping running steps and saving state (again to force quit)\n`);
    controller.abort();
  };
  const armSignals = () => {
    if (armed) return;
    armed = true;
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  };
  return { stdout: process.stdout, stderr: process.stderr, signal: controller.signal, armSignals };
}
