/**
 * Cadences at entity level, simulator against server: the same `AccountEntity` rules on a
 * virtual clock (the workflow's loop — sleep until `nextWake`, then evaluate the triggers —
 * with a port that jumps to each wake) and in the account workflow on the time-skipping server,
 * for a Bavarian account over a year from the day the test runs: a monthly cadence on day 31
 * (clamped to each month's last day) and a quarterly one on the first business day (the
 * current quarter's caught up at once). Both must fire the same occurrences at the same
 * instants, across both daylight-saving changes and the year's holidays.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { AccountData } from '../../src/ir/types.js';
import { getAccount, upsertAccount } from '../../src/temporal/account-client.js';
import type { StartOutcome } from '../../src/temporal/account-contract.js';
import { AccountEntity, type EntityPort } from '../../src/temporal/account-entity.js';
import { createTriggerActivities } from '../../src/temporal/activities/triggers.js';
import { eventually } from '../ops/helpers.js';
import { startTriggerEnv } from './trigger-env.js';

const TASK_QUEUE = 'cadence-differential';
const DAY = 86_400_000;
const YEAR = 366 * DAY;
const ACCOUNT: AccountData = { id: 'acct-bavaria', name: 'Brauerei Huber', csm: 'sam.ortiz@example.com', status: 'active' };

interface Fired {
  playbook: string;
  detail: string;
  at: number;
}

describe('cadences: the entity on a virtual clock against the account workflow on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ env, stop } = await startTriggerEnv(TASK_QUEUE, { workspace: 'test/temporal/cadence-workspace' }));
  });
  afterAll(async () => {
    await stop?.();
  });

  it('fire the same occurrences at the same instants for a year', async () => {
    const start = await env.currentTimeMs();
    const end = start + YEAR;
    const simulated = await simulateEntity(env, start, end);
    const { id, ...fields } = ACCOUNT;
    await upsertAccount(env.client, TASK_QUEUE, id, { fields, by: 'test' });
    await env.sleep(end - (await env.currentTimeMs()));
    const served = await eventually(async () => {
      const log = (await getAccount(env.client, id)).triggerLog.filter((r) => r.kind === 'cadence');
      expect(log.length).toBeGreaterThanOrEqual(simulated.length);
      return log.map((r) => ({ playbook: r.playbook, detail: r.detail, at: Date.parse(r.at), outcome: r.outcome }));
    });
    expect(served.every((r) => r.outcome === 'started')).toBe(true);
    expect(served.map(({ playbook, detail }) => ({ playbook, detail }))).toEqual(simulated.map(({ playbook, detail }) => ({ playbook, detail })));
    served.forEach((r, i) => expect(Math.abs(r.at - simulated[i]!.at), `${r.detail} fired at the simulated instant`).toBeLessThan(60_000));

    // What the simulator itself must hold, whatever day the test runs: 12 month-ends (each the
    // month's last day, at 09:00 Berlin, 07:00 or 08:00 UTC) and 4 quarter starts plus the
    // current quarter's catch-up, none of them on a weekend or a Bavarian holiday.
    const monthEnds = simulated.filter((f) => f.playbook === 'month-end');
    const quarterStarts = simulated.filter((f) => f.playbook === 'quarter-start');
    expect(monthEnds.length).toBeGreaterThanOrEqual(12);
    for (const f of monthEnds) {
      const date = dateOf(f.detail);
      expect(Date.parse(`${date}T00:00:00Z`) + DAY, `${date} is a month's last day`).toBe(Date.parse(`${nextMonthStart(date)}T00:00:00Z`));
      expect(new Date(f.at).toISOString(), `${date} at 09:00 Berlin`).toMatch(new RegExp(`^${date}T0[78]:00:00`));
    }
    expect(quarterStarts.length).toBeGreaterThanOrEqual(5);
    expect(quarterStarts[0]!.at - start, 'the current quarter is caught up at once').toBeLessThan(60_000);
    for (const f of quarterStarts) {
      const date = dateOf(f.detail);
      expect(['01', '04', '07', '10']).toContain(date.slice(5, 7));
      expect(new Date(`${date}T12:00:00Z`).getUTCDay(), `${date} is a weekday`).not.toBeOneOf([0, 6]);
      expect(date, '1 January and 6 January are Bavarian holidays').not.toMatch(/-01-0[1-3]$|-01-06$/);
    }
  });
});

/** The entity's own loop without a server: each wake evaluated at its instant, each start answered `started`. */
async function simulateEntity(env: TestWorkflowEnvironment, start: number, end: number): Promise<Fired[]> {
  let now = start;
  const fired: Fired[] = [];
  const { loadTriggers } = createTriggerActivities({ client: env.client, taskQueue: TASK_QUEUE, roles: {}, now: () => now });
  const yes = () => true;
  const port: EntityPort = {
    now: () => now,
    loadTriggers,
    startRun: async ({ playbook, account }): Promise<StartOutcome> => ({ status: 'started', workflowId: `playbook:${playbook}:${account.id}`, version: 'v' }),
    signalRun: async () => {},
    runStatus: async () => 'COMPLETED',
    sleep: async (ms) => void (now += ms),
    alert: ({ message }) => {
      throw new Error(`unexpected alert: ${message}`);
    },
    keepsUnreachableRuns: yes,
    honoursTriggerGuards: yes,
    boundsAccountData: yes,
    journals: yes,
    firesCadences: yes,
    rereadsBeforeRefusing: yes,
    throttles: yes,
    admitThrottled: async () => {
      throw new Error('no playbook here is throttled');
    },
    throttleDropped: async () => {},
    projectAccount: async () => {},
  };
  const entity = new AccountEntity(ACCOUNT.id, port);
  const { id: _, ...fields } = ACCOUNT;
  entity.upsert({ fields, by: 'test' });
  await entity.drain(() => false);
  for (let wake = entity.nextWake(); wake !== null && wake <= end; wake = entity.nextWake()) {
    now = Math.max(now, wake);
    await entity.evaluateTriggers();
  }
  for (const r of entity.state().triggerLog) {
    if (r.kind === 'cadence') fired.push({ playbook: r.playbook, detail: r.detail, at: Date.parse(r.at) });
  }
  return fired;
}

/** `every month on day 31 where … (2027-02-28)` → `2027-02-28`. */
function dateOf(detail: string): string {
  return /\((\d{4}-\d{2}-\d{2})\)$/.exec(detail)![1]!;
}

function nextMonthStart(date: string): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}
