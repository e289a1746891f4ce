/**
 * The embedded store's connections share PGlite's one session. Parameterised queries from
 * several connections at once must each run their own statement: pglite-socket's own queue
 * interleaves their Parse/Bind/Execute messages (electric-sql/pglite#1046), which made a
 * delivery-ledger claim fail after it had been written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedStore, type EmbeddedStore } from '../../src/store/embedded.js';

let dir: string;
let embedded: EmbeddedStore;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'playbook-sessions-'));
  embedded = await startEmbeddedStore({ dataDir: join(dir, 'db') });
});

afterAll(async () => {
  await embedded?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A client whose every write leaves 2 ms after the one before it. */
async function slowClient(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: embedded.url });
  await client.connect();
  const stream = (client as unknown as { connection: { stream: { write: (...args: unknown[]) => boolean } } }).connection.stream;
  const write = stream.write.bind(stream);
  let previous = Promise.resolve();
  stream.write = (...args: unknown[]) => {
    previous = previous.then(() => new Promise<void>((resolve) => setTimeout(() => resolve(void write(...args)), 2)));
    return true;
  };
  return client;
}

describe('the embedded store with several connections', () => {
  it('runs each connection’s parameterised statements, not another’s', async () => {
    // Each client's protocol messages reach the server a little apart, as they do on a loaded
    // machine, so the other client's messages can come in between.
    const clients = await Promise.all([slowClient(), slowClient()]);
    try {
      const [ints, texts] = clients as [pg.Client, pg.Client];
      const rounds = Array.from({ length: 15 }, (_, i) => i);
      const results = await Promise.allSettled([
        (async () => {
          for (const i of rounds) expect((await ints.query<{ n: number }>('select $1::int + 1 as n', [i])).rows[0]!.n).toBe(i + 1);
        })(),
        (async () => {
          for (const i of rounds) {
            const r = await texts.query<{ t: string }>("select $1::text || '/' || $2::text as t", [String(i), 'x']);
            expect(r.rows[0]!.t).toBe(`${i}/x`);
          }
        })(),
      ]);
      expect(results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []))).toEqual([]);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });

  it('keeps serving the others after a connection leaves mid-transaction', async () => {
    const a = new pg.Client({ connectionString: embedded.url });
    await a.connect();
    await a.query('begin');
    await a.query('select $1::int', [1]);
    await a.end();
    const pool = new pg.Pool({ connectionString: embedded.url, max: 2 });
    try {
      const r = await pool.query<{ n: number }>('select $1::int as n', [7]);
      expect(r.rows[0]!.n).toBe(7);
    } finally {
      await pool.end();
    }
  });
});
