/**
 * A cadence trigger on the time-skipping server: the reference workspace's `qbr-cadence`
 * (`every quarter on first business day`) deployed mid-quarter starts one QBR at once for the
 * quarter whose day has passed (the catch-up), none more that quarter, and the next one on the
 * next quarter's first business day, at 09:00 in the account's zone (the carry of the fired
 * occurrence across continue-as-new is in account-entity.unit.test.ts). The test holds at any
 * hour of the real day it runs on: the QBR's email waits for its send window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { AccountData } from '../../src/ir/types.js';
import { getAccount, upsertAccount } from '../../src/temporal/account-client.js';
import { completeTask, getStatus } from '../../src/temporal/client.js';
import acme from '../../playbooks/accounts/acme-enterprise.json' with { type: 'json' };
import { eventually } from '../ops/helpers.js';
import { startTriggerEnv } from './trigger-env.js';

const TASK_QUEUE = 'cadence-trigger-tests';
const DAY = 86_400_000;

describe('a cadence trigger on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ env, stop } = await startTriggerEnv(TASK_QUEUE));
  });
  afterAll(async () => {
    await stop?.();
  });

  it('catches up once for the current quarter, then fires on the next quarter’s first business day', async () => {
    const today = new Date(await env.currentTimeMs()).toISOString().slice(0, 10);
    const account = { ...acme, id: 'acct-qbr', last_login: today, last_activity: today, renewal_date: '2099-01-01' } as AccountData;
    const { id, ...fields } = account;
    await upsertAccount(env.client, TASK_QUEUE, id, { fields, by: 'test' });
    const qbrs = async () => (await getAccount(env.client, id)).triggerLog.filter((r) => r.playbook === 'qbr-cadence');
    const first = await eventually(async () => {
      const log = await qbrs();
      expect(log).toHaveLength(1);
      return log[0]!;
    });
    expect(first).toMatchObject({ kind: 'cadence', outcome: 'started' });
    expect(first.detail).toMatch(/^every quarter on first business day where .* \(\d{4}-(01|04|07|10)-0\d\)$/);
    // Another update the same quarter re-evaluates the triggers: no second catch-up.
    await upsertAccount(env.client, TASK_QUEUE, id, { fields: { health: 70 }, by: 'test' });
    const planned = await eventually(async () => {
      const p = (await getAccount(env.client, id)).planned.find((f) => f.playbook === 'qbr-cadence');
      expect(p).toBeDefined();
      return p!;
    });
    expect(await qbrs()).toHaveLength(1);
    expect(planned.date.slice(5, 7)).toMatch(/01|04|07|10/);
    // 09:00 New York is 13:00 or 14:00 UTC.
    expect(planned.fireAt).toMatch(/T1[34]:00:00\.000Z$/);

    // The run opens task qbr after the invitation, which waits for the send window (09:00–17:00
    // New York) when the test runs outside it: skip time until the task is open.
    for (let hour = 0; !(await getStatus(env.client, first.workflowId!)).openTasks.some((t) => t.name === 'qbr'); hour++) {
      expect(hour, 'task qbr opened within 3 days').toBeLessThan(72);
      await env.sleep(3_600_000);
    }
    // The quarter's QBR is held, so its run has ended by the next quarter.
    await completeTask(env.client, first.workflowId!, { task: 'qbr', answers: { held: true, sentiment: 'positive' } });
    await env.sleep(Date.parse(planned.fireAt) - (await env.currentTimeMs()) + DAY);
    const log = await eventually(async () => {
      const l = await qbrs();
      expect(l).toHaveLength(2);
      return l;
    });
    expect(log[1]).toMatchObject({ kind: 'cadence', outcome: 'started' });
    expect(Date.parse(log[1]!.at) - Date.parse(planned.fireAt)).toBeLessThan(60_000);
    expect(log[1]!.detail).toContain(`(${planned.date})`);
  });
});
