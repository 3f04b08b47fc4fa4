// The step graph: every plugin's steps joined by `needs` (hard) and `after` (soft) into one ordered plan.
// Pure functions: nothing here runs a step, so `meshspec plan` and the runner share the same ordering.
import { DagError } from '../errors.js';
import type { Step } from '../plugin/types.js';
import { MinHeap } from './heap.js';

export interface PlannedStep {
  id: string;
  step: Step;
  /** Hard dependencies (every one exists in the graph). */
  needs: string[];
  /** Soft ordering, kept only for steps present in the graph. */
  after: string[];
  /** Steps that list this one in `needs` or (kept) `after`. */
  dependents: string[];
}

export interface Plan {
  /** The steps to run, in a deterministic topological order (ties broken by id). */
  steps: PlannedStep[];
  /** The whole graph, including steps a selection left out (their outputs may still be read from state). */
  graph: ReadonlyMap<string, PlannedStep>;
  /** Problems that do not stop the plan, e.g. an `after` that looks like a typo of an existing step id. */
  warnings?: string[];
}

export interface BuildPlanOptions {
  /** Which plugin declared a step, for error messages; defaults to the id's prefix before ':'. */
  pluginOf?(this: void, step: Step): string;
}

/**
 * The empty list every step starts with, shared (most steps have no dependents, many no needs): tens of
 * thousands of steps must not each allocate three arrays that stay empty. Frozen, so a stray push fails
 * loudly; buildPlan gives a step its own array on its first entry.
 */
const NONE = Object.freeze([]) as unknown as string[];

const prefixPlugin = (step: Step) => step.id.split(':')[0] ?? step.id;

export function buildPlan(steps: Step[], options: BuildPlanOptions = {}): Plan {
  // Tens of thousands of steps (one per export, one per link of a 120-cluster mesh): each step and each
  // edge costs a handful of map operations and no extra arrays, and ordering compares integer ranks, not
  // id strings (issue 11: a 120-cluster plan spent a second here).
  const pluginOf = options.pluginOf ?? prefixPlugin;
  const graph = new Map<string, PlannedStep>();
  const problems: string[] = [];
  for (const step of steps) {
    const first = graph.get(step.id);
    if (first) {
      problems.push(`duplicate step id ${step.id}: declared by plugin ${pluginOf(first.step)} and by plugin ${pluginOf(step)}`);
      continue;
    }
    graph.set(step.id, { id: step.id, step, needs: NONE, after: NONE, dependents: NONE });
  }
  // Rank = position in id order. Walking the steps in that order fills every `dependents` list already sorted.
  const byRank = [...graph.values()].sort((a, b) => compareIds(a.id, b.id));
  const rankOf = new Map<PlannedStep, number>();
  byRank.forEach((node, i) => rankOf.set(node, i));

  // `before` on one step is `after` on the other: merged here, after the step's own entries.
  const afterFromBefore = new Map<string, string[]>();
  for (const node of byRank) {
    for (const later of node.step.before ?? []) {
      if (!graph.has(later) || later === node.id) continue;
      const list = afterFromBefore.get(later);
      if (list) list.push(node.id);
      else afterFromBefore.set(later, [node.id]);
    }
  }

  const warnings: string[] = [];
  const typos = afterTypoFinder(graph);
  const dependentRanks: number[][] = byRank.map(() => []);
  const link = (from: PlannedStep, fromRank: number, to: PlannedStep) => {
    if (to.dependents === NONE) to.dependents = [];
    to.dependents.push(from.id);
    dependentRanks[rankOf.get(to)!]!.push(fromRank);
  };
  byRank.forEach((node, rank) => {
    const { step } = node;
    const needs = step.needs ?? [];
    for (const need of needs.length > 1 ? unique(needs) : needs) {
      const target = graph.get(need);
      if (!target) {
        const near = nearbyIds(need, [...graph.keys()]); // an error: the one place a full id list is worth making
        problems.push(
          `step ${step.id} (plugin ${pluginOf(step)}) needs step ${need}, which no plugin provides` +
            (near.length ? `; did you mean ${near.join(', ')}?` : ''),
        );
        continue;
      }
      if (node.needs === NONE) node.needs = [];
      node.needs.push(need);
      link(node, rank, target);
    }
    if (problems.length > 0) return;
    const hard = node.needs.length > SHORT_LIST ? new Set(node.needs) : node.needs;
    const soft = afterFromBefore.has(node.id) ? [...(step.after ?? []), ...afterFromBefore.get(node.id)!] : (step.after ?? []);
    for (const id of soft.length > 1 ? unique(soft) : soft) {
      const target = graph.get(id);
      if (target) {
        if (target !== node && !(hard instanceof Set ? hard.has(id) : hard.includes(id))) {
          if (node.after === NONE) node.after = [];
          node.after.push(id);
          link(node, rank, target);
        }
        continue;
      }
      // A soft edge to an absent step (plugin unused, or not for this cluster) is just dropped, unless it
      // looks like a typo: the owning plugin has steps, none of this kind, and one with a close id.
      const typo = typos(id);
      if (typo)
        warnings.push(
          `step ${step.id} (plugin ${pluginOf(step)}) is ordered after step ${id}, which no plugin provides; did you mean ${typo.join(', ')}?`,
        );
    }
  });
  if (problems.length) throw new DagError(problems.join('\n'));

  return { steps: topologicalOrder(graph, byRank, dependentRanks), graph, warnings };
}

