// Runs a plan: every step whose dependencies are settled starts as soon as a slot of its resource is free
// (DAG-driven, not level by level; the longest remaining path first, see scheduler.ts), state is saved
// after each step, failures only stop what depends on them, and Ctrl-C lets running steps stop cleanly
// before state is saved.
import { CancelledError, CommandError, StepError } from '../errors.js';
import type { Logger } from '../log/types.js';
import { redact } from '../log/logger.js';
import { stderrExcerpt } from '../exec/stderr-excerpt.js';
import type { Step, StepContext } from '../plugin/types.js';
import { fingerprint, type StateStore } from '../state/state-store.js';
import { estimateMs } from './critical-path.js';
import { ancestorsOf, selectSteps, type Plan, type PlannedStep } from './dag.js';
import { defaultResourceLimits, type ResourceLimits } from './resource-limits.js';
import { ReadyQueue, schedulePriorities, type SchedulingOrder } from './scheduler.js';
import { jsonView, listrView, type OutputStream, type RendererChoice, type RunView } from './view.js';

export type RunMode = 'apply' | 'destroy';

export interface RunPlanOptions {
  plan: Plan;
  mode: RunMode;
  state: StateStore;
  /** Steps running at once whatever their resource (`--concurrency`); default: only the resource limits apply. */
  concurrency?: number;
  /**
   * Steps of one resource (`Step.resource`) running at once; `other` is for steps that declare none, and a
   * resource missing here (with no `other`) is unlimited. Default: derived from this machine
   * (`defaultResourceLimits()`).
   */
  limits?: ResourceLimits;
  /** Which ready step starts first; default `critical-path` (`plan` is the earlier plan-order scheduler). */
  order?: SchedulingOrder;
  /** `--only` patterns (see selectSteps). In destroy mode only the matching steps are destroyed. */
  only?: string[];
  /**
   * Builds the step's context. The runner then supplies `signal` (aborted on cancel), `step`,
   * `progress` and `outputOf` (state-backed, limited to the step's transitive needs/after) itself.
   */
  createContext(step: Step, signal: AbortSignal): StepContext;
  renderer?: RendererChoice;
  /** Aborting it (Ctrl-C) cancels the run. */
  signal?: AbortSignal;
  stdout?: OutputStream;
  log?: Logger;
}

export interface FailedStep {
  id: string;
  cluster?: string;
  message: string;
  /** Last lines of the failing command's stderr (CommandError/StepError), redacted. */
  stderrTail?: string;
}

export interface SkippedStep {
  id: string;
  cluster?: string;
  reason: string;
}

export interface RunSummary {
  mode: RunMode;
  ok: boolean;
  completed: string[];
  /** Not run because something they depend on failed (or, in destroy, there was nothing to undo). */
  skipped: SkippedStep[];
  /** apply: fingerprint unchanged ("up to date") or found done by `status` ("already present"); destroy: found gone by `status` ("already gone"). */
  upToDate: string[];
  failed: FailedStep[];
  cancelled: boolean;
  /** Never started because the run was cancelled. */
  notStarted: string[];
  /** Were running when the run was cancelled and did not finish. */
  interrupted: string[];
  durationMs: number;
}

/** Thrown when the run was cancelled; carries what had been done (already saved in state). */
export class RunCancelledError extends CancelledError {
  override name = 'RunCancelledError';
  constructor(readonly summary: RunSummary) {
    super(`cancelled: ${summary.completed.length} step(s) completed and saved; rerun to continue`);
  }
}

type Status = 'waiting' | 'ready' | 'running' | 'ok' | 'failed' | 'skipped';

