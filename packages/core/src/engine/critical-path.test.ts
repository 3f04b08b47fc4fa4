import { describe, expect, it } from 'vitest';
import { buildPlan, selectSteps } from './dag.js';
import { criticalPath, estimateMs } from './critical-path.js';
import type { Step } from '../plugin/types.js';

const step = (id: string, seconds: number, needs: string[] = []): Step => ({
  id,
  title: id,
  needs,
  estimateSeconds: seconds,
  run: async () => {},
});

describe('criticalPath', () => {
  const cases: { name: string; steps: Step[]; totalMs: number; path: string[] }[] = [
    { name: 'one step', steps: [step('a', 3)], totalMs: 3000, path: ['a'] },
    { name: 'a chain adds up', steps: [step('a', 1), step('b', 2, ['a']), step('c', 4, ['b'])], totalMs: 7000, path: ['a', 'b', 'c'] },
    {
      name: 'the longer branch of a diamond wins',
      steps: [step('a', 1), step('slow', 10, ['a']), step('fast', 2, ['a']), step('end', 1, ['slow', 'fast'])],
      totalMs: 12000,
      path: ['a', 'slow', 'end'],
    },
    {
      name: 'independent chains: the longest one',
      steps: [step('x1', 5), step('x2', 5, ['x1']), step('y1', 20)],
      totalMs: 20000,
      path: ['y1'],
    },
    { name: 'ties break by id', steps: [step('a', 1), step('c', 2, ['a']), step('b', 2, ['a'])], totalMs: 3000, path: ['a', 'b'] },
  ];
  it.each(cases)('$name', ({ steps, totalMs, path }) => {
    const result = criticalPath(buildPlan(steps));
    expect(result.totalMs).toBe(totalMs);
    expect(result.path).toEqual(path);
  });

  it('remainingMs is each step plus the longest chain after it', () => {
    const result = criticalPath(buildPlan([step('a', 1), step('slow', 10, ['a']), step('fast', 2, ['a'])]));
    expect(Object.fromEntries(result.remainingMs)).toEqual({ a: 11000, slow: 10000, fast: 2000 });
  });

  it('steps a selection left out weigh nothing', () => {
    const plan = buildPlan([step('a', 1), step('b', 50, ['a']), step('c', 2, ['a'])]);
    const selected = selectSteps(plan, ['a', 'c']);
    expect(criticalPath(selected).path).toEqual(['a', 'c']);
  });

  it('takes recorded durations over estimates', () => {
    const plan = buildPlan([step('a', 1), step('b', 1)]);
    expect(criticalPath(plan, (node) => (node.id === 'b' ? 9000 : 1)).path).toEqual(['b']);
  });

  it('an empty plan has an empty path', () => {
    expect(criticalPath(buildPlan([]))).toMatchObject({ totalMs: 0, path: [] });
  });
});

describe('estimateMs', () => {
  it.each([
    [{ estimateSeconds: 7 }, 7000],
    [{ resource: 'cluster-create' }, 35000],
    [{ resource: 'cluster-create', estimateSeconds: 1 }, 1000],
    [{ resource: 'unknown-thing' }, 5000],
    [{}, 5000],
  ])('%o -> %d ms', (fields, ms) => {
    expect(estimateMs({ id: 'x', title: 'x', run: async () => {}, ...fields })).toBe(ms);
  });
});
