/**
 * Which runs a command means by `<account or workflow id> [--playbook id]`: a workflow id
 * (`playbook:<playbook>:<account>`) names one run; an account with `--playbook` names the
 * run of that playbook; an account alone means its runs, found through visibility.
 */
import type { Client } from '@temporalio/client';
import { UserError } from '../errors.js';
import { listRuns, workflowIdOf } from '../temporal/client.js';
import { currentRuns } from './run-table.js';

export interface RunRef {
  workflowId: string;
  /** Null when the command was given a workflow id. */
  accountId: string | null;
}

export interface RunQuery {
  playbook?: string;
  /** Only runs whose workflow is still open. */
  openOnly: boolean;
}

const WORKFLOW_ID_PREFIX = workflowIdOf('', '').split(':')[0] + ':';

export function isWorkflowId(target: string): boolean {
  return target.startsWith(WORKFLOW_ID_PREFIX);
}

export async function findRuns(client: Client, target: string, query: RunQuery): Promise<RunRef[]> {
  if (isWorkflowId(target)) return [{ workflowId: target, accountId: null }];
  if (query.playbook !== undefined) return [{ workflowId: workflowIdOf(query.playbook, target), accountId: target }];
  const summaries = await listRuns(client, { accountId: target, openOnly: query.openOnly });
  // One entry per workflow id: its newest execution is the one a query or signal reaches.
  const ids = [...new Set(currentRuns(summaries).map((s) => s.workflowId))];
  if (ids.length === 0) throw new UserError(`account ${target} has no ${query.openOnly ? 'open ' : ''}runs`, 'invalid');
  return ids.map((workflowId) => ({ workflowId, accountId: target }));
}

/** The one run meant; several are a usage error that lists them. */
export function onlyRun(runs: RunRef[], target: string): RunRef {
  const [first, ...others] = runs;
  if (first !== undefined && others.length === 0) return first;
  throw new UserError(`account ${target} has ${runs.length} open runs (${runs.map((r) => r.workflowId).join(', ')}); choose one with --playbook <id>`, 'usage');
}
