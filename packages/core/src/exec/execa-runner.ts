// The real CommandRunner: every external tool meshspec drives (kind, docker, helm, linkerd, step, ...) runs
// through here, so timeouts, cancellation, logging and error messages behave the same for all of them.
import { constants as fsConstants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { CommandError } from '../errors.js';
import { redact } from '../log/logger.js';
import type { Logger } from '../log/types.js';
import { stderrExcerpt } from './stderr-excerpt.js';
import type { CommandRunner, RunOptions, RunResult } from './types.js';

export interface CommandRunnerOptions {
  logger: Logger;
  /** Also stream each child's stdout/stderr lines to the logger (debug level) while it runs. */
  verbose?: boolean;
  /** Variables added to every child's environment (on top of this process's). */
  env?: Record<string, string | undefined>;
  /** Time between SIGTERM and SIGKILL when a process tree is stopped; default 5 s. */
  killGraceMs?: number;
  /** Told of each process group started and ended (meshspec records them so a run after a kill -9 can stop orphans). */
  groups?: { started(pgid: number, command: string): void; ended(pgid: number): void };
}

const DEFAULT_KILL_GRACE_MS = 5_000;

/**
 * Process groups of children still running. Children are spawned detached (own process group) so a
 * timeout can kill their whole tree; the price is that they would outlive us on exit, so they are
 * killed here when this process exits.
 */
const liveGroups = new Set<number>();
let exitHookInstalled = false;
function trackGroup(pgid: number): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const g of liveGroups) signalGroup(g, 'SIGKILL');
    });
  }
  liveGroups.add(pgid);
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

