// A small layered (Sugiyama-style) layout for the html picture: columns by longest path from the first
// steps, so every edge points right; within a column, steps grouped by cluster (global steps first) and
// ordered by the mean row of what they wait for, so the edges mostly run straight. No crossing
// minimisation beyond that: plans are tens to a few hundred steps, and the picture is filterable.

export interface LayoutInput {
  id: string;
  /** Ids this node waits for; ids not in the input are ignored. */
  deps: readonly string[];
  /** Band within a column: nodes of one group stay together (the cluster; '' first). */
  group: string;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
  column: number;
  row: number;
}

export interface Layout {
  boxes: Map<string, Box>;
  width: number;
  height: number;
}

export const NODE = { width: 220, height: 48, columnGap: 64, rowGap: 14, margin: 16 };

/** `nodes` must be in a topological order (every dep before its dependents), as the plan's steps are. */
export function layeredLayout(nodes: readonly LayoutInput[], groups: readonly string[]): Layout {
  const known = new Set(nodes.map((n) => n.id));
  const column = new Map<string, number>();
  for (const node of nodes) {
    let at = 0;
    for (const dep of node.deps) if (known.has(dep)) at = Math.max(at, (column.get(dep) ?? 0) + 1);
    column.set(node.id, at);
  }
  const columns: LayoutInput[][] = [];
  for (const node of nodes) (columns[column.get(node.id)!] ??= []).push(node);
  const groupRank = (group: string) => (group === '' ? -1 : groups.indexOf(group));
  const row = new Map<string, number>();
  for (const nodesInColumn of columns) {
    const mean = (node: LayoutInput) => {
      const rows = node.deps.filter((dep) => row.has(dep)).map((dep) => row.get(dep)!);
      return rows.length === 0 ? Number.POSITIVE_INFINITY : rows.reduce((a, b) => a + b, 0) / rows.length;
    };
    const keyed = nodesInColumn.map((node, i) => ({ node, group: groupRank(node.group), mean: mean(node), i }));
    // Stable and deterministic: group, then mean row of the deps, then run order.
    keyed.sort((a, b) => a.group - b.group || a.mean - b.mean || a.i - b.i);
    keyed.forEach(({ node }, i) => row.set(node.id, i));
  }
  const boxes = new Map<string, Box>();
  let width = 0;
  let height = 0;
  for (const node of nodes) {
    const c = column.get(node.id)!;
    const r = row.get(node.id)!;
    const box = {
      x: NODE.margin + c * (NODE.width + NODE.columnGap),
      y: NODE.margin + r * (NODE.height + NODE.rowGap),
      width: NODE.width,
      height: NODE.height,
      column: c,
      row: r,
    };
    boxes.set(node.id, box);
    width = Math.max(width, box.x + box.width + NODE.margin);
    height = Math.max(height, box.y + box.height + NODE.margin);
  }
  return { boxes, width, height };
}
