// The Logger every step gets: levels, a verbose switch, per-step scopes, an optional log file, and
// redaction of every secret registered anywhere in the process (keys must never reach a terminal or file).
import { appendFileSync, chmodSync, renameSync, statSync } from 'node:fs';
import type { Logger } from './types.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The log file inside a topology's state dir: `createLogger({ file: join(stateDir, LOG_FILE) })`. */
export const LOG_FILE = 'meshspec.log';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const MIN_SECRET_LENGTH = 4;

const secrets = new Set<string>();

/**
 * Registers a value that must never be printed. Multi-line values (PEM keys) also register each
 * substantial line, so a single line of a key logged on its own is hidden too.
 */
export function registerSecret(value: string): void {
  const add = (s: string) => {
    if (s.length >= MIN_SECRET_LENGTH) secrets.add(s);
  };
  add(value);
  add(value.trim());
  if (value.includes('\n')) {
    for (const line of value.split(/\r?\n/)) {
      const t = line.trim();
      if (t.length >= 16 && !/^-----(BEGIN|END) /.test(t)) add(t);
    }
  }
}

/** For tests: forget every registered secret. */
export function clearSecrets(): void {
  secrets.clear();
}

/** Replaces every registered secret in `text` by `***`. */
export function redact(text: string): string {
  if (secrets.size === 0) return text;
  // Longest first, so a secret containing another one is hidden whole.
  let out = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) {
    if (out.includes(s)) out = out.split(s).join('***');
  }
  return out;
}

export interface LoggerOptions {
  /** Where lines go; stderr by default (stdout is for results and JSON events). */
  stream?: { write(chunk: string): unknown };
  /** Show debug lines on the stream. */
  verbose?: boolean;
  /** Minimum level shown on the stream; `verbose` lowers it to debug. */
  level?: LogLevel;
  /** Also append every line (debug included, timestamped) to this file, e.g. `<stateDir>/meshspec.log`. */
  file?: string;
  /** Prefix of every line, e.g. a step id. */
  scope?: string;
}

export interface MeshspecLogger extends Logger {
  child(scope: string): MeshspecLogger;
  /**
   * From now on also append every line (debug included) to `file`, for this logger and all its children:
   * the CLI learns the state dir only after the topology is validated. A file given to createLogger (or an
   * earlier logTo) is kept unless `replace` is set: whoever configured one chose where the log goes.
   */
  logTo(file: string, options?: { replace?: boolean }): void;
}

/** meshspec.log is rotated to meshspec.log.1 (one old file kept) when it passes this size. */
export const MAX_LOG_FILE_BYTES = 1024 * 1024;
/** One log line at most: a tool's whole output belongs in a failure message, not in every log line. */
export const MAX_LOG_LINE_CHARS = 4_000;

export function createLogger(options: LoggerOptions = {}): MeshspecLogger {
  const stream = options.stream ?? process.stderr;
  const minimum = options.verbose ? RANK.debug : RANK[options.level ?? 'info'];
  // Shared by every child, so logTo on the root reaches the step loggers made earlier too.
  const sink = { file: options.file, written: -1 };
  const append = (line: string) => {
    const file = sink.file;
    if (!file) return;
    try {
      let fresh = false;
      if (sink.written < 0) {
        sink.written = statSync(file, { throwIfNoEntry: false })?.size ?? 0;
        fresh = true;
      }
      if (sink.written + line.length > MAX_LOG_FILE_BYTES) {
        renameSync(file, `${file}.1`);
        sink.written = 0;
        fresh = true;
      }
      appendFileSync(file, line, { mode: 0o600 });
      // The log may quote commands and names; like the state dir it is for the owner only.
      if (fresh) chmodSync(file, 0o600);
      sink.written += Buffer.byteLength(line);
    } catch {
      // The log file is a convenience; never fail a step because it cannot be written.
    }
  };

  const make = (scope: string | undefined): MeshspecLogger => {
    const emit = (level: LogLevel, message: string) => {
      const prefix = scope ? `[${scope}] ` : '';
      const body = redact(`${prefix}${message}`);
      if (RANK[level] >= minimum) {
        const tag = level === 'info' ? '' : `${level}: `;
        stream.write(`${tag}${body}\n`);
      }
      if (sink.file) {
        const line =
          body.length > MAX_LOG_LINE_CHARS
            ? `${body.slice(0, MAX_LOG_LINE_CHARS)}… (${body.length - MAX_LOG_LINE_CHARS} more characters)`
            : body;
        append(`${new Date().toISOString()} ${level.padEnd(5)} ${line}\n`);
      }
    };
    return {
      debug: (m) => emit('debug', m),
      info: (m) => emit('info', m),
      warn: (m) => emit('warn', m),
      error: (m) => emit('error', m),
      child: (child) => make(scope ? `${scope} ${child}` : child),
      logTo: (path, logOptions) => {
        if (sink.file && !logOptions?.replace) return;
        sink.file = path;
        sink.written = -1;
      },
    };
  };
  return make(options.scope);
}