export async function runPlan(options: RunPlanOptions): Promise<RunSummary> {
  const began = Date.now();
  const { mode, state } = options;
  const plan = selectPlan(options);
  const order = mode === 'apply' ? plan.steps : [...plan.steps].reverse();
  const index = new Map(order.map((n, i) => [n.id, i]));
  // What this machine took last time, else the step's estimate: a step that ran long here weighs more.
  const durationOf = (n: PlannedStep) => state.get(n.id)?.durationMs ?? estimateMs(n.step);
  const priorities = schedulePriorities(plan, mode, options.order ?? 'critical-path', durationOf);
  const ready = new ReadyQueue({
    limits: options.limits ?? defaultResourceLimits(),
    ...(options.concurrency !== undefined ? { total: Math.max(1, Math.floor(options.concurrency)) } : {}),
    priority: (n) => priorities.get(n.id) ?? 0,
    rank: (n) => index.get(n.id)!,
  });
  const inRun = (id: string) => index.has(id);
  // apply: a step waits for its needs/after; destroy: for its dependents (undo in reverse).
  const waitsFor = (n: PlannedStep) => (mode === 'apply' ? [...n.needs, ...n.after] : n.dependents).filter(inRun);
  const unblocks = (n: PlannedStep) => (mode === 'apply' ? n.dependents : [...n.needs, ...n.after]).filter(inRun);

  const view = await createView(options, order);
  const log = options.log;
  const summary: RunSummary = {
    mode,
    ok: false,
    completed: [],
    skipped: [],
    upToDate: [],
    failed: [],
    cancelled: false,
    notStarted: [],
    interrupted: [],
    durationMs: 0,
  };

  const status = new Map<string, Status>();
  const pendingCount = new Map<string, number>();
  /** Ready since the last look: settled at once if up to date, else queued for a slot. */
  const fresh: PlannedStep[] = [];
  const running = new Map<string, { controller: AbortController; done: Promise<void> }>();

  const makeReady = (n: PlannedStep) => {
    status.set(n.id, 'ready');
    fresh.push(n);
  };
  for (const n of order) {
    const count = waitsFor(n).length;
    pendingCount.set(n.id, count);
    status.set(n.id, 'waiting');
    if (count === 0) makeReady(n);
  }

  const settledOk = (n: PlannedStep) => {
    status.set(n.id, 'ok');
    for (const id of unblocks(n)) {
      const left = pendingCount.get(id)! - 1;
      pendingCount.set(id, left);
      if (left === 0 && status.get(id) === 'waiting') makeReady(plan.graph.get(id)!);
    }
  };
  const settledBad = (n: PlannedStep, rootCause: string) => {
    for (const id of unblocks(n)) {
      if (status.get(id) !== 'waiting') continue;
      const next = plan.graph.get(id)!;
      status.set(id, 'skipped');
      const reason = skipReason(mode, next, n, rootCause);
      summary.skipped.push({ id, cluster: next.step.cluster, reason });
      view.skip(next, reason);
      settledBad(next, rootCause);
    }
  };

  const cancelAll = () => {
    for (const r of running.values()) r.controller.abort(options.signal?.reason);
  };
  options.signal?.addEventListener('abort', cancelAll, { once: true });
  const aborted = () => options.signal?.aborted === true;

  const launch = (n: PlannedStep) => {
    status.set(n.id, 'running');
    const startedAt = Date.now();
    const controller = new AbortController();
    const done = execute(n, controller.signal).then(
      (outcome) => {
        running.delete(n.id);
        ready.finished(n);
        if (outcome === 'up-to-date') {
          summary.upToDate.push(n.id);
        } else if (outcome === 'skipped') {
          // destroy of a step without a destroy hook: nothing to undo, still unblocks.
        } else {
          summary.completed.push(n.id);
        }
        settledOk(n);
      },
      (error: unknown) => {
        running.delete(n.id);
        ready.finished(n);
        status.set(n.id, 'failed');
        // After Ctrl-C an error is most likely the abort itself: report it as interrupted, and leave
        // dependents "not started" rather than blaming this step.
        const info = describeFailure(aborted() ? new Error('cancelled') : error);
        view.fail(n, info, Date.now() - startedAt);
        log?.debug(`${n.id} failed: ${info.message}`);
        if (aborted()) {
          summary.interrupted.push(n.id);
          return;
        }
        summary.failed.push({ id: n.id, cluster: n.step.cluster, ...info });
        settledBad(n, n.id);
      },
    );
    running.set(n.id, { controller, done });
  };

  /** Resolves how the step ended; rejects with the step's error. */
  const execute = async (n: PlannedStep, signal: AbortSignal): Promise<'ran' | 'up-to-date' | 'skipped'> => {
    const ctx = contextFor(n, signal);
    const started = Date.now();
    if (mode === 'destroy') {
      if (!n.step.destroy) {
        if (state.get(n.id)) await state.remove(n.id);
        view.skip(n, 'nothing to undo');
        summary.skipped.push({ id: n.id, cluster: n.step.cluster, reason: 'nothing to undo' });
        return 'skipped';
      }
      // Resumable like apply: a destroyed step's record is removed, so a step state does not know was
      // undone by an earlier (interrupted or failed) destroy, or never applied. Its status says whether
      // anything is left; "already gone" is success. Without a status hook, destroy runs (and must
      // treat "already gone" as success itself).
      if (!state.get(n.id) && n.step.status) {
        const present = await n.step.status(ctx).catch((e: unknown) => {
          log?.debug(`${n.id}: status check failed (${(e as Error).message}); destroying it`);
          return true;
        });
        if (!present) {
          view.skip(n, 'already gone');
          return 'up-to-date';
        }
      }
      view.start(n);
      log?.debug(`destroying ${n.id}`);
      await n.step.destroy(ctx);
      await state.remove(n.id);
      view.done(n, Date.now() - started);
      return 'ran';
    }
    const print = fingerprint(n.step);
    if (n.step.verify && isUpToDate(n, plan, state)) {
      const verdict = await n.step.verify(ctx).catch((e: unknown) => `its check failed (${(e as Error).message})`);
      if (verdict === true) {
        view.skip(n, 'up to date');
        return 'up-to-date';
      }
      log?.info(`${n.id}: recorded as done, but ${verdict}; running it again`);
    }
    // `status` is only for steps state knows nothing about (state dir lost, cluster made by hand):
    // a recorded step whose inputs changed must run again.
    if (!state.get(n.id) && n.step.status) {
      const present = await n.step.status(ctx).catch((e: unknown) => {
        log?.debug(`${n.id}: status check failed (${(e as Error).message}); running it`);
        return false;
      });
      if (present) {
        await state.record(n.id, { fingerprint: print });
        view.skip(n, 'already present');
        return 'up-to-date';
      }
    }
    view.start(n);
    log?.debug(`running ${n.id}`);
    const runStarted = Date.now();
    const outputs = (await n.step.run(ctx)) ?? {};
    // Kept so the next plan's critical path (and its picture) uses what this machine really took.
    const durationMs = Date.now() - runStarted;
    await state.record(n.id, { fingerprint: print, outputs, durationMs });
    view.done(n, Date.now() - started);
    return 'ran';
  };

  const contextFor = (n: PlannedStep, signal: AbortSignal): StepContext => {
    const base = options.createContext(n.step, signal);
    let readable: Set<string> | undefined;
    return {
      ...base,
      signal,
      step: { id: n.id, cluster: n.step.cluster },
      progress: (message) => {
        view.progress(n, redact(message));
        log?.debug(`${n.id}: ${message}`);
      },
      outputOf: <T>(id: string): T => {
        readable ??= ancestorsOf(plan.graph, n.id);
        if (!readable.has(id)) {
          throw new StepError(n.id, `step ${n.id} reads the outputs of ${id}, which is not among its needs; add '${id}' to its needs`);
        }
        const record = state.get(id);
        if (!record) throw new StepError(n.id, `step ${n.id} reads the outputs of ${id}, which has not completed (no record in state)`);
        return record.outputs as T;
      },
    };
  };

  try {
    while (true) {
      // Up-to-date steps settle at once without taking a slot; that may make more steps ready.
      // (Indexed, not shift(): settling appends to `fresh`, and a plan can have tens of thousands of steps.)
      let seen = 0;
      for (; seen < fresh.length && !aborted(); seen++) {
        const n = fresh[seen]!;
        // A step with a verify hook takes a slot: its check talks to the cluster (see execute).
        if (mode === 'apply' && !n.step.verify && isUpToDate(n, plan, state)) {
          summary.upToDate.push(n.id);
          view.skip(n, 'up to date');
          settledOk(n);
        } else {
          ready.add(n);
        }
      }
      fresh.splice(0, seen);
      if (!aborted()) for (const n of ready.take()) launch(n);
      if (running.size === 0) break;
      await Promise.race([...running.values()].map((r) => r.done));
    }
    // Every save is chained; wait for the last one so state on disk matches the summary.
    await state.save();
  } catch (error) {
    // A bug or an unwritable state dir: stop the renderer (its spinner timer would keep the process alive).
    cancelAll();
    await Promise.allSettled([...running.values()].map((r) => r.done));
    await view.finish({ ok: false, cancelled: aborted(), durationMs: Date.now() - began }).catch(() => {});
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', cancelAll);
  }

  summary.cancelled = aborted();
  for (const n of order) {
    const s = status.get(n.id);
    if (s === 'waiting' || s === 'ready') {
      summary.notStarted.push(n.id);
      view.never(n);
    }
  }
  const byOrder = (a: string, b: string) => index.get(a)! - index.get(b)!;
  summary.completed.sort(byOrder);
  summary.upToDate.sort(byOrder);
  summary.notStarted.sort(byOrder);
  summary.interrupted.sort(byOrder);
  summary.skipped.sort((a, b) => byOrder(a.id, b.id));
  summary.failed.sort((a, b) => byOrder(a.id, b.id));
  summary.ok = !summary.cancelled && summary.failed.length === 0;
  summary.durationMs = Date.now() - began;
  await view.finish({ ok: summary.ok, cancelled: summary.cancelled, durationMs: summary.durationMs });
  if (summary.cancelled) throw new RunCancelledError(summary);
  return summary;
}

