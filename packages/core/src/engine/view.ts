// How a run is shown: listr2 task list (TTY: live, non-TTY/CI: plain lines) or newline-delimited JSON
// events. The scheduler only calls these hooks; it never decides what is printed.
import type { PlannedStep } from './dag.js';

export type RendererChoice = 'auto' | 'plain' | 'json';

export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface RunEvent {
  type: 'step-start' | 'step-skip' | 'step-done' | 'step-fail' | 'run-done';
  id?: string;
  cluster?: string;
  reason?: string;
  error?: string;
  stderrTail?: string;
  durationMs?: number;
  ok?: boolean;
  cancelled?: boolean;
  ts: string;
}

export interface RunView {
  start(node: PlannedStep): void;
  progress(node: PlannedStep, message: string): void;
  skip(node: PlannedStep, reason: string): void;
  done(node: PlannedStep, durationMs: number): void;
  fail(node: PlannedStep, error: { message: string; stderrTail?: string }, durationMs: number): void;
  /** The step will not be shown at all (never started: run cancelled). */
  never(node: PlannedStep): void;
  finish(result: { ok: boolean; cancelled: boolean; durationMs: number }): Promise<void>;
}

export function jsonView(stdout: OutputStream): RunView {
  const emit = (event: Omit<RunEvent, 'ts'>) => {
    const clean = Object.fromEntries(Object.entries(event).filter(([, v]) => v !== undefined));
    stdout.write(`${JSON.stringify({ ...clean, ts: new Date().toISOString() })}\n`);
  };
  return {
    start: (n) => emit({ type: 'step-start', id: n.id, cluster: n.step.cluster }),
    progress: () => {},
    skip: (n, reason) => emit({ type: 'step-skip', id: n.id, cluster: n.step.cluster, reason }),
    done: (n, durationMs) => emit({ type: 'step-done', id: n.id, cluster: n.step.cluster, durationMs }),
    fail: (n, error, durationMs) =>
      emit({ type: 'step-fail', id: n.id, cluster: n.step.cluster, error: error.message, stderrTail: error.stderrTail, durationMs }),
    never: () => {},
    finish: async ({ ok, cancelled, durationMs }) => emit({ type: 'run-done', ok, cancelled, durationMs }),
  };
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

type Outcome = { kind: 'done' } | { kind: 'skip'; reason: string } | { kind: 'fail'; message: string };

interface TaskHandle {
  output: unknown;
}

/**
 * listr2 runs its tasks itself, but our order comes from the DAG scheduler. So every step gets an
 * untitled (hence invisible) root task that waits until the scheduler opens the step, then returns a
 * one-task sub-list that shows the step and settles when the scheduler reports its outcome. listr2's
 * renderers add subtasks as they appear, so a step shows up when it actually starts.
 */
export async function listrView(options: { steps: PlannedStep[]; live: boolean; stdout: OutputStream }): Promise<RunView> {
  const { Listr, ListrLogger, ProcessOutput, PRESET_TIMER } = await import('listr2');
  const processOutput = new ProcessOutput(
    options.stdout as NodeJS.WriteStream,
    options.live ? undefined : (options.stdout as NodeJS.WriteStream),
  );
  const logger = new ListrLogger({ useIcons: true, processOutput, toStderr: [] });

  const controls = new Map<string, { opened: Deferred<boolean>; outcome: Deferred<Outcome>; task?: TaskHandle; lastProgress?: string }>();
  for (const node of options.steps) controls.set(node.id, { opened: deferred(), outcome: deferred() });
  const control = (node: PlannedStep) => controls.get(node.id)!;

  const listr = new Listr(
    options.steps.map((node) => ({
      task: async (_ctx, parent) => {
        const c = control(node);
        if (!(await c.opened.promise)) return;
        return parent.newListr(
          [
            {
              title: `${node.step.title} [${node.id}]`,
              task: async (_c, task) => {
                c.task = task;
                if (c.lastProgress) task.output = c.lastProgress;
                const outcome = await c.outcome.promise;
                // The live renderer shows a skip message instead of the title, so it names the step itself.
                if (outcome.kind === 'skip') task.skip(options.live ? `${node.id}: ${outcome.reason}` : outcome.reason);
                if (outcome.kind === 'fail') throw new Error(outcome.message);
              },
              rendererOptions: { timer: PRESET_TIMER },
              fallbackRendererOptions: { timer: PRESET_TIMER },
            },
          ],
          { exitOnError: false },
        );
      },
    })),
    {
      concurrent: true,
      exitOnError: false,
      registerSignalListeners: false,
      renderer: 'default',
      fallbackRenderer: 'simple',
      fallbackRendererCondition: !options.live,
      rendererOptions: { logger, collapseSkips: true, showSkipMessage: true, collapseErrors: false, showErrorMessage: true },
      fallbackRendererOptions: { logger },
    },
  );
  const running = listr.run().catch(() => {});

  const open = (node: PlannedStep) => control(node).opened.resolve(true);
  return {
    start: open,
    progress(node, message) {
      const c = control(node);
      c.lastProgress = message;
      if (c.task) c.task.output = message;
    },
    skip(node, reason) {
      open(node);
      control(node).outcome.resolve({ kind: 'skip', reason });
    },
    done: (node) => control(node).outcome.resolve({ kind: 'done' }),
    fail(node, error) {
      open(node);
      control(node).outcome.resolve({ kind: 'fail', message: error.message });
    },
    never: (node) => control(node).opened.resolve(false),
    async finish() {
      // Anything the scheduler never reported is hidden, so listr can finish.
      for (const c of controls.values()) c.opened.resolve(false);
      await running;
    },
  };
}
