/**
 * The playbook worker: polls one task queue for the `playbook` workflow and its activities.
 */
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { Worker, type NativeConnection, type WorkflowBundleOption } from '@temporalio/worker';
import { UserError } from '../errors.js';
import type { PlaybookActivities } from './activities/options.js';

export interface PlaybookWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: PlaybookActivities;
  /** A bundle from `bundlePlaybookWorkflows()`, or `{ codePath }` of one written to disk. */
  workflowBundle: WorkflowBundleOption;
  /** Runs kept in the workflow cache; absent or null: sized from memory, see `defaultMaxCachedWorkflows`. */
  maxCachedWorkflows?: number | null;
}

export function createWorker(options: PlaybookWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    workflowBundle: options.workflowBundle,
    // One V8 context for all cached runs: far less memory per run than a context each.
    reuseV8Context: true,
    maxCachedWorkflows: options.maxCachedWorkflows ?? defaultMaxCachedWorkflows(),
  });
}

/** Names a number of megabytes the worker process may use, when neither its cgroup nor the machine's RAM is the right figure. */
export const WORKER_MEMORY_ENV = 'PLAYBOOK_WORKER_MEMORY_MB';

const MB = 1024 * 1024;
/** The share of the process's memory the cache may fill: the Temporal server, other workers or a spike of activities need the rest. */
const CACHE_SHARE = 0.5;
/** Memory a worker uses besides its cache (Node, the SDK's core, the bundle): measured ~500 MB RSS. */
const RESERVED_MEMORY = 512 * MB;
/** What a cached run costs the process: measured 0.55 MB RSS (10,000 cached: 6.0 GB), most of it outside the V8 heap; room for long timelines. */
const MEMORY_PER_RUN = 1 * MB;
/** Heap kept for everything but the cache: activities, the SDK, bundling at start-up. */
const RESERVED_HEAP = 256 * MB;
/** What a cached run holds in the V8 heap (its state and timeline in the shared context): measured 0.03 MB, room for long timelines. */
const HEAP_PER_RUN = MB / 4;
/** Below this a worker replays runs from history more than it runs them. */
const MIN_CACHED = 100;

export interface WorkerMemory {
  /** Bytes the process may use. */
  memory: number;
  /** V8's heap limit in bytes. */
  heapLimit: number;
}

/**
 * How many runs the worker keeps cached. Thousands of playbooks mostly sit waiting, so the
 * cache should hold as many as memory allows (an evicted run is replayed from history on its
 * next timer or input), but a cache larger than memory gets the process killed, leaving runs
 * without a worker. The rule: half the process's memory less 512 MB, at 1 MB a run, and no
 * more than the V8 heap holds above 256 MB at 0.25 MB a run; at least 100.
 */
export function maxCachedWorkflowsFor({ memory, heapLimit }: WorkerMemory): number {
  const byMemory = (memory * CACHE_SHARE - RESERVED_MEMORY) / MEMORY_PER_RUN;
  const byHeap = (heapLimit - RESERVED_HEAP) / HEAP_PER_RUN;
  return Math.max(MIN_CACHED, Math.floor(Math.min(byMemory, byHeap)));
}

/** `maxCachedWorkflowsFor` this process's memory. */
export function defaultMaxCachedWorkflows(env: NodeJS.ProcessEnv = process.env): number {
  return maxCachedWorkflowsFor({ memory: processMemory(env), heapLimit: getHeapStatistics().heap_size_limit });
}

/**
 * The memory this process may use: $PLAYBOOK_WORKER_MEMORY_MB when set, else its cgroup's
 * limit (a container's memory limit) when there is one, else the machine's RAM.
 */
export function processMemory(env: NodeJS.ProcessEnv = process.env): number {
  const configured = env[WORKER_MEMORY_ENV];
  if (configured !== undefined) {
    const mb = Number(configured);
    if (!Number.isInteger(mb) || mb <= 0) throw new UserError(`${WORKER_MEMORY_ENV} must be a whole number of megabytes, got "${configured}"`, 'usage');
    return mb * MB;
  }
  // Without a limit, Node reports none or a huge number.
  const constrained = process.constrainedMemory?.() ?? 0;
  return constrained > 0 ? Math.min(constrained, totalmem()) : totalmem();
}
