/**
 * After a deploy that changed something, or a playbook's switch (`playbook disable` /
 * `enable`), every running account entity is told to re-read the deployed triggers
 * (`triggersChanged`). Preferably one server-side batch operation over the visibility query; when the server refuses batch operations (not enabled, too many
 * running, no permission) the entities are listed and signalled one by one. Best effort:
 * the entities also re-read the triggers daily, so a failure is reported, never thrown.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, isGrpcServiceError, type Client } from '@temporalio/client';
import { encodeToPayloads } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { ACCOUNT_WORKFLOW_TYPE, triggersChangedSignal, type TriggersChangedSignal } from '../temporal/account-contract.js';

export type Notified = { via: 'batch'; jobId: string } | { via: 'signals'; count: number } | { via: 'none'; problem: string };

export const RUNNING_ACCOUNTS_QUERY = `WorkflowType = '${ACCOUNT_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'`;

// gRPC status codes with which a server turns down a batch operation it will not run.
const BATCH_REFUSED = new Set([
  3, // INVALID_ARGUMENT: e.g. batch operations disabled in the namespace
  4, // DEADLINE_EXCEEDED: still busy after BATCH_START_TIMEOUT_MS
  7, // PERMISSION_DENIED
  8, // RESOURCE_EXHAUSTED: the namespace's concurrent batch operations are all in use
  9, // FAILED_PRECONDITION
  12, // UNIMPLEMENTED
]);

/**
 * How long a batch operation may take to start. A server whose batch slots are all in use
 * answers RESOURCE_EXHAUSTED, which the client retries for many seconds; signalling one by
 * one is quicker then. Should the batch start after all, entities hear twice: harmless,
 * they only re-read the triggers.
 */
const BATCH_START_TIMEOUT_MS = 1_000;

/** `switched`: a playbook's switch changed (`playbook disable` / `enable`), not the deployment. */
export async function notifyAccounts(client: Client, generation: number, { switched = false } = {}): Promise<Notified> {
  const signal: TriggersChangedSignal = { generation, ...(switched && { switched }) };
  try {
    try {
      return { via: 'batch', jobId: await startBatchSignal(client, signal) };
    } catch (e) {
      if (!(isGrpcServiceError(e) && BATCH_REFUSED.has(e.code))) throw e;
      return { via: 'signals', count: await signalRunningAccounts(client, signal) };
    }
  } catch (e) {
    return { via: 'none', problem: (e as Error).message };
  }
}

async function startBatchSignal(client: Client, signal: TriggersChangedSignal): Promise<string> {
  const jobId = `triggers-changed-${signal.generation}-${randomUUID()}`;
  const request = {
    namespace: client.options.namespace,
    jobId,
    reason: signal.switched ? 'a playbook was disabled or enabled' : `deploy generation ${signal.generation} changed the playbooks`,
    visibilityQuery: RUNNING_ACCOUNTS_QUERY,
    signalOperation: {
      signal: triggersChangedSignal.name,
      input: { payloads: await encodeToPayloads(client.options.loadedDataConverter, signal) },
      identity: client.options.identity,
    },
  };
  await client.withDeadline(Date.now() + BATCH_START_TIMEOUT_MS, () => client.workflowService.startBatchOperation(request));
  return jobId;
}

/** The fallback: lists the running entities and signals each; returns how many got it (one that ended since it was listed is skipped). */
export async function signalRunningAccounts(client: Client, signal: TriggersChangedSignal): Promise<number> {
  let count = 0;
  for await (const info of client.workflow.list({ query: RUNNING_ACCOUNTS_QUERY })) {
    try {
      await client.workflow.getHandle(info.workflowId).signal(triggersChangedSignal, signal);
      count++;
    } catch (e) {
      if (!(e instanceof WorkflowNotFoundError)) throw e;
    }
  }
  return count;
}
