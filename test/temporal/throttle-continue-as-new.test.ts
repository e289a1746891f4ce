/**
 * The enrollment throttle's gate across continue-as-new, on the time-skipping server: started
 * beforehand with the tests' threshold (the entities' asks then reach it, as they would a gate
 * started by the first ask), it hands over to new executions while six accounts fire and while
 * it releases; every firing is still counted or queued once, in order — two start, four
 * queue — and the next two Berlin days start two each, in firing order. Its executions
 * replay; with RECORD_THROTTLE_HISTORIES=1 they are written to test/replay.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { getAccount, sendAccountEvent, upsertAccount } from '../../src/temporal/account-client.js';
import { THROTTLE_WORKFLOW_TYPE, throttleWorkflowId } from '../../src/temporal/throttle-contract.js';
import { getThrottleView } from '../../src/temporal/throttle-client.js';
import { zoneDays } from '../../src/temporal/throttle-gate.js';
import type { enrollmentThrottle } from '../../src/temporal/throttle-workflow.js';
import { nextLocalMidnight } from '../../src/triggers/evaluate.js';
import { eventually } from '../ops/helpers.js';
import { replay } from './account-stack.js';
import { historiesOf } from './drive.js';
import { startTriggerEnv } from './trigger-env.js';

const TASK_QUEUE = 'throttle-can-tests';
const BERLIN = zoneDays('Europe/Berlin');
const ACCOUNTS = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];

describe('the enrollment throttle across continue-as-new', () => {
  let env: TestWorkflowEnvironment;
  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ env, stop } = await startTriggerEnv(TASK_QUEUE, { workspace: 'test/temporal/throttle-fixtures' }));
  });
  afterAll(async () => {
    await stop?.();
  });

  const outcomes = async (id: string) => (await getAccount(env.client, id)).triggerLog.filter((r) => r.playbook === 'welcome').map((r) => r.outcome);
  const toNextBerlinDay = async (past: number) => {
    const now = await env.currentTimeMs();
    await env.sleep(nextLocalMidnight(now, BERLIN) + past - now);
  };

  it('counts and queues every firing once, in order, and releases two a day', async () => {
    await toNextBerlinDay(3_600_000);
    const gate = await env.client.workflow.start<typeof enrollmentThrottle>(THROTTLE_WORKFLOW_TYPE, {
      workflowId: throttleWorkflowId('welcome'),
      taskQueue: TASK_QUEUE,
      args: [{ playbook: 'welcome', continueAsNewAfterEvents: 12 }],
    });
    for (const id of ACCOUNTS) {
      await upsertAccount(env.client, TASK_QUEUE, id, { fields: { name: id, csm: 'ann@example.com' }, by: 'test' });
      await sendAccountEvent(env.client, id, { name: 'signed.up', payload: { plan: 'pro' }, by: 'test' });
      await eventually(async () => expect(await outcomes(id)).toHaveLength(1));
    }
    expect(await Promise.all(ACCOUNTS.map(async (id) => (await outcomes(id))[0]))).toEqual(['started', 'started', 'queued', 'queued', 'queued', 'queued']);
    expect((await getThrottleView(env.client, 'welcome')).queue.map((q) => q.accountId)).toEqual(['c3', 'c4', 'c5', 'c6']);

    for (const day of [
      ['c3', 'c4'],
      ['c5', 'c6'],
    ]) {
      await toNextBerlinDay(60_000);
      for (const id of day) await eventually(async () => expect(await outcomes(id)).toEqual(['queued', 'started']));
      // Released in queue order: the rest wait.
      const rest = ACCOUNTS.slice(ACCOUNTS.indexOf(day[1]!) + 1);
      expect((await getThrottleView(env.client, 'welcome')).queue.map((q) => q.accountId)).toEqual(rest);
      for (const id of rest) expect(await outcomes(id)).toEqual(['queued']);
    }
    // It did hand over, and every execution replays against the current workflow code.
    const histories = await historiesOf(env.client, throttleWorkflowId('welcome'), gate.firstExecutionRunId);
    expect(histories.length).toBeGreaterThan(2);
    const replayed = await replay(histories.map((history, i) => ({ workflowId: `gate-${i}`, history })));
    expect(replayed.filter(([, error]) => error !== null)).toEqual([]);
    if (process.env['RECORD_THROTTLE_HISTORIES'] === '1') {
      const file = 'test/replay/throttle-gate-continues-as-new-while-six-firings-queue-and-release.json';
      writeFileSync(file, `${JSON.stringify({ workflowId: throttleWorkflowId('welcome'), histories })}\n`);
    }
  });
});
