/**
 * A disabled playbook on the time-skipping server: the account entity, told of the switch the
 * way a deploy tells it, starts nothing when the playbook's event trigger fires (its trigger
 * log records the firing as refused, "playbook disabled", and it never asks to start the run);
 * once enabled, the next event starts it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { switchPlaybook } from '../../src/deploy/playbook-switch.js';
import type { AccountData } from '../../src/ir/types.js';
import type { Store } from '../../src/store/connect.js';
import type { Notified } from '../../src/deploy/notify.js';
import { getAccount, sendAccountEvent, upsertAccount } from '../../src/temporal/account-client.js';
import { accountWorkflowId, triggersChangedSignal } from '../../src/temporal/account-contract.js';
import { getStatus, workflowIdOf } from '../../src/temporal/client.js';
import acme from '../../playbooks/accounts/acme-enterprise.json' with { type: 'json' };
import { eventually } from '../ops/helpers.js';
import { useMigratedStore } from '../store/backends.js';
import { startTriggerEnv } from './trigger-env.js';

const TASK_QUEUE = 'switch-tests';
const PLAYBOOK = 'onboarding-enterprise';
const ACCOUNT = 'acct-switch';

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
    const { id, ...fields } = { ...acme, id: ACCOUNT, last_login: today, last_activity: today, renewal_date: '2099-01-01' } as AccountData;
    await upsertAccount(env.client, TASK_QUEUE, id, { fields, by: 'test' });
    // The quarterly QBR (a cadence) fires for this enterprise account too: left out here.
    const triggerLog = async () => (await getAccount(env.client, id)).triggerLog.filter((r) => r.kind !== 'cadence');
    await eventually(async () => expect((await getAccount(env.client, id)).generation).toBe(1));

    const caller = { role: 'cli', user: 'test' };
    const off = await switchPlaybook(env.client, store, { playbook: PLAYBOOK, enabled: false, by: 'cli:test', caller });
    expect(off).toMatchObject({ changed: true, enabled: false });
    await tellEntity(off.notified);
    await sendAccountEvent(env.client, id, { name: 'account.created', by: 'test' });
    const refused = await eventually(async () => {
      const log = await triggerLog();
      expect(log).toHaveLength(1);
      return log[0]!;
    });
    expect(refused).toMatchObject({ playbook: PLAYBOOK, kind: 'event', outcome: 'refused', error: `playbook disabled (by cli:test at ${off.at})` });
    expect(refused.workflowId).toBeUndefined();
    await expect(getStatus(env.client, workflowIdOf(PLAYBOOK, id))).rejects.toThrow(/no run/);
    // The entity refused by itself, from the triggers it re-read on the notice: it never asked the activity to start the run.
    expect(await startsAsked()).toEqual([]);

    const on = await switchPlaybook(env.client, store, { playbook: PLAYBOOK, enabled: true, by: 'cli:test', caller });
    expect(on).toMatchObject({ changed: true });
    await tellEntity(on.notified);
    await sendAccountEvent(env.client, id, { name: 'account.created', by: 'test' });
    const started = await eventually(async () => {
      const log = await triggerLog();
      expect(log).toHaveLength(2);
      return log[1]!;
    });
    expect(started).toMatchObject({ playbook: PLAYBOOK, kind: 'event', outcome: 'started', workflowId: workflowIdOf(PLAYBOOK, id) });
    expect((await getStatus(env.client, workflowIdOf(PLAYBOOK, id))).status).toBe('running');
    expect(await startsAsked()).toEqual([PLAYBOOK]);
  });

  /**
   * The time-skipping server lists no workflows, so the notice `switchPlaybook` sends by batch
   * or by listing reaches nobody there: the test sends it as `notifyAccounts` would.
   */
  async function tellEntity(notified: Notified | null): Promise<void> {
    expect(notified).toMatchObject({ via: 'none' });
    await env.client.workflow.getHandle(accountWorkflowId(ACCOUNT)).signal(triggersChangedSignal, { generation: 1, switched: true });
  }

  /**
   * The playbooks the entity asked `startPlaybookRun` to start (a local activity: its marker
   * holds its outcome, not its input), the quarterly QBR (a cadence) left out; a start the
   * activity refused shows as its reason.
   */
  async function startsAsked(): Promise<string[]> {
    const history = await env.client.workflow.getHandle(accountWorkflowId(ACCOUNT)).fetchHistory();
    const json = (payload: { data?: Uint8Array | null } | undefined) =>
      (payload?.data ? JSON.parse(Buffer.from(payload.data).toString('utf8')) : {}) as Record<string, unknown>;
    return (history.events ?? []).flatMap((e) => {
      const marker = e.markerRecordedEventAttributes;
      if (marker?.markerName !== 'core_local_activity' || json(marker.details?.['data']?.payloads?.[0]).activity_type !== 'startPlaybookRun') return [];
      const outcome = json(marker.details!['result']?.payloads?.[0]) as { workflowId?: string; reason?: string };
      const playbook = outcome.workflowId?.split(':')[1] ?? outcome.reason ?? '';
      return playbook === 'qbr-cadence' ? [] : [playbook];
    });
  }
});
