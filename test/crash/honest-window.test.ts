/**
 * The delivery ledger's honest window (docs/operations.md, "Security model", Delivery), on
 * PGlite and a real PostgreSQL server: a worker killed after the SMTP server accepted a
 * message and before the ledger recorded it sent. Promised: once the dead attempt's claim is
 * stale, another worker sends the message once more, with the same Message-ID, and records it
 * sent; the run completes with one email on its timeline. Nothing else: no third copy, no
 * other message, no failed run. The worker's CRASH_HANG_AFTER_SEND_KEY hook lands the kill in
 * the window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFile } from '../../src/compile/compile.js';
import { getStatus, startNewRun } from '../../src/temporal/client.js';
import { BACKENDS } from '../store/backends.js';
import { ONE_MAIL, runResult, STALE_CLAIM_MS, startLedgerServers, startLedgerStack, type LedgerServers, type LedgerStack } from './ledger-stack.js';
import { waitUntil } from './wait-until.js';

const HUNG = 'sent-not-recorded ';

let servers: LedgerServers;
beforeAll(async () => {
  servers = await startLedgerServers();
}, 120_000);
afterAll(async () => {
  await servers?.stop();
});

describe.each(BACKENDS)('a worker killed between the send and the ledger write, on %s', (name) => {
  let stack: LedgerStack;
  beforeAll(async () => {
    stack = await startLedgerStack(servers, name);
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('sends the message once more with the same Message-ID once the claim is stale, and nothing else', { timeout: 120_000 }, async () => {
    const { store, smtp, client, taskQueue } = stack;
    const { program, version } = await compileFile(ONE_MAIL);
    const id = `${name}-window`;
    const [hanging, { workflowId }] = await Promise.all([
      stack.startWorker({ CRASH_HANG_AFTER_SEND_KEY: `:${id}/` }),
      startNewRun(client, { program, version, account: { id, name: id, contact: `${id}@customer.example` }, taskQueue }),
    ]);
    await waitUntil('the message was accepted and is not recorded sent', () => hanging.lines.some((l) => l.startsWith(HUNG)));
    const key = hanging.lines.find((l) => l.startsWith(HUNG))!.slice(HUNG.length);
    const claim = await store.selectFrom('deliveries').selectAll().where('idempotency_key', '=', key).executeTakeFirstOrThrow();
    expect(claim).toMatchObject({ state: 'pending', attempts: 1 });
    expect(smtp.accepted.map((m) => m.key)).toEqual([key]);
    await hanging.kill();

    await stack.startWorker();
    const result = await runResult(client, workflowId);

    expect(result.outcome).toBe('completed');
    expect(smtp.accepted.map((m) => m.key)).toEqual([key, key]);
    expect(smtp.accepted[1]!.messageId).toBe(smtp.accepted[0]!.messageId);
    const row = await store.selectFrom('deliveries').selectAll().where('idempotency_key', '=', key).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'sent', attempts: 2 });
    // The repeat waited for the dead attempt's claim to go stale.
    expect(row.claimed_at.getTime() - claim.claimed_at.getTime()).toBeGreaterThanOrEqual(STALE_CLAIM_MS);
    expect(await store.selectFrom('deliveries').select('idempotency_key').execute()).toHaveLength(1);
    expect((await getStatus(client, workflowId)).timeline.map((e) => e.kind)).toEqual(['start', 'email', 'complete']);
  });
});
