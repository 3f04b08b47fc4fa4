// The scheduler on a logical clock (simulateSchedule): every step takes exactly its duration, so the
// order and overlap of steps are exact and the tests are about scheduling decisions, not timer slack.
import { describe, expect, it } from 'vitest';
import type { Step } from '../plugin/types.js';
import { buildPlan, type Plan } from './dag.js';
import { criticalPath } from './critical-path.js';
import { defaultResourceLimits, parseResourceLimits, type ResourceLimits } from './resource-limits.js';
import { simulateSchedule, type SimulatedRun } from './scheduler.js';

interface S {
  id: string;
  needs?: string[];
  after?: string[];
  resource?: string;
  /** Seconds. */
  s: number;
}

const planOf = (steps: S[]): Plan =>
  buildPlan(
    steps.map((x): Step => ({
      id: x.id,
      title: x.id,
      plan: [],
      needs: x.needs,
      after: x.after,
      resource: x.resource,
      estimateSeconds: x.s,
      run: async () => ({}),
    })),
  );

/** Running steps per resource at every instant where something starts, from the spans. */
function peakPerResource(run: SimulatedRun): Map<string, number> {
  const peak = new Map<string, number>();
  const spans = [...run.spans.values()];
  for (const at of new Set(spans.map((x) => x.start))) {
    const now = new Map<string, number>();
    for (const x of spans) if (x.start <= at && at < x.end) now.set(x.resource, (now.get(x.resource) ?? 0) + 1);
    for (const [r, n] of now) peak.set(r, Math.max(peak.get(r) ?? 0, n));
  }
  return peak;
}

/** A topology-shaped plan: a network, per cluster create → control plane → extensions, then links between all. */
function meshPlan(clusters: number): Plan {
  const steps: S[] = [
    { id: 'kind:network', resource: 'api', s: 1 },
    { id: 'linkerd:certs', resource: 'api', s: 1 },
  ];
  const names = Array.from({ length: clusters }, (_, i) => `c${i + 1}`);
  for (const c of names) {
    steps.push(
      { id: `kind:cluster@${c}`, needs: ['kind:network'], resource: 'cluster-create', s: 35 },
      { id: `metallb:install@${c}`, after: [`kind:cluster@${c}`], resource: 'helm', s: 45 },
      { id: `metallb:pools@${c}`, needs: [`metallb:install@${c}`], resource: 'api', s: 3 },
      { id: `linkerd:crds@${c}`, after: [`kind:cluster@${c}`], resource: 'linkerd', s: 5 },
      { id: `linkerd:control-plane@${c}`, needs: [`linkerd:crds@${c}`, 'linkerd:certs'], resource: 'linkerd', s: 90 },
      { id: `linkerd:viz@${c}`, needs: [`linkerd:control-plane@${c}`], resource: 'linkerd', s: 60 },
      { id: `linkerd:multicluster@${c}`, needs: [`linkerd:control-plane@${c}`], resource: 'linkerd', s: 40 },
      { id: `ingress:controller@${c}`, after: [`linkerd:control-plane@${c}`, `metallb:pools@${c}`], resource: 'helm', s: 60 },
    );
  }
  for (const a of names)
    for (const b of names)
      if (a !== b)
        steps.push({
          id: `linkerd:link:${b}@${a}`,
          needs: [`linkerd:multicluster@${a}`, `linkerd:multicluster@${b}`],
          resource: 'linkerd',
          s: 5,
        });
  return planOf(steps);
}

