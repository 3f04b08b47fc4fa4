import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { mapInOrder } from './map-in-order.js';

describe('mapInOrder', () => {
  it('keeps item order whatever order calls finish in, with at most `limit` in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapInOrder([30, 5, 20, 1, 10, 2], 3, async (ms) => {
      peak = Math.max(peak, ++inFlight);
      await sleep(ms);
      inFlight--;
      return ms * 2;
    });
    expect(out).toEqual([60, 10, 40, 2, 20, 4]);
    expect(peak).toBe(3);
  });

  it('stops starting new calls after a failure and throws it once the calls in flight settle', async () => {
    const started: number[] = [];
    const settled: number[] = [];
    const run = mapInOrder([1, 2, 3, 4, 5, 6], 2, async (n) => {
      started.push(n);
      await sleep(n === 2 ? 5 : 20);
      settled.push(n);
      if (n === 2) throw new Error('two failed');
      return n;
    });
    await expect(run).rejects.toThrow('two failed');
    expect(started).toEqual([1, 2]);
    expect(settled.sort()).toEqual([1, 2]);
  });

  it('handles an empty list', async () => {
    expect(await mapInOrder([], 8, async () => 1)).toEqual([]);
  });
});