function selectPlan(options: RunPlanOptions): Plan {
  if (!options.only?.length) return options.plan;
  if (options.mode === 'destroy') return selectSteps(options.plan, options.only, () => true);
  return selectSteps(options.plan, options.only, (id) => isUpToDate(options.plan.graph.get(id)!, options.plan, options.state));
}

/**
 * Up to date = recorded with the same fingerprint, and not older than any of its needs' records: if a
 * need ran again (in this run or in an interrupted earlier one), what was built on it is rebuilt.
 */
export function isUpToDate(n: PlannedStep, plan: Plan, state: StateStore): boolean {
  const record = state.get(n.id);
  if (!record || record.fingerprint !== fingerprint(n.step)) return false;
  return [...n.needs, ...n.after].every((id) => {
    const dep = state.get(id);
    return !dep || dep.completedAt <= record.completedAt;
  });
}

function skipReason(mode: RunMode, step: PlannedStep, blocker: PlannedStep, rootCause: string): string {
  if (mode === 'destroy') {
    return blocker.id === rootCause
      ? `${blocker.id}, which depends on it, failed to destroy`
      : `${blocker.id}, which depends on it, was skipped because ${rootCause} failed to destroy`;
  }
  const verb = step.needs.includes(blocker.id) ? 'needs' : 'runs after';
  return blocker.id === rootCause
    ? `${verb} ${blocker.id}, which failed`
    : `${verb} ${blocker.id}, which was skipped because ${rootCause} failed`;
}

