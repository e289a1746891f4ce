/**
 * Durable-runtime throughput on the dev server (SQLite in memory), or on the running server
 * PLAYBOOK_TEST_TEMPORAL_ADDRESS names (`npm run cluster:test`), one worker process:
 *
 * - completed runs per second of a short playbook (three notifications, a wait for an event
 *   that the benchmark sends right after the start, a last notification), the product's
 *   interpreter workflow against a hand-written baseline of the same playbook, same server
 *   and worker, a fixed number of runs in flight (target: at least 0.8×);
 * - the interpreter's runs with two worker processes on the task queue against one, same
 *   server, same number in flight (target: at least 1.6×), and where the CPU goes in each:
 *   the server's, the workers' and this process's (the client) CPU seconds per 1,000 runs.
 *
 * Runs that wait (their memory, the cache) are the `waiting` suite's.
 */
import type { Client } from '@temporalio/client';
import { compileFile } from '../src/compile/compile.js';
import { serverUnderTestLabel, startServerUnderTest } from '../src/servers/server-under-test.js';
import { connect, sendEvent, startNewRun } from '../src/temporal/client.js';
import { eventSignal, SEARCH_ATTRIBUTE_SCHEMA } from '../src/temporal/contract.js';
import { defaultConfig } from '../src/config/load.js';
import type { NotifyAndWaitInput } from './baseline/notify-and-wait-workflow.js';
import { ownCpuSeconds, perSecond, serverCpuSeconds, type Row, type Suite } from './harness.js';
import { benchPlaybook, forEachConcurrently, quietTemporalRuntime, ratio } from './temporal-setup.js';
import { startBenchWorker, type BenchWorker } from './temporal-worker.js';

const TASK_QUEUE = 'bench-throughput';
const THROUGHPUT_RUNS = 500;
const ROUNDS = 4;
const WARMUP_RUNS = 50;
const IN_FLIGHT = 50;
/** Runs in flight for the one-worker and two-worker rounds: enough to keep two workers busy. */
const WORKERS_IN_FLIGHT = 100;

/** Starts one run of a kind, sends it its event and resolves when it has completed. */
type RunOnce = (client: Client, id: string) => Promise<void>;

export const temporalThroughput: Suite = {
  name: `Temporal throughput (${serverUnderTestLabel()}, workers in processes of their own, ${IN_FLIGHT} runs in flight unless said)`,
  async run() {
    quietTemporalRuntime();
    const short = await compileFile(benchPlaybook('notify-and-wait'));
    const server = await startServerUnderTest({ uiPort: false, searchAttributes: SEARCH_ATTRIBUTE_SCHEMA });
    let worker: BenchWorker | undefined;
    let second: BenchWorker | undefined;
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

      const workers = [worker];
      const round = async (label: string): Promise<Round> => {
        const before = await cpuSeconds(workers);
        const elapsed = await msToComplete(client!, interpreter, label, THROUGHPUT_RUNS, WORKERS_IN_FLIGHT);
        const after = await cpuSeconds(workers);
        return { ms: elapsed, server: after.server - before.server, workers: after.workers - before.workers, client: after.client - before.client };
      };
      const one = await round('one-worker');
      second = await startBenchWorker({ address: server.address, taskQueue: TASK_QUEUE });
      workers.push(second);
      await msToComplete(client, interpreter, 'warm-two', WARMUP_RUNS, WORKERS_IN_FLIGHT);
      const two = await round('two-workers');

      const rows: Row[] = [
        { label: `notify-and-wait, interpreter (${THROUGHPUT_RUNS} runs)`, figures: [perSecond(THROUGHPUT_RUNS, ours, 'runs')] },
        { label: `notify-and-wait, hand-written baseline (${THROUGHPUT_RUNS} runs)`, figures: [perSecond(THROUGHPUT_RUNS, base, 'runs')] },
        { label: 'ratio interpreter / baseline (target ≥ 0.80×)', figures: [ratio(base, ours)] },
        ...[
          { name: 'one worker process', r: one },
          { name: 'two worker processes', r: two },
        ].map(({ name, r }) => ({
          label: `notify-and-wait, interpreter, ${name} (${THROUGHPUT_RUNS} runs, ${WORKERS_IN_FLIGHT} in flight)`,
          figures: [perSecond(THROUGHPUT_RUNS, r.ms, 'runs'), ...cpuPerThousand(r)],
        })),
        { label: 'ratio two worker processes / one (target ≥ 1.60×)', figures: [ratio(one.ms, two.ms)] },
      ];
      return rows;
    } finally {
      await client?.connection.close();
      await Promise.all([worker?.stop(), second?.stop()]);
      await server.stop();
    }
  },
};

/** Milliseconds to complete `count` runs with `inFlight` of them under way at any time. */
async function msToComplete(client: Client, runOnce: RunOnce, prefix: string, count: number, inFlight = IN_FLIGHT): Promise<number> {
  const started = performance.now();
  await forEachConcurrently(count, inFlight, (i) => runOnce(client, `${prefix}-${i}`));
  return performance.now() - started;
}

function accountOf(id: string) {
  return { id, name: `Account ${id}`, csm: 'csm@example.com' };
}

/** A round of runs: its wall time, and the CPU seconds the server, the workers and this process spent in it. */
interface Round {
  ms: number;
  server: number;
  workers: number;
  client: number;
}

/** CPU seconds so far of the server, of the workers together, and of this process. */
async function cpuSeconds(workers: BenchWorker[]): Promise<{ server: number; workers: number; client: number }> {
  const statuses = await Promise.all(workers.map((w) => w.status()));
  return { server: serverCpuSeconds(), workers: statuses.reduce((sum, s) => sum + s.cpuSeconds, 0), client: ownCpuSeconds() };
}

function cpuPerThousand(r: Round): string[] {
  const per = (cpu: number) => `${((cpu / THROUGHPUT_RUNS) * 1000).toFixed(1)}`;
  return [`CPU s / 1,000 runs: server ${per(r.server)}`, `workers ${per(r.workers)}`, `client ${per(r.client)}`];
}
