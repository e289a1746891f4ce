/**
 * One run as `playbook status` shows it: its status (the run's `status` query, with how its
 * workflow execution ended when it did not end on its own) and the calendar its times are
 * read in.
 */
import type { Client } from '@temporalio/client';
import { defaultCalendar, type ResolvedCalendar } from '../calendar/index.js';
import { UserError } from '../errors.js';
import type { Store } from '../store/connect.js';
import { getStoredRun, storedTimeline } from '../store/reads.js';
import { getStatus } from '../temporal/client.js';
import type { RunStatus } from '../temporal/contract.js';
import { entryCalendar, fetchRunInput } from './run-input.js';
import { statusOfStoredRun } from './stored-runs.js';

export interface RunView {
  workflowId: string;
  status: RunStatus;
  calendar: ResolvedCalendar;
}

/** A status query is answered by a worker; without one it would wait for good. */
const QUERY_TIMEOUT_MS = 10_000;
const DEADLINE_EXCEEDED = 4;

/**
 * The run as its query reports it; with a store, a run whose workflow no longer exists
 * (Temporal's retention deleted it) as the store recorded it, its times read in UTC.
 */
export async function viewRun(client: Client, workflowId: string, store: Store | null = null): Promise<RunView> {
  try {
    const status = await queryStatus(client, workflowId);
    return { workflowId, status, calendar: entryCalendar(await fetchRunInput(client, workflowId)) };
  } catch (e) {
    if (store === null) throw e;
    return { workflowId, status: await storedStatusAfter(e, store, workflowId), calendar: defaultCalendar };
  }
}

/** The run's status query, with a deadline that names the likely cause: no worker running. */
export async function queryStatus(client: Client, workflowId: string): Promise<RunStatus> {
  try {
    return await client.connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => getStatus(client, workflowId));
  } catch (e) {
    if ((e as { code?: unknown }).code === DEADLINE_EXCEEDED || (e as { cause?: { code?: unknown } }).cause?.code === DEADLINE_EXCEEDED) {
      throw new UserError(
        `no worker answered for ${workflowId} within ${QUERY_TIMEOUT_MS / 1000} s; is a worker running (\`playbook dev\` or \`playbook worker\`)?`,
        'invalid',
      );
    }
    throw e;
  }
}

/**
 * The run's status from its query while its workflow exists; once Temporal's retention has
 * deleted it, the store's record (final status and timeline). Not found in either: the
 * query's not-found `UserError`.
 */
export async function statusLiveOrStored(client: Client, store: Store, workflowId: string): Promise<RunStatus> {
  try {
    return await getStatus(client, workflowId);
  } catch (e) {
    return storedStatusAfter(e, store, workflowId);
  }
}

/** The stored status when `error` says the workflow does not exist and the store has the run; else rethrows `error`. */
async function storedStatusAfter(error: unknown, store: Store, workflowId: string): Promise<RunStatus> {
  if (!(error instanceof UserError && error.kind === 'notFound')) throw error;
  const run = await getStoredRun(store, workflowId);
  if (run === null) throw error;
  return statusOfStoredRun(run, await storedTimeline(store, run.runId));
}

/** The run's state in words: `running`, `paused`, `stopped`, or how the execution was ended (`timed out`). */
export function stateOf(view: RunView): string {
  return view.status.status === 'timedOut' ? 'timed out' : view.status.status;
}
