import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateTo, migrateToLatest, migrationStatus } from '../../src/store/migrate.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { BACKENDS, startBackend, type Backend } from './backends.js';
import { insertEntries, insertRun } from './fixtures.js';

const NAMES = Object.keys(MIGRATIONS);

describe.each(BACKENDS)('store migrations on %s', (name) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await startBackend(name);
  });
  afterAll(async () => {
    await backend?.stop();
  });

  it('runs every migration on an empty database, then none on the second run', async () => {
    const { store } = await backend.freshDatabase();
    expect((await migrationStatus(store)).every((m) => m.executedAt === null)).toBe(true);
    expect(await migrateToLatest(store)).toEqual(NAMES);
    expect(await migrateToLatest(store)).toEqual([]);
    const status = await migrationStatus(store);
    expect(status.map((m) => m.name)).toEqual(NAMES);
    expect(status.every((m) => m.executedAt instanceof Date)).toBe(true);
  });

  // One fresh database and a migration run per earlier version: minutes on a loaded machine.
  it('migrates forward from every earlier version with its data kept', { timeout: 300_000 }, async () => {
    for (const [i, from] of NAMES.entries()) {
      const { store } = await backend.freshDatabase();
      await migrateTo(store, from);
      // A delivery recorded by the earliest version survives every later migration.
      await store
        .insertInto('deliveries')
        .values({ idempotency_key: `k${i}`, state: 'sent', claimed_by: 'test', claimed_at: '2026-01-05T14:00:00Z', sent_at: '2026-01-05T14:00:01Z' })
        .execute();
      expect(await migrateToLatest(store)).toEqual(NAMES.slice(i + 1));
      const row = await store.selectFrom('deliveries').selectAll().executeTakeFirstOrThrow();
      expect(row).toMatchObject({ idempotency_key: `k${i}`, state: 'sent' });
    }
  });

  it('migrates a store of 002 with runs in it to accounts and escalations, the stored escalations kept', async () => {
    const { store } = await backend.freshDatabase();
    await migrateTo(store, '002-runs-and-timelines');
    await insertRun(store, { workflow_id: 'playbook:onboarding:acme' });
    await insertEntries(store, 'playbook:onboarding:acme', [
      { at: '2026-01-05T09:00:00.000Z', kind: 'start', stage: null, line: 1 },
      { at: '2026-01-12T09:00:00.000Z', kind: 'escalate', stage: 'kickoff', to: 'lead@example.com', severity: 'high', text: 'No kickoff', line: 14 },
    ]);
    expect(await migrateToLatest(store)).toEqual(NAMES.slice(NAMES.indexOf('002-runs-and-timelines') + 1));
    expect(await store.selectFrom('escalations').select(['seq', 'account_id', 'recipient', 'severity', 'stage', 'line']).execute()).toEqual([
      { seq: 1, account_id: 'acme', recipient: 'lead@example.com', severity: 'high', stage: 'kickoff', line: 14 },
    ]);
    expect(await store.selectFrom('accounts').selectAll().execute()).toEqual([]);
    expect(await store.selectFrom('runs').select('workflow_id').execute()).toEqual([{ workflow_id: 'playbook:onboarding:acme' }]);
  });

  it('lets two processes migrate at once: each migration runs once', async () => {
    const { url } = await backend.freshDatabase();
    const { openStore } = await import('../../src/store/connect.js');
    const [a, b] = [openStore(url), openStore(url)];
    try {
      const ran = await Promise.all([migrateToLatest(a), migrateToLatest(b)]);
      expect([...ran[0], ...ran[1]].sort()).toEqual([...NAMES].sort());
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from playbook_migrations`.execute(a);
      expect(rows[0]?.n).toBe(NAMES.length);
    } finally {
      await a.destroy();
      await b.destroy();
    }
  });
});
