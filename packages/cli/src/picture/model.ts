// What every plan picture (mermaid, dot, html) draws, computed once: the steps with their cluster, plugin,
// up-to-date mark and duration (recorded by the last apply, else estimated), the edges between the steps
// shown, and the critical path. Pure: the renderers only format this.
import { criticalPath, estimateMs, type ApplyRecord, type Plan } from '@meshspec/core';

export interface PictureStep {
  /** 1-based position in run order (the text plan's numbering). */
  index: number;
  id: string;
  title: string;
  cluster?: string;
  /** The plugin that declared the step: its id's prefix before ':'. */
  plugin: string;
  needs: string[];
  after: string[];
  /** The plan lines: commands it runs and objects it writes. */
  runs: string[];
  upToDate: boolean;
  durationMs: number;
  /** `recorded`: how long the step's last run took (state.json); `estimate`: estimateMs() of the step. */
  timing: 'recorded' | 'estimate';
  critical: boolean;
}

export interface PictureEdge {
  from: string;
  to: string;
  /** `needs`: hard dependency; `after`: ordering only. */
  kind: 'needs' | 'after';
  critical: boolean;
}

export interface PlanPicture {
  topology: string;
  steps: PictureStep[];
  edges: PictureEdge[];
  /** Clusters in first-appearance order (run order). */
  clusters: string[];
  /** Plugins in first-appearance order. */
  plugins: string[];
  critical: { totalMs: number; path: string[]; recordedSteps: number };
  /** Sum of every step's duration: what a one-at-a-time run would take. */
  sumMs: number;
  lastApply?: ApplyRecord;
}

export interface PictureInput {
  topology: string;
  plan: Plan;
  upToDate: ReadonlySet<string>;
  /** Each step's `durationMs` from state.json, where an earlier apply recorded one. */
  recordedMs?: ReadonlyMap<string, number>;
  lastApply?: ApplyRecord;
}

export function pluginOfId(id: string): string {
  return id.split(':')[0] ?? id;
}

export function buildPicture({ topology, plan, upToDate, recordedMs = new Map(), lastApply }: PictureInput): PlanPicture {
  const durationOf = (id: string, fallback: () => number) => recordedMs.get(id) ?? fallback();
  const path = criticalPath(plan, (node) => durationOf(node.id, () => estimateMs(node.step)));
  const onPath = new Set(path.path);
  const criticalEdges = new Set(path.path.slice(1).map((to, i) => `${path.path[i]}\u0000${to}`));
  const shown = new Set(plan.steps.map((node) => node.id));
  const clusters: string[] = [];
  const plugins: string[] = [];
  const steps = plan.steps.map((node, i): PictureStep => {
    const cluster = node.step.cluster;
    if (cluster !== undefined && !clusters.includes(cluster)) clusters.push(cluster);
    const plugin = pluginOfId(node.id);
    if (!plugins.includes(plugin)) plugins.push(plugin);
    const recorded = recordedMs.get(node.id);
    return {
      index: i + 1,
      id: node.id,
      title: node.step.title,
      ...(cluster !== undefined ? { cluster } : {}),
      plugin,
      needs: node.needs,
      after: node.after,
      runs: node.step.plan ?? [],
      upToDate: upToDate.has(node.id),
      durationMs: recorded ?? estimateMs(node.step),
      timing: recorded === undefined ? 'estimate' : 'recorded',
      critical: onPath.has(node.id),
    };
  });
  // Edges to steps a selection (--only) left out are not drawn: those steps are not in the picture.
  const edges = plan.steps.flatMap((node) =>
    [...node.needs.map((from) => ({ from, kind: 'needs' as const })), ...node.after.map((from) => ({ from, kind: 'after' as const }))]
      .filter(({ from }) => shown.has(from))
      .map(({ from, kind }): PictureEdge => ({ from, to: node.id, kind, critical: criticalEdges.has(`${from}\u0000${node.id}`) })),
  );
  return {
    topology,
    steps,
    edges,
    clusters,
    plugins,
    critical: { totalMs: path.totalMs, path: path.path, recordedSteps: path.path.filter((id) => recordedMs.has(id)).length },
    sumMs: steps.reduce((sum, step) => sum + step.durationMs, 0),
    ...(lastApply ? { lastApply } : {}),
  };
}

/** `850ms`, `4.2s`, `35s`, `4m 05s`, `1h 02m`: short enough for a node label. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 10_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}

/** A step's duration as labels show it: estimates marked with `~`. */
export function stepDuration(step: Pick<PictureStep, 'durationMs' | 'timing'>): string {
  return step.timing === 'estimate' ? `~${formatDuration(step.durationMs)}` : formatDuration(step.durationMs);
}

/** One line for captions: the critical path's length against the last apply's wall time, when recorded. */
export function timingSummary(picture: PlanPicture): string {
  const { critical, steps } = picture;
  const source =
    critical.recordedSteps === critical.path.length
      ? 'recorded'
      : critical.recordedSteps === 0
        ? 'estimated'
        : `${critical.recordedSteps} of ${critical.path.length} steps recorded, the rest estimated`;
  const parts = [
    `${steps.length} steps`,
    `critical path ${formatDuration(critical.totalMs)} over ${critical.path.length} steps (${source})`,
    `all steps one after another ${formatDuration(picture.sumMs)}`,
  ];
  const last = picture.lastApply;
  if (last)
    parts.push(
      `last apply ${formatDuration(last.wallMs)} wall time (${last.ran} steps ran${last.ok ? '' : ', not all succeeded'}, finished ${last.finishedAt})`,
    );
  else parts.push('no apply recorded yet');
  return parts.join('; ');
}
