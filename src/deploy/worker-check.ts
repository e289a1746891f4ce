/**
 * The registry answers only through a worker: without one polling its task queue a deploy
 * (an update) would wait forever. This turns that into an error the user can act on.
 */
import type { Client } from '@temporalio/client';
import { UserError } from '../cli/errors.js';

export async function requireWorker(client: Client, taskQueue: string): Promise<void> {
  // An unspecified task queue type is the workflow queue, which the registry runs on.
  const { pollers } = await client.workflowService.describeTaskQueue({ namespace: client.options.namespace, taskQueue: { name: taskQueue } });
  if (pollers.length === 0) {
    throw new UserError(`no worker polls task queue ${taskQueue}: start one with \`playbook worker\` (or \`playbook dev\`) first`, 1);
  }
}