describe('simulateSchedule: the longest remaining path starts first', () => {
  const table: { name: string; steps: S[]; limits: ResourceLimits; first: string[] }[] = [
    {
      name: 'one slot: the head of the long chain before short independent steps that sort first by id',
      steps: [
        { id: 'a:short1', s: 10 },
        { id: 'a:short2', s: 10 },
        { id: 'a:short3', s: 10 },
        { id: 'z:head', s: 10 },
        { id: 'z:tail', needs: ['z:head'], s: 100 },
      ],
      limits: { other: 1 },
      first: ['z:head', 'z:tail'],
    },
    {
      name: 'two slots of one resource: both long chains before the short step',
      steps: [
        { id: 'a:short', resource: 'helm', s: 5 },
        { id: 'b:head', resource: 'helm', s: 5 },
        { id: 'b:tail', needs: ['b:head'], resource: 'api', s: 50 },
        { id: 'c:head', resource: 'helm', s: 5 },
        { id: 'c:tail', needs: ['c:head'], resource: 'api', s: 40 },
      ],
      limits: { helm: 2, api: 10 },
      first: ['b:head', 'c:head'],
    },
    {
      name: 'a long step of a busy resource still ranks by what follows it, not by its own length',
      steps: [
        { id: 'a:big', s: 60 },
        { id: 'b:small', s: 5 },
        { id: 'b:after', needs: ['b:small'], s: 100 },
      ],
      limits: { other: 1 },
      first: ['b:small', 'b:after', 'a:big'],
    },
  ];
  it.each(table)('$name', ({ steps, limits, first }) => {
    const run = simulateSchedule(planOf(steps), { limits });
    expect(run.startOrder.slice(0, first.length)).toEqual(first);
  });

  it('the plan order (the old scheduler) starts the short steps first and finishes later', () => {
    const steps = table[0]!.steps;
    const oldRun = simulateSchedule(planOf(steps), { limits: { other: 1 }, order: 'plan' });
    const newRun = simulateSchedule(planOf(steps), { limits: { other: 1 } });
    expect(oldRun.startOrder[0]).toBe('a:short1');
    // One slot: the same total work either way.
    expect(newRun.makespanMs).toBe(oldRun.makespanMs);
    // But with two slots the long chain is started at once, and the run is as short as its chain.
    const two = simulateSchedule(planOf(steps), { limits: { other: 2 } });
    expect(two.makespanMs).toBe(criticalPath(planOf(steps)).totalMs);
    expect(simulateSchedule(planOf(steps), { limits: { other: 2 }, order: 'plan' }).makespanMs).toBeGreaterThan(two.makespanMs);
  });

  it('on a six-cluster mesh reaches the critical path where plan order with a flat 4 does not', () => {
    const plan = meshPlan(6);
    const cp = criticalPath(plan).totalMs;
    const unbound = simulateSchedule(plan, { limits: { 'cluster-create': 6, helm: 16, linkerd: 16, api: 64 } });
    const flat4 = simulateSchedule(plan, { limits: {}, total: 4, order: 'plan' });
    expect(unbound.makespanMs).toBe(cp);
    expect(flat4.makespanMs / cp).toBeGreaterThan(1.5);
  });
});

describe('simulateSchedule: per-resource limits are never exceeded', () => {
  const table: { clusters: number; limits: ResourceLimits; total?: number }[] = [
    { clusters: 3, limits: { 'cluster-create': 1, helm: 1, linkerd: 1, api: 1 } },
    { clusters: 6, limits: { 'cluster-create': 2, helm: 4, linkerd: 3, api: 64 } },
    { clusters: 6, limits: { 'cluster-create': 4, helm: 2, linkerd: 8, api: 2 }, total: 5 },
    { clusters: 8, limits: defaultResourceLimits({ cpus: 2, freeMemoryBytes: 16 * 2 ** 30 }) },
  ];
  it.each(table)('$clusters clusters, limits $limits, total $total', ({ clusters, limits, total }) => {
    const plan = meshPlan(clusters);
    const run = simulateSchedule(plan, { limits, ...(total !== undefined ? { total } : {}) });
    expect(run.spans.size).toBe(plan.steps.length);
    for (const [resource, peak] of peakPerResource(run)) expect(peak, resource).toBeLessThanOrEqual(limits[resource]!);
    if (total !== undefined) {
      const spans = [...run.spans.values()];
      for (const x of spans) expect(spans.filter((y) => y.start <= x.start && x.start < y.end).length).toBeLessThanOrEqual(total);
    }
    // Dependencies hold: nothing starts before its needs and afters end.
    for (const node of plan.steps)
      for (const dep of [...node.needs, ...node.after])
        expect(run.spans.get(node.id)!.start).toBeGreaterThanOrEqual(run.spans.get(dep)!.end);
  });
});

