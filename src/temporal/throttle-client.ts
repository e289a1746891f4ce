/**
 * Client-side helpers for the enrollment throttle's gates (`throttle:<playbookId>`): the ask
 * the account entities' activity makes, and the queue as the CLI, the API and the console read
 * it. A playbook whose gate never started (no firing reached it) has an empty queue.
 */
import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { UserError } from '../errors.js';
import { getDeployed } from './registry-client.js';
import {
  THROTTLE_WORKFLOW_TYPE,
  admitUpdate,
  throttleViewQuery,
  throttleWorkflowId,
  type Admission,
  type AdmitRequest,
  type ThrottleView,
} from './throttle-contract.js';
import type { enrollmentThrottle } from './throttle-workflow.js';

/**
 * Asks the gate of `playbook`, starting it when it is not running. The update's id is the
 * ticket, so a retried ask is answered, not counted, again (and the gate remembers its tickets
 * across continue-as-new).
 */
export async function admitToThrottle(client: Client, taskQueue: string, playbook: string, request: AdmitRequest): Promise<Admission> {
  const start = new WithStartWorkflowOperation<typeof enrollmentThrottle>(THROTTLE_WORKFLOW_TYPE, {
    workflowId: throttleWorkflowId(playbook),
    taskQueue,
    args: [{ playbook }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return client.workflow.executeUpdateWithStart(admitUpdate, { args: [request], startWorkflowOperation: start, updateId: `admit:${request.ticket}` });
}

/** The queue of `playbook`'s throttle, in order; an empty one when its gate never started. */
export async function getThrottleView(client: Client, playbook: string): Promise<ThrottleView> {
  try {
    return await client.workflow.getHandle<typeof enrollmentThrottle>(throttleWorkflowId(playbook)).query(throttleViewQuery);
  } catch (e) {
    if (e instanceof WorkflowNotFoundError) return { playbook, perDay: null, timezone: null, day: null, startedToday: 0, nextRelease: null, queue: [] };
    throw e;
  }
}

/** The queue of a deployed playbook with `start at most N per day`; a `UserError` (not found) for any other. */
export async function throttleQueue(client: Client, playbook: string): Promise<ThrottleView> {
  const deployed = (await getDeployed(client)).playbooks.find((p) => p.id === playbook);
  if (deployed === undefined) throw new UserError(`playbook ${playbook} is not deployed`, 'notFound');
  if (deployed.throttle === undefined) throw new UserError(`playbook ${playbook} has no \`start at most N per day\`: nothing is queued`, 'notFound');
  return getThrottleView(client, playbook);
}
