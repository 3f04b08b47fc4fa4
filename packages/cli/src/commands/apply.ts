import { formatSummary, RunCancelledError, type RunSummary } from '@meshspec/core';
import type { CommandEnv } from './run.js';
import { openSession } from './run.js';

export async function applyCommand(ctx: CommandEnv, mode: 'apply' | 'destroy'): Promise<number> {
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
  const concurrency = ctx.options.concurrency ?? ctx.config.concurrency;
  let summary: RunSummary;
  try {
    summary = await session[mode]({
      only: ctx.options.only,
      ...(concurrency !== undefined ? { concurrency } : {}),
      renderer: ctx.options.output === 'json' ? 'json' : 'auto',
      signal: controller.signal,
      stdout: ctx.io.stdout,
    });
  } catch (error) {
    if (error instanceof RunCancelledError) {
      ctx.io.stderr.write(`${formatSummary(error.summary)}\n`);
      return 130;
    }
    throw error;
  } finally {
    outer?.removeEventListener('abort', onSignal);
  }
  if (ctx.options.output !== 'json') {
    ctx.io.stderr.write(`${formatSummary(summary)}\n`);
    if (summary.ok && mode === 'apply') {
      const lines = await session.summaryLines();
      if (lines.length > 0) ctx.io.stdout.write(`${lines.join('\n')}\n`);
    }
  }
  return summary.cancelled ? 130 : summary.ok ? 0 : 1;
}
