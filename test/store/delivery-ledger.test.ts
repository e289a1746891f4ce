import { describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/connect.js';
import { DeliveryUnderWayError, StoreDeliveryLedger, type StoreLedgerOptions } from '../../src/store/delivery-ledger.js';
import { BACKENDS, useMigratedStore } from './backends.js';

describe.each(BACKENDS)('the delivery ledger in the store on %s', (name) => {
  let url: string;
  let store: Store;
  useMigratedStore(name, (opened, at) => ([store, url] = [opened, at]));

  it('delivers a key once and records it sent', async () => {
    const ledger = new StoreDeliveryLedger(store);
    let sent = 0;
    expect(await ledger.once('once', async () => void sent++)).toBe(true);
    expect(await ledger.once('once', async () => void sent++)).toBe(false);
    expect(sent).toBe(1);
    expect(await store.selectFrom('deliveries').select(['state', 'attempts']).where('idempotency_key', '=', 'once').executeTakeFirst()).toEqual({
      state: 'sent',
      attempts: 1,
    });
  });

  it('keeps a failed delivery as failed with its error and channel, and the retry claims it again and delivers', async () => {
    const ledger = new StoreDeliveryLedger(store);
    await expect(ledger.once('fails', async () => Promise.reject(new Error('SMTP 451')), { channel: 'email' })).rejects.toThrow('SMTP 451');
    const row = () =>
      store
        .selectFrom('deliveries')
        .select(['state', 'channel', 'error', 'attempts', 'failed_at', 'sent_at'])
        .where('idempotency_key', '=', 'fails')
        .executeTakeFirstOrThrow();
    expect(await row()).toMatchObject({ state: 'failed', channel: 'email', error: 'SMTP 451', attempts: 1, failed_at: expect.any(Date), sent_at: null });
    expect(await ledger.once('fails', async () => {}, { channel: 'email' })).toBe(true);
    expect(await row()).toMatchObject({ state: 'sent', channel: 'email', error: 'SMTP 451', attempts: 2, sent_at: expect.any(Date) });
    expect(await ledger.once('fails', async () => {})).toBe(false);
  });

  it('lets two workers with their own connections deliver each of 60 keys exactly once', async () => {
    const [a, b] = [openStore(url), openStore(url)];
    try {
      const delivered = new Map<string, number>();
      const deliver = (key: string) => async () => {
        delivered.set(key, (delivered.get(key) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 5));
      };
      const keys = Array.from({ length: 60 }, (_, i) => `race-${i}`);
      const ledgers = [new StoreDeliveryLedger(a), new StoreDeliveryLedger(b)];
      const outcomes = await Promise.all(keys.flatMap((k) => ledgers.map((l) => l.once(k, deliver(k)))));
      expect([...delivered.values()].every((n) => n === 1)).toBe(true);
      expect(delivered.size).toBe(keys.length);
      expect(outcomes.filter(Boolean)).toHaveLength(keys.length);
    } finally {
      await a.destroy();
      await b.destroy();
    }
  });

  it('takes over the stale claim of an attempt that died mid-send and delivers again', async () => {
    await store
      .insertInto('deliveries')
      .values({ idempotency_key: 'crashed', state: 'pending', claimed_by: 'dead-worker', claimed_at: new Date(Date.now() - 10 * 60_000) })
      .execute();
    let sent = 0;
    expect(await new StoreDeliveryLedger(store).once('crashed', async () => void sent++)).toBe(true);
    expect(sent).toBe(1);
    expect(await store.selectFrom('deliveries').select(['state', 'attempts']).where('idempotency_key', '=', 'crashed').executeTakeFirst()).toEqual({
      state: 'sent',
      attempts: 2,
    });
  });

  /**
   * An attempt whose delivery takes `deliverMs`, and 100 ms into it a second attempt for the
   * same key on another ledger (`second`'s options): what each resolved to and how many sent.
   */
  const overlapping = async (key: string, options: StoreLedgerOptions, deliverMs: number, second: StoreLedgerOptions = options) => {
    let sent = 0;
    const first = new StoreDeliveryLedger(store, options).once(key, async () => {
      await new Promise((r) => setTimeout(r, deliverMs));
      sent++;
    });
    await new Promise((r) => setTimeout(r, 100));
    const results = await Promise.all([first, new StoreDeliveryLedger(store, second).once(key, async () => void sent++)]);
    return { results, sent };
  };

  it('never takes over the claim of an attempt still delivering, however slow its receiver', async () => {
    expect(await overlapping('slow', { staleClaimMs: 300, waitForClaimMs: 3_000 }, 1_500)).toEqual({ results: [true, false], sent: 1 });
  });

  it("never takes over a live claim because of a worker's clock: claims are timed by the store's", async () => {
    const options = { staleClaimMs: 1_000, waitForClaimMs: 5_000 };
    // The second attempt runs on another host whose clock is ten minutes ahead.
    const ahead = { ...options, now: () => Date.now() + 10 * 60_000 };
    expect(await overlapping('skewed', options, 2_000, ahead)).toEqual({ results: [true, false], sent: 1 });
  });

  it('waits for a live claim of another attempt and then fails retryably, delivering nothing', async () => {
    await store.insertInto('deliveries').values({ idempotency_key: 'busy', state: 'pending', claimed_by: 'other-worker', claimed_at: new Date() }).execute();
    let sent = 0;
    const ledger = new StoreDeliveryLedger(store, { waitForClaimMs: 300 });
    await expect(ledger.once('busy', async () => void sent++)).rejects.toBeInstanceOf(DeliveryUnderWayError);
    expect(sent).toBe(0);
  });
});
