/**
 * The delivery ledger in the store, shared by every worker on every host (a transactional
 * outbox keyed by the delivery's idempotency key):
 * 1. claim: insert the key `pending` with this attempt's id; the primary key lets one
 *    attempt win, without "check then insert";
 * 2. deliver;
 * 3. mark it `sent`, only while the claim is still this attempt's (a fenced write), with what
 *    the receiver said (its message id and response, when the sink reports them). A failed
 *    delivery marks it `failed` with its error, and a retry claims it again and delivers (the
 *    error stays until a later failure replaces it).
 * Claims are timed by the store's clock (`now()` in SQL), never a worker's: a worker whose
 * clock is off, or that was paused between reading a claim and acting on it, cannot judge a
 * live claim stale. While it delivers, the attempt renews its claim's `claimed_at` every third
 * of `staleClaimMs`, so a claim is stale only when its attempt stopped (a worker killed
 * mid-send), never because a receiver is slow: an attempt Temporal has given up on but whose
 * worker still waits for the receiver keeps its claim, and the retry waits for its outcome.
 * An attempt that finds the key `sent` does nothing. One that finds it `pending` under a live
 * claim waits for it, and fails retryably if it does not finish (the activity retries later
 * and then finds it sent). A claim whose last renewal reached the store more than
 * `staleClaimMs` ago is taken over by the next attempt, which delivers again; the staleness
 * test and the takeover are one conditional UPDATE, so a renewal that lands first always wins.
 * That is the window that remains: a worker killed after the receiver accepted the message and
 * before step 3 causes one repeat, `staleClaimMs` after its last renewal, which the receivers'
 * own de-duplication (Message-ID, `Idempotency-Key`) can drop. So does a worker alive but
 * unable to renew for `staleClaimMs` while it delivers (its process frozen, or the store out
 * of its reach that long): the other attempt delivers beside it (docs/operations.md, Delivery).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { sql, type SqlBool } from 'kysely';
import type { DeliveryAbout, DeliveryLedger, DeliveryReceipt } from '../sinks/delivery-ledger.js';
import type { Store } from './connect.js';

export interface StoreLedgerOptions {
  /** The clock of `sent_at` and `failed_at` (claims are timed by the store's). */
  now?: () => number;
  /** A pending claim not renewed for this long, by the store's clock, is taken over (default: 5 minutes; renewed every third of it). */
  staleClaimMs?: number;
  /** How long an attempt waits for another one's live claim before failing retryably (default 10 s). */
  waitForClaimMs?: number;
}

/** Another attempt is delivering this key right now; retry later. */
export class DeliveryUnderWayError extends Error {
  override readonly name = 'DeliveryUnderWayError';
}

export class StoreDeliveryLedger implements DeliveryLedger {
  private readonly now: () => number;
  private readonly staleClaimMs: number;
  private readonly waitForClaimMs: number;

  constructor(
    private readonly store: Store,
    options: StoreLedgerOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.staleClaimMs = options.staleClaimMs ?? 5 * 60_000;
    this.waitForClaimMs = options.waitForClaimMs ?? 10_000;
  }

  async once(key: string, deliver: () => Promise<DeliveryReceipt | void>, about?: DeliveryAbout): Promise<boolean> {
    const claim = `${hostname()}/${process.pid}/${randomUUID()}`;
    const waitUntil = Date.now() + this.waitForClaimMs;
    for (;;) {
      if (await this.claim(key, claim, about?.channel ?? null)) break;
      const row = await this.store
        .selectFrom('deliveries')
        .select(['state', 'claimed_by', this.stale().as('stale')])
        .where('idempotency_key', '=', key)
        .executeTakeFirst();
      if (row === undefined) continue; // the claim was just released: try again
      if (row.state === 'sent') return false;
      if (row.stale && (await this.takeOver(key, row.claimed_by, claim))) break;
      if (Date.now() >= waitUntil) throw new DeliveryUnderWayError(`delivery ${key} is under way in another attempt (${row.claimed_by}); retrying later`);
      await delay(200);
    }
    const renewal = setInterval(() => void this.renew(key, claim).catch(() => {}), this.staleClaimMs / 3);
    let receipt: DeliveryReceipt | void;
    try {
      receipt = await deliver();
    } catch (e) {
      await this.store
        .updateTable('deliveries')
        .set({ state: 'failed', error: e instanceof Error ? e.message : String(e), failed_at: new Date(this.now()) })
        .where('idempotency_key', '=', key)
        .where('claimed_by', '=', claim)
        .where('state', '=', 'pending')
        .execute();
      throw e;
    } finally {
      clearInterval(renewal);
    }
    await this.store
      .updateTable('deliveries')
      .set({ state: 'sent', sent_at: new Date(this.now()), provider_message_id: receipt?.messageId ?? null, provider_response: receipt?.response ?? null })
      .where('idempotency_key', '=', key)
      .where('claimed_by', '=', claim)
      .execute();
    return true;
  }

  /** Whether a row's claim was last renewed more than `staleClaimMs` ago, by the store's clock. */
  private stale() {
    return sql<SqlBool>`claimed_at < now() - ${this.staleClaimMs} * interval '1 millisecond'`;
  }

  /** Claims a new key, or one whose last attempt failed. */
  private async claim(key: string, claim: string, channel: string | null): Promise<boolean> {
    const claimedAt = sql<Date>`now()`;
    const inserted = await this.store
      .insertInto('deliveries')
      .values({ idempotency_key: key, state: 'pending', claimed_by: claim, claimed_at: claimedAt, channel })
      .onConflict((c) =>
        c
          .column('idempotency_key')
          .doUpdateSet((eb) => ({ state: 'pending', claimed_by: claim, claimed_at: claimedAt, attempts: eb('deliveries.attempts', '+', 1) }))
          .where('deliveries.state', '=', 'failed'),
      )
      .returning('idempotency_key')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  /** Keeps a live claim from going stale (a store that cannot be reached now is tried again at the next renewal). */
  private async renew(key: string, claim: string): Promise<void> {
    await this.store
      .updateTable('deliveries')
      .set({ claimed_at: sql<Date>`now()` })
      .where('idempotency_key', '=', key)
      .where('claimed_by', '=', claim)
      .where('state', '=', 'pending')
      .execute();
  }

  /** Takes over `staleClaim` if it is still stale; false when its attempt renewed it or another attempt took it first. */
  private async takeOver(key: string, staleClaim: string, claim: string): Promise<boolean> {
    const taken = await this.store
      .updateTable('deliveries')
      .set((eb) => ({ claimed_by: claim, claimed_at: sql<Date>`now()`, attempts: eb('attempts', '+', 1) }))
      .where('idempotency_key', '=', key)
      .where('claimed_by', '=', staleClaim)
      .where('state', '=', 'pending')
      .where(this.stale())
      .returning('idempotency_key')
      .executeTakeFirst();
    return taken !== undefined;
  }
}

/** How many deliveries the ledger holds in each state (`db status`, the demo). */
export async function countDeliveries(store: Store): Promise<Record<'pending' | 'sent' | 'failed', number>> {
  const rows = await store
    .selectFrom('deliveries')
    .select(['state', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('state')
    .execute();
  const counts = { pending: 0, sent: 0, failed: 0 };
  for (const r of rows) counts[r.state] = Number(r.n);
  return counts;
}
