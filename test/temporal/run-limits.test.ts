/**
 * Issue 12, High 2, the run side, on a dev server with lowered limits (history count and size
 * at which Temporal suggests continue-as-new, signals per execution; the configuration's
 * `temporal.maxSignalsPerExecution` reaches the runs) and the product's worker: a run blocked in
 * `wait for event … up to 10 business days` with rungs gets a long trickle of account updates
 * through its account entity, and events it does not wait for, far beyond one execution's
 * signals and history. It keeps running, continues as new many times (also after a rung has
 * fired, which does not fire again), applies every update once and in order, still receives
 * its event through the entity and ends with the expected timeline; a second run still ends
 * `exited` on its `exit when`.
 */
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../src/runtime/timeline.js';
import { sendAccountEvent, startPlaybookFor, upsertAccount } from '../../src/temporal/account-client.js';
import { getStatus, workflowIdOf } from '../../src/temporal/client.js';
import { eventually } from '../ops/helpers.js';
import { startAccountStack, type AccountStack } from './account-stack.js';
import { historiesOf } from './drive.js';

const TASK_QUEUE = 'run-limits';
const SIGNALS_PER_EXECUTION = 25;
/**
 * What the configuration tells the runs (a limit below the server's is safe): they hand over
 * at 80% of it, long before the history count suggests it, so without the setting reaching
 * them they would go deaf at the server's limit.
 */
const RUN_SIGNAL_LIMIT = 10;
/**
 * Updates in each half of the trickle: together several times one execution's signals (80 of
 * 25), so the run hands over some ten times (at 8 each) and the entity several times (at its
 * history count). The limits are low so that the trickle can be short: each update waits for
 * the run, and the count of updates is what this test's time is made of.
 */
const HALF = 40;

describe('a run blocked in a wait for event under lowered server limits', () => {
  let stack: AccountStack;
  let client: Client;

  beforeAll(async () => {
    stack = await startAccountStack('test/temporal/limits-fixtures', TASK_QUEUE, {
      dynamicConfig: {
        // The entity hands over on this suggestion only, well before its upserts reach the signal limit.
        'limit.historyCount.suggestContinueAsNew': 100,
        'limit.historySize.suggestContinueAsNew': 128 * 1024,
        'history.maximumSignalsPerExecution': SIGNALS_PER_EXECUTION,
      },
      temporal: { maxSignalsPerExecution: RUN_SIGNAL_LIMIT },
    });
    client = stack.client;
  }, 120_000);
  afterAll(() => stack?.stop());

  /** Starts the kickoff run of a new account through its entity; its workflow id and first run id. */
  const startKickoff = async (id: string) => {
    await upsertAccount(client, TASK_QUEUE, id, { fields: { name: `${id} Inc`, csm: 'sam.ortiz@example.com', health: 0, status: 'active' }, by: 'test' });
    expect(await startPlaybookFor(client, id, { playbook: 'kickoff', by: 'test' })).toMatchObject({ status: 'started' });
    const workflowId = workflowIdOf('kickoff', id);
    return { workflowId, firstRunId: (await client.workflow.getHandle(workflowId).describe()).runId };
  };
  /**
   * Account updates `from` to `to` through the entity, with an event the run does not wait for
   * every tenth; each update reaches the run before the next is sent, as a feed's would.
   */
  const trickle = async (id: string, workflowId: string, from: number, to: number) => {
    for (let n = from; n <= to; n++) {
      await upsertAccount(client, TASK_QUEUE, id, { fields: { health: n }, by: 'test' });
      if (n % 10 === 0) await sendAccountEvent(client, id, { name: 'usage.ping', payload: { n }, by: 'test' });
      await reached(workflowId, n);
    }
  };
  /** Until the run has applied `n` updates (bounded). */
  const reached = async (workflowId: string, n: number) => {
    for (let attempt = 0; attempt < 200; attempt++) {
      if ((await timeline(workflowId)).filter((e) => e.kind === 'set').length >= n) return;
      await new Promise((done) => setTimeout(done, 50));
    }
    throw new Error(`${workflowId} did not get update ${n}`);
  };
  const timeline = async (workflowId: string): Promise<TimelineEntry[]> => (await getStatus(client, workflowId)).timeline;
  const currentRun = async (workflowId: string) => (await client.workflow.getHandle(workflowId).describe()).runId;
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  it('keeps waiting through the trickle, hops many times, keeps its rung fired once and still gets its event', async () => {
    const id = 'acct-limits';
    const { workflowId, firstRunId } = await startKickoff(id);

    await trickle(id, workflowId, 1, HALF);
    // The rung fires a minute into the wait; the second half of the trickle hops with it fired.
    await eventually(async () => expect((await timeline(workflowId)).some((e) => e.kind === 'notify')).toBe(true), 600);
    const runAtRung = await currentRun(workflowId);
    await trickle(id, workflowId, HALF + 1, 2 * HALF);
    expect((await client.workflow.getHandle(workflowId).describe()).status.name).toBe('RUNNING');
    expect((await getStatus(client, workflowId)).outcome).toBe('running');
    expect(await currentRun(workflowId)).not.toBe(runAtRung);

    await sendAccountEvent(client, id, { name: 'kickoff.held', payload: { attendees: 'Dana Whitfield' }, by: 'test' });
    await eventually(async () => expect((await getStatus(client, workflowId)).outcome).toBe('completed'));
    const entries = await timeline(workflowId);
    // Every update once and in order; the usage events never reached the run.
    expect(entries.filter((e) => e.kind === 'set').map((e) => e.data)).toEqual(range(1, 2 * HALF));
    expect(entries.filter((e) => e.kind !== 'set').map((e) => [e.kind, e.text])).toEqual([
      ['start', 'Kickoff'],
      ['stage', 'Kickoff'],
      ['notify', `Kickoff with ${id} Inc is not held yet`],
      ['event', 'kickoff.held'],
      ['note', 'Kickoff held with Dana Whitfield'],
      ['complete', undefined],
    ]);
    expect(entries.findIndex((e) => e.kind === 'notify')).toBeLessThan(entries.findIndex((e) => e.kind === 'set' && e.data === HALF + 1));
    expect((await historiesOf(client, workflowId, firstRunId)).length).toBeGreaterThanOrEqual(5);
  }, 400_000);

  it('still ends `exited` on its `exit when` after the trickle', async () => {
    const id = 'acct-limits-exit';
    const { workflowId, firstRunId } = await startKickoff(id);
    await trickle(id, workflowId, 1, 2 * HALF);
    await upsertAccount(client, TASK_QUEUE, id, { fields: { status: 'churned' }, by: 'test' });
    await eventually(async () => expect((await getStatus(client, workflowId)).outcome).toBe('exited'));
    expect((await historiesOf(client, workflowId, firstRunId)).length).toBeGreaterThanOrEqual(5);
  }, 400_000);
});