export function createCommandRunner(options: CommandRunnerOptions): CommandRunner {
  const { logger, verbose = false } = options;
  const baseEnv = options.env ?? {};
  const grace = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;

  const which = (file: string) => findOnPath(file, baseEnv.PATH ?? process.env.PATH ?? '');

  async function run(file: string, args: string[], runOptions: RunOptions = {}): Promise<RunResult> {
    const secrets = (runOptions.redact ?? []).filter((s) => s.length > 0);
    // This call's own secrets, then every secret registered in the process (keys a plugin read or made):
    // tools such as `linkerd install` print them (base64 in a Secret), and the logger this runner was given
    // need not redact by itself.
    const hide = (text: string) => redact(redactAll(text, secrets));
    const command = formatCommand(file, args);
    const shown = hide(command);
    const { signal, timeout } = runOptions;

    if (signal?.aborted) {
      throw new CommandError(`${shown} was cancelled before it started`, shown, undefined, '', 'cancelled');
    }

    const { execa } = await import('execa');
    logger.debug(`$ ${shown}`);
    const started = Date.now();

    const subprocess = execa(file, args, {
      ...(runOptions.input !== undefined ? { input: runOptions.input } : { stdin: 'ignore' as const }),
      env: { ...baseEnv, ...runOptions.env },
      extendEnv: true,
      ...(runOptions.cwd ? { cwd: runOptions.cwd } : {}),
      reject: false,
      // Own process group, so the whole tree (grandchildren included) can be signalled at once.
      detached: true,
      stripFinalNewline: false,
      encoding: 'utf8',
    });
    const pgid = subprocess.pid;
    if (pgid !== undefined) trackGroup(pgid);
    if (pgid !== undefined) options.groups?.started(pgid, shown);

    if (verbose) {
      for (const stream of [subprocess.stdout, subprocess.stderr]) {
        let partial = '';
        stream?.on('data', (chunk: Buffer | string) => {
          const lines = (partial + chunk.toString()).split('\n');
          partial = lines.pop() ?? '';
          for (const line of lines) logger.debug(`  ${hide(line)}`);
        });
        // A last line without a newline would otherwise never be shown.
        stream?.on('end', () => {
          if (partial) logger.debug(`  ${hide(partial)}`);
          partial = '';
        });
      }
    }

    let stopReason: 'timeout' | 'cancelled' | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const stopTree = (reason: 'timeout' | 'cancelled') => {
      if (stopReason || pgid === undefined) return;
      stopReason = reason;
      signalGroup(pgid, 'SIGTERM');
      // Escalate for processes that ignore SIGTERM. Sent even if the direct child already exited:
      // grandchildren in the group may still be alive.
      killTimer = setTimeout(() => signalGroup(pgid, 'SIGKILL'), grace);
      killTimer.unref();
    };
    const timeoutTimer = timeout !== undefined && timeout > 0 ? setTimeout(() => stopTree('timeout'), timeout) : undefined;
    const onAbort = () => stopTree('cancelled');
    signal?.addEventListener('abort', onAbort, { once: true });

    let result: Awaited<typeof subprocess>;
    try {
      result = await subprocess;
    } finally {
      if (timeoutTimer) clearTimeout(timeoutTimer);
      signal?.removeEventListener('abort', onAbort);
      if (pgid !== undefined && !stopReason) liveGroups.delete(pgid);
      if (pgid !== undefined) options.groups?.ended(pgid);
      if (pgid !== undefined && stopReason) {
        // Forget the group once the SIGKILL escalation has had its chance.
        setTimeout(() => liveGroups.delete(pgid), grace + 100).unref();
      }
    }

    const stdout = String(result.stdout ?? '');
    const stderr = String(result.stderr ?? '');
    const exitCode = typeof result.exitCode === 'number' ? result.exitCode : -1;
    logger.debug(
      `  ${file} finished in ${Date.now() - started} ms (${stopReason ?? (result.signal ? `signal ${result.signal}` : `exit ${exitCode}`)})`,
    );
    // The lines that say what went wrong plus the end (linkerd prints `Error: ...`, then usage text).
    const tail = hide(stderrExcerpt(stderr));

    if (stopReason === 'timeout') {
      throw new CommandError(
        `${shown} timed out after ${formatDuration(timeout ?? 0)}; its process tree was killed${tailBlock(tail)}`,
        shown,
        result.exitCode,
        tail,
        'timeout',
      );
    }
    if (stopReason === 'cancelled') {
      throw new CommandError(`${shown} was cancelled; its process tree was killed`, shown, result.exitCode, tail, 'cancelled');
    }
    if (
      result.code === 'ENOENT' ||
      (result.failed && result.exitCode === undefined && !result.signal && String(result.message).includes('ENOENT'))
    ) {
      const cwdMissing = runOptions.cwd !== undefined && !(await isDirectory(runOptions.cwd));
      if (cwdMissing) {
        throw new CommandError(`cannot run ${shown}: working directory ${runOptions.cwd} does not exist`, shown, undefined, '', 'exit');
      }
      throw new CommandError(
        `\`${file}\` was not found on PATH (needed to run: ${shown}). Install it, or run \`meshspec doctor\` to see which tools are missing and how to get them.`,
        shown,
        undefined,
        '',
        'not-found',
      );
    }
    if (result.failed && result.exitCode === undefined && !result.signal) {
      // Spawn failed for another reason (EACCES, ...).
      throw new CommandError(
        `cannot run ${shown}: ${hide(String(result.originalMessage || result.message))}`,
        shown,
        undefined,
        tail,
        'exit',
      );
    }

    const runResult: RunResult = { command: shown, exitCode, stdout, stderr };
    if (exitCode !== 0 && runOptions.reject !== false) {
      const how = result.signal ? `was killed by ${result.signal}` : `exited with code ${exitCode}`;
      throw new CommandError(`${shown} ${how}${tailBlock(tail)}`, shown, exitCode, tail, 'exit');
    }
    return runResult;
  }

  return { run, which };
}

/** Resolves `file` like a shell does: a path containing `/` as is, a bare name through PATH. */
export async function findOnPath(file: string, pathVariable: string): Promise<string | undefined> {
  if (file.includes('/')) {
    const full = isAbsolute(file) ? file : resolve(file);
    return (await isExecutableFile(full)) ? full : undefined;
  }
  for (const dir of pathVariable.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, file);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    const s = await stat(path);
    if (!s.isFile()) return false;
    await access(path, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** A copy-pasteable command line: arguments with spaces or shell metacharacters are single-quoted. */
export function formatCommand(file: string, args: string[]): string {
  return [file, ...args].map(quoteArg).join(' ');
}

function quoteArg(arg: string): string {
  if (arg !== '' && /^[\w@%+=:,./<>-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

export function redactAll(text: string, secrets: string[]): string {
  let out = text;
  // Longest first, so a secret containing another one is hidden whole.
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join('***');
  return out;
}

function tailBlock(tail: string): string {
  return tail
    ? `\n${tail
        .split('\n')
        .map((l) => `  | ${l}`)
        .join('\n')}`
    : '';
}

function formatDuration(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000}s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)}s` : `${ms}ms`;
}