describe('simulateSchedule: deterministic, and nothing ready waits while its resource has room', () => {
  it('equal priorities start in plan order, the same on every run', () => {
    const steps: S[] = ['d', 'b', 'c', 'a'].map((x) => ({ id: `x:${x}`, s: 10 }));
    const runs = Array.from({ length: 5 }, () => simulateSchedule(planOf(steps), { limits: { other: 1 } }).startOrder);
    expect(runs[0]).toEqual(['x:a', 'x:b', 'x:c', 'x:d']);
    for (const r of runs) expect(r).toEqual(runs[0]);
  });

  it.each([2, 3, 6])('%i clusters with tight limits: a ready step waits only while its resource (or the total) is full', (clusters) => {
    const plan = meshPlan(clusters);
    const limits = { 'cluster-create': 1, helm: 1, linkerd: 2, api: 1 };
    const run = simulateSchedule(plan, { limits });
    const spans = [...run.spans.values()];
    const busy = (resource: string, at: number) => spans.filter((x) => x.resource === resource && x.start <= at && at < x.end).length;
    for (const node of plan.steps) {
      const own = run.spans.get(node.id)!;
      const readyAt = Math.max(0, ...[...node.needs, ...node.after].map((d) => run.spans.get(d)!.end));
      // Every instant in [ready, start) where something changes, the resource is full.
      const instants = [readyAt, ...spans.flatMap((x) => [x.start, x.end])].filter((t) => t >= readyAt && t < own.start);
      for (const t of instants)
        expect(busy(own.resource, t), `${node.id} waited at ${t}`).toBe(limits[own.resource as keyof typeof limits]);
    }
  });

  it('a low-priority step on a contended resource still runs (no starvation)', () => {
    // One helm slot; a short, low-priority helm step is ready from the start while long chains keep helm busy.
    const steps: S[] = [{ id: 'a:lonely', resource: 'helm', s: 1 }];
    for (let i = 0; i < 5; i++)
      steps.push(
        { id: `b:h${i}`, resource: 'helm', s: 10, ...(i > 0 ? { needs: [`b:h${i - 1}`] } : {}) },
        { id: `b:t${i}`, needs: [`b:h${i}`], s: 100 },
      );
    const run = simulateSchedule(planOf(steps), { limits: { helm: 1, other: 10 } });
    expect(run.spans.has('a:lonely')).toBe(true);
    expect(run.spans.get('a:lonely')!.end).toBeLessThanOrEqual(run.makespanMs);
  });
});

describe('defaultResourceLimits: derived from the machine', () => {
  it.each([
    { cpus: 1, freeGiB: 1, create: 1, tools: 8 },
    { cpus: 2, freeGiB: 16, create: 2, tools: 8 },
    { cpus: 3, freeGiB: 16, create: 3, tools: 12 },
    { cpus: 8, freeGiB: 6, create: 3, tools: 16 },
    { cpus: 16, freeGiB: 64, create: 4, tools: 16 },
  ])('$cpus CPUs, $freeGiB GiB free: $create cluster creates, $tools of each CLI', ({ cpus, freeGiB, create, tools }) => {
    const limits = defaultResourceLimits({ cpus, freeMemoryBytes: freeGiB * 2 ** 30 });
    expect(limits['cluster-create']).toBe(create);
    expect([limits['helm'], limits['linkerd'], limits['kubectl']]).toEqual([tools, tools, tools]);
    expect(limits['api']).toBeGreaterThanOrEqual(32);
  });
});

describe('parseResourceLimits (--parallel)', () => {
  it('reads name=value pairs', () => {
    expect(parseResourceLimits('cluster-create=2, helm=4')).toEqual({ 'cluster-create': 2, helm: 4 });
  });
  it.each([
    ['helm', /'helm': the limit must be a whole number >= 1/],
    ['helm=0', /'helm=0': the limit must be a whole number >= 1, e.g. helm=2/],
    ['Helm=2', /lower-case words/],
    ['helm=2,kubectl=x,api=1.5', /'kubectl=x'.*; 'api=1.5'/],
    [',', /expected <resource>=<n>/],
  ])('%s is refused, every problem at once', (text, message) => {
    expect(() => parseResourceLimits(text)).toThrow(message);
  });
});
