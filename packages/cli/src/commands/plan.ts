import type { PlannedStep } from '@meshspec/core';
import type { CommandEnv } from './run.js';
import { openSession } from './run.js';

export interface PlanEntry {
  index: number;
  id: string;
  title: string;
  cluster?: string;
  needs: string[];
  after: string[];
  runs: string[];
  upToDate: boolean;
}

export function planEntries(steps: readonly PlannedStep[], upToDate: ReadonlySet<string>): PlanEntry[] {
  return steps.map((node, i) => ({
    index: i + 1,
    id: node.id,
    title: node.step.title,
    ...(node.step.cluster ? { cluster: node.step.cluster } : {}),
    needs: node.needs,
    after: node.after,
    runs: node.step.plan ?? [],
    upToDate: upToDate.has(node.id),
  }));
}

/** The human plan: numbered steps in run order, what each waits for and runs. Deterministic (golden-tested). */
export function formatPlan(name: string, entries: readonly PlanEntry[]): string {
  const lines = [`Plan for topology '${name}': ${entries.length} steps${entries.some((e) => e.upToDate) ? ` (${entries.filter((e) => e.upToDate).length} up to date)` : ''}`, ''];
  const width = String(entries.length).length;
  for (const e of entries) {
    lines.push(`${String(e.index).padStart(width)}. ${e.id}${e.upToDate ? '  [up to date]' : ''}`);
    const pad = ' '.repeat(width + 2);
    lines.push(`${pad}${e.title}`);
    const waits = [...e.needs, ...e.after.map((a) => `${a} (order)`)];
    if (waits.length > 0) lines.push(`${pad}after: ${waits.join(', ')}`);
    for (const run of e.runs) lines.push(`${pad}$ ${run}`);
  }
  return lines.join('\n');
}

export async function planCommand(ctx: CommandEnv): Promise<number> {
  const session = await openSession(ctx);
  const { plan, upToDate } = await session.planView(ctx.options.only);
  const entries = planEntries(plan.steps, upToDate);
  if (ctx.options.output === 'json') {
    ctx.io.stdout.write(`${JSON.stringify({ topology: session.topology.metadata.name, stateDir: session.stateDir, steps: entries }, null, 2)}\n`);
  } else {
    ctx.io.stdout.write(`${formatPlan(session.topology.metadata.name, entries)}\n`);
  }
  return 0;
}
