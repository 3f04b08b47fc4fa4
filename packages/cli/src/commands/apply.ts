import {
  formatSummary,
  parseResourceLimits,
  resolveResourceLimits,
  RunCancelledError,
  type ResourceLimits,
  type RunSummary,
} from '@meshspec/core';
import { UsageError } from '../args.js';
import { openSession, type CommandEnv } from './context.js';

export async function applyCommand(ctx: CommandEnv, mode: 'apply' | 'destroy'): Promise<number> {
  const limits = resourceLimits(ctx);
  const opened = await openSession(ctx);
  // Every tool the selected steps run, checked before anything is written (state dir, keys, state.json).
  await opened.preflight({ only: ctx.options.only, ...(ctx.io.signal ? { signal: ctx.io.signal } : {}) });
  // From here on there is something to clean up on Ctrl-C (state dir, lock, children): handle signals gracefully.
  ctx.io.armSignals?.();
  const session = await opened.prepare();
  // Ctrl-C: abort the run (children are killed, state saved, lock released by the runner/session), exit 130.
  const controller = new AbortController();
  const outer = ctx.io.signal;
  const onSignal = () => controller.abort();
  outer?.addEventListener('abort', onSignal, { once: true });
  // --timeout: the run-wide deadline cancels the run the same way (children killed, state saved, lock
  // released), but it is not the user's Ctrl-C: exit 1, and the summary says the deadline fired.
  const deadline = ctx.options.timeout ? armDeadline(ctx, controller, mode) : undefined;
  const concurrency = ctx.options.concurrency ?? ctx.config.concurrency;
  let summary: RunSummary;
  try {
    summary = await session[mode]({
      only: ctx.options.only,
      ...(concurrency !== undefined ? { concurrency } : {}),
      limits,
      renderer: ctx.options.output === 'json' ? 'json' : 'auto',
      signal: controller.signal,
      stdout: ctx.io.stdout,
    });
  } catch (error) {
    if (error instanceof RunCancelledError) {
      ctx.io.stderr.write(`${formatSummary(error.summary)}\n`);
      if (deadline?.fired) {
        ctx.io.stderr.write(`${deadline.explain(error.summary)}\n`);
        return 1;
      }
      return 130;
    }
    throw error;
  } finally {
    outer?.removeEventListener('abort', onSignal);
    deadline?.clear();
  }
  if (ctx.options.output !== 'json') {
    ctx.io.stderr.write(`${formatSummary(summary)}\n`);
    if (summary.ok && mode === 'apply') {
      const lines = await session.summaryLines();
      if (lines.length > 0) ctx.io.stdout.write(`${lines.join('\n')}\n`);
    }
  }
  if (summary.cancelled && deadline?.fired) {
    ctx.io.stderr.write(`${deadline.explain(summary)}\n`);
    return 1;
  }
  return summary.cancelled ? 130 : summary.ok ? 0 : 1;
}

/** This machine's defaults, then config `parallel`, then `--parallel` (later wins per resource). */
function resourceLimits(ctx: CommandEnv): ResourceLimits {
  let cli: ResourceLimits | undefined;
  if (ctx.options.parallel) {
    try {
      cli = parseResourceLimits(ctx.options.parallel.join(','));
    } catch (error) {
      throw new UsageError(`--parallel ${(error as Error).message}`, ctx.options.command);
    }
  }
  const limits = resolveResourceLimits(ctx.config.parallel, cli);
  ctx.log.debug(
    `steps at once per resource: ${Object.entries(limits)
      .map(([r, n]) => `${r}=${n}`)
      .join(', ')}`,
  );
  return limits;
}

interface Deadline {
  readonly fired: boolean;
  /** What the summary cannot say: that the run-wide deadline (not Ctrl-C, not a step's own timeout) stopped it. */
  explain(summary: RunSummary): string;
  clear(): void;
}

function armDeadline(ctx: CommandEnv, controller: AbortController, mode: 'apply' | 'destroy'): Deadline {
  const { text, ms } = ctx.options.timeout!;
  let fired = false;
  const timer = setTimeout(() => {
    fired = true;
    ctx.io.stderr.write(`\nmeshspec: global timeout (--timeout ${text}) reached: stopping running steps and saving state\n`);
    controller.abort();
  }, ms);
  return {
    get fired() {
      return fired;
    },
    explain(summary) {
      const running = summary.interrupted.length > 0 ? `; steps running when it fired, stopped: ${summary.interrupted.join(', ')}` : '';
      return (
        `meshspec: the global timeout (--timeout ${text}) fired${running}. ` +
        `This is the run-wide deadline, not a step's own command or wait timeout (those fail the step and name it). ` +
        `Rerun \`meshspec ${mode}\` (with a longer --timeout) to continue.`
      );
    },
    clear: () => clearTimeout(timer),
  };
}
