/**
 * Issue 12, High 2, the entity side of Temporal's cap on updates per execution
 * (`history.maxTotalUpdates`): events reach the entity as updates, and past the cap the server
 * refuses them. The server suggests continue-as-new before the cap
 * (`history.maxTotalUpdates.suggestContinueAsNewThreshold`), which the entity follows
 * (continue-as-new.ts), so a dev server with a lowered cap takes a stream of events twice the
 * cap: every event is accepted, the entity hands over, the account is whole and the waiting
 * run still receives its event.
 */
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAccount, sendAccountEvent, upsertAccount } from '../../src/temporal/account-client.js';
import { accountWorkflowId } from '../../src/temporal/account-contract.js';
import { getStatus, workflowIdOf } from '../../src/temporal/client.js';
import { eventually } from '../ops/helpers.js';
import { startAccountStack, type AccountStack } from './account-stack.js';

const TASK_QUEUE = 'entity-update-limit';
const UPDATES_PER_EXECUTION = 20;

describe('an account entity under a lowered cap on updates', () => {
  let stack: AccountStack;
  let client: Client;
  const id = 'acct-updates';
  const rescue = workflowIdOf('rescue', id);

  beforeAll(async () => {
    stack = await startAccountStack('test/api/fixtures/hardening', TASK_QUEUE, {
      dynamicConfig: { 'history.maxTotalUpdates': UPDATES_PER_EXECUTION },
    });
    client = stack.client;
  }, 120_000);
  afterAll(() => stack?.stop());

  it('takes twice the cap in events across executions, with the account whole and the waiting run reachable', async () => {
    await upsertAccount(client, TASK_QUEUE, id, { fields: { name: 'Update Inc', health: 40, status: 'active' }, by: 'test' });
    await eventually(async () => expect((await getAccount(client, id)).openRuns).toContain(rescue));
    const entity = client.workflow.getHandle(accountWorkflowId(id));
    const firstRun = (await entity.describe()).runId;

    for (let n = 0; n < 2 * UPDATES_PER_EXECUTION; n++) {
      await sendAccountEvent(client, id, { name: 'usage.ping', payload: { n }, by: 'test' });
    }

    expect((await entity.describe()).runId).not.toBe(firstRun);
    const after = await getAccount(client, id);
    expect(after.data).toEqual({ id, name: 'Update Inc', health: 40, status: 'active' });
    expect(after.openRuns).toContain(rescue);
    expect(after).toMatchObject({ alerts: [] });

    await sendAccountEvent(client, id, { name: 'kickoff.held', by: 'test' });
    await eventually(async () =>
      expect((await getStatus(client, rescue)).timeline.some((e) => e.kind === 'event' && e.text?.includes('kickoff.held'))).toBe(true),
    );
  }, 240_000);
});
