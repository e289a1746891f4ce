/**
 * A playbook worker inside this process, for `playbook worker`, `playbook dev` and the demo:
 * connect, bundle the workflow code, poll the configured task queue with the configured
 * activities until stopped (or until the SDK's own SIGINT / SIGTERM handling shuts it down).
 */
import { NativeConnection } from '@temporalio/worker';
import { temporalConnectionOptions } from '../config/temporal-connection.js';
import type { PlaybookConfig } from '../config/types.js';
import { bundlePlaybookWorkflows } from '../temporal/bundle.js';
import { createWorker } from '../temporal/worker.js';
import { unreachable } from './temporal-session.js';
import { connectWorkerActivities, type WorkerActivityOptions } from './worker-activities.js';

export interface RunningWorker {
  /** Settles once the worker has stopped and its connection is closed. */
  readonly done: Promise<void>;
  /** Graceful shutdown: in-flight activities finish, then `done` settles. */
  stop(): Promise<void>;
}

export async function startWorker(config: PlaybookConfig, activityOptions: WorkerActivityOptions = {}): Promise<RunningWorker> {
  const bundle = await bundlePlaybookWorkflows();
  const options = temporalConnectionOptions(config.temporal);
  let connection: NativeConnection;
  try {
    connection = await NativeConnection.connect(options);
  } catch {
    throw unreachable(config.temporal.address);
  }
  const served = await connectWorkerActivities(config, activityOptions).catch(async (e: unknown) => {
    await connection.close();
    throw e;
  });
  const closeAll = () => Promise.all([connection.close(), served.close()]).then(() => undefined);
  try {
    const worker = await createWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      activities: served.activities,
      workflowBundle: { code: bundle.code },
      maxCachedWorkflows: config.worker.maxCachedWorkflows,
      memoryMb: config.worker.memoryMb,
    });
    const done = worker.run().finally(closeAll);
    return {
      done,
      async stop() {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await done;
      },
    };
  } catch (e) {
    await closeAll();
    throw e;
  }
}
