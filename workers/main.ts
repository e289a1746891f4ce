/**
 * The playbook worker process: connects to Temporal as configured (`playbook.config.json`,
 * `--config` or $PLAYBOOK_CONFIG), serves the `playbook` workflow and its activities on the
 * configured task queue, logs JSON lines with pino (a health line every `--health-every`
 * seconds), and shuts down gracefully on SIGTERM or SIGINT: it stops polling and lets the
 * tasks in hand finish.
 *
 *   npx tsx workers/main.ts [--config <file>] [--workflows <workflows.js>] [--health-every <seconds>]
 *
 * The workflow code is bundled at start-up from the compiled dist/temporal/workflows.js when
 * the project is built, else from the sources.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { NativeConnection } from '@temporalio/worker';
import { pino } from 'pino';
import { loadConfig } from '../src/config/load.js';
import { temporalConnectionOptions } from '../src/config/temporal-connection.js';
import { bundlePlaybookWorkflows, workflowsPath } from '../src/temporal/bundle.js';
import { connectWorkerActivities } from '../src/ops/worker-activities.js';
import { createWorker } from '../src/temporal/worker.js';

const COMPILED_WORKFLOWS = fileURLToPath(new URL('../dist/temporal/workflows.js', import.meta.url));
const DEFAULT_HEALTH_EVERY_S = 30;

const log = pino({ name: 'playbook-worker' });

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { config: { type: 'string' }, workflows: { type: 'string' }, 'health-every': { type: 'string' } },
  });
  const healthEvery = Number(values['health-every'] ?? DEFAULT_HEALTH_EVERY_S);
  if (!Number.isFinite(healthEvery) || healthEvery <= 0) throw new Error(`--health-every must be a positive number of seconds, got ${values['health-every']}`);

  const config = loadConfig(values.config === undefined ? {} : { path: values.config });
  const { address, namespace, taskQueue } = config.temporal;
  const entry = values.workflows ?? (existsSync(COMPILED_WORKFLOWS) ? COMPILED_WORKFLOWS : workflowsPath());
  log.info({ entry }, 'bundling workflow code');
  const bundle = await bundlePlaybookWorkflows(entry);
  const connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal));
  const served = await connectWorkerActivities(config);
  const worker = await createWorker({
    connection,
    namespace,
    taskQueue,
    activities: served.activities,
    workflowBundle: { code: bundle.code },
    maxCachedWorkflows: config.worker.maxCachedWorkflows,
    memoryMb: config.worker.memoryMb,
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      log.info({ signal }, 'shutting down: no new tasks, finishing the ones in hand');
      worker.shutdown();
    });
  }
  const health = setInterval(() => {
    const status = worker.getStatus();
    log.info(
      {
        health: status.runState,
        cachedWorkflows: status.numCachedWorkflows,
        activeActivations: status.numInFlightWorkflowActivations,
        activeActivities: status.numInFlightActivities,
      },
      'health',
    );
  }, healthEvery * 1000);
  const { maxCachedWorkflows } = worker.options;
  log.info({ address, namespace, taskQueue, maxCachedWorkflows, config: config.source ?? 'development defaults' }, 'worker started');
  try {
    await worker.run();
  } finally {
    clearInterval(health);
    await Promise.all([connection.close(), served.close()]);
  }
  log.info('worker stopped');
}

main().catch((error: unknown) => {
  log.fatal({ err: error }, error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
