/**
 * The playbook worker: polls one task queue for the `playbook` workflow and its activities.
 */
import { totalmem } from 'node:os';
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
  /** Runs kept in the workflow cache; absent or null: sized from `memoryMb`, see `defaultMaxCachedWorkflows`. */
  maxCachedWorkflows?: number | null;
  /** The RSS the worker should stay under, in MB; absent or null: half of the process's memory, at most 2 GB. */
  memoryMb?: number | null;
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
    maxCachedWorkflows: options.maxCachedWorkflows ?? defaultMaxCachedWorkflows(options.memoryMb),
  });
}

/** Names a number of megabytes the worker process may use, when neither its cgroup nor the machine's RAM is the right figure. */
export const WORKER_MEMORY_ENV = 'PLAYBOOK_WORKER_MEMORY_MB';

const MB = 1024 * 1024;
/** The default budget: half of the process's memory (the Temporal server, other workers or a spike of activities need the rest), at most 2 GB. */
const BUDGET_SHARE = 0.5;
const MAX_DEFAULT_BUDGET = 2048 * MB;
/**
 * RSS of the worker besides its cache, measured by `BENCH_SUITES=waiting`: 434–444 MB with an
 * empty cache (Node, the SDK's core, the bundle), and up to 300 MB more while evicted runs
 * are replayed in a burst (histories fetched, garbage not yet collected).
 */
const RESERVED_MEMORY = 768 * MB;
/** RSS a cached run adds, most of it outside the V8 heap (0.03 MB is heap): measured 0.50–0.58 MB by `BENCH_SUITES=waiting`. */
const MEMORY_PER_RUN = 0.6 * MB;
/** Below this a worker replays runs from history more than it runs them. */
const MIN_CACHED = 100;

/**
 * How many runs the worker keeps cached within `budget` bytes of RSS. Thousands of playbooks
 * mostly sit waiting: an evicted run costs no memory and is replayed from its history on its
 * next timer or input, so the cache bounds memory and a cache miss costs only a replay. The
 * rule: the budget less the worker's own RSS, at the measured RSS of a cached run; at least 100.
 * The V8 heap does not bound it: a cached run holds ~0.03 MB of it.
 */
export function maxCachedWorkflowsFor(budget: number): number {
  return Math.max(MIN_CACHED, Math.floor((budget - RESERVED_MEMORY) / MEMORY_PER_RUN));
}

/** The RSS budget in bytes: `memoryMb` (the configuration's `worker.memoryMb`) when given, else half of this process's memory, at most 2 GB. */
export function workerMemoryBudget(memoryMb: number | null | undefined = null, env: NodeJS.ProcessEnv = process.env): number {
  return memoryMb !== null && memoryMb !== undefined ? memoryMb * MB : Math.min(MAX_DEFAULT_BUDGET, processMemory(env) * BUDGET_SHARE);
}

/** `maxCachedWorkflowsFor` the budget `workerMemoryBudget` gives. */
export function defaultMaxCachedWorkflows(memoryMb: number | null | undefined = null, env: NodeJS.ProcessEnv = process.env): number {
  return maxCachedWorkflowsFor(workerMemoryBudget(memoryMb, env));
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
