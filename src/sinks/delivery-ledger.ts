/**
 * The durable record of idempotency keys already delivered: an append-only JSON-lines file
 * (`{ key, at }` per line, fsync'd), read once on first use and kept in memory. An activity
 * retried after a worker crash or timeout finds its key here and does nothing.
 *
 * The file belongs to one worker host (its `dataDir`); it is used when no store is configured.
 * Workers on several hosts then each keep their own, and the receivers' own de-duplication
 * (Message-ID, `Idempotency-Key`) covers a retry that lands on another host; with a store,
 * all workers share `src/store/delivery-ledger.ts`.
 */
import { appendJsonLine, readJsonLines } from './jsonl-file.js';

/** What the ledger records of a delivery besides its key (the store's does; the file does not). */
export interface DeliveryAbout {
  channel: 'email' | 'notify' | 'webhook' | 'records';
}

/**
 * What the receiver said of a delivery, as its sink reports it: the provider's id of the
 * message (SMTP: the Message-ID it accepted; a webhook or chat hook: its response's id header)
 * and its answer (SMTP: the server's `250 …` line with its queue id; HTTP: the status). Kept
 * in the store's ledger (the file ledger keeps keys only).
 */
export interface DeliveryReceipt {
  messageId: string | null;
  response: string | null;
}

/** Where deliveries are recorded so that a key is delivered once (this file, or the store's `deliveries`). */
export interface DeliveryLedger {
  /**
   * Runs `deliver` unless `key` was delivered before, then records `key`. Resolves true when
   * it delivered now, false for a repeat. A failed `deliver` records nothing and rejects.
   */
  once(key: string, deliver: () => Promise<DeliveryReceipt | void>, about?: DeliveryAbout): Promise<boolean>;
}

export class FileDeliveryLedger implements DeliveryLedger {
  private delivered: Promise<Set<string>> | null = null;
  /** Deliveries under way, so a retry that overlaps its first attempt waits for it instead of repeating it. */
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    readonly file: string,
    private readonly now: () => number = Date.now,
  ) {}

  async once(key: string, deliver: () => Promise<DeliveryReceipt | void>): Promise<boolean> {
    const delivered = await this.load();
    // From here to `inFlight.set` nothing awaits, so two calls for one key cannot both start.
    const running = this.inFlight.get(key);
    if (running) {
      await running;
      return false;
    }
    if (delivered.has(key)) return false;
    const attempt = (async () => {
      await deliver();
      await appendJsonLine(this.file, { key, at: new Date(this.now()).toISOString() });
      delivered.add(key);
    })();
    this.inFlight.set(key, attempt);
    try {
      await attempt;
      return true;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private load(): Promise<Set<string>> {
    this.delivered ??= readJsonLines<{ key: string }>(this.file).then(
      (records) => new Set(records.map((r) => r.key)),
      (error: unknown) => {
        this.delivered = null; // let the next activity attempt read it again
        throw error;
      },
    );
    return this.delivered;
  }
}
