/**
 * The account entity on a real dev server with the real worker and the reference workspace
 * deployed: each trigger kind starting its playbook, at most one open run per playbook and
 * account, updates and events reaching open runs, and `exit when` driven by an upsert.
 */
import { writeFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountData } from '../../src/ir/types.js';
import { accountWorkflowId, getAccount, sendAccountEvent, startPlaybookFor, upsertAccount } from '../../src/temporal/account-client.js';
import { createTriggerActivities } from '../../src/temporal/activities/triggers.js';
import { getStatus, workflowIdOf } from '../../src/temporal/client.js';
import acme from '../../playbooks/accounts/acme-enterprise.json' with { type: 'json' };
import { eventually } from '../ops/helpers.js';
import { replay, startAccountStack, type AccountStack } from './account-stack.js';

const TASK_QUEUE = 'account-tests';
const DAY = 86_400_000;

/** `YYYY-MM-DD`, `days` from today (UTC). */
function dateIn(days: number): string {
  return new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
}

/** Acme, fresh: logged in today, renewal far out, so no `when` or date trigger fires by itself. */
function quietAccount(id: string, overrides: Partial<AccountData> = {}): AccountData {
  return { ...acme, id, last_login: dateIn(0), last_activity: dateIn(0), renewal_date: dateIn(400), ...overrides } as AccountData;
}

/** The quarterly QBR (a cadence) fires for every active enterprise account: its own test is account-cadence-trigger.test.ts. */
const withoutQbr = <R extends { kind: string }>(log: R[]): R[] => log.filter((r) => r.kind !== 'cadence');

