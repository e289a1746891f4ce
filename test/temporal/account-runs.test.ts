/**
 * The account entity and the runs it starts, on a real dev server with the product's worker
 * (its `setAccountField` signals the entity) and test/temporal/account-fixtures deployed: a
 * `when` trigger starting again only after its condition was false, a run's `set` reaching the
 * entity and the account's other runs but not the run itself, and manual starts refused
 * without a trace in history once the entity has read the triggers.
 */
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountData, AccountValue } from '../../src/ir/types.js';
import { accountStartOptions, accountWorkflowId, getAccount, sendAccountEvent, startPlaybookFor, upsertAccount } from '../../src/temporal/account-client.js';
import { ACCOUNT_WORKFLOW_TYPE } from '../../src/temporal/account-contract.js';
import type { account } from '../../src/temporal/account-workflow.js';
import { cancel, getStatus, workflowIdOf } from '../../src/temporal/client.js';
import { eventually } from '../ops/helpers.js';
import { replay, startAccountStack, type AccountStack } from './account-stack.js';

type History = temporal.api.history.v1.IHistory;

const TASK_QUEUE = 'account-runs';
const NOT_MANUAL = 'playbook rescue has no `trigger manual`: it starts by its own triggers';

/** Health fine, renewal far out: no trigger fires until a test says so. */
function quietAccount(id: string, overrides: Partial<AccountData> = {}): AccountData {
  return { id, name: 'Runs Inc', csm: 'sam.ortiz@example.com', health: 80, score: 0, renewal_date: '2099-01-01', ...overrides };
}

describe('an account entity and its runs', () => {
  let stack: AccountStack;
  let client: Client;
  const upsert = (id: string, fields: Record<string, AccountValue>) => upsertAccount(client, TASK_QUEUE, id, { fields, by: 'test' });
  const create = ({ id, ...fields }: AccountData) => upsert(id, fields);
  const log = async (id: string) => (await getAccount(client, id)).triggerLog.map((r) => [r.playbook, r.kind, r.outcome]);

  beforeAll(async () => {
    stack = await startAccountStack('test/temporal/account-fixtures', TASK_QUEUE);
    client = stack.client;
  });
  afterAll(() => stack?.stop());

  it('starts a `when` playbook again after its condition was false, not while it stays true', async () => {
    const id = 'acct-edge';
    const rescue = client.workflow.getHandle(workflowIdOf('rescue', id));
    await create(quietAccount(id));
    await upsert(id, { health: 40 });
    await eventually(async () => expect(await log(id)).toEqual([['rescue', 'when', 'started']]));
    const first = (await rescue.describe()).runId;

    // True → true while the run is open, then after it closed: no new start.
    await upsert(id, { health: 30 });
    await cancel(client, rescue.workflowId);
    await eventually(async () => expect((await rescue.describe()).status.name).toBe('CANCELLED'));
    await upsert(id, { health: 20 });
    // False: inputs are applied in order, so the two before have been evaluated too.
    await upsert(id, { health: 80 });
    await eventually(async () => expect((await getAccount(client, id)).conditions).toEqual({ 'rescue#0': false }));
    expect(await log(id)).toEqual([['rescue', 'when', 'started']]);

    await upsert(id, { health: 45 });
    await eventually(async () =>
      expect(await log(id)).toEqual([
        ['rescue', 'when', 'started'],
        ['rescue', 'when', 'started'],
      ]),
    );
    const second = await rescue.describe();
    expect(second.runId).not.toBe(first);
    expect(second.status.name).toBe('RUNNING');
    expect((await getAccount(client, id)).openRuns).toEqual([rescue.workflowId]);
  });

  it('takes a run’s `set` into the account and forwards it to the other open runs, not back to the run', async () => {
    const id = 'acct-set';
    const rescue = workflowIdOf('rescue', id);
    const scorer = workflowIdOf('scorer', id);
    await create(quietAccount(id, { health: 40 }));
    await eventually(async () => expect(await log(id)).toEqual([['rescue', 'when', 'started']]));
    expect(await startPlaybookFor(client, id, { playbook: 'scorer', by: 'test' })).toMatchObject({ status: 'started', workflowId: scorer });

    // Forwarded to both runs: the scorer sets the score, which reaches the entity.
    await sendAccountEvent(client, id, { name: 'score.go', by: 'test' });
    await eventually(async () => expect((await getAccount(client, id)).data.score).toBe(7));
    // Applied after the score by the entity, so reaching the scorer after any echo of it would.
    await sendAccountEvent(client, id, { name: 'score.done', by: 'test' });
    const scorerRun = await eventually(async () => {
      const status = await getStatus(client, scorer);
      expect(status.outcome).toBe('completed');
      return status;
    });
    const sets = (timeline: Array<{ kind: string; text?: string }>) => timeline.filter((e) => e.kind === 'set').map((e) => e.text);
    expect(sets(scorerRun.timeline)).toEqual(['score = 7']);
    expect(scorerRun.rejected).toEqual([]);
    await eventually(async () => expect(sets((await getStatus(client, rescue)).timeline)).toEqual(['score = 7']));
    expect((await getAccount(client, id)).data).toEqual(quietAccount(id, { health: 40, score: 7 }));
  });

  it('refuses a manual start of a playbook without `trigger manual` before accepting it once the triggers are read', async () => {
    const id = 'acct-refuse';
    const entity = client.workflow.getHandle(accountWorkflowId(id));
    // Started without an input: the entity has not read the triggers, so its handler refuses.
    await client.workflow.start<typeof account>(ACCOUNT_WORKFLOW_TYPE, { ...accountStartOptions(TASK_QUEUE, id), args: [{ accountId: id }] });
    expect(await startPlaybookFor(client, id, { playbook: 'rescue', by: 'test' })).toEqual({ status: 'refused', reason: NOT_MANUAL });
    expect(updatesIn(await entity.fetchHistory())).toEqual({ accepted: 1, completed: 1 });

    // Once read, the validator refuses: nothing is added to history; a manual playbook still starts.
    await create(quietAccount(id));
    await eventually(async () => expect((await getAccount(client, id)).generation).not.toBeNull());
    expect(await startPlaybookFor(client, id, { playbook: 'rescue', by: 'test' })).toEqual({ status: 'refused', reason: NOT_MANUAL });
    expect(await startPlaybookFor(client, id, { playbook: 'nope', by: 'test' })).toEqual({ status: 'refused', reason: 'playbook nope is not deployed' });
    expect(updatesIn(await entity.fetchHistory())).toEqual({ accepted: 1, completed: 1 });
    expect(await startPlaybookFor(client, id, { playbook: 'scorer', by: 'test' })).toMatchObject({ status: 'started' });
    expect(updatesIn(await entity.fetchHistory())).toEqual({ accepted: 2, completed: 2 });
    expect(await log(id)).toEqual([['scorer', 'manual', 'started']]);
  });

  it('replays every entity history it recorded', async () => {
    const ids = ['acct-edge', 'acct-set', 'acct-refuse'].map(accountWorkflowId);
    const histories = await Promise.all(ids.map(async (workflowId) => ({ workflowId, history: await client.workflow.getHandle(workflowId).fetchHistory() })));
    expect(await replay(histories)).toEqual(ids.map((id) => [id, null]));
  });
});

/** How many updates the execution accepted and completed. */
function updatesIn(history: History): { accepted: number; completed: number } {
  const events = history.events ?? [];
  return {
    accepted: events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes != null).length,
    completed: events.filter((e) => e.workflowExecutionUpdateCompletedEventAttributes != null).length,
  };
}
