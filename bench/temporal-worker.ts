/**
 * A benchmark worker in a process of its own, so its memory (RSS) is the worker's alone:
 * the product's worker with the benchmarks' workflow bundle and no-op activities (plus the
 * real `projectRun` when given a store), its workflow cache sized by the product's default
 * from the memory budget unless given. Started
 * by `startBenchWorker` with an IPC channel; it answers every `status` message with its memory
 * and the number of runs in its workflow cache.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { openStore } from '../src/store/connect.js';
import { createProjectionActivities } from '../src/temporal/activities/projection.js';
import { bundlePlaybookWorkflows } from '../src/temporal/bundle.js';
import { createWorker } from '../src/temporal/worker.js';
import { BENCH_WORKFLOWS, noopActivities, quietTemporalRuntime } from './temporal-setup.js';

export interface BenchWorkerStatus {
  rssBytes: number;
  /** The highest RSS since the process started. */
  maxRssBytes: number;
  heapUsedBytes: number;
  /** User and system CPU seconds since the process started. */
  cpuSeconds: number;
  cachedRuns: number;
  /** The cache's size. */
  maxCachedRuns: number;
  /** CPU time the process used so far (user and system), in milliseconds. */
  cpuMs: number;
}

export interface BenchWorkerOptions {
  address: string;
  taskQueue: string;
  /** A migrated store: the worker serves `projectRun` into it, for runs started with `projectToStore`. */
  storeUrl?: string;
  /** The worker's cache size; absent: the product's default from `memoryMb`. */
  maxCachedWorkflows?: number;
  /** The worker's memory budget (`worker.memoryMb`); absent: the product's default. */
  memoryMb?: number;
}

export interface BenchWorker {
  status(): Promise<BenchWorkerStatus>;
  /** Graceful shutdown; resolves once the process has exited. */
  stop(): Promise<void>;
}

type Message = { kind: 'ready' } | { kind: 'status'; status: BenchWorkerStatus } | { kind: 'failed'; error: string };

const ENTRY = fileURLToPath(import.meta.url);
const OPTIONS_ENV = 'BENCH_WORKER_OPTIONS';

export async function startBenchWorker(options: BenchWorkerOptions): Promise<BenchWorker> {
  const child = fork(ENTRY, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, [OPTIONS_ENV]: JSON.stringify(options) },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const next = () =>
    new Promise<Message>((resolve, reject) => {
      const onExit = () => reject(new Error('the benchmark worker exited'));
      child.once('exit', onExit);
      child.once('message', (message) => {
        child.off('exit', onExit);
        resolve(message as Message);
      });
    });
  const first = await next();
  if (first.kind !== 'ready') {
    child.kill('SIGKILL');
    throw new Error(`the benchmark worker did not start: ${first.kind === 'failed' ? first.error : first.kind}`);
  }
  return {
    async status() {
      const reply = next();
      child.send('status');
      const message = await reply;
      if (message.kind !== 'status') throw new Error(`unexpected message from the benchmark worker: ${message.kind}`);
      return message.status;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function runWorker(options: BenchWorkerOptions): Promise<void> {
  quietTemporalRuntime();
  let worker: Worker;
  const store = options.storeUrl === undefined ? null : openStore(options.storeUrl);
  try {
    worker = await createWorker({
      connection: await NativeConnection.connect({ address: options.address }),
      namespace: 'default',
      taskQueue: options.taskQueue,
      activities: { ...noopActivities, ...(store !== null && createProjectionActivities(store)) },
      workflowBundle: await bundlePlaybookWorkflows(BENCH_WORKFLOWS),
      maxCachedWorkflows: options.maxCachedWorkflows,
      memoryMb: options.memoryMb,
    });
  } catch (e) {
    process.send!({ kind: 'failed', error: (e as Error).message } satisfies Message);
    return;
  }
  process.on('message', () => {
    const { rss, heapUsed } = process.memoryUsage();
    const { user, system } = process.cpuUsage();
    const status: BenchWorkerStatus = {
      rssBytes: rss,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      heapUsedBytes: heapUsed,
      cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
      cachedRuns: worker.getStatus().numCachedWorkflows,
      maxCachedRuns: worker.options.maxCachedWorkflows,
      cpuMs: (user + system) / 1000,
    };
    process.send!({ kind: 'status', status } satisfies Message);
  });
  process.send!({ kind: 'ready' } satisfies Message);
  // The SDK shuts the worker down gracefully on SIGTERM; then the IPC channel must let go.
  await worker.run();
  await store?.destroy();
  process.disconnect();
}

if (process.env[OPTIONS_ENV] !== undefined && process.send !== undefined) {
  await runWorker(JSON.parse(process.env[OPTIONS_ENV]) as BenchWorkerOptions);
}
