import type { PlannedAddress, PlannedStep } from '@meshspec/core';
import { openSession, type CommandEnv } from './context.js';

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
export function formatPlan(name: string, entries: readonly PlanEntry[], addresses: readonly PlannedAddress[] = []): string {
  const lines = [
    `Plan for topology '${name}': ${entries.length} steps${entries.some((e) => e.upToDate) ? ` (${entries.filter((e) => e.upToDate).length} up to date)` : ''}`,
    '',
  ];
  if (addresses.length > 0) {
    // Every range side by side, so overlaps between clusters (and with the docker network) show before apply.
    lines.push('Addresses:');
    const clusterWidth = Math.max(...addresses.map((a) => a.cluster.length));
    const whatWidth = Math.max(...addresses.map((a) => a.what.length));
    for (const a of addresses) {
      const value = a.range ?? '(not known yet)';
      lines.push(`  ${a.cluster.padEnd(clusterWidth)}  ${a.what.padEnd(whatWidth)}  ${value}${a.note ? `  (${a.note})` : ''}`.trimEnd());
    }
    lines.push('');
  }
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
  const output = ctx.options.output;
  if (output !== 'text' && output !== 'json') {
    // The plan as a picture, weighed by what the last apply recorded (read-only, like the rest of plan).
    const { durations, lastApply } = await session.recordedTimings();
    const { buildPicture } = await import('../picture/model.js');
    const render = await (await import('../picture/index.js')).PICTURE_RENDERERS[output]();
    ctx.io.stdout.write(
      render(
        buildPicture({
          topology: session.topology.metadata.name,
          plan,
          upToDate,
          recordedMs: durations,
          ...(lastApply ? { lastApply } : {}),
        }),
      ),
    );
    return 0;
  }
  const entries = planEntries(plan.steps, upToDate);
  const addresses = await session.plannedAddresses();
  if (ctx.options.output === 'json') {
    ctx.io.stdout.write(
      `${JSON.stringify({ topology: session.topology.metadata.name, stateDir: session.stateDir, addresses, steps: entries }, null, 2)}\n`,
    );
  } else {
    ctx.io.stdout.write(`${formatPlan(session.topology.metadata.name, entries, addresses)}\n`);
  }
  return 0;
}
