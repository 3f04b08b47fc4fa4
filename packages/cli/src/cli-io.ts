// The streams and process hooks a command works with: its own module so that main.ts (which loads the
// command router) and the commands (which write to it) both depend on it, not on each other.
/** Where a command writes; the binary passes the process streams, tests pass buffers. */
export interface CliIo {
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  /** Current directory for resolving relative paths; default process.cwd(). */
  cwd?: string;
  /** Aborted on Ctrl-C once `armSignals` ran; the binary wires SIGINT/SIGTERM to it. */
  signal?: AbortSignal;
  /**
   * Called by commands with something to clean up (apply, destroy: children, state, lock) before their
   * first side effect. Until then Ctrl-C keeps its default action and ends the process at once, even in
   * the middle of a long synchronous parse or a blocked write.
   */
  armSignals?(): void;
  env?: NodeJS.ProcessEnv;
}
