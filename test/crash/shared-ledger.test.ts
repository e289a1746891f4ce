/**
 * Two worker processes on one task queue share the store's delivery ledger (PGlite and a real
 * PostgreSQL server): hundreds of runs that each send one email, one worker killed with
 * SIGKILL mid-way while it has deliveries in flight and then restarted. Its deliveries are
 * retried on the other worker, and the real SMTP server receives every message exactly once.
 *
 * The kill comes only once every accepted message is recorded sent and while all further
 * replies are held, and the held messages are then refused with a 451 (retried, then
 * received once), never accepted late: so no message is handed over that its sender does not
 * record sent, neither by the kill nor by a sender that gave up waiting for a held reply (its
 * socket timeout, reached on a loaded machine). The test never lands in the ledger's honest
 * window by chance: honest-window.test.ts lands there on purpose.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFile } from '../../src/compile/compile.js';
import { startNewRun } from '../../src/temporal/client.js';
import { BACKENDS } from '../store/backends.js';
import { ONE_MAIL, runResult, startLedgerServers, startLedgerStack, type LedgerServers, type LedgerStack } from './ledger-stack.js';
import { waitUntil } from './wait-until.js';

const RUNS = 200;

let servers: LedgerServers;
beforeAll(async () => {
  servers = await startLedgerServers();
}, 120_000);
afterAll(async () => {
  await servers?.stop();
});

describe.each(BACKENDS)('two workers sharing the delivery ledger on %s', (name) => {
  let stack: LedgerStack;
  beforeAll(async () => {
    stack = await startLedgerStack(servers, name);
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it(`sends each of ${RUNS} emails exactly once, with a worker killed mid-way and restarted`, { timeout: 180_000 }, async () => {
    const { store, smtp, client, taskQueue } = stack;
    const { program, version } = await compileFile(ONE_MAIL);
    const ids = Array.from({ length: RUNS }, (_, i) => `${name}-${i}`);
    const startRuns = (from: number, to: number) =>
      Promise.all(
        ids.slice(from, to).map((id) => startNewRun(client, { program, version, account: { id, name: id, contact: `${id}@customer.example` }, taskQueue })),
      );
    const [workers, runs] = await Promise.all([Promise.all([stack.startWorker(), stack.startWorker()]), startRuns(0, RUNS / 2)]);
    const [a, b] = workers;
    await waitUntil('a third of the messages arrived', () => smtp.accepted.length >= RUNS / 3, 120_000);

    // From here every reply is held, so the deliveries under way stay in flight; kill A once
    // some of its messages wait for their reply and every message accepted so far is recorded sent.
    smtp.hold(() => true);
    const claimsOf = async (pid: number) =>
      (await store.selectFrom('deliveries').select('idempotency_key').where('state', '=', 'pending').where('claimed_by', 'like', `%/${pid}/%`).execute()).map(
        (r) => r.idempotency_key,
      );
    const heldOfA = async () => {
      const claims = new Set(await claimsOf(a.pid));
      return smtp.heldKeys().filter((key) => claims.has(key));
    };
    await waitUntil('worker A has deliveries in flight', async () => (await heldOfA()).length >= 2);
    await waitUntil('every accepted message is recorded sent', async () => {
      const sent = new Set(
        (await store.selectFrom('deliveries').select('idempotency_key').where('state', '=', 'sent').execute()).map((r) => r.idempotency_key),
      );
      return smtp.accepted.every((m) => sent.has(m.key));
    });
    const inFlight = await heldOfA();
    await a.kill();
    const orphaned = await claimsOf(a.pid);
    await waitUntil('the SMTP server saw the killed worker go away', () => inFlight.every((key) => smtp.abandoned.some((m) => m.key === key)));
    smtp.reject();
    const [, more] = await Promise.all([stack.startWorker(), startRuns(RUNS / 2, RUNS)]);
    runs.push(...more);

    const results = await Promise.all(runs.map((run) => runResult(client, run.workflowId)));
    expect(results.filter((r) => r.outcome !== 'completed')).toEqual([]);

    const perMessageId = countBy(smtp.accepted.map((m) => m.messageId));
    expect(perMessageId.size).toBe(RUNS);
    expect([...perMessageId].filter(([, n]) => n !== 1)).toEqual([]);
    expect(new Set(smtp.accepted.map((m) => m.to[0])).size).toBe(RUNS);

    const ledger = await store.selectFrom('deliveries').select(['idempotency_key', 'state', 'claimed_by', 'attempts']).execute();
    expect(ledger.filter((r) => r.state === 'sent')).toHaveLength(RUNS);
    // The killed worker's deliveries were taken over and delivered by another one.
    expect(orphaned.length).toBeGreaterThan(0);
    for (const key of orphaned) {
      const row = ledger.find((r) => r.idempotency_key === key)!;
      expect(row.state).toBe('sent');
      expect(row.claimed_by).not.toContain(`/${a.pid}/`);
      expect(row.attempts).toBeGreaterThan(1);
    }
    for (const pid of [a.pid, b.pid]) expect(ledger.some((r) => r.claimed_by.includes(`/${pid}/`))).toBe(true);
  });
});

function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}