export function describeFailure(error: unknown): { message: string; stderrTail?: string } {
  const message = redact(error instanceof Error ? error.message : String(error));
  let tail: string | undefined;
  if (error instanceof CommandError) tail = error.stderrTail;
  else if (error instanceof StepError) {
    tail = error.details.stderrTail ?? (error.details.cause instanceof CommandError ? error.details.cause.stderrTail : undefined);
  }
  const trimmed = tail?.trimEnd();
  if (!trimmed) return { message };
  // First error lines + the end, not just the end: the same excerpt in text and in `-o json`.
  return { message, stderrTail: redact(stderrExcerpt(trimmed)) };
}

async function createView(options: RunPlanOptions, order: PlannedStep[]): Promise<RunView> {
  const stdout = options.stdout ?? process.stdout;
  const choice = options.renderer ?? 'auto';
  if (choice === 'json') return jsonView(stdout);
  const live = choice === 'auto' && stdout.isTTY === true && !process.env['CI'];
  return listrView({ steps: order, live, stdout });
}

/** Human summary printed after a run. */
export function formatSummary(summary: RunSummary): string {
  const seconds = (summary.durationMs / 1000).toFixed(1);
  const verb = summary.mode === 'apply' ? 'completed' : 'destroyed';
  const lines: string[] = [];
  const counts = [`${summary.completed.length} ${verb}`];
  if (summary.upToDate.length) counts.push(`${summary.upToDate.length} ${summary.mode === 'apply' ? 'up to date' : 'already gone'}`);
  if (summary.skipped.length) counts.push(`${summary.skipped.length} skipped`);
  if (summary.failed.length) counts.push(`${summary.failed.length} failed`);
  if (summary.interrupted.length) counts.push(`${summary.interrupted.length} interrupted`);
  if (summary.notStarted.length) counts.push(`${summary.notStarted.length} not started`);
  const head = summary.cancelled ? 'cancelled' : summary.ok ? 'done' : 'failed';
  lines.push(`${head}: ${counts.join(', ')} (${seconds}s)`);
  for (const f of summary.failed) {
    lines.push(`  ✖ ${f.id}${f.cluster ? ` (cluster ${f.cluster})` : ''}: ${f.message}`);
    if (f.stderrTail) lines.push(...f.stderrTail.split('\n').map((l) => `      | ${l}`));
  }
  const leftInPlace: string[] = [];
  for (const s of summary.skipped) {
    if (summary.mode === 'destroy' && s.reason === 'nothing to undo') leftInPlace.push(s.id);
    else lines.push(`  - ${s.id} skipped: ${s.reason}`);
  }
  // Said plainly, so nobody believes a destroy removed what these steps made.
  if (leftInPlace.length > 0) lines.push(`  left in place (these steps have no destroy): ${leftInPlace.join(', ')}`);
  if (summary.cancelled || !summary.ok) {
    lines.push(`state is saved; rerun \`meshspec ${summary.mode}\` to ${summary.mode === 'apply' ? 'run only what is left' : 'continue'}`);
  }
  return lines.join('\n');
}
