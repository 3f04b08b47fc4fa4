import { CommandError } from '../errors.js';
import { stderrExcerpt } from '../exec/stderr-excerpt.js';
import type { CommandRunner, RunOptions, RunResult } from '../exec/types.js';

export interface RecordedCall {
  file: string;
  args: string[];
  input?: string;
  /** Variables the call set on top of the runner's environment (absent when none). */
  env?: Record<string, string | undefined>;
}

/** Answer for a call: a result, or a function of the call. Unmatched calls answer exit 0 with empty output. */
export type Responder = (call: RecordedCall) => Partial<RunResult> | undefined;

/**
 * An in-process CommandRunner for unit tests: records every call and answers from responders.
 * (Orchestration tests use the fake toolchain executables on PATH instead, through the real runner.)
 */
export class RecordingRunner implements CommandRunner {
  readonly calls: RecordedCall[] = [];
  private readonly responders: Responder[] = [];

  /** Adds a responder; the first one that returns a value answers. */
  on(
    match: string | RegExp | ((call: RecordedCall) => boolean),
    answer: Partial<RunResult> | ((call: RecordedCall) => Partial<RunResult>),
  ): this {
    const test =
      typeof match === 'function'
        ? match
        : (c: RecordedCall) => (typeof match === 'string' ? commandLine(c).startsWith(match) : match.test(commandLine(c)));
    this.responders.push((c) => (test(c) ? (typeof answer === 'function' ? answer(c) : answer) : undefined));
    return this;
  }

  async run(file: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
    const call: RecordedCall = {
      file,
      args: [...args],
      ...(options.input !== undefined ? { input: options.input.toString() } : {}),
      ...(options.env ? { env: { ...options.env } } : {}),
    };
    this.calls.push(call);
    const answer = this.responders.map((r) => r(call)).find((a) => a !== undefined) ?? {};
    const result: RunResult = {
      command: commandLine(call),
      exitCode: answer.exitCode ?? 0,
      stdout: answer.stdout ?? '',
      stderr: answer.stderr ?? '',
    };
    if (result.exitCode !== 0 && options.reject !== false) {
      throw new CommandError(
        `${result.command} exited with ${result.exitCode}`,
        result.command,
        result.exitCode,
        stderrExcerpt(result.stderr),
      );
    }
    return result;
  }

  async which(file: string): Promise<string | undefined> {
    return `/fake/bin/${file}`;
  }

  /** Command lines of all calls, for assertions. */
  get lines(): string[] {
    return this.calls.map(commandLine);
  }
}

export function commandLine(call: { file: string; args: string[] }): string {
  return [call.file, ...call.args].join(' ');
}
