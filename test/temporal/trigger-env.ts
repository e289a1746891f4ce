/**
 * The trigger tests' time-skipping set-up: a worker with the product's trigger activities (and
 * recorded sinks) and the reference workspace (or another) deployed, so account entities start real runs.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { prepareDeployment } from '../../src/deploy/prepare.js';
import { addSearchAttributes } from '../../src/servers/search-attributes.js';
import { createTestEnv } from '../../src/servers/test-env.js';
import type { Store } from '../../src/store/connect.js';
import { disabledPlaybooks } from '../../src/store/playbook-switches.js';
import { createTriggerActivities } from '../../src/temporal/activities/triggers.js';
import { bundlePlaybookWorkflows } from '../../src/temporal/bundle.js';
import { SEARCH_ATTRIBUTE_SCHEMA } from '../../src/temporal/contract.js';
import { registerDeployment } from '../../src/temporal/registry-client.js';
import { createWorker } from '../../src/temporal/worker.js';
import { loadWorkspace } from '../../src/workspace/load.js';
import { RecordingActivities } from './harness.js';

export interface TriggerEnv {
  env: TestWorkflowEnvironment;
  /** The worker first, then the server. */
  stop(): Promise<void>;
}

export interface TriggerEnvOptions {
  /** A migrated store whose playbook switches the trigger activities read, as a worker with a store does. */
  store?: Store;
  /** The workspace deployed; default the reference workspace `playbooks`. */
  workspace?: string;
}

export async function startTriggerEnv(taskQueue: string, { store, workspace = 'playbooks' }: TriggerEnvOptions = {}): Promise<TriggerEnv> {
  const [env, bundle] = await Promise.all([createTestEnv(), bundlePlaybookWorkflows()]);
  await addSearchAttributes(env.connection, env.namespace ?? 'default', SEARCH_ATTRIBUTE_SCHEMA);
  const worker = await createWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    activities: {
      ...new RecordingActivities().activities,
      ...createTriggerActivities({
        client: env.client,
        taskQueue,
        roles: {},
        ...(store !== undefined && { disabledPlaybooks: () => disabledPlaybooks(store) }),
      }),
    },
    workflowBundle: { code: bundle.code },
    maxCachedWorkflows: 20,
  });
  const running = worker.run();
  const stop = async () => {
    worker.shutdown();
    await running;
    await env.teardown();
  };
  const prepared = prepareDeployment(await loadWorkspace(workspace), 'test');
  if (!prepared.ok) {
    await stop();
    throw new Error(`${workspace} does not deploy`);
  }
  await registerDeployment(env.client, taskQueue, prepared.request);
  return { env, stop };
}
