// The critical path of a plan: the longest chain of dependent steps, weighed by how long each step takes.
// Pure, shared by the scheduler (ready steps ordered by their longest remaining path), `plan -o
// mermaid|dot|html` (the path drawn) and the time-to-mesh benchmark (wall time against its length).
import type { Plan, PlannedStep } from './dag.js';
import type { Step } from '../plugin/types.js';

/** Seconds a step of a resource kind takes when neither the step nor an earlier apply says otherwise. */
export const DEFAULT_ESTIMATE_SECONDS: Readonly<Record<string, number>> = Object.freeze({
  'cluster-create': 35,
  helm: 45,
  linkerd: 40,
  kubectl: 5,
  api: 2,
});
const FALLBACK_SECONDS = 5;

/** The step's own estimate, else its resource's default, in milliseconds. */
export function estimateMs(step: Step): number {
  const seconds = step.estimateSeconds ?? (step.resource === undefined ? undefined : DEFAULT_ESTIMATE_SECONDS[step.resource]);
  return (seconds ?? FALLBACK_SECONDS) * 1000;
}

export interface CriticalPath {
  /** Length of the longest chain, in milliseconds: no schedule, however parallel, finishes sooner. */
  totalMs: number;
  /** Its step ids, first to last. */
  path: string[];
  /** Per step: its own duration plus the longest chain after it (the scheduler's priority). */
  remainingMs: ReadonlyMap<string, number>;
}

/**
 * Longest path through the plan's steps (those a selection left out count as nothing), with `durationOf`
 * giving each step's weight in milliseconds. Linear in steps + edges: one pass in reverse topological order.
 */
export function criticalPath(plan: Plan, durationOf: (node: PlannedStep) => number = (node) => estimateMs(node.step)): CriticalPath {
  const inPlan = new Set(plan.steps.map((node) => node.id));
  const remainingMs = new Map<string, number>();
  const next = new Map<string, string>();
  for (let i = plan.steps.length - 1; i >= 0; i--) {
    const node = plan.steps[i]!;
    let best = 0;
    let bestId: string | undefined;
    for (const dependent of node.dependents) {
      if (!inPlan.has(dependent)) continue;
      const after = remainingMs.get(dependent) ?? 0;
      // Ties go to the smaller id so the drawn path is the same on every run.
      if (after > best || (after === best && bestId !== undefined && dependent < bestId)) {
        best = after;
        bestId = dependent;
      }
    }
    remainingMs.set(node.id, Math.max(0, durationOf(node)) + best);
    if (bestId !== undefined) next.set(node.id, bestId);
  }
  let start: string | undefined;
  let totalMs = 0;
  for (const node of plan.steps) {
    const length = remainingMs.get(node.id)!;
    if (length > totalMs || start === undefined) {
      totalMs = length;
      start = node.id;
    }
  }
  const path: string[] = [];
  for (let id = start; id !== undefined; id = next.get(id)) path.push(id);
  return { totalMs, path, remainingMs };
}
