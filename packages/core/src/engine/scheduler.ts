// Which ready step starts next. A list scheduler: among the steps whose dependencies are done, the one
// with the longest remaining path to the end of the plan goes first (a late start there delays the whole
// run; a late start of a short branch delays nothing), subject to a limit per resource kind and an
// optional cap on all steps at once. Pure: the runner and `simulateSchedule` (tests, the bench) share it.
import type { Step } from '../plugin/types.js';
import { criticalPath, estimateMs } from './critical-path.js';
import type { Plan, PlannedStep } from './dag.js';
import { MinHeap } from './heap.js';
import { limitOf, OTHER_RESOURCE, type ResourceLimits } from './resource-limits.js';

/**
 * `critical-path`: longest remaining path first. `plan`: plan order (the scheduler before critical paths;
 * kept as the time-to-mesh bench's baseline).
 */
export type SchedulingOrder = 'critical-path' | 'plan';

export const resourceOf = (step: Step): string => step.resource ?? OTHER_RESOURCE;

export interface ReadyQueueOptions {
  limits: ResourceLimits;
  /** Steps running at once whatever their resource (`--concurrency`); default unlimited. */
  total?: number;
  /** Larger starts first (remaining milliseconds to the end of the plan). */
  priority(node: PlannedStep): number;
  /** Breaks ties: smaller starts first (the plan's index), so equal priorities start in the same order every run. */
  rank(node: PlannedStep): number;
}

/** Ready steps, one heap per resource; `take()` hands out what may start now and counts it as running. */
export class ReadyQueue {
  private readonly queues = new Map<string, MinHeap<PlannedStep>>();
  private readonly running = new Map<string, number>();
  private runningTotal = 0;
  private waiting = 0;
  private readonly total: number;
  private readonly before: (a: PlannedStep, b: PlannedStep) => number;

  constructor(private readonly options: ReadyQueueOptions) {
    this.total = options.total ?? Number.POSITIVE_INFINITY;
    this.before = (a, b) => options.priority(b) - options.priority(a) || options.rank(a) - options.rank(b);
  }

  /** Ready steps not started yet. */
  get size(): number {
    return this.waiting;
  }

  add(node: PlannedStep): void {
    const resource = resourceOf(node.step);
    let heap = this.queues.get(resource);
    if (!heap) this.queues.set(resource, (heap = new MinHeap(this.before)));
    heap.push(node);
    this.waiting++;
  }

  /**
   * The steps that may start now, best first. A step whose resource is full does not hold back a step of
   * another resource (the machine stays busy); within a resource the order is strict, so nothing ready
   * waits forever: every finish frees a slot for the best step waiting on that resource.
   */
  take(): PlannedStep[] {
    const started: PlannedStep[] = [];
    while (this.runningTotal < this.total) {
      let best: { resource: string; node: PlannedStep } | undefined;
      for (const [resource, heap] of this.queues) {
        const head = heap.peek();
        if (head === undefined || (this.running.get(resource) ?? 0) >= limitOf(this.options.limits, resource)) continue;
        if (!best || this.before(head, best.node) < 0) best = { resource, node: head };
      }
      if (!best) break;
      this.queues.get(best.resource)!.pop();
      this.waiting--;
      this.running.set(best.resource, (this.running.get(best.resource) ?? 0) + 1);
      this.runningTotal++;
      started.push(best.node);
    }
    return started;
  }

  /** A step `take()` handed out has ended (however): its slot is free again. */
  finished(node: PlannedStep): void {
    const resource = resourceOf(node.step);
    this.running.set(resource, (this.running.get(resource) ?? 1) - 1);
    this.runningTotal--;
  }
}

/**
 * Each step's priority: for apply its own duration plus the longest chain of dependents after it; for
 * destroy (which undoes dependents first) the same over the reversed graph. `plan` order gives every
 * step the same priority, so ties (plan index) decide.
 */
export function schedulePriorities(
  plan: Plan,
  mode: 'apply' | 'destroy',
  order: SchedulingOrder,
  durationOf: (node: PlannedStep) => number,
): ReadonlyMap<string, number> {
  if (order === 'plan') return new Map(plan.steps.map((n) => [n.id, 0]));
  return criticalPath(mode === 'apply' ? plan : reversePlan(plan), durationOf).remainingMs;
}

/** The plan with every edge turned around (what destroy waits for), in reverse order. */
function reversePlan(plan: Plan): Plan {
  const inPlan = new Set(plan.steps.map((n) => n.id));
  const steps = [...plan.steps]
    .reverse()
    .map((n) => ({ ...n, needs: n.dependents.filter((id) => inPlan.has(id)), after: [], dependents: [...n.needs, ...n.after] }));
  return { steps, graph: new Map(steps.map((n) => [n.id, n])) };
}

export interface SimulatedRun {
  /** When the last step ends, from 0. */
  makespanMs: number;
  /** Per step: logical start and end. */
  spans: Map<string, { start: number; end: number; resource: string }>;
  /** Step ids in the order they started. */
  startOrder: string[];
}

export interface SimulateOptions {
  limits: ResourceLimits;
  total?: number;
  order?: SchedulingOrder;
  /** How long each step takes; default its estimate. */
  durationOf?: (node: PlannedStep) => number;
}

/**
 * Runs the scheduler on a logical clock: every step takes `durationOf` exactly, starts the moment the
 * queue hands it out, and steps ending at the same time free their slots together. What `runPlan` would
 * do with steps that take exactly their estimates — for tests, `plan` estimates and the bench.
 */
export function simulateSchedule(plan: Plan, options: SimulateOptions): SimulatedRun {
  const durationOf = options.durationOf ?? ((n: PlannedStep) => estimateMs(n.step));
  const priorities = schedulePriorities(plan, 'apply', options.order ?? 'critical-path', durationOf);
  const rank = new Map(plan.steps.map((n, i) => [n.id, i]));
  const queue = new ReadyQueue({
    limits: options.limits,
    ...(options.total !== undefined ? { total: options.total } : {}),
    priority: (n) => priorities.get(n.id) ?? 0,
    rank: (n) => rank.get(n.id)!,
  });
  const inPlan = new Set(plan.steps.map((n) => n.id));
  const left = new Map(plan.steps.map((n) => [n.id, [...n.needs, ...n.after].filter((id) => inPlan.has(id)).length]));
  for (const n of plan.steps) if (left.get(n.id) === 0) queue.add(n);
  const spans = new Map<string, { start: number; end: number; resource: string }>();
  const startOrder: string[] = [];
  const ends = new MinHeap<{ at: number; node: PlannedStep; seq: number }>((a, b) => a.at - b.at || a.seq - b.seq);
  let now = 0;
  let seq = 0;
  for (;;) {
    for (const node of queue.take()) {
      const end = now + Math.max(0, durationOf(node));
      spans.set(node.id, { start: now, end, resource: resourceOf(node.step) });
      startOrder.push(node.id);
      ends.push({ at: end, node, seq: seq++ });
    }
    const next = ends.pop();
    if (!next) break;
    now = next.at;
    const finishing = [next];
    while (ends.peek()?.at === now) finishing.push(ends.pop()!);
    for (const { node } of finishing) {
      queue.finished(node);
      for (const id of node.dependents) {
        if (!inPlan.has(id)) continue;
        const remaining = left.get(id)! - 1;
        left.set(id, remaining);
        if (remaining === 0) queue.add(plan.graph.get(id)!);
      }
    }
  }
  return { makespanMs: now, spans, startOrder };
}