/** `plugin:kind` of a step id: `linkerd:export:podinfo@demo` -> `linkerd:export`. */
function kindOf(id: string): string {
  const [plugin = '', kind = ''] = id.split('@')[0]!.split(':');
  return `${plugin}:${kind}`;
}

/**
 * Close ids when `after: [id]` looks like a typo rather than an optional step: the owning plugin is present,
 * it has no step of this kind anywhere (so it is not just absent for this cluster), and an id of the same
 * plugin and cluster is close. Optional kinds switched off by config can look the same, hence a warning,
 * not an error. Everything is indexed on the first absent id: most plans never ask, and comparing each
 * absent id with every id made a 120-cluster plan (14,280 links) take seconds.
 */
function afterTypoFinder(graph: ReadonlyMap<string, unknown>): (id: string) => string[] | undefined {
  let index: { plugins: Set<string>; kinds: Set<string>; byPluginAndCluster: Map<string, string[]> } | undefined;
  const groupOf = (id: string) => `${id.split(':')[0]!}@${id.split('@')[1] ?? ''}`;
  return (id) => {
    if (!index) {
      index = { plugins: new Set(), kinds: new Set(), byPluginAndCluster: new Map() };
      for (const other of graph.keys()) {
        index.plugins.add(other.split(':')[0]!);
        index.kinds.add(kindOf(other));
        const key = groupOf(other);
        const group = index.byPluginAndCluster.get(key);
        if (group) group.push(other);
        else index.byPluginAndCluster.set(key, [other]);
      }
    }
    if (!index.plugins.has(id.split(':')[0]!) || index.kinds.has(kindOf(id))) return undefined;
    const near = nearbyIds(id, index.byPluginAndCluster.get(groupOf(id)) ?? [], 1);
    return near.length > 0 ? near : undefined;
  };
}

/**
 * Kahn's algorithm, always taking the smallest ready id, so the same steps always give the same order.
 * The ready set is a binary heap of ranks (positions in id order): tens of thousands of steps (one per
 * export) must cost neither a sorted-array insertion nor a string comparison each.
 */
function topologicalOrder(
  graph: Map<string, PlannedStep>,
  byRank: readonly PlannedStep[],
  dependentRanks: readonly number[][],
): PlannedStep[] {
  const waitingOn = new Int32Array(byRank.length);
  const ready = new MinHeap<number>((a, b) => a - b);
  byRank.forEach((node, i) => {
    waitingOn[i] = node.needs.length + node.after.length;
    if (waitingOn[i] === 0) ready.push(i);
  });
  const order: PlannedStep[] = [];
  while (ready.size > 0) {
    const rank = ready.pop()!;
    order.push(byRank[rank]!);
    for (const i of dependentRanks[rank]!) {
      waitingOn[i] = waitingOn[i]! - 1;
      if (waitingOn[i] === 0) ready.push(i);
    }
  }
  if (order.length !== graph.size) {
    const ordered = new Set(order.map((n) => n.id));
    const stuck = new Set([...graph.keys()].filter((id) => !ordered.has(id)));
    throw new DagError(`steps form a cycle: ${findCycle(graph, stuck).join(' -> ')} (each step waits for the next)`);
  }
  return order;
}

