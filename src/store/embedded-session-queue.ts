/**
 * The order in which the embedded store's connections take turns on PGlite's one session.
 *
 * pglite-socket's own queue (0.2.17) hands the session over between any two protocol messages
 * unless a transaction is open. An extended-protocol exchange (Parse, Bind, Describe, Execute,
 * Sync) is no transaction, so two connections' exchanges interleave: one's Parse replaces the
 * other's unnamed statement, which then fails with "unnamed prepared statement does not exist"
 * or, when the shapes match, runs the wrong statement. Its queue also stops for good after one
 * failed message. Both are electric-sql/pglite#1046 (fix proposed in #977, not released).
 *
 * This queue keeps the session with one connection from its first extended-protocol message to
 * its Sync, and for the whole of an open transaction; a failure answers that message only.
 */
import type { PGlite } from '@electric-sql/pglite';

interface Pending {
  connection: number;
  message: Uint8Array;
  onData(data: Uint8Array): void;
  resolve(bytes: number): void;
  reject(error: Error): void;
}

/** The frontend messages of an extended-protocol exchange that ends at Sync ('S'). */
const EXCHANGE = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((c) => c.charCodeAt(0)));
const SYNC = 'S'.charCodeAt(0);
const SYNC_MESSAGE = new Uint8Array([SYNC, 0, 0, 0, 4]);

/** The interface of pglite-socket's QueryQueueManager, which its socket handlers call. */
export class EmbeddedSessionQueue {
  private readonly queue: Pending[] = [];
  private processing = false;
  /** The connection holding the session; null when any may take it. */
  private holder: number | null = null;
  /** Whether the holder is inside an exchange that has not reached its Sync. */
  private inExchange = false;

  constructor(private readonly db: PGlite) {}

  enqueue(connection: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ connection, message, onData, resolve, reject });
      void this.process();
    });
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(connection: number): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const p = this.queue[i]!;
      if (p.connection !== connection) continue;
      this.queue.splice(i, 1);
      p.reject(new Error('Handler disconnected'));
    }
  }

  /** A connection went away: end what it left open on the session, and let the others in. */
  async clearTransactionIfNeeded(connection: number): Promise<void> {
    if (this.holder !== connection) return;
    // A Sync ends an exchange cut short (and the error state it may have left).
    if (this.inExchange) await this.db.runExclusive(() => this.db.execProtocolRaw(SYNC_MESSAGE));
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    this.holder = null;
    this.inExchange = false;
    await this.process();
  }

  private next(): Pending | undefined {
    const held = this.holder !== null && (this.inExchange || this.db.isInTransaction());
    if (!held) return this.queue.shift();
    const i = this.queue.findIndex((p) => p.connection === this.holder);
    return i === -1 ? undefined : this.queue.splice(i, 1)[0];
  }

  private async process(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      for (let p = this.next(); p; p = this.next()) {
        const type = p.message[0]!;
        this.holder = p.connection;
        if (EXCHANGE.has(type)) this.inExchange = true;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(p.message, {
              onRawData: (data) => {
                bytes += data.length;
                p.onData(data);
              },
            }),
          );
          if (type === SYNC) this.inExchange = false;
          p.resolve(bytes);
        } catch (e) {
          p.reject(e instanceof Error ? e : new Error(String(e)));
        }
      }
    } finally {
      this.processing = false;
    }
  }
}
