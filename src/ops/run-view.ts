/**
 * One run as `playbook status` shows it: its status from the run itself (the `status` query),
 * how its workflow execution ended when it did not end on its own (cancelled, terminated),
 * and the calendar its times are read in.
 */
import type { Client } from '@temporalio/client';
import type { ResolvedCalendar } from '../calendar/index.js';
import { UserError } from '../errors.js';
import { getStatus } from '../temporal/client.js';
import type { RunStatus } from '../temporal/contract.js';
import { entryCalendar, fetchRunInput } from './run-input.js';

export interface RunView {
  workflowId: string;
  status: RunStatus;
  /** `cancelled`, `terminated`, `failed`, `timed out` when the execution ended by other means than the playbook; else null. */
  endedOtherwise: string | null;
  calendar: ResolvedCalendar;
}

/** A status query is answered by a worker; without one it would wait for good. */
const QUERY_TIMEOUT_MS = 10_000;
const DEADLINE_EXCEEDED = 4;

export async function viewRun(client: Client, workflowId: string): Promise<RunView> {
  const status = await queryStatus(client, workflowId);
  const [description, input] = await Promise.all([client.workflow.getHandle(workflowId).describe(), fetchRunInput(client, workflowId)]);
  const execution = description.status.name;
  const endedOtherwise = execution === 'RUNNING' || execution === 'COMPLETED' ? null : execution.toLowerCase().replace(/_/g, ' ');
  return { workflowId, status, endedOtherwise, calendar: entryCalendar(input) };
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

/** The run's state in words: `running`, `paused`, `stopped`, or how the execution was ended. */
export function stateOf(view: RunView): string {
  return view.endedOtherwise ?? view.status.status;
}