describe('account entities on a dev server', () => {
  let stack: AccountStack;
  let client: Client;
  const upsert = (account: AccountData, by = 'test') => {
    const { id, ...fields } = account;
    return upsertAccount(client, TASK_QUEUE, id, { fields, by });
  };

  beforeAll(async () => {
    stack = await startAccountStack('playbooks', TASK_QUEUE);
    client = stack.client;
  });
  afterAll(() => stack?.stop());

  it('starts onboarding on `account.created` for an enterprise account, once, and records the repeat', async () => {
    await upsert(quietAccount('acct-event'));
    await sendAccountEvent(client, 'acct-event', { name: 'account.created', by: 'test' });
    const run = workflowIdOf('onboarding-enterprise', 'acct-event');
    const state = await eventually(async () => {
      const s = await getAccount(client, 'acct-event');
      expect(withoutQbr(s.triggerLog).map((r) => [r.playbook, r.kind, r.outcome])).toEqual([['onboarding-enterprise', 'event', 'started']]);
      return s;
    });
    expect(state.openRuns.filter((id) => !id.startsWith('playbook:qbr-cadence:'))).toEqual([run]);
    expect((await getStatus(client, run)).stage).toBe('kickoff');

    await sendAccountEvent(client, 'acct-event', { name: 'account.created', by: 'test' });
    await eventually(async () => {
      const s = await getAccount(client, 'acct-event');
      expect(withoutQbr(s.triggerLog).map((r) => r.outcome)).toEqual(['started', 'alreadyOpen']);
    });
  });

  it('does not start onboarding for an smb account (the `where` does not hold)', async () => {
    await upsert(quietAccount('acct-smb', { segment: 'smb' }));
    await sendAccountEvent(client, 'acct-smb', { name: 'account.created', by: 'test', eventId: 'e-1' });
    await eventually(async () => expect((await getAccount(client, 'acct-smb')).data.segment).toBe('smb'));
    await sendAccountEvent(client, 'acct-smb', { name: 'kickoff.held', by: 'test' });
    const state = await getAccount(client, 'acct-smb');
    expect(withoutQbr(state.triggerLog)).toEqual([]);
  });

  it('forwards events and updates to open runs; an update making `exit when` true ends the run', async () => {
    const run = workflowIdOf('onboarding-enterprise', 'acct-event');
    await sendAccountEvent(client, 'acct-event', { name: 'kickoff.held', by: 'test' });
    await eventually(async () => expect((await getStatus(client, run)).timeline.some((e) => JSON.stringify(e).includes('kickoff.held'))).toBe(true));
    await upsertAccount(client, TASK_QUEUE, 'acct-event', { fields: { status: 'churned' }, by: 'test' });
    await eventually(async () => expect((await getStatus(client, run)).outcome).toBe('exited'));
  });

  it('starts a `when` playbook when its condition becomes true, not again while it holds', async () => {
    await upsert(quietAccount('acct-quiet'));
    await upsertAccount(client, TASK_QUEUE, 'acct-quiet', { fields: { last_login: dateIn(-45), last_activity: dateIn(-20) }, by: 'test' });
    await eventually(async () => {
      const s = await getAccount(client, 'acct-quiet');
      expect(withoutQbr(s.triggerLog).map((r) => [r.playbook, r.kind, r.outcome])).toEqual([['re-engagement', 'when', 'started']]);
    });
    await upsertAccount(client, TASK_QUEUE, 'acct-quiet', { fields: { health: 40 }, by: 'test' });
    const state = await eventually(async () => {
      const s = await getAccount(client, 'acct-quiet');
      expect(s.data.health).toBe(40);
      return s;
    });
    expect(withoutQbr(state.triggerLog)).toHaveLength(1);
    expect(Object.values(state.conditions)).toEqual([true]);
  });

  it('plans a date trigger from the account data and re-plans it when the date changes', async () => {
    await upsert(quietAccount('acct-renewal', { renewal_date: dateIn(200) }));
    const first = await eventually(async () => {
      const s = await getAccount(client, 'acct-renewal');
      expect(s.planned.filter((p) => !p.cadence)).toHaveLength(1);
      return s.planned.filter((p) => !p.cadence)[0]!;
    });
    expect(first).toMatchObject({ playbook: 'renewal-readiness', field: 'renewal_date', date: dateIn(200) });
    expect(first.fireAt.slice(0, 10)).toBe(dateIn(110));

    await upsertAccount(client, TASK_QUEUE, 'acct-renewal', { fields: { renewal_date: dateIn(60) }, by: 'test' });
    // 90 days before a renewal 60 days out was a month ago: still before the renewal, so it fires now.
    await eventually(async () => {
      const s = await getAccount(client, 'acct-renewal');
      expect(withoutQbr(s.triggerLog).map((r) => [r.playbook, r.kind, r.outcome])).toEqual([['renewal-readiness', 'date', 'started']]);
      expect(s.planned.filter((p) => !p.cadence)).toEqual([]);
    });
  });

  it('starts a manual playbook on request, refuses one that is not manual, reports an open run', async () => {
    await upsert(quietAccount('acct-manual'));
    const started = await startPlaybookFor(client, 'acct-manual', { playbook: 'executive-sponsor-check', by: 'test' });
    expect(started).toMatchObject({ status: 'started', workflowId: workflowIdOf('executive-sponsor-check', 'acct-manual') });
    expect(await startPlaybookFor(client, 'acct-manual', { playbook: 'executive-sponsor-check', by: 'test' })).toMatchObject({ status: 'alreadyOpen' });
    const refused = await startPlaybookFor(client, 'acct-manual', { playbook: 'onboarding-enterprise', by: 'test' });
    expect(refused).toMatchObject({ status: 'refused' });
    expect(await startPlaybookFor(client, 'acct-manual', { playbook: 'no-such-playbook', by: 'test' })).toMatchObject({
      status: 'refused',
      reason: 'playbook no-such-playbook is not deployed',
    });
  });

  it('starts a run and forwards to it by local activities, no activity task, workflow signal or timer cancelled in the entity, and a send tried twice reaches the run once', async () => {
    await upsert(quietAccount('acct-local'));
    const started = await startPlaybookFor(client, 'acct-local', { playbook: 'executive-sponsor-check', by: 'test' });
    expect(started).toMatchObject({ status: 'started' });
    const run = workflowIdOf('executive-sponsor-check', 'acct-local');
    const updatesOf = async () =>
      (await client.workflow.getHandle(run).fetchHistory()).events!.filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'accountUpdated')
        .length;
    await upsertAccount(client, TASK_QUEUE, 'acct-local', { fields: { health: 71 }, by: 'test' });
    await eventually(async () => expect(await updatesOf()).toBe(1));

    const events = (await client.workflow.getHandle(accountWorkflowId('acct-local')).fetchHistory()).events!;
    expect(events.filter((e) => e.signalExternalWorkflowExecutionInitiatedEventAttributes)).toEqual([]);
    expect(events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'startPlaybookRun')).toEqual([]);
    expect(events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length).toBeGreaterThanOrEqual(2);
    // The timer for the next wake outlives the inputs before it (patch `one-wake-timer`).
    expect(events.filter((e) => e.timerCanceledEventAttributes)).toEqual([]);

    // A try whose answer was lost is made again with the same request id: the server takes it as done.
    const send = { workflowId: run, input: { kind: 'account' as const, fields: { health: 72 } }, requestId: 'acct-local-test/0' };
    const activities = createTriggerActivities({ client, taskQueue: TASK_QUEUE, roles: {} });
    await activities.signalRun(send);
    await activities.signalRun(send);
    // A signal taken while the run's workflow task is out shows in its history after it: one more, after both, settles the count.
    await activities.signalRun({ ...send, input: { kind: 'account', fields: { health: 73 } }, requestId: 'acct-local-test/1' });
    await eventually(async () => expect(await updatesOf()).toBeGreaterThanOrEqual(3));
    expect(await updatesOf()).toBe(3);
  });

  it('reports an unknown account as not found', async () => {
    await expect(sendAccountEvent(client, 'acct-nobody', { name: 'account.created', by: 'test' })).rejects.toThrow('unknown account acct-nobody');
  });

  it('replays every entity history it recorded', async () => {
    const ids = ['acct-event', 'acct-smb', 'acct-quiet', 'acct-renewal', 'acct-manual', 'acct-local'].map(accountWorkflowId);
    const histories = await Promise.all(ids.map(async (workflowId) => ({ workflowId, history: await client.workflow.getHandle(workflowId).fetchHistory() })));
    expect(await replay(histories)).toEqual(ids.map((id) => [id, null]));
    if (process.env['RECORD_ACCOUNT_HISTORIES'] === '1') {
      const local = histories.find((h) => h.workflowId === accountWorkflowId('acct-local'))!;
      const file = 'test/replay/account-entity-starts-and-forwards-by-local-activities.json';
      writeFileSync(file, `${JSON.stringify({ workflowId: local.workflowId, histories: [local.history] })}\n`);
    }
  });
});
