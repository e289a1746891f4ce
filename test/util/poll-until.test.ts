import { describe, expect, test } from 'vitest';
import { pollUntil } from '../../src/util/poll-until.js';

describe('pollUntil', () => {
  test('reads until the state has got there and returns it', async () => {
    let reads = 0;
    const state = await pollUntil(
      async () => ++reads,
      (n) => n === 3,
      { timeoutMs: 10_000, intervalMs: 1, failure: () => new Error('never') },
    );
    expect(state).toBe(3);
    expect(reads).toBe(3);
  });

  test("gives up with the caller's error once the time has passed", async () => {
    await expect(
      pollUntil(
        async () => false,
        (done) => done,
        { timeoutMs: 0, intervalMs: 1, failure: () => new Error('not yet') },
      ),
    ).rejects.toThrow('not yet');
  });
});
