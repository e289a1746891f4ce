/**
 * The two stores every store test runs against: the embedded default (PGlite behind its
 * socket server) and a real PostgreSQL server started from the machine's binaries. A missing
 * PostgreSQL fails the suite with the install hint; it never skips.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import { openStore, type Store } from '../../src/store/connect.js';
import { startEmbeddedStore } from '../../src/store/embedded.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { startPostgresServer } from '../../src/servers/postgres-server.js';

export interface Backend {
  name: 'pglite' | 'postgres';
  /** A new, empty database on this backend. */
  freshDatabase(): Promise<{ url: string; store: Store }>;
  stop(): Promise<void>;
}

export async function startBackend(name: Backend['name']): Promise<Backend> {
  if (name === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'playbook-pglite-'));
    // PGlite holds one database per data folder, and initialising one takes seconds of WASM:
    // initialise a template once, then a fresh database is a copy of its folder.
    const template = join(dir, 'template');
    await (await startEmbeddedStore({ dataDir: template })).stop();
    const opened: Array<{ stop(): Promise<void> }> = [];
    const stores: Store[] = [];
    let n = 0;
    return {
      name,
      async freshDatabase() {
        const dataDir = join(dir, `db${n++}`);
        cpSync(template, dataDir, { recursive: true });
        const embedded = await startEmbeddedStore({ dataDir });
        opened.push(embedded);
        const store = openStore(embedded.url);
        stores.push(store);
        return { url: embedded.url, store };
      },
      async stop() {
        for (const s of stores) await s.destroy();
        for (const e of opened) await e.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const server = await startPostgresServer();
  const admin = openStore(server.url, { maxConnections: 1 });
  const stores: Store[] = [];
  let n = 0;
  return {
    name,
    async freshDatabase() {
      const db = `test_${n++}`;
      await sql`create database ${sql.raw(db)}`.execute(admin);
      const url = server.url.replace('/postgres?', `/${db}?`);
      const store = openStore(url);
      stores.push(store);
      return { url, store };
    },
    async stop() {
      for (const s of stores) await s.destroy();
      await admin.destroy();
      await server.stop();
    },
  };
}

export const BACKENDS: Array<Backend['name']> = ['pglite', 'postgres'];

/**
 * For the describe block it is called in: a fresh, migrated database on `name`, handed to
 * `opened` (with its URL) before the block's tests run, and the backend stopped after them.
 */
export function useMigratedStore(name: Backend['name'], opened: (store: Store, url: string) => void): void {
  let backend: Backend | undefined;
  beforeAll(async () => {
    backend = await startBackend(name);
    const { store, url } = await backend.freshDatabase();
    await migrateToLatest(store);
    opened(store, url);
  });
  afterAll(async () => {
    await backend?.stop();
  });
}
