/**
 * The entity activities' reads of the deployment registry, against a fake registry handle:
 * the registry answers queries one at a time, so a burst of entities (an import, a deploy's
 * notice to every account) must cost one read of what is deployed, not one each.
 */
import type { Client } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createTriggerActivities } from '../../src/temporal/activities/triggers.js';
import type { DeployedSummary } from '../../src/temporal/registry-contract.js';
import { defaultCalendar } from '../../src/calendar/index.js';
import type { IrProgram } from '../../src/ir/types.js';
import { HOLIDAY_FIELD_PROGRAM } from './fixtures/holiday-field-program.js';

const ACCOUNT = { id: 'acct-1' };

function fakeRegistry() {
  const state = { generation: 1, deployedReads: 0 };
  const summary = (): DeployedSummary => ({
    generation: state.generation,
    deployedAt: null,
    fields: {},
    playbooks: [{ id: 'welcome', version: `v${state.generation}`, triggers: [{ kind: 'manual' }], deployedAt: '', deployedBy: '', history: [] } as never],
  });
  const handle = {
    async query(query: { name: string }) {
      if (query.name === 'deployed') {
        state.deployedReads++;
        return summary();
      }
      return null;
    },
  };
  const client = { workflow: { getHandle: () => handle } } as unknown as Client;
  return { state, activities: createTriggerActivities({ client, taskQueue: 'q', roles: {} }) };
}

const burst = <T>(n: number, call: () => Promise<T>) => Promise.all(Array.from({ length: n }, call));

afterEach(() => {
  vi.useRealTimers();
});

describe('loadTriggers', () => {
  test('a burst of entities shares one read of what is deployed', async () => {
    const { state, activities } = fakeRegistry();
    const contexts = await burst(50, () => activities.loadTriggers({ accountId: 'acct-1', account: ACCOUNT }));
    expect(state.deployedReads).toBe(1);
    expect(new Set(contexts.map((c) => c.generation))).toEqual(new Set([1]));
  });

  test("a deploy's notice (a newer generation) reads again once for the whole burst", async () => {
    const { state, activities } = fakeRegistry();
    await activities.loadTriggers({ accountId: 'acct-1', account: ACCOUNT });
    state.generation = 2;
    const contexts = await burst(50, () => activities.loadTriggers({ accountId: 'acct-1', account: ACCOUNT, minGeneration: 2 }));
    expect(state.deployedReads).toBe(2);
    expect(contexts.every((c) => c.generation === 2 && c.playbooks[0]!.version === 'v2')).toBe(true);
  });

  test('a cancelled attempt stops waiting for a registry that does not answer (its worker is shutting down)', async () => {
    // A stopping worker no longer polls, so the registry's query would answer only when it times out.
    const client = { workflow: { getHandle: () => ({ query: () => new Promise(() => {}) }) } } as unknown as Client;
    const activities = createTriggerActivities({ client, taskQueue: 'q', roles: {} });
    const env = new MockActivityEnvironment();
    const loading = env.run(() => activities.loadTriggers({ accountId: 'acct-1', account: ACCOUNT }));
    env.cancel('WORKER_SHUTDOWN');
    await expect(loading).rejects.toBeInstanceOf(CancelledFailure);
  });

  test('a read older than a second is not used', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { state, activities } = fakeRegistry();
    await activities.loadTriggers({ accountId: 'acct-1', account: ACCOUNT });
    vi.advanceTimersByTime(999);
    await activities.loadTriggers({ accountId: 'acct-1', account: ACCOUNT });
    expect(state.deployedReads).toBe(1);
    vi.advanceTimersByTime(1);
    await activities.loadTriggers({ accountId: 'acct-1', account: ACCOUNT });
    expect(state.deployedReads).toBe(2);
  });
});

/** Activities on a registry that has one release of `program`'s playbook welcome. */
function registryWithRelease(program: IrProgram) {
  const handle = {
    async query(query: { name: string }) {
      if (query.name === 'deployed') {
        return {
          generation: 1,
          deployedAt: null,
          fields: {},
          playbooks: [{ id: 'welcome', version: 'v1', triggers: [{ kind: 'manual' }], deployedAt: '', deployedBy: '', history: [] }],
        };
      }
      return { id: 'welcome', version: 'v1', program };
    },
  };
  const client = { workflow: { getHandle: () => handle } } as unknown as Client;
  return createTriggerActivities({ client, taskQueue: 'q', roles: {} });
}

describe('an account whose holiday field holds no holiday code', () => {
  const program = HOLIDAY_FIELD_PROGRAM;

  const account = { id: 'acct-1', country: 'Germany' };

  test('times its triggers in the default calendar instead of failing the activity', async () => {
    const context = await registryWithRelease(program).loadTriggers({ accountId: 'acct-1', account });
    expect(context.playbooks[0]!.calendar).toBe(defaultCalendar);
  });

  test('has its start refused naming the field and its value', async () => {
    expect(await registryWithRelease(program).startPlaybookRun({ account, playbook: 'welcome' })).toEqual({
      status: 'refused',
      reason:
        'cannot start welcome for account acct-1: calendar local: account.country is "Germany", not a holiday country or region code (such as "US", "GB-ENG" or "DE-BY")',
    });
  });
});

describe('a playbook with an enrollment throttle', () => {
  const program: IrProgram = {
    ...HOLIDAY_FIELD_PROGRAM,
    playbooks: { welcome: { ...HOLIDAY_FIELD_PROGRAM.playbooks['welcome']!, throttle: { perDay: 3 } } },
    calendars: { local: { ...HOLIDAY_FIELD_PROGRAM.calendars['local']!, timezone: [{ field: 'tz' }, { zone: 'Asia/Tokyo' }], holidaySources: [] } },
  };

  test("comes with N and the zone its calendar names for no account, whatever the account's own", async () => {
    const context = await registryWithRelease(program).loadTriggers({ accountId: 'acct-1', account: { id: 'acct-1', tz: 'America/Chicago' } });
    expect(context.playbooks[0]).toMatchObject({ throttle: { perDay: 3, timezone: 'Asia/Tokyo' }, calendar: { timezone: 'America/Chicago' } });
    expect(
      (await registryWithRelease(HOLIDAY_FIELD_PROGRAM).loadTriggers({ accountId: 'acct-1', account: { id: 'acct-1' } })).playbooks[0]!.throttle,
    ).toBeUndefined();
  });
});
