/**
 * Continue-as-new from wherever the main branch is blocked: a run that hops at every blocking
 * point it reaches (a wait, a wait until, the send window, a pause, a wait for event with
 * rungs and a deadline, for a task, for a condition, for any of an event and a condition,
 * between rounds) gives the timeline and
 * actions of the run that never hops.
 */
import { describe, expect, it } from 'vitest';
import { simulateWith } from '../../src/simulate/simulate.js';
import { blockedAccount, inputs, prog } from './blocked-fixture.js';
import { options } from '../runtime/ir-builders.js';

function run(hop: boolean) {
  const actions: string[] = [];
  let hops = 0;
  let last = -Infinity;
  return simulateWith({
    ...options(prog, [], {
      account: blockedAccount,
      performAction: (a) => (actions.push(a.key), { ok: true }),
      // Once at every instant the main branch is blocked: each execution hops at its first blocking point after the last hop.
      ...(hop && { continueAsNewWhileBlocked: { due: (now: number) => now > last, begin: (now: number) => ((last = now), hops++) } }),
    }),
    inputs,
  }).then((result) => ({ result, actions, hops }));
}

describe('continue-as-new while blocked', () => {
  it('hops at every kind of blocking point and gives the timeline and actions of a run that never hops', async () => {
    const plain = await run(false);
    const hopped = await run(true);
    expect(hopped.result).toEqual(plain.result);
    expect(hopped.actions).toEqual(plain.actions);
    expect(plain.result.outcome).toBe('completed');
    expect(plain.result.timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(['email', 'notify', 'task', 'event', 'task-completed', 'set', 'timeout']));
    expect(hopped.hops).toBeGreaterThan(10);
  });
});
