/**
 * The embedded default: PostgreSQL compiled to WASM (PGlite) with its data folder on disk,
 * served on a loopback port by PGlite's PostgreSQL-protocol socket server, so the worker,
 * `serve` and the CLI reach it with the same driver as a real server.
 *
 * PGlite is one session. The socket server multiplexes connections onto it, in the order of
 * EmbeddedSessionQueue: one connection's exchange (up to its Sync) or transaction at a time, so
 * statements and transactions stay isolated; but session state (SET, advisory locks held outside a
 * transaction, LISTEN) is shared by every connection. The store's queries use none of those.
 * Throughput is one query at a time on the hosting process's event loop: fine for one
 * machine's book of business, not for scale-out (use PostgreSQL there).
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { EmbeddedSessionQueue } from './embedded-session-queue.js';

export interface EmbeddedStoreOptions {
  /** The database's folder (created on first start). */
  dataDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Client connections served at once; more wait for a free slot. */
  maxConnections?: number;
}

export interface EmbeddedStore {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedStore(options: EmbeddedStoreOptions): Promise<EmbeddedStore> {
  mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: options.port ?? 0, maxConnections: options.maxConnections ?? 64 });
  // The server hands its queue to each connection it accepts, so this replaces its own before start.
  (server as unknown as { queryQueue: EmbeddedSessionQueue }).queryQueue = new EmbeddedSessionQueue(db);
  try {
    await server.start();
  } catch (e) {
    await db.close();
    throw e;
  }
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres?sslmode=disable`,
    async stop() {
      try {
        await server.stop();
      } finally {
        await db.close();
      }
    },
  };
}
