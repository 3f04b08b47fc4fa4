import { describe, expect, it } from 'vitest';
import { DagError } from '../errors.js';
import type { Step } from '../plugin/types.js';
import { ancestorsOf, buildPlan, selectSteps } from './dag.js';

const step = (id: string, deps: { needs?: string[]; after?: string[]; before?: string[] } = {}): Step => ({
  id,
  title: id,
  ...deps,
  run: async () => {},
});

const ids = (steps: { id: string }[]) => steps.map((s) => s.id);

function dagError(fn: () => unknown): DagError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DagError);
    return e as DagError;
  }
  throw new Error('expected a DagError');
}

describe('buildPlan', () => {
  it('orders topologically, breaking ties by id whatever the input order', () => {
    const steps = [
      step('linkerd:control-plane@demo', { needs: ['linkerd:crds@demo', 'linkerd:certs'] }),
      step('linkerd:crds@demo', { after: ['kind:cluster@demo'] }),
      step('kind:cluster@demo3', { needs: ['kind:network'] }),
      step('linkerd:certs'),
      step('kind:cluster@demo', { needs: ['kind:network'] }),
      step('kind:network'),
    ];
    const expected = [
      'kind:network',
      'kind:cluster@demo',
      'kind:cluster@demo3',
      'linkerd:certs',
      'linkerd:crds@demo',
      'linkerd:control-plane@demo',
    ];
    expect(ids(buildPlan(steps).steps)).toEqual(expected);
    expect(ids(buildPlan([...steps].reverse()).steps)).toEqual(expected);
  });

  it('resolves needs, after and dependents per step', () => {
    const plan = buildPlan([step('a'), step('b', { needs: ['a'] }), step('c', { needs: ['b'], after: ['a'] })]);
    const a = plan.graph.get('a')!;
    expect(a.dependents).toEqual(['b', 'c']);
    expect(plan.graph.get('c')).toMatchObject({ needs: ['b'], after: ['a'] });
  });

  it("turns a soft before into the other step's after, kept only when that step is in the plan", () => {
    const plan = buildPlan([
      step('w:demo', { after: ['k:cluster'] }),
      step('k:cluster'),
      step('l:control-plane', { before: ['w:demo', 'w:absent'] }),
    ]);
    expect(plan.graph.get('w:demo')!.after).toEqual(['k:cluster', 'l:control-plane']);
    expect(plan.graph.get('l:control-plane')!.dependents).toEqual(['w:demo']);
    expect(ids(plan.steps).indexOf('l:control-plane')).toBeLessThan(ids(plan.steps).indexOf('w:demo'));
    expect(plan.warnings ?? []).toEqual([]);
  });

  it('keeps a soft after only when that step is in the plan', () => {
    const plan = buildPlan([
      step('linkerd:gateway@demo', { after: ['metallb:pools@demo', 'kind:cluster@demo'] }),
      step('kind:cluster@demo'),
    ]);
    expect(plan.graph.get('linkerd:gateway@demo')!.after).toEqual(['kind:cluster@demo']);
    expect(ids(plan.steps)).toEqual(['kind:cluster@demo', 'linkerd:gateway@demo']);
  });

  it('soft after still orders: the after step comes first even if its id sorts later', () => {
    const plan = buildPlan([step('a:x', { after: ['z:y'] }), step('z:y')]);
    expect(ids(plan.steps)).toEqual(['z:y', 'a:x']);
  });

  it('names the missing step, the plugin asking for it, and nearby ids', () => {
    const error = dagError(() =>
      buildPlan([
        step('kind:cluster@demo'),
        step('kind:cluster@demo3'),
        step('linkerd:link:demo@demo3', { needs: ['kind:cluster@demo4'] }),
      ]),
    );
    expect(error.message).toBe(
      'step linkerd:link:demo@demo3 (plugin linkerd) needs step kind:cluster@demo4, which no plugin provides; ' +
        'did you mean kind:cluster@demo, kind:cluster@demo3?',
    );
  });

  it('reports every unknown need at once, without suggestions when nothing is close', () => {
    const error = dagError(() => buildPlan([step('a:one', { needs: ['zzz:qqq'] }), step('b:two', { needs: ['yyy:www'] })]));
    expect(error.message.split('\n')).toEqual([
      'step a:one (plugin a) needs step zzz:qqq, which no plugin provides',
      'step b:two (plugin b) needs step yyy:www, which no plugin provides',
    ]);
  });

  it('prints a cycle as a -> b -> c -> a, starting at its smallest id', () => {
    const error = dagError(() =>
      buildPlan([
        step('c', { needs: ['a'] }),
        step('a', { needs: ['b'] }),
        step('b', { after: ['c'] }),
        step('d', { needs: ['a'] }),
        step('e'),
      ]),
    );
    expect(error.message).toBe('steps form a cycle: a -> b -> c -> a (each step waits for the next)');
  });

  it('treats a step needing itself as a cycle', () => {
    expect(dagError(() => buildPlan([step('x:y', { needs: ['x:y'] })])).message).toContain('x:y -> x:y');
  });

  it('rejects a duplicate id naming both plugins', () => {
    const error = dagError(() => buildPlan([step('kind:cluster@demo'), step('kind:cluster@demo')]));
    expect(error.message).toBe('duplicate step id kind:cluster@demo: declared by plugin kind and by plugin kind');
    const owners = new Map<Step, string>();
    const first = step('linkerd:certs');
    const second = step('linkerd:certs');
    owners.set(first, 'linkerd').set(second, 'my-certs');
    expect(dagError(() => buildPlan([first, second], { pluginOf: (s) => owners.get(s)! })).message).toBe(
      'duplicate step id linkerd:certs: declared by plugin linkerd and by plugin my-certs',
    );
  });
});

