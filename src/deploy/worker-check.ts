/**
 * The registry answers only through a worker: without one polling its task queue a deploy
 * (an update) would wait forever. This turns that into an error the user can act on.
 */
import type { Client } from '@temporalio/client';
import { UserError } from '../errors.js';
import { pollUntil } from '../util/poll-until.js';

const POLL_MS = 100;

export async function requireWorker(client: Client, taskQueue: string): Promise<void> {
  // An unspecified task queue type is the workflow queue, which the registry runs on.
  const { pollers } = await client.workflowService.describeTaskQueue({ namespace: client.options.namespace, taskQueue: { name: taskQueue } });
  if (pollers.length === 0) {
    throw new UserError(`no worker polls task queue ${taskQueue}: start one with \`playbook worker\` (or \`playbook dev\`) first`, 'invalid');
  }
}

/** The server learns of a worker's pollers a moment after it starts: waits for them (a deploy before would be refused). */
export async function untilWorkerPolls(client: Client, taskQueue: string, timeoutMs = 30_000): Promise<void> {
  let missing: UserError | null = null;
  const polls = () =>
    requireWorker(client, taskQueue).then(
      () => true,
      (e: unknown) => {
        if (!(e instanceof UserError)) throw e;
        missing = e;
        return false;
      },
    );
  await pollUntil(polls, (polling) => polling, { timeoutMs, intervalMs: POLL_MS, failure: () => missing! });
}
