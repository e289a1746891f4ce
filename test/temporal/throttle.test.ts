/**
 * The enrollment throttle on the time-skipping server: the fixture's `welcome` (`start at most
 * 2 per day`, days counted in Berlin) fires for five accounts on one day; two start, three
 * queue in firing order, each account's trigger log saying so with its position, and the
 * gate's query lists the queue (the CLI and the API list it in test/api/throttle.test.ts, on a
 * dev server: the time-skipping server cannot tell the CLI a worker polls). At the next Berlin
 * midnight the first two queued start, with the event they fired with, noted as from the queue; the last waits another day,
 * by when a manual start (neither held nor counted) has opened its run, so it is dropped with
 * that reason. Then the gate across continue-as-new: started beforehand with the tests'
 * threshold (the entities' asks reach it as they would a gate started by the first ask), it
 * hands over while six accounts fire and while it releases, and still counts or queues every
 * firing once, in order, releasing two a day. The gate's and an entity's histories replay
 * against the current workflow code; with RECORD_THROTTLE_HISTORIES=1 they are written to
 * test/replay.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { getAccount, sendAccountEvent, startPlaybookFor, upsertAccount } from '../../src/temporal/account-client.js';
import { accountWorkflowId, type TriggerRecord } from '../../src/temporal/account-contract.js';
import { getStatus, workflowIdOf } from '../../src/temporal/client.js';
import { THROTTLE_WORKFLOW_TYPE, throttleWorkflowId } from '../../src/temporal/throttle-contract.js';
import { getThrottleView } from '../../src/temporal/throttle-client.js';
import { zoneDays } from '../../src/temporal/throttle-gate.js';
import type { enrollmentThrottle } from '../../src/temporal/throttle-workflow.js';
import { nextLocalMidnight } from '../../src/triggers/evaluate.js';
import { eventually } from '../ops/helpers.js';
import { replay } from './account-stack.js';
import { historiesOf } from './drive.js';
import { startTriggerEnv } from './trigger-env.js';

const PLAYBOOK = 'welcome';
const BERLIN = zoneDays('Europe/Berlin');
const HOUR = 3_600_000;
const ACCOUNTS = ['t1', 't2', 't3', 't4', 't5'];

/** A time-skipping server with the throttle fixture deployed, for the describe it is called in. */
function useThrottleEnv(taskQueue: string) {
  const held = {} as { env: TestWorkflowEnvironment; stop?: () => Promise<void> };
  beforeAll(async () => {
    Object.assign(held, await startTriggerEnv(taskQueue, { workspace: 'test/temporal/throttle-fixtures' }));
  });
  afterAll(async () => {
    await held.stop?.();
  });
  return {
    env: () => held.env,
    welcomeLog: async (id: string): Promise<TriggerRecord[]> => (await getAccount(held.env.client, id)).triggerLog.filter((r) => r.playbook === PLAYBOOK),
    /** Skips to `past` ms after the next Berlin midnight. */
    toNextBerlinDay: async (past: number) => {
      const now = await held.env.currentTimeMs();
      await held.env.sleep(nextLocalMidnight(now, BERLIN) + past - now);
    },
  };
}

/** Every execution of `workflowId` from its first. */
async function executionsOf(env: TestWorkflowEnvironment, workflowId: string, firstRunId?: string) {
  const first = firstRunId ?? (await env.client.workflow.getHandle(workflowId).describe()).runId;
  return historiesOf(env.client, workflowId, first);
}

