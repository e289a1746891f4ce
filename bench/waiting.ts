/**
 * Many runs waiting days for an event, on the dev server, each worker in a process of its own
 * so its RSS is the worker's alone:
 *
 * - what a cached run costs: BENCH_WAITING_RUNS (default 2,000) runs of `wait-for-renewal`
 *   started on a worker whose cache holds them all; its RSS with a few runs cached and with all
 *   of them, the difference per run (the figure the default cache size is computed from, see
 *   `maxCachedWorkflowsFor`), and what that makes 10,000 cached runs;
 * - the same number of new runs on a worker with a memory budget of BENCH_WAITING_BUDGET_MB
 *   (default 1,024), its cache sized from it and smaller than the runs: its peak RSS once they
 *   have started and once the event has reached every one of them (an evicted run is replayed
 *   from its history), and how fast they resume.
 *
 * On 2 busy cores 2,000 runs take a few minutes.
 */
import type { Client } from '@temporalio/client';
import { compileFile } from '../src/compile/compile.js';
import { defaultConfig } from '../src/config/load.js';
import { startDevServer } from '../src/servers/dev-server.js';
import { connect, sendEvent, startNewRun } from '../src/temporal/client.js';
import { SEARCH_ATTRIBUTE_SCHEMA } from '../src/temporal/contract.js';
import { perSecond, seconds, type Row, type Suite } from './harness.js';
import { countFromEnv } from './product-runs.js';
import { benchPlaybook, forEachConcurrently, quietTemporalRuntime } from './temporal-setup.js';
import { startBenchWorker, type BenchWorker, type BenchWorkerStatus } from './temporal-worker.js';

const TASK_QUEUE = 'bench-waiting';
/** Runs cached before the first reading: the bundle and the SDK's lazily built parts are in by then. */
const FEW_RUNS = 50;
const IN_FLIGHT = 50;
/** How long the worker may take to have every run in its cache before the figures are taken anyway. */
const CACHE_FILL_TIMEOUT_MS = 10 * 60_000;
const MB = 1024 * 1024;

export const waitingRuns: Suite = {
  name: 'Waiting runs (dev server, one worker process at a time)',
  async run() {
    quietTemporalRuntime();
    const runs = countFromEnv('BENCH_WAITING_RUNS', 2000);
    const budgetMb = countFromEnv('BENCH_WAITING_BUDGET_MB', 1024);
    const waiting = await compileFile(benchPlaybook('wait-for-renewal'));
    const server = await startDevServer({ uiPort: false, searchAttributes: SEARCH_ATTRIBUTE_SCHEMA });
    let worker: BenchWorker | undefined;
    let client: Client | undefined;
    try {
      client = await connect({ ...defaultConfig().temporal, address: server.address, namespace: server.namespace, taskQueue: TASK_QUEUE });
      /** Starts runs for accounts `<prefix>-<from>` … `<prefix>-<to - 1>`; their workflow ids. */
      const start = async (prefix: string, from: number, to: number) => {
        const ids: string[] = [];
        await forEachConcurrently(to - from, IN_FLIGHT, async (i) => {
          ids[i] = (await startNewRun(client!, { ...waiting, account: accountOf(`${prefix}-${from + i}`), taskQueue: TASK_QUEUE })).workflowId;
        });
        return ids;
      };

      // Every run cached: the cost of one.
      worker = await startBenchWorker({ address: server.address, taskQueue: TASK_QUEUE, maxCachedWorkflows: runs + FEW_RUNS });
      await start('all', 0, FEW_RUNS);
      const few = await whenCached(worker, FEW_RUNS);
      await start('all', FEW_RUNS, runs);
      const all = await whenCached(worker, runs);
      await worker.stop();
      worker = undefined;
      const perRun = (all.rssBytes - few.rssBytes) / (all.cachedRuns - few.cachedRuns);
      const reserved = few.rssBytes - few.cachedRuns * perRun;

      // A cache sized from a budget, smaller than the runs.
      worker = await startBenchWorker({ address: server.address, taskQueue: TASK_QUEUE, memoryMb: budgetMb });
      const startedAt = performance.now();
      const ids = await start('budget', 0, runs);
      const started = await whenCached(worker, Math.min(runs, (await worker.status()).maxCachedRuns));
      const resumedAt = performance.now();
      await forEachConcurrently(runs, IN_FLIGHT, async (i) => {
        await sendEvent(client!, ids[i]!, { name: 'renewal.signed' });
        await client!.workflow.getHandle(ids[i]!).result();
      });
      const resumeMs = performance.now() - resumedAt;
      const resumed = await worker.status();

      const count = runs.toLocaleString('en-US');
      const mb = (bytes: number) => `${Math.round(bytes / MB).toLocaleString('en-US')} MB RSS`;
      const rows: Row[] = [
        { label: `${FEW_RUNS} runs cached`, figures: [mb(few.rssBytes), `${Math.round(few.heapUsedBytes / MB)} MB heap`] },
        { label: `${count} runs cached`, figures: [mb(all.rssBytes), `${Math.round(all.heapUsedBytes / MB)} MB heap`, `${all.cachedRuns} cached`] },
        { label: 'per cached run, and the worker without runs', figures: [`${(perRun / MB).toFixed(3)} MB RSS`, `${mb(reserved)} reserved`] },
        { label: '10,000 runs cached (from the figures above)', figures: [mb(reserved + 10_000 * perRun)] },
        {
          label: `${count} runs started, budget ${budgetMb.toLocaleString('en-US')} MB`,
          figures: [
            `peak ${mb(started.maxRssBytes)}`,
            `${started.cachedRuns.toLocaleString('en-US')} of ${started.maxCachedRuns.toLocaleString('en-US')} cached`,
            seconds(resumedAt - startedAt),
          ],
        },
        {
          label: `${count} runs resumed by their event, budget ${budgetMb.toLocaleString('en-US')} MB`,
          figures: [`peak ${mb(resumed.maxRssBytes)}`, perSecond(runs, resumeMs, 'runs'), seconds(resumeMs)],
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

function accountOf(id: string) {
  return { id, name: `Account ${id}`, csm: 'csm@example.com' };
}

/** The worker's status once at least `count` runs are in its cache, or as it is when that takes too long. */
async function whenCached(worker: BenchWorker, count: number): Promise<BenchWorkerStatus> {
  const deadline = Date.now() + CACHE_FILL_TIMEOUT_MS;
  for (;;) {
    const status = await worker.status();
    if (status.cachedRuns >= count || Date.now() > deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
