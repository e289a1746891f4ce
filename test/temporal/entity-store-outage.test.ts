/**
 * A real PostgreSQL store down for 15 seconds under an account entity taking upserts and
 * events (dev server, the product's worker and its `projectAccount` journal flush): the entity
 * never fails or stalls — every upsert and event is applied while the store is away — and once
 * the store is back, every upsert, event and trigger-log entry of the entity is in it exactly
 * once. The run-side outage is in store-outage.test.ts.
 */
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresServer, type PostgresServer } from '../../src/servers/postgres-server.js';
import { openStore, type Store } from '../../src/store/connect.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { getAccount, sendAccountEvent, upsertAccount } from '../../src/temporal/account-client.js';
import { accountWorkflowId } from '../../src/temporal/account-contract.js';
import { eventually } from '../ops/helpers.js';
import { startAccountStack, type AccountStack } from './account-stack.js';

const TASK_QUEUE = 'entity-store-outage';
const OUTAGE_MS = 15_000;

describe('an account entity whose PostgreSQL store is down for 15 seconds', () => {
  let postgres: PostgresServer;
  let store: Store;
  let stack: AccountStack;
  let client: Client;
  const id = 'acct-outage';

  beforeAll(async () => {
    postgres = await startPostgresServer();
    store = openStore(postgres.url);
    await migrateToLatest(store);
    stack = await startAccountStack('test/api/fixtures/hardening', TASK_QUEUE, { store: { url: postgres.url } });
    client = stack.client;
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
    await store?.destroy();
    await postgres?.stop();
  });

  const count = async (table: 'account_upserts' | 'account_events' | 'trigger_log') =>
    (await store.selectFrom(table).select('seq').where('account_id', '=', id).execute()).map((r) => r.seq).sort((a, b) => a - b);

  it('applies everything while the store is away and stores each entry once when it is back', { timeout: 240_000 }, async () => {
    await upsertAccount(client, TASK_QUEUE, id, { fields: { name: 'Outage Inc', health: 40, status: 'active' }, by: 'test' });
    await eventually(async () => expect(await count('account_upserts')).toHaveLength(1), 30_000);

    await postgres.halt();
    const downSince = Date.now();
    let n = 0;
    while (Date.now() - downSince < OUTAGE_MS) {
      await upsertAccount(client, TASK_QUEUE, id, { fields: { name: `Outage ${n}` }, by: 'test' });
      await sendAccountEvent(client, id, { name: 'usage.ping', eventId: `ping-${n}`, payload: { n }, by: 'test' });
      // Applied by the entity although its journal cannot be written.
      await eventually(async () => expect((await getAccount(client, id)).data.name).toBe(`Outage ${n}`));
      n++;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    expect(n).toBeGreaterThan(3);
    const entity = await getAccount(client, id);
    expect(entity.alerts).toEqual([]);

    await postgres.restart();
    await eventually(async () => expect(await count('account_upserts')).toHaveLength(1 + n), 90_000);
    await eventually(async () => expect(await count('account_events')).toHaveLength(n), 30_000);
    await eventually(async () => expect(await count('trigger_log')).toHaveLength(entity.triggerLog.length), 30_000);
    // Each entry once, in order: the sequence numbers are 1..N without gaps or repeats.
    for (const table of ['account_upserts', 'account_events', 'trigger_log'] as const) {
      const seqs = await count(table);
      expect(new Set(seqs).size).toBe(seqs.length);
    }
    const events = await store.selectFrom('account_events').select(['event_id']).where('account_id', '=', id).execute();
    expect(events.map((e) => e.event_id).sort()).toEqual(Array.from({ length: n }, (_, i) => `ping-${i}`).sort());

    const handle = client.workflow.getHandle(accountWorkflowId(id));
    expect((await handle.describe()).status.name).toBe('RUNNING');
    const history = await handle.fetchHistory();
    expect((history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes != null)).toEqual([]);
  });
});
