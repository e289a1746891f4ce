/**
 * The playbook worker: polls one task queue for the `playbook` workflow and its activities.
 */
import { getHeapStatistics } from 'node:v8';
import { Worker, type NativeConnection, type WorkflowBundleOption } from '@temporalio/worker';
import type { PlaybookActivities } from './activities/options.js';

export interface PlaybookWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: PlaybookActivities;
  /** A bundle from `bundlePlaybookWorkflows()`, or `{ codePath }` of one written to disk. */
  workflowBundle: WorkflowBundleOption;
  /** Default: sized from the heap, see `defaultMaxCachedWorkflows`. */
  maxCachedWorkflows?: number;
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

const MB = 1024 * 1024;
/** Heap kept for everything but the cache: activities, the SDK, bundling at start-up. */
const RESERVED_HEAP = 256 * MB;
/** What a cached run costs: the SDK's rule of thumb with a reused context, with room for long timelines. */
const PER_CACHED_RUN = 1 * MB;
const MIN_CACHED = 10;

/**
 * Thousands of playbooks mostly sit waiting, so the cache should hold as many as the heap
 * allows: evicted runs are replayed from history on their next timer or signal.
 */
export function defaultMaxCachedWorkflows(heapLimit: number = getHeapStatistics().heap_size_limit): number {
  return Math.max(MIN_CACHED, Math.floor((heapLimit - RESERVED_HEAP) / PER_CACHED_RUN));
}
