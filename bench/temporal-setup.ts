/**
 * What the Temporal benchmarks share: the bundle entry with the product's workflow and the
 * hand-written baselines, a worker of them on the time-skipping server, activities that do nothing (the benchmarks measure workflows, not
 * SMTP), the benchmark playbooks, and running calls with bounded concurrency.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IllegalStateError } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, makeTelemetryFilterString, Runtime, type Worker } from '@temporalio/worker';
import { addSearchAttributes } from '../src/servers/search-attributes.js';
import type { PlaybookActivities } from '../src/temporal/activities/options.js';
import { bundlePlaybookWorkflows } from '../src/temporal/bundle.js';
import { SEARCH_ATTRIBUTE_SCHEMA } from '../src/temporal/contract.js';
import { createWorker } from '../src/temporal/worker.js';
import { mapLimit } from '../src/util/map-limit.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Bundle entry: `playbook`, `onboardingEnterprise`, `notifyAndWait`. */
export const BENCH_WORKFLOWS = path.join(HERE, 'baseline', 'workflows.ts');

export const REFERENCE_ONBOARDING = path.join(HERE, '..', 'playbooks', 'onboarding-enterprise.playbook');

/** A playbook of `bench/baseline/playbooks`. */
export function benchPlaybook(name: string): string {
  return path.join(HERE, 'baseline', 'playbooks', `${name}.playbook`);
}

/**
 * Keeps the SDK's per-state INFO lines out of the benchmark's tables. The runtime is
 * process-wide and can be installed once; an earlier suite may have installed it already.
 */
export function quietTemporalRuntime(): void {
  try {
    Runtime.install({
      logger: new DefaultLogger('WARN'),
      telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } },
    });
  } catch (e) {
    if (!(e instanceof IllegalStateError)) throw e;
  }
}

/** A worker of the bench bundle on `env`'s default namespace, the playbook search attributes registered. */
export async function benchWorker(env: TestWorkflowEnvironment, taskQueue: string, activities: PlaybookActivities): Promise<Worker> {
  await addSearchAttributes(env.connection, 'default', SEARCH_ATTRIBUTE_SCHEMA);
  return createWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    activities,
    workflowBundle: await bundlePlaybookWorkflows(BENCH_WORKFLOWS),
  });
}

const done = async () => ({ ok: true as const });

export const noopActivities: PlaybookActivities = {
  sendEmail: done,
  decideContact: done,
  sendNotification: done,
  createTask: done,
  recordEscalation: done,
  callWebhook: done,
  setAccountField: done,
  closeTask: done,
  noticeTask: done,
};

/** Calls `fn` for 0 … count-1 with at most `concurrency` calls under way. */
export async function forEachConcurrently(count: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  await mapLimit(
    Array.from({ length: count }, (_, i) => i),
    concurrency,
    fn,
  );
}

export function ratio(ours: number, baseline: number): string {
  return `${(ours / baseline).toFixed(2)}×`;
}
