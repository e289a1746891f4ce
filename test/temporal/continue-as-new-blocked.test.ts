/**
 * A run continues as new from its waits once the signals of an execution near the server's
 * limit (lowered here with `signalLimit`): account updates trickling in while it is blocked
 * in a wait, a send window, a pause, a wait for event with rungs and a deadline, for a task,
 * for a condition and between rounds make it hop many times, and its timeline is the
 * simulator's.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { AccountData } from '../../src/ir/types.js';
import { blockedAccount, inputs, prog } from '../simulate/blocked-fixture.js';
import { drive, historiesOf, type DriveRequest } from './drive.js';
import { startHarness, type Harness } from './harness.js';

const START = Date.parse('2026-01-05T14:00:00Z');
const HOUR = 3_600_000;
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(async () => {
  await h?.teardown();
});

test('a run hops at its waits when its signals near the limit and keeps the simulator timeline', async () => {
  const account: AccountData = { ...blockedAccount, id: 'acct-blocked' };
  // Every 7 hours for three weeks: many signals at every kind of blocking point.
  const trickle: DriveRequest['inputs'] = Array.from({ length: 72 }, (_, i) => ({
    at: { instant: START + (i + 1) * 7 * HOUR + 60_000 },
    kind: 'set',
    field: 'health',
    value: 40 + i,
  }));
  const run = await drive(h, {
    program: prog,
    version: 'blocked-1',
    account,
    start: START,
    inputs: [...inputs, ...trickle],
    until: { instant: START + 30 * 24 * HOUR },
    signalLimit: 10,
  });
  expect(run.status.timeline).toEqual(run.sim.timeline);
  expect(run.status.outcome).toBe('completed');
  expect((await historiesOf(h.env.client, run.workflowId, run.firstRunId)).length).toBeGreaterThan(5);
}, 300_000);
