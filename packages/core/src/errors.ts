// Typed errors. Every error meshspec shows a person carries enough context to act on without a stack trace.

/** One problem in a topology file, positioned in the YAML source. */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  /** Field path, e.g. `clusters.demo3.serviceSubnet`. */
  path: string;
  message: string;
  /** What to do about it. */
  fix?: string;
  /** Which part of meshspec found it: `schema`, `yaml`, or a plugin name. */
  source: string;
  /** Absent: an error (the topology is rejected). `warning`: reported, but the topology stays valid. */
  severity?: 'warning';
}

/** The same diagnostic as a warning: shown with its position and fix, never rejecting the topology. */
export function asWarning(diagnostic: Diagnostic): Diagnostic {
  return { ...diagnostic, severity: 'warning' };
}

export const isWarning = (diagnostic: Diagnostic): boolean => diagnostic.severity === 'warning';

export class MeshspecError extends Error {
  override name = 'MeshspecError';
  /** Process exit code the CLI uses for this error. */
  exitCode = 1;
}

/** The topology is invalid; holds every problem found, not just the first. */
export class TopologyError extends MeshspecError {
  override name = 'TopologyError';
  constructor(
    readonly diagnostics: Diagnostic[],
    /** Text of the files the diagnostics point into (file -> text), so the message can show source excerpts. */
    readonly sources: Readonly<Record<string, string>> = {},
  ) {
    super(`${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'} in topology`);
  }
}

/** A step failed while running. */
export class StepError extends MeshspecError {
  override name = 'StepError';
  constructor(
    readonly stepId: string,
    message: string,
    readonly details: { cluster?: string; command?: string; stderrTail?: string; cause?: unknown } = {},
  ) {
    super(message);
  }
}

/** A command run by a step exited non-zero, timed out or was cancelled. */
export class CommandError extends MeshspecError {
  override name = 'CommandError';
  constructor(
    message: string,
    readonly command: string,
    readonly exitCode_: number | undefined,
    readonly stderrTail: string,
    readonly reason: 'exit' | 'timeout' | 'cancelled' | 'not-found' = 'exit',
  ) {
    super(message);
  }
}

/** The step graph is not a DAG or names steps that do not exist. */
export class DagError extends MeshspecError {
  override name = 'DagError';
}

/** Another meshspec process holds the topology's lock. */
export class LockError extends MeshspecError {
  override name = 'LockError';
}

/** Plugin loading/config problems. */
export class PluginError extends MeshspecError {
  override name = 'PluginError';
}

/** Kubernetes API problems (apply conflicts, waits that time out), with the object and cluster. */
export class KubeError extends MeshspecError {
  override name = 'KubeError';
  constructor(
    message: string,
    readonly details: { context?: string; object?: string; reason?: string } = {},
  ) {
    super(message);
  }
}

/** Raised when the run was interrupted (Ctrl-C). */
export class CancelledError extends MeshspecError {
  override name = 'CancelledError';
  override exitCode = 130;
}