/** One cycle among the steps Kahn could not order, starting at its smallest id. */
function findCycle(graph: Map<string, PlannedStep>, stuck: Set<string>): string[] {
  const edges = (id: string) => {
    const n = graph.get(id)!;
    return [...n.needs, ...n.after].filter((d) => stuck.has(d)).sort(compareIds);
  };
  const start = [...stuck].sort(compareIds)[0]!;
  // Every stuck node has a stuck predecessor edge, so walking edges must revisit a node.
  const path: string[] = [];
  const seen = new Map<string, number>();
  let current = start;
  while (!seen.has(current)) {
    seen.set(current, path.length);
    path.push(current);
    current = edges(current)[0]!;
  }
  const cycle = path.slice(seen.get(current));
  const smallest = cycle.reduce((min, id, i) => (compareIds(id, cycle[min]!) < 0 ? i : min), 0);
  const rotated = [...cycle.slice(smallest), ...cycle.slice(0, smallest)];
  return [...rotated, rotated[0]!];
}

/**
 * `--only` selection. Semantics:
 * - each pattern is a step-id glob (`*` any run of characters, `?` one character), e.g. `linkerd:*`,
 *   `*@demo`, or an exact id; a pattern that matches no step is an error (a typo must not silently do nothing);
 * - the selection is every matching step plus, transitively, each hard `needs` that is not complete
 *   (`isComplete(id)`: recorded in state with an unchanged fingerprint) — a complete need is not re-run,
 *   its outputs are read from state;
 * - soft `after` never pulls a step in; it only orders steps that are both selected;
 * - the result keeps the plan's order and the full graph (so `outputOf` can still check ancestry).
 */
export function selectSteps(plan: Plan, only: string[], isComplete: (id: string) => boolean = () => false): Plan {
  if (only.length === 0) return plan;
  const selected = new Set<string>();
  for (const pattern of only) {
    const re = globToRegExp(pattern);
    const matches = [...plan.graph.keys()].filter((id) => re.test(id));
    if (matches.length === 0) {
      const near = nearbyIds(pattern, [...plan.graph.keys()]);
      throw new DagError(
        `--only ${pattern} matches no step` +
          (near.length ? `; did you mean ${near.join(', ')}?` : '; run `meshspec plan` to list step ids'),
      );
    }
    matches.forEach((id) => selected.add(id));
  }
  const queue = [...selected];
  while (queue.length) {
    const node = plan.graph.get(queue.pop()!)!;
    for (const need of node.needs) {
      if (selected.has(need) || isComplete(need)) continue;
      selected.add(need);
      queue.push(need);
    }
  }
  return { steps: plan.steps.filter((n) => selected.has(n.id)), graph: plan.graph };
}

export function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** Every step `id` may read outputs from: its transitive `needs` and `after` in the full graph. */
export function ancestorsOf(graph: ReadonlyMap<string, PlannedStep>, id: string): Set<string> {
  const found = new Set<string>();
  const queue = [id];
  while (queue.length) {
    const node = graph.get(queue.pop()!);
    if (!node) continue;
    for (const dep of [...node.needs, ...node.after]) {
      if (found.has(dep)) continue;
      found.add(dep);
      queue.push(dep);
    }
  }
  return found;
}

/** Ids close to `wanted`: same id before '@' (another cluster), or a small edit distance. */
export function nearbyIds(wanted: string, ids: string[], limit = 3): string[] {
  const base = (id: string) => id.split('@')[0];
  const scored = ids
    .map((id) => ({ id, d: base(id) === base(wanted) ? 0.5 : editDistance(wanted, id) }))
    .filter(({ id, d }) => d <= Math.max(2, Math.floor(Math.max(wanted.length, id.length) / 4)))
    .sort((a, b) => a.d - b.d || compareIds(a.id, b.id));
  return scored.slice(0, limit).map((s) => s.id);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Up to this many ids, scanning a list beats building a Set (the needs and after lists of almost every step). */
const SHORT_LIST = 16;

/** Without repeats, first occurrence kept. */
function unique(ids: readonly string[]): string[] {
  if (ids.length > SHORT_LIST) return [...new Set(ids)];
  const out: string[] = [];
  for (const id of ids) if (!out.includes(id)) out.push(id);
  return out;
}
