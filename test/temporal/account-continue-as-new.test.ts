/**
 * The account entity continuing as new, on a real dev server with the product's worker and
 * test/temporal/account-fixtures deployed. The entity is started by the test with a low
 * `continueAsNewAfterEvents`, so it switches to a new execution after nearly every input,
 * while updates, events and a manual start keep coming (some while it switches). Across the
 * hops nothing may be lost, doubled or reordered: the data, what reaches the open run, event
 * dedupe, the trigger log, a `when` trigger that holds, a date trigger that has fired.
 */
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountData, AccountValue } from '../../src/ir/types.js';
import { accountStartOptions, getAccount, sendAccountEvent, startPlaybookFor, upsertAccount } from '../../src/temporal/account-client.js';
import {
  ACCOUNT_WORKFLOW_TYPE,
  accountEventSignal,
  accountEventUpdate,
  type AccountEventSignal,
  type AccountWorkflowInput,
} from '../../src/temporal/account-contract.js';
import type { account } from '../../src/temporal/account-workflow.js';
import { getStatus, workflowIdOf } from '../../src/temporal/client.js';
import { eventually } from '../ops/helpers.js';
import { replay, startAccountStack, type AccountStack } from './account-stack.js';
import { historiesOf } from './drive.js';

type History = temporal.api.history.v1.IHistory;

const TASK_QUEUE = 'account-continue-as-new';
/** Above a fresh execution's first read of the triggers, below anything that applies an input. */
const THRESHOLD = 12;
const ROUNDS = 6;
const DAY = 86_400_000;

/** `YYYY-MM-DD`, `days` from today (UTC). */
function dateIn(days: number): string {
  return new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
}

