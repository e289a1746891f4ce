/**
 * Issue 12, High 2, the entity side of the signal limit, on a dev server whose
 * `history.maximumSignalsPerExecution` is lowered and whose history count never suggests
 * continue-as-new in time: a trickle of account updates (each a signal to the entity) and
 * events, well past one execution's signals. The entity counts its own signals and hands over
 * before the limit (the configuration's `temporal.maxSignalsPerExecution` reaches it through
 * its trigger reads), so every update is taken; the account's data, open runs, trigger log and
 * `when` state are intact, the waiting run still receives its event, and every execution
 * replays.
 */
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAccount, sendAccountEvent, upsertAccount } from '../../src/temporal/account-client.js';
import { accountWorkflowId } from '../../src/temporal/account-contract.js';
import { getStatus, workflowIdOf } from '../../src/temporal/client.js';
import { eventually } from '../ops/helpers.js';
import { replay, startAccountStack, type AccountStack } from './account-stack.js';
import { historiesOf } from './drive.js';

const TASK_QUEUE = 'entity-signal-limit';
const SIGNALS_PER_EXECUTION = 30;
/** Updates sent: well past one execution's signals. */
const TRICKLE = 2 * SIGNALS_PER_EXECUTION;
const DAY = 86_400_000;

function dateIn(days: number): string {
  return new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
}

describe('an account entity under a lowered signal limit', () => {
  let stack: AccountStack;
  let client: Client;
  const id = 'acct-signals';
  const rescue = workflowIdOf('rescue', id);
  const renewal = workflowIdOf('renewal', id);

  beforeAll(async () => {
    stack = await startAccountStack('test/api/fixtures/hardening', TASK_QUEUE, {
      // The history count alone would suggest continue-as-new only long after the signal limit.
      dynamicConfig: { 'history.maximumSignalsPerExecution': SIGNALS_PER_EXECUTION },
      temporal: { maxSignalsPerExecution: SIGNALS_PER_EXECUTION },
    });
    client = stack.client;
  }, 120_000);
  afterAll(() => stack?.stop());

  const log = async () => (await getAccount(client, id)).triggerLog.map((r) => [r.playbook, r.kind, r.outcome]);

  it('continues as new before its signals reach the limit, with the account whole and the waiting run reachable', async () => {
    const renewalDate = dateIn(10);
    await upsertAccount(client, TASK_QUEUE, id, { fields: { name: 'Signal Inc', health: 40, status: 'active', renewal_date: renewalDate }, by: 'test' });
    await eventually(async () =>
      expect(await log()).toEqual(
        expect.arrayContaining([
          ['rescue', 'when', 'started'],
          ['renewal', 'date', 'started'],
        ]),
      ),
    );
    const entity = client.workflow.getHandle(accountWorkflowId(id));
    const firstRun = (await entity.describe()).runId;

    // A trickle: each update a signal to the entity, applied before the next is sent (as a
    // feed's would be), an event nothing waits for every fifth.
    for (let n = 0; n < TRICKLE; n++) {
      await upsertAccount(client, TASK_QUEUE, id, { fields: { name: `Signal ${n}` }, by: 'test' });
      if (n % 5 === 0) await sendAccountEvent(client, id, { name: 'usage.ping', payload: { n }, by: 'test' });
      await eventually(async () => expect((await getAccount(client, id)).data.name).toBe(`Signal ${n}`));
    }

    await eventually(async () => expect((await getAccount(client, id)).data.name).toBe(`Signal ${TRICKLE - 1}`));
    expect((await entity.describe()).runId).not.toBe(firstRun);
    const after = await getAccount(client, id);
    expect(after.data).toEqual({ id, name: `Signal ${TRICKLE - 1}`, health: 40, status: 'active', renewal_date: renewalDate });
    expect([...after.openRuns].sort()).toEqual([renewal, rescue].sort());
    expect(await log()).toHaveLength(2);
    expect(after.conditions).toEqual({ 'rescue#0': true });
    expect(after).toMatchObject({ endedRuns: [], alerts: [] });

    await sendAccountEvent(client, id, { name: 'kickoff.held', by: 'test' });
    await eventually(async () =>
      expect((await getStatus(client, rescue)).timeline.some((e) => e.kind === 'event' && e.text?.includes('kickoff.held'))).toBe(true),
    );
    expect((await getStatus(client, rescue)).status).toBe('running');

    // Each execution replays against the code that recorded it (the patch marker included).
    const histories = await historiesOf(client, entity.workflowId, firstRun);
    expect(histories.length).toBeGreaterThanOrEqual(2);
    const replayed = await replay(histories.map((history, i) => ({ workflowId: `${entity.workflowId}#${i}`, history })));
    expect(replayed.filter(([, error]) => error !== null)).toEqual([]);
  }, 240_000);
});