describe('the enrollment throttle on the time-skipping server', () => {
  const throttle = useThrottleEnv('throttle-tests');
  let env: TestWorkflowEnvironment;
  const { welcomeLog } = throttle;
  const nextBerlinDay = () => throttle.toNextBerlinDay(60_000);

  it('starts two a day, queues the rest in firing order, starts them with their event on the next days, and drops one whose run opened meanwhile', async () => {
    env = throttle.env();
    // An hour into a Berlin day, so the five firings share it.
    await throttle.toNextBerlinDay(HOUR);
    for (const [i, id] of ACCOUNTS.entries()) {
      // The accounts' own zone is New York: the throttle counts Berlin days all the same.
      await upsertAccount(env.client, 'throttle-tests', id, { fields: { name: id, csm: 'ann@example.com', timezone: 'America/New_York' }, by: 'test' });
      await sendAccountEvent(env.client, id, { name: 'signed.up', payload: { plan: `plan-${i + 1}` }, by: 'test' });
      // One after the other: the firing order is the accounts' order.
      await eventually(async () => expect(await welcomeLog(id)).toHaveLength(1));
    }
    const first = await Promise.all(ACCOUNTS.map(async (id) => (await welcomeLog(id))[0]!));
    expect(first.map((r) => r.outcome)).toEqual(['started', 'started', 'queued', 'queued', 'queued']);
    expect(first.slice(2).map((r) => r.note)).toEqual([1, 2, 3].map((k) => `by the enrollment throttle (2 per day), position ${k}`));
    expect(first[0]).toMatchObject({ kind: 'event', detail: 'event "signed.up"', workflowId: workflowIdOf(PLAYBOOK, 't1') });

    const queued = await getThrottleView(env.client, PLAYBOOK);
    expect(queued).toMatchObject({ perDay: 2, timezone: 'Europe/Berlin', startedToday: 2 });
    expect(queued.queue.map((q) => [q.position, q.accountId, q.firedAt])).toEqual(first.slice(2).map((r, i) => [i + 1, ACCOUNTS[i + 2], r.at]));
    expect(queued.nextRelease).toBe(new Date(nextLocalMidnight(await env.currentTimeMs(), BERLIN)).toISOString());
    // A manual start is neither held nor counted: t5's run opens while its firing waits.
    expect(await startPlaybookFor(env.client, 't5', { playbook: PLAYBOOK, by: 'test' })).toMatchObject({ status: 'started' });
    expect((await getThrottleView(env.client, PLAYBOOK)).startedToday).toBe(2);

    await nextBerlinDay();
    for (const [i, id] of ['t3', 't4'].entries()) {
      const started = await eventually(async () => {
        const log = await welcomeLog(id);
        expect(log).toHaveLength(2);
        return log[1]!;
      });
      expect(started).toMatchObject({
        outcome: 'started',
        workflowId: workflowIdOf(PLAYBOOK, id),
        note: `from the throttle queue (fired ${first[i + 2]!.at})`,
      });
      // The run has the event it fired with.
      const status = await getStatus(env.client, started.workflowId!);
      expect(status.timeline.find((e) => e.kind === 'note')?.text).toBe(`Welcome on the plan-${i + 3} plan`);
    }
    expect(await getThrottleView(env.client, PLAYBOOK)).toMatchObject({ startedToday: 2, queue: [{ position: 1, accountId: 't5' }] });
    expect((await welcomeLog('t5')).map((r) => r.outcome)).toEqual(['queued', 'started']);

    await nextBerlinDay();
    const dropped = await eventually(async () => {
      const log = await welcomeLog('t5');
      expect(log).toHaveLength(3);
      return log[2]!;
    });
    expect(dropped).toMatchObject({ outcome: 'dropped', kind: 'event', error: `its run ${workflowIdOf(PLAYBOOK, 't5')} is open` });
    // The dropped start gave its place back: nothing is counted that day.
    await eventually(async () => expect(await getThrottleView(env.client, PLAYBOOK)).toMatchObject({ startedToday: 0, queue: [], nextRelease: null }));

    // Neither continued as new here: the first execution is the one running.
    const gate = await executionsOf(env, throttleWorkflowId(PLAYBOOK));
    const entity = await executionsOf(env, accountWorkflowId('t5'));
    const replayed = await replay([...gate, ...entity].map((history, i) => ({ workflowId: `history-${i}`, history })));
    expect(replayed.filter(([, error]) => error !== null)).toEqual([]);
    if (process.env['RECORD_THROTTLE_HISTORIES'] === '1') {
      record('throttle-gate-queues-three-of-five-firings-and-releases-them-two-a-day.json', throttleWorkflowId(PLAYBOOK), gate);
      record('account-entity-queues-a-throttled-firing-and-drops-it-when-its-run-opened-meanwhile.json', accountWorkflowId('t5'), entity);
    }
  });
});

describe('the enrollment throttle across continue-as-new', () => {
  const throttle = useThrottleEnv('throttle-can-tests');
  const { toNextBerlinDay } = throttle;
  const SIX = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];
  const outcomes = async (id: string) => (await throttle.welcomeLog(id)).map((r) => r.outcome);

  it('counts and queues every firing once, in order, and releases two a day', async () => {
    const env = throttle.env();
    await toNextBerlinDay(HOUR);
    const gate = await env.client.workflow.start<typeof enrollmentThrottle>(THROTTLE_WORKFLOW_TYPE, {
      workflowId: throttleWorkflowId('welcome'),
      taskQueue: 'throttle-can-tests',
      args: [{ playbook: 'welcome', continueAsNewAfterEvents: 12 }],
    });
    for (const id of SIX) {
      await upsertAccount(env.client, 'throttle-can-tests', id, { fields: { name: id, csm: 'ann@example.com' }, by: 'test' });
      await sendAccountEvent(env.client, id, { name: 'signed.up', payload: { plan: 'pro' }, by: 'test' });
      await eventually(async () => expect(await outcomes(id)).toHaveLength(1));
    }
    expect(await Promise.all(SIX.map(async (id) => (await outcomes(id))[0]))).toEqual(['started', 'started', 'queued', 'queued', 'queued', 'queued']);
    expect((await getThrottleView(env.client, 'welcome')).queue.map((q) => q.accountId)).toEqual(['c3', 'c4', 'c5', 'c6']);

    for (const day of [
      ['c3', 'c4'],
      ['c5', 'c6'],
    ]) {
      await toNextBerlinDay(60_000);
      for (const id of day) await eventually(async () => expect(await outcomes(id)).toEqual(['queued', 'started']));
      // Released in queue order: the rest wait.
      const rest = SIX.slice(SIX.indexOf(day[1]!) + 1);
      expect((await getThrottleView(env.client, 'welcome')).queue.map((q) => q.accountId)).toEqual(rest);
      for (const id of rest) expect(await outcomes(id)).toEqual(['queued']);
    }
    // It did hand over, and every execution replays against the current workflow code.
    const histories = await executionsOf(env, throttleWorkflowId('welcome'), gate.firstExecutionRunId);
    expect(histories.length).toBeGreaterThan(2);
    const replayed = await replay(histories.map((history, i) => ({ workflowId: `gate-${i}`, history })));
    expect(replayed.filter(([, error]) => error !== null)).toEqual([]);
    if (process.env['RECORD_THROTTLE_HISTORIES'] === '1') {
      record('throttle-gate-continues-as-new-while-six-firings-queue-and-release.json', throttleWorkflowId(PLAYBOOK), histories);
    }
  });
});

function record(file: string, workflowId: string, histories: unknown[]): void {
  writeFileSync(`test/replay/${file}`, `${JSON.stringify({ workflowId, histories })}\n`);
}
