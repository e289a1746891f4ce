/**
 * Durable-runtime throughput on the dev server (SQLite in memory), or on the running server
 * PLAYBOOK_TEST_TEMPORAL_ADDRESS names (`npm run cluster:test`), one worker process:
 *
 * - completed runs per second of a short playbook (three notifications, a wait for an event
 *   that the benchmark sends right after the start, a last notification), the product's
 *   interpreter workflow against a hand-written baseline of the same playbook, same server
 *   and worker, a fixed number of runs in flight (target: at least 0.8×);
 * - BENCH_WAITING_RUNS (default 10,000) runs that wait days for an event, all at once: how
 *   fast the server takes the starts, how fast the worker gets them all waiting in its cache
 *   (their first workflow task done), and the worker's memory then. On 2 busy cores 10,000
 *   take several minutes; BENCH_WAITING_RUNS=2000 gives a quick reading.
 */
import type { Client } from '@temporalio/client';
import { compileFile } from '../src/compile/compile.js';
import { serverUnderTestLabel, startServerUnderTest } from '../src/servers/server-under-test.js';
import { connect, sendEvent, startNewRun } from '../src/temporal/client.js';
import { eventSignal, SEARCH_ATTRIBUTE_SCHEMA } from '../src/temporal/contract.js';
import { defaultConfig } from '../src/config/load.js';
import type { NotifyAndWaitInput } from './baseline/notify-and-wait-workflow.js';
import { allAfter, perSecond, seconds, type Row, type Suite } from './harness.js';
import { benchPlaybook, forEachConcurrently, quietTemporalRuntime, ratio } from './temporal-setup.js';
import { startBenchWorker, type BenchWorker } from './temporal-worker.js';

const TASK_QUEUE = 'bench-throughput';
const THROUGHPUT_RUNS = 500;
const ROUNDS = 4;
const WARMUP_RUNS = 50;
const IN_FLIGHT = 50;
const WAITING_RUNS = Number(process.env.BENCH_WAITING_RUNS ?? 10_000);
const STARTS_IN_FLIGHT = 50;
/** How long the worker may take to have every waiting run in its cache before the figures are taken anyway. */
const CACHE_FILL_TIMEOUT_MS = 6 * 60_000;
const MB = 1024 * 1024;

/** Starts one run of a kind, sends it its event and resolves when it has completed. */
type RunOnce = (client: Client, id: string) => Promise<void>;

export const temporalThroughput: Suite = {
  name: `Temporal throughput (${serverUnderTestLabel()}, one worker process, ${IN_FLIGHT} runs in flight)`,
  async run() {
    quietTemporalRuntime();
    if (!Number.isInteger(WAITING_RUNS) || WAITING_RUNS < 1)
      throw new Error(`BENCH_WAITING_RUNS must be a positive whole number, got ${process.env.BENCH_WAITING_RUNS}`);
    const [short, waiting] = await Promise.all([compileFile(benchPlaybook('notify-and-wait')), compileFile(benchPlaybook('wait-for-renewal'))]);
    const server = await startServerUnderTest({ uiPort: false, searchAttributes: SEARCH_ATTRIBUTE_SCHEMA });
    let worker: BenchWorker | undefined;
    let client: Client | undefined;
    try {
      worker = await startBenchWorker({ address: server.address, taskQueue: TASK_QUEUE });
      client = await connect({ ...defaultConfig().temporal, address: server.address, namespace: server.namespace, taskQueue: TASK_QUEUE });

      const interpreter: RunOnce = async (c, id) => {
        const { workflowId } = await startNewRun(c, { ...short, account: accountOf(id), taskQueue: TASK_QUEUE });
        await sendEvent(c, workflowId, { name: 'go' });
        await c.workflow.getHandle(workflowId).result();
      };
      const baseline: RunOnce = async (c, id) => {
        const input: NotifyAndWaitInput = { account: accountOf(id) };
        const handle = await c.workflow.start('notifyAndWait', { workflowId: `baseline:notify-and-wait:${id}`, taskQueue: TASK_QUEUE, args: [input] });
        await handle.signal(eventSignal, { name: 'go' });
        await handle.result();
      };
      await msToComplete(client, interpreter, 'warm-ours', WARMUP_RUNS);
      await msToComplete(client, baseline, 'warm-base', WARMUP_RUNS);
      // Alternating rounds, so a change of load on the machine weighs on both alike.
      let ours = 0;
      let base = 0;
      for (let round = 0; round < ROUNDS; round++) {
        ours += await msToComplete(client, interpreter, `ours-${round}`, THROUGHPUT_RUNS / ROUNDS);
        base += await msToComplete(client, baseline, `base-${round}`, THROUGHPUT_RUNS / ROUNDS);
      }

      const startedAt = performance.now();
      await forEachConcurrently(WAITING_RUNS, STARTS_IN_FLIGHT, async (i) => {
        await startNewRun(client!, { ...waiting, account: accountOf(`waiting-${i}`), taskQueue: TASK_QUEUE });
      });
      const startMs = performance.now() - startedAt;
      // The worker's cache is sized from its memory: on a small machine it holds fewer than all.
      const cached = await whenCached(worker, Math.min(WAITING_RUNS, (await worker.status()).maxCachedRuns));
      const waitingMs = performance.now() - startedAt;

      const waitingRuns = WAITING_RUNS.toLocaleString('en-US');
      const rows: Row[] = [
        { label: `notify-and-wait, interpreter (${THROUGHPUT_RUNS} runs)`, figures: [perSecond(THROUGHPUT_RUNS, ours, 'runs')] },
        { label: `notify-and-wait, hand-written baseline (${THROUGHPUT_RUNS} runs)`, figures: [perSecond(THROUGHPUT_RUNS, base, 'runs')] },
        { label: 'ratio interpreter / baseline (target ≥ 0.80×)', figures: [ratio(base, ours)] },
        { label: `${waitingRuns} waiting runs: started (server)`, figures: [perSecond(WAITING_RUNS, startMs, 'runs'), seconds(startMs)] },
        {
          label: `${waitingRuns} waiting runs: waiting in the worker's cache`,
          figures: [perSecond(cached.cachedRuns, waitingMs, 'runs'), allAfter(cached.cachedRuns, WAITING_RUNS, waitingMs)],
        },
        {
          label: `${waitingRuns} waiting runs: worker memory`,
          figures: [
            `${Math.round(cached.rssBytes / MB)} MB RSS`,
            `${Math.round(cached.heapUsedBytes / MB)} MB heap`,
            `${cached.cachedRuns.toLocaleString('en-US')} of ${cached.maxCachedRuns.toLocaleString('en-US')} runs cached`,
          ],
        },
      ];
      return rows;
    } finally {
      await client?.connection.close();
      await worker?.stop();
      await server.stop();
    }
  },
};

/** Milliseconds to complete `count` runs with `IN_FLIGHT` of them under way at any time. */
async function msToComplete(client: Client, runOnce: RunOnce, prefix: string, count: number): Promise<number> {
  const started = performance.now();
  await forEachConcurrently(count, IN_FLIGHT, (i) => runOnce(client, `${prefix}-${i}`));
  return performance.now() - started;
}

function accountOf(id: string) {
  return { id, name: `Account ${id}`, csm: 'csm@example.com' };
}

/** The worker's status once at least `count` runs are in its cache, or as it is when that takes too long. */
async function whenCached(worker: BenchWorker, count: number) {
  const deadline = Date.now() + CACHE_FILL_TIMEOUT_MS;
  for (;;) {
    const status = await worker.status();
    if (status.cachedRuns >= count || Date.now() > deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
