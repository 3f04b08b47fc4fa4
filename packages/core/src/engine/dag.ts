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

const prefixPlugin = (step: Step) => step.id.split(':')[0] ?? step.id;

export function buildPlan(steps: Step[], options: BuildPlanOptions = {}): Plan {
  const pluginOf = options.pluginOf ?? prefixPlugin;
  const byId = new Map<string, Step>();
  const problems: string[] = [];
  for (const step of steps) {
    const first = byId.get(step.id);
    if (first) {
      problems.push(`duplicate step id ${step.id}: declared by plugin ${pluginOf(first)} and by plugin ${pluginOf(step)}`);
      continue;
    }
    byId.set(step.id, step);
  }
  const allIds = [...byId.keys()];
  for (const step of byId.values()) {
    for (const need of step.needs ?? []) {
      if (byId.has(need)) continue;
      const near = nearbyIds(need, allIds);
      problems.push(
        `step ${step.id} (plugin ${pluginOf(step)}) needs step ${need}, which no plugin provides` +
          (near.length ? `; did you mean ${near.join(', ')}?` : ''),
      );
    }
  }
  if (problems.length) throw new DagError(problems.join('\n'));

  const graph = new Map<string, PlannedStep>();
  const warnings: string[] = [];
  const kinds = stepKinds(byId.keys());
  // A typo of `after` is looked for among ids of the same plugin and cluster only: comparing each absent
  // id with every id made a 120-cluster plan (14,280 links) take seconds.
  // Grouped on first use: most plans never ask.
  let byPluginAndCluster: Map<string, string[]> | undefined;
  const groupOf = (id: string) => `${id.split(':')[0]!}@${id.split('@')[1] ?? ''}`;
  const typoCandidates = (id: string) => {
    if (!byPluginAndCluster) {
      byPluginAndCluster = new Map();
      for (const other of allIds) {
        const key = groupOf(other);
        const group = byPluginAndCluster.get(key);
        if (group) group.push(other);
        else byPluginAndCluster.set(key, [other]);
      }
    }
    return byPluginAndCluster.get(groupOf(id)) ?? [];
  };
  // `before` on one step is `after` on the other: merged here, after the step's own entries.
  const afterFromBefore = new Map<string, string[]>();
  for (const step of byId.values()) {
    for (const later of step.before ?? []) {
      if (!byId.has(later) || later === step.id) continue;
      afterFromBefore.set(later, [...(afterFromBefore.get(later) ?? []), step.id]);
    }
  }
  for (const step of byId.values()) {
    const needs = unique(step.needs ?? []);
    const hard = new Set(needs);
    // A soft edge to an absent step (plugin unused, or not for this cluster) or one already hard is just dropped,
    // unless it looks like a typo: the owning plugin has steps, none of this kind, and one with a close id.
    const after = unique([...(step.after ?? []), ...(afterFromBefore.get(step.id) ?? [])]).filter((id) => {
      if (byId.has(id)) return id !== step.id && !hard.has(id);
      const typo = afterTypo(id, kinds, typoCandidates);
      if (typo)
        warnings.push(
          `step ${step.id} (plugin ${pluginOf(step)}) is ordered after step ${id}, which no plugin provides; did you mean ${typo.join(', ')}?`,
        );
      return false;
    });
    graph.set(step.id, { id: step.id, step, needs, after, dependents: [] });
  }
  for (const node of graph.values()) {
    for (const dep of [...node.needs, ...node.after]) graph.get(dep)!.dependents.push(node.id);
  }
  for (const node of graph.values()) node.dependents.sort(compareIds);

  return { steps: topologicalOrder(graph), graph, warnings };
}

/** `plugin:kind` of a step id: `linkerd:export:podinfo@demo` -> `linkerd:export`. */
function kindOf(id: string): string {
  const [plugin = '', kind = ''] = id.split('@')[0]!.split(':');
  return `${plugin}:${kind}`;
}

function stepKinds(ids: Iterable<string>): { plugins: Set<string>; kinds: Set<string> } {
  const plugins = new Set<string>();
  const kinds = new Set<string>();
  for (const id of ids) {
    plugins.add(id.split(':')[0]!);
    kinds.add(kindOf(id));
  }
  return { plugins, kinds };
}

/**
 * Close ids when `after: [id]` looks like a typo rather than an optional step: the owning plugin is present,
 * it has no step of this kind anywhere (so it is not just absent for this cluster), and an id of another
 * kind is close. Optional kinds switched off by config can look the same, hence a warning, not an error.
 */
function afterTypo(
  id: string,
  { plugins, kinds }: { plugins: Set<string>; kinds: Set<string> },
  samePluginAndCluster: (id: string) => string[],
): string[] | undefined {
  if (!plugins.has(id.split(':')[0]!) || kinds.has(kindOf(id))) return undefined;
  const near = nearbyIds(id, samePluginAndCluster(id), 1);
  return near.length > 0 ? near : undefined;
}

/**
 * Kahn's algorithm, always taking the smallest ready id, so the same steps always give the same order.
 * The ready set is a binary heap: tens of thousands of steps (one per export) must not cost a sorted-array
 * insertion each.
 */
function topologicalOrder(graph: Map<string, PlannedStep>): PlannedStep[] {
  const waitingOn = new Map<string, number>();
  const ready = new MinHeap<string>(compareIds);
  for (const node of graph.values()) {
    const count = node.needs.length + node.after.length;
    waitingOn.set(node.id, count);
    if (count === 0) ready.push(node.id);
  }
  const order: PlannedStep[] = [];
  const ordered = new Set<string>();
  while (ready.size > 0) {
    const id = ready.pop()!;
    const node = graph.get(id)!;
    order.push(node);
    ordered.add(id);
    for (const dependent of node.dependents) {
      const left = waitingOn.get(dependent)! - 1;
      waitingOn.set(dependent, left);
      if (left === 0) ready.push(dependent);
    }
  }
  if (order.length !== graph.size) {
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

const unique = (ids: string[]) => [...new Set(ids)];
