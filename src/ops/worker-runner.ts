/**
 * A playbook worker inside this process, for `playbook worker`, `playbook dev` and the demo:
 * connect, bundle the workflow code, poll the configured task queue with the configured
 * activities until stopped (or until the SDK's own SIGINT / SIGTERM handling shuts it down).
 */
import { NativeConnection } from '@temporalio/worker';
import { temporalConnectionOptions } from '../config/temporal-connection.js';
import type { PlaybookConfig } from '../config/types.js';
import { createActivities } from '../temporal/activities/index.js';
import { bundlePlaybookWorkflows } from '../temporal/bundle.js';
import { createWorker } from '../temporal/worker.js';
import { unreachable } from './temporal-session.js';

export interface RunningWorker {
  /** Settles once the worker has stopped and its connection is closed. */
  readonly done: Promise<void>;
  /** Graceful shutdown: in-flight activities finish, then `done` settles. */
  stop(): Promise<void>;
}

export async function startWorker(config: PlaybookConfig): Promise<RunningWorker> {
  const bundle = await bundlePlaybookWorkflows();
  const options = temporalConnectionOptions(config.temporal);
  let connection: NativeConnection;
  try {
    connection = await NativeConnection.connect(options);
  } catch {
    throw unreachable(config.temporal.address);
  }
  try {
    const worker = await createWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      activities: createActivities(config),
      workflowBundle: { code: bundle.code },
    });
    const done = worker.run().finally(() => connection.close());
    return {
      done,
      async stop() {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await done;
      },
    };
  } catch (e) {
    await connection.close();
    throw e;
  }
}
