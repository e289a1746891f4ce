import { describe, expect, it } from 'vitest';
import { Cancelled, type Effects } from '../../src/runtime/effects.js';
import { VirtualClock } from '../../src/simulate/virtual-clock.js';

/** Drives the clock the way simulate() does, without inputs; returns the final instant. */
async function drive(clock: VirtualClock, isSettled: () => boolean): Promise<number> {
  for (;;) {
    await clock.settle();
    if (isSettled()) return clock.now;
    if (clock.wakeConditions() || clock.completeActions()) continue;
    if (clock.nextTimerAt() === null) return clock.now;
    clock.fireNextTimer();
  }
}

describe('VirtualClock', () => {
  it('fires timers due at the same instant in creation order', async () => {
    const clock = new VirtualClock(0, { emit: () => {} });
    const order: string[] = [];
    const run = clock.start(async (fx) => {
      const branches = ['a', 'b', 'c'].map((name) =>
        fx.scope(async (inner) => {
          await inner.sleepUntil(name === 'a' ? 20 : 10);
          order.push(`${name}@${inner.now()}`);
        }),
      );
      for (const branch of branches) await branch.join();
    });
    expect(await drive(clock, run.isSettled)).toBe(20);
    expect(order).toEqual(['b@10', 'c@10', 'a@20']);
  });

  it('cancels the pending waits of a scope and its children with Cancelled', async () => {
    const clock = new VirtualClock(0, { emit: () => {} });
    const outcomes: string[] = [];
    const run = clock.start(async (fx) => {
      const outer = fx.scope(async (inner: Effects) => {
        const nested = inner.scope((deepest) => deepest.waitFor(() => false, null).then(String));
        await nested.join().catch((e: unknown) => outcomes.push(e instanceof Cancelled ? 'nested cancelled' : 'other'));
        await inner.sleepUntil(5);
      });
      await fx.sleepUntil(3);
      outer.cancel();
      await outer.join().catch((e: unknown) => outcomes.push(e instanceof Cancelled ? 'outer cancelled' : 'other'));
    });
    expect(await drive(clock, run.isSettled)).toBe(3);
    expect(outcomes).toEqual(['nested cancelled', 'outer cancelled']);
  });

  it('re-evaluates conditions when every branch is blocked, before delivering actions', async () => {
    const clock = new VirtualClock(0, { emit: () => {} });
    let flag = false;
    const seen: string[] = [];
    const run = clock.start(async (fx) => {
      const watcher = fx.scope(async (inner) => {
        seen.push(`condition ${String(await inner.waitFor(() => flag, 100))}`);
      });
      flag = true;
      await fx.perform({ kind: 'note' } as never);
      seen.push('action done');
      await watcher.join();
    });
    expect(await drive(clock, run.isSettled)).toBe(0);
    expect(seen).toEqual(['condition true', 'action done']);
  });

  it('resolves a condition wait false at its deadline', async () => {
    const clock = new VirtualClock(0, { emit: () => {} });
    const run = clock.start((fx) => fx.waitFor(() => false, 42));
    expect(await drive(clock, run.isSettled)).toBe(42);
    expect(await run.result).toBe(false);
  });
});
