import { describe, expect, it } from 'vitest';
import { mapLimit } from '../../src/util/map-limit.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('mapLimit', () => {
  it('keeps the order of the items and never has more than `limit` calls in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      most = Math.max(most, ++inFlight);
      for (let i = 0; i < n; i++) await tick();
      inFlight--;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });

  it('starts nothing after the first failure and rejects with it once the calls in flight settled', async () => {
    const started: number[] = [];
    let settled = 0;
    const failing = mapLimit([1, 2, 3, 4, 5, 6], 2, async (n) => {
      started.push(n);
      await tick();
      settled++;
      if (n === 2) throw new Error('item 2 failed');
    });
    await expect(failing).rejects.toThrow('item 2 failed');
    expect(started).toEqual([1, 2, 3]);
    expect(settled).toBe(3);
  });

  it('handles no items and a limit below one', async () => {
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
    expect(await mapLimit([1, 2], 0, async (n) => n)).toEqual([1, 2]);
  });
});