describe('selectSteps (--only)', () => {
  const plan = buildPlan([
    step('kind:network'),
    step('kind:cluster@demo', { needs: ['kind:network'] }),
    step('kind:cluster@demo3', { needs: ['kind:network'] }),
    step('linkerd:certs'),
    step('linkerd:crds@demo', { needs: ['kind:cluster@demo'] }),
    step('linkerd:control-plane@demo', { needs: ['linkerd:crds@demo', 'linkerd:certs'] }),
    step('linkerd:crds@demo3', { needs: ['kind:cluster@demo3'], after: ['metallb:pools@demo3'] }),
  ]);

  it.each([
    [
      ['linkerd:control-plane@demo'],
      () => false,
      ['kind:network', 'kind:cluster@demo', 'linkerd:certs', 'linkerd:crds@demo', 'linkerd:control-plane@demo'],
    ],
    [['linkerd:control-plane@demo'], () => true, ['linkerd:control-plane@demo']],
    [
      ['linkerd:*'],
      (id: string) => id.startsWith('kind:'),
      ['linkerd:certs', 'linkerd:crds@demo', 'linkerd:control-plane@demo', 'linkerd:crds@demo3'],
    ],
    [['*@demo3'], (id: string) => id === 'kind:network', ['kind:cluster@demo3', 'linkerd:crds@demo3']],
    [['kind:cluster@demo', 'linkerd:certs'], () => false, ['kind:network', 'kind:cluster@demo', 'linkerd:certs']],
  ])('%j selects the matches plus their not-complete needs', (only, isComplete, expected) => {
    expect(ids(selectSteps(plan, only, isComplete).steps)).toEqual(expected);
  });

  it('rejects a pattern that matches nothing', () => {
    expect(dagError(() => selectSteps(plan, ['linkerd:crd@demo'])).message).toBe(
      '--only linkerd:crd@demo matches no step; did you mean linkerd:crds@demo, linkerd:crds@demo3?',
    );
  });

  it('keeps the full graph so ancestry is still known', () => {
    const selected = selectSteps(plan, ['linkerd:control-plane@demo'], () => true);
    expect([...ancestorsOf(selected.graph, 'linkerd:control-plane@demo')].sort()).toEqual([
      'kind:cluster@demo',
      'kind:network',
      'linkerd:certs',
      'linkerd:crds@demo',
    ]);
  });
});

describe('after: naming a step that does not exist', () => {
  const base = [step('linkerd:control-plane@demo'), step('linkerd:control-plane@demo3'), step('workloads:demo@demo')];

  it('warns with the closest id when the owning plugin is present and has no step of that kind', () => {
    const plan = buildPlan([...base, step('smi:split@demo', { after: ['linkerd:contrl-plane@demo'] })]);
    expect(plan.warnings).toEqual([
      'step smi:split@demo (plugin smi) is ordered after step linkerd:contrl-plane@demo, which no plugin provides; did you mean linkerd:control-plane@demo?',
    ]);
  });

  it('stays quiet when the plugin is absent or the kind only misses this cluster', () => {
    const plan = buildPlan([
      ...base,
      step('ingress:x@demo3', { after: ['workloads:demo@demo3', 'kind:cluster@demo3', 'metallb:pools@demo3'] }),
    ]);
    expect(plan.warnings).toEqual([]);
  });
});

describe('many steps ready at once', () => {
  // How long this takes is measured in `pnpm bench --only plan-size` (a ratio), never asserted here.
  it('20,000 steps that become ready together (one per export) come out ordered by id', () => {
    const steps = [step('linkerd:control-plane@demo')];
    for (let i = 0; i < 20_000; i++) steps.push(step(`linkerd:export:svc${19_999 - i}@demo`, { needs: ['linkerd:control-plane@demo'] }));
    const plan = buildPlan(steps);
    expect(plan.steps).toHaveLength(20_001);
    expect(plan.steps[1]!.id).toBe('linkerd:export:svc0@demo');
    expect(plan.steps.at(-1)!.id).toBe('linkerd:export:svc9@demo'); // ids sort as strings: '@' > '9'
  });
});
