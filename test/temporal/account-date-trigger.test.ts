/**
 * A date trigger firing on the right day, on the time-skipping server: an account whose
 * renewal is 100 days out gets `renewal-readiness` (90 days before) on day 10, not before,
 * once; moving the date first re-plans it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { AccountData } from '../../src/ir/types.js';
import { getAccount, upsertAccount } from '../../src/temporal/account-client.js';
import acme from '../../playbooks/accounts/acme-enterprise.json' with { type: 'json' };
import { eventually } from '../ops/helpers.js';
import { startTriggerEnv } from './trigger-env.js';

const TASK_QUEUE = 'date-trigger-tests';
const DAY = 86_400_000;

describe('a date trigger on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let stop: (() => Promise<void>) | undefined;
  /** `YYYY-MM-DD` `days` after the server's today. */
  let dateIn: (days: number) => string;

  beforeAll(async () => {
    ({ env, stop } = await startTriggerEnv(TASK_QUEUE));
    const today = Date.parse(new Date(await env.currentTimeMs()).toISOString().slice(0, 10));
    dateIn = (days) => new Date(today + days * DAY).toISOString().slice(0, 10);
  });
  afterAll(async () => {
    await stop?.();
  });

  it('starts renewal readiness 90 days before the renewal date, re-planned when the date moves', async () => {
    const account = { ...acme, id: 'acct-dates', last_login: dateIn(0), last_activity: dateIn(0), renewal_date: dateIn(95) } as AccountData;
    const { id, ...fields } = account;
    await upsertAccount(env.client, TASK_QUEUE, id, { fields, by: 'test' });
    await upsertAccount(env.client, TASK_QUEUE, id, { fields: { renewal_date: dateIn(100) }, by: 'test' });
    // The quarterly QBR (a cadence, account-cadence-trigger.test.ts) fires for this enterprise account too: left out here.
    const planned = async () => (await getAccount(env.client, id)).planned.filter((p) => !p.cadence);
    const triggerLog = async () => (await getAccount(env.client, id)).triggerLog.filter((r) => r.kind !== 'cadence');
    await eventually(async () => expect(await planned()).toMatchObject([{ playbook: 'renewal-readiness', date: dateIn(100) }]));
    expect((await planned())[0]!.fireAt.slice(0, 10)).toBe(dateIn(10));

    await env.sleep(9 * DAY);
    expect(await triggerLog()).toEqual([]);
    await env.sleep(2 * DAY);
    const fired = await eventually(async () => {
      const log = await triggerLog();
      expect(log.length, JSON.stringify(log)).toBe(1);
      return log;
    });
    expect(fired.map((r) => [r.playbook, r.kind, r.outcome, r.at.slice(0, 10)])).toEqual([['renewal-readiness', 'date', 'started', dateIn(10)]]);
    expect(await planned()).toEqual([]);
    // A month later only re-engagement (no login for 30 days, a `when` trigger) has been added.
    await env.sleep(30 * DAY);
    const later = await eventually(async () => {
      const log = await triggerLog();
      expect(log).toHaveLength(2);
      return log;
    });
    expect(later.map((r) => [r.playbook, r.kind])).toEqual([
      ['renewal-readiness', 'date'],
      ['re-engagement', 'when'],
    ]);
  });
});
