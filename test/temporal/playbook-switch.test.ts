/**
 * A disabled playbook on the time-skipping server: the account entity, told of the switch the
 * way a deploy tells it, starts nothing when the playbook's event trigger fires (its trigger
 * log records the firing as refused, "playbook disabled"); once enabled, the next event starts it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { switchPlaybook } from '../../src/deploy/playbook-switch.js';
import type { AccountData } from '../../src/ir/types.js';
import type { Store } from '../../src/store/connect.js';
import { getAccount, sendAccountEvent, upsertAccount } from '../../src/temporal/account-client.js';
import { getStatus, workflowIdOf } from '../../src/temporal/client.js';
import acme from '../../playbooks/accounts/acme-enterprise.json' with { type: 'json' };
import { eventually } from '../ops/helpers.js';
import { useMigratedStore } from '../store/backends.js';
import { startTriggerEnv } from './trigger-env.js';

const TASK_QUEUE = 'switch-tests';
const PLAYBOOK = 'onboarding-enterprise';

describe('a disabled playbook on the time-skipping server', () => {
  let store: Store;
  useMigratedStore('pglite', (opened) => (store = opened));
  let env: TestWorkflowEnvironment;
  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ env, stop } = await startTriggerEnv(TASK_QUEUE, { store }));
  });
  afterAll(async () => {
    await stop?.();
  });

  it("starts nothing from the disabled playbook's event trigger, and starts the next one once enabled", async () => {
    const today = new Date(await env.currentTimeMs()).toISOString().slice(0, 10);
    const { id, ...fields } = { ...acme, id: 'acct-switch', last_login: today, last_activity: today, renewal_date: '2099-01-01' } as AccountData;
    await upsertAccount(env.client, TASK_QUEUE, id, { fields, by: 'test' });
    // The quarterly QBR (a cadence) fires for this enterprise account too: left out here.
    const triggerLog = async () => (await getAccount(env.client, id)).triggerLog.filter((r) => r.kind !== 'cadence');
    await eventually(async () => expect((await getAccount(env.client, id)).generation).toBe(1));

    const caller = { role: 'cli', user: 'test' };
    const off = await switchPlaybook(env.client, store, { playbook: PLAYBOOK, enabled: false, by: 'cli:test', caller });
    expect(off).toMatchObject({ changed: true, enabled: false });
    await sendAccountEvent(env.client, id, { name: 'account.created', by: 'test' });
    const refused = await eventually(async () => {
      const log = await triggerLog();
      expect(log).toHaveLength(1);
      return log[0]!;
    });
    expect(refused).toMatchObject({ playbook: PLAYBOOK, kind: 'event', outcome: 'refused', error: `playbook disabled (by cli:test at ${off.at})` });
    expect(refused.workflowId).toBeUndefined();
    await expect(getStatus(env.client, workflowIdOf(PLAYBOOK, id))).rejects.toThrow(/no run/);

    expect(await switchPlaybook(env.client, store, { playbook: PLAYBOOK, enabled: true, by: 'cli:test', caller })).toMatchObject({ changed: true });
    await sendAccountEvent(env.client, id, { name: 'account.created', by: 'test' });
    const started = await eventually(async () => {
      const log = await triggerLog();
      expect(log).toHaveLength(2);
      return log[1]!;
    });
    expect(started).toMatchObject({ playbook: PLAYBOOK, kind: 'event', outcome: 'started', workflowId: workflowIdOf(PLAYBOOK, id) });
    expect((await getStatus(env.client, workflowIdOf(PLAYBOOK, id))).status).toBe('running');
  });
});
