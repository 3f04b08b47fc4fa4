export interface RunOptions {
  /** Data piped to the child's stdin. */
  input?: string | Buffer;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Milliseconds; the child process tree is killed after it. */
  timeout?: number;
  /** Cancels the child (tree) when aborted; defaults to the step's signal. */
  signal?: AbortSignal;
  /** Do not throw on a non-zero exit; return the result instead. */
  reject?: boolean;
  /** Strings that must never appear in logs (e.g. secrets passed on argv); replaced by `***`. */
  redact?: string[];
}

export interface RunResult {
  command: string;
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs external commands. Implementations: execa-backed (real) and recording (tests). */
export interface CommandRunner {
  run(file: string, args: string[], options?: RunOptions): Promise<RunResult>;
  /** Is `file` on PATH? Returns its resolved path or undefined. */
  which(file: string): Promise<string | undefined>;
}
