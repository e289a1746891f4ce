/**
 * API event ingest on the dev server, the worker in this process with the real activities:
 * BENCH_INGEST_EVENTS (default 1,000) accounts each have a run of `bench-ping` waiting for
 * an event, started through their account entity; events per second from the first send
 * until every run has its event and has completed, a fixed number of events in flight, by
 *
 * (a) `POST /v1/events` with an integration token and a valid signature: HTTP, auth, the
 *     account entity, the run (the product's path);
 * (b) the Temporal client sending the account entity its event update (`sendAccountEvent`): (a) without
 *     HTTP and auth;
 * (c) the Temporal client signalling each run (`sendEvent`): the baseline.
 *
 * Each path gets fresh waiting runs (their starts are not measured), in alternating rounds
 * so a change of load on the machine weighs on all three alike.
 */
import { importAccounts } from '../src/accounts/import/import.js';
import { sendAccountEvent } from '../src/temporal/account-client.js';
import { sendEvent, workflowIdOf } from '../src/temporal/client.js';
import { mapLimit } from '../src/util/map-limit.js';
import { perSecond, type Row, type Suite } from './harness.js';
import { startProductStack, type ProductStack } from './product-stack.js';
import { accountIds, benchAccount, countFromEnv, PING_PLAYBOOK, startThroughApi, whenWaiting } from './product-runs.js';
import { ratio } from './temporal-setup.js';

const EVENT = 'bench.ping';
const IN_FLIGHT = 50;
const ROUNDS = 2;
const WAITING_TIMEOUT_MS = 5 * 60_000;

/** Delivers the event to the account's waiting run by one path. */
type Deliver = (accountId: string, eventId: string) => Promise<void>;

export const apiIngest: Suite = {
  name: `API event ingest (dev server, worker in process, ${IN_FLIGHT} events in flight)`,
  async run() {
    const events = countFromEnv('BENCH_INGEST_EVENTS', 1_000);
    const stack = await startProductStack();
    try {
      const { client } = stack;
      const ids = accountIds('ingest', events);
      await importAccounts(client, stack.config.temporal.taskQueue, ids.map(benchAccount), { by: 'bench' });

      const paths: Record<'api' | 'entity' | 'run', Deliver> = {
        async api(accountId, eventId) {
          const response = await stack.postSigned('/v1/events', JSON.stringify({ accountId, name: EVENT, eventId }));
          if (response.status !== 202) throw new Error(`POST /v1/events answered ${response.status}: ${await response.text()}`);
        },
        entity: (accountId, eventId) => sendAccountEvent(client, accountId, { name: EVENT, by: 'bench', eventId }),
        run: (accountId) => sendEvent(client, workflowIdOf(PING_PLAYBOOK, accountId), { name: EVENT }),
      };
      const totals = { api: 0, entity: 0, run: 0 };
      const rounds = Math.min(ROUNDS, events);
      for (let round = 0; round < rounds; round++) {
        const slice = ids.filter((_, i) => i % rounds === round);
        for (const kind of ['api', 'entity', 'run'] as const) {
          totals[kind] += await msToDeliver(stack, slice, (accountId) => paths[kind](accountId, `${kind}-${round}-${accountId}`));
        }
      }

      const count = events.toLocaleString('en-US');
      const rows: Row[] = [
        { label: `(a) POST /v1/events, signed, via the account entity (${count} events)`, figures: [perSecond(events, totals.api, 'events')] },
        { label: `(b) sendAccountEvent, via the account entity (${count} events)`, figures: [perSecond(events, totals.entity, 'events')] },
        { label: `(c) sendEvent straight to the run (${count} events)`, figures: [perSecond(events, totals.run, 'events')] },
        { label: 'ratio (a) / (c)', figures: [ratio(totals.run, totals.api)] },
        { label: 'ratio (b) / (c)', figures: [ratio(totals.run, totals.entity)] },
      ];
      return rows;
    } finally {
      await stack.stop();
    }
  },
};

/**
 * Starts a run for every account (not measured), waits until all wait for the event, then
 * delivers the events `IN_FLIGHT` at a time, each until its run has completed: the milliseconds that took.
 */
async function msToDeliver(stack: ProductStack, ids: string[], deliver: (accountId: string) => Promise<void>): Promise<number> {
  await startThroughApi(stack, PING_PLAYBOOK, ids);
  const waiting = await whenWaiting(stack.client, PING_PLAYBOOK, ids.length, WAITING_TIMEOUT_MS);
  if (waiting < ids.length) throw new Error(`only ${waiting} of ${ids.length} runs of ${PING_PLAYBOOK} were waiting after ${WAITING_TIMEOUT_MS / 1000} s`);
  const started = performance.now();
  await mapLimit(ids, IN_FLIGHT, async (accountId) => {
    await deliver(accountId);
    await stack.client.workflow.getHandle(workflowIdOf(PING_PLAYBOOK, accountId)).result();
  });
  return performance.now() - started;
}