describe('an account entity continuing as new', () => {
  let stack: AccountStack;
  let client: Client;

  beforeAll(async () => {
    stack = await startAccountStack('test/temporal/account-fixtures', TASK_QUEUE);
    client = stack.client;
  });
  afterAll(() => stack?.stop());

  /** Starts the entity the way `upsertAccount` would, with the test hook or a carry. */
  const startEntity = (input: AccountWorkflowInput) =>
    client.workflow.start<typeof account>(ACCOUNT_WORKFLOW_TYPE, { ...accountStartOptions(TASK_QUEUE, input.accountId), args: [input] });

  it('keeps data, inputs in order, event dedupe, the trigger log and fired triggers across many executions', async () => {
    const id = 'acct-hops';
    const handle = await startEntity({ accountId: id, continueAsNewAfterEvents: THRESHOLD });
    const upsert = (fields: Record<string, AccountValue>) => upsertAccount(client, TASK_QUEUE, id, { fields, by: 'test' });
    const ping = (n: number) => sendAccountEvent(client, id, { name: 'ping', payload: { n }, by: 'test', eventId: `ping-${n}` });
    const log = async () => (await getAccount(client, id)).triggerLog.map((r) => [r.playbook, r.kind, r.outcome]);
    const renewal = workflowIdOf('renewal', id);
    const rescue = workflowIdOf('rescue', id);
    const scorer = workflowIdOf('scorer', id);

    // 30 days before a renewal 10 days out was 20 days ago: the date trigger fires at once.
    await upsert({ name: 'Hops Inc', csm: 'sam.ortiz@example.com', health: 80, score: 0, renewal_date: dateIn(10) });
    await eventually(async () => expect(await log()).toEqual([['renewal', 'date', 'started']]));
    // The renewal run ends, so the date firing again would start a new one.
    await sendAccountEvent(client, id, { name: 'renewal.done', by: 'test' });
    await eventually(async () => expect((await getStatus(client, renewal)).outcome).toBe('completed'));
    await upsert({ health: 40 });
    await eventually(async () =>
      expect(await log()).toEqual([
        ['renewal', 'date', 'started'],
        ['rescue', 'when', 'started'],
      ]),
    );

    /** What reached the rescue run, as the test labels what it sends. */
    const received = async () =>
      (await getStatus(client, rescue)).timeline.flatMap((e) => {
        if (e.kind === 'set') return [e.text!];
        if (e.kind === 'event') return [`ping ${String((e.data as { n: number }).n)}`];
        return [];
      });
    // Each input is taken by the server before the next is sent, so this is the arrival order.
    const sent: string[] = [];
    for (let n = 1; n <= ROUNDS; n++) {
      // A manual start among the inputs: its run joins the open runs carried across the hops.
      const manual = n === ROUNDS / 2 ? startPlaybookFor(client, id, { playbook: 'scorer', by: 'test' }) : undefined;
      await upsert({ score: n });
      await ping(n);
      sent.push(`score = ${n}`, `ping ${n}`);
      if (manual !== undefined) expect(await manual).toMatchObject({ status: 'started' });
      // Applied: the entity is over its threshold and switches before the next round.
      await eventually(async () => expect(await received()).toContain(`ping ${n}`));
    }
    // Seen before (by an earlier execution, checked below): ignored; the last ping is new.
    await ping(1);
    await ping(ROUNDS);
    await ping(ROUNDS + 1);
    sent.push(`ping ${ROUNDS + 1}`);
    await eventually(async () => expect(await received()).toContain(`ping ${ROUNDS + 1}`));
    expect(await received()).toEqual(sent);

    const state = await eventually(async () => {
      const s = await getAccount(client, id);
      expect(s.openRuns.sort()).toEqual([rescue, scorer]);
      return s;
    });
    expect(state.data).toEqual({ id, name: 'Hops Inc', csm: 'sam.ortiz@example.com', health: 40, score: ROUNDS, renewal_date: dateIn(10) });
    expect(state.triggerLog.map((r) => [r.playbook, r.kind, r.outcome])).toEqual([
      ['renewal', 'date', 'started'],
      ['rescue', 'when', 'started'],
      ['scorer', 'manual', 'started'],
    ]);
    expect(state.conditions).toEqual({ 'rescue#0': true });
    expect(state.planned).toEqual([]);

    expect((await handle.describe()).runId).not.toBe(handle.firstExecutionRunId);
    const histories = await historiesOf(client, handle.workflowId, handle.firstExecutionRunId);
    expect(histories.length).toBeGreaterThanOrEqual(ROUNDS);
    // Every execution but the last continued as new, carrying the hook along.
    for (const history of histories.slice(0, -1)) expect(continuedInput(history).continueAsNewAfterEvents).toBe(THRESHOLD);
    // The two `ping-1`s reached different executions.
    const ping1 = histories.flatMap((history, i) =>
      eventIdsIn(history)
        .filter((e) => e === 'ping-1')
        .map(() => i),
    );
    expect(ping1).toHaveLength(2);
    expect(ping1[0]).not.toBe(ping1[1]);
    // Some inputs came while the entity switched: carried over, or there at the new execution's start.
    expect(histories.slice(0, -1).some((h) => continuedInput(h).carried!.pending.length > 0) || histories.slice(1).some(signalledBeforeFirstTask)).toBe(true);
    const executions = histories.map((history, i) => ({ workflowId: `${handle.workflowId}#${i}`, history }));
    expect(await replay(executions)).toEqual(executions.map((e) => [e.workflowId, null]));
  });

  // 40 inputs through several executions, then a replay of each: about 13 s on a quiet machine,
  // past the default timeout on a loaded one.
  it('cuts a burst of inputs where the history is due, carrying the rest in order', async () => {
    const id = 'acct-burst';
    const burst = 40;
    const handle = await startEntity({ accountId: id, continueAsNewAfterEvents: 3 * THRESHOLD });
    await upsertAccount(client, TASK_QUEUE, id, {
      fields: { name: 'Burst Ltd', csm: 'sam.ortiz@example.com', health: 40, score: 0, renewal_date: dateIn(200) },
      by: 'test',
    });
    const rescue = workflowIdOf('rescue', id);
    await eventually(async () => expect((await getAccount(client, id)).openRuns).toEqual([rescue]));

    // Sent faster than the entity forwards them, so its queue never empties: as signals, each
    // taken by the server alone, where an update would wait for the task that forwards it.
    const entity = client.workflow.getHandle(handle.workflowId);
    for (let n = 1; n <= burst; n++) await entity.signal(accountEventSignal, { name: 'ping', payload: { n }, by: 'test' });
    const pings = async () => (await getStatus(client, rescue)).timeline.filter((e) => e.kind === 'event').map((e) => (e.data as { n: number }).n);
    await eventually(async () => expect(await pings()).toHaveLength(burst));
    expect(await pings()).toEqual(Array.from({ length: burst }, (_, i) => i + 1));

    const histories = await historiesOf(client, handle.workflowId, handle.firstExecutionRunId);
    // Executions handed unapplied inputs on instead of applying the whole burst themselves.
    expect(histories.slice(0, -1).filter((h) => continuedInput(h).carried!.pending.length > 0).length).toBeGreaterThan(0);
    const executions = histories.map((history, i) => ({ workflowId: `${handle.workflowId}#${i}`, history }));
    expect(await replay(executions)).toEqual(executions.map((e) => [e.workflowId, null]));
  }, 180_000);

  it('plans date triggers in an execution that starts with only an event to apply', async () => {
    // What a switch leaves when an event arrives with the new execution's start.
    const id = 'acct-carried-event';
    const data: AccountData = { id, name: 'Carry Co', csm: 'sam.ortiz@example.com', health: 80, score: 0, renewal_date: dateIn(200) };
    await startEntity({
      accountId: id,
      carried: {
        data,
        openRuns: [],
        conditions: {},
        fired: [],
        triggerLog: [],
        seenEventIds: [],
        pending: [{ kind: 'event', signal: { name: 'ping', by: 'test' } }],
      },
    });
    const planned = await eventually(async () => {
      const s = await getAccount(client, id);
      expect(s.planned).toHaveLength(1);
      return s.planned[0]!;
    });
    expect(planned).toMatchObject({ playbook: 'renewal', field: 'renewal_date', date: dateIn(200) });
  });
});

function continuedInput(history: History): AccountWorkflowInput {
  const attributes = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes;
  return defaultPayloadConverter.fromPayload<AccountWorkflowInput>(attributes!.input!.payloads![0]!);
}

/** Ids of the events an execution took, as the event update (or, from older senders, the signal). */
function eventIdsIn(history: History): string[] {
  return (history.events ?? []).flatMap((event) => {
    const signal = event.workflowExecutionSignaledEventAttributes;
    const update = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input;
    const payload =
      signal?.signalName === accountEventSignal.name
        ? signal.input?.payloads?.[0]
        : update?.name === accountEventUpdate.name
          ? update.args?.payloads?.[0]
          : undefined;
    if (payload == null) return [];
    const { eventId } = defaultPayloadConverter.fromPayload<AccountEventSignal>(payload);
    return eventId === undefined ? [] : [eventId];
  });
}

/** Whether a signal reached the execution before its first workflow task started. */
function signalledBeforeFirstTask(history: History): boolean {
  const events = history.events ?? [];
  const firstTask = events.findIndex((e) => e.workflowTaskStartedEventAttributes != null);
  return events.slice(0, firstTask).some((e) => e.workflowExecutionSignaledEventAttributes != null);
}
