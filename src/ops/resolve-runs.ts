/**
 * Which runs a command means by `<account or workflow id> [--playbook id [--key value…]]`: a
 * workflow id (`playbook:<playbook>:<account>[:<key value>…]`) names one run; an account with
 * `--playbook` names the run of that playbook (with `--key`, the keyed run of those values);
 * an account alone means its runs, found through visibility.
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
  /** With `playbook`: the run key's values of a keyed playbook. */
  key?: string[];
  /** Only runs whose workflow is still open. */
  openOnly: boolean;
}

const WORKFLOW_ID_PREFIX = workflowIdOf('', '').split(':')[0] + ':';

/** How to name one run of several. */
export const CHOOSE = 'choose one with --playbook <id> (and --key <value> for a keyed run), or give its workflow id';

export function isWorkflowId(target: string): boolean {
  return target.startsWith(WORKFLOW_ID_PREFIX);
}

export async function findRuns(client: Client, target: string, query: RunQuery): Promise<RunRef[]> {
  if (isWorkflowId(target)) return [{ workflowId: target, accountId: null }];
  const key = query.key ?? [];
  if (key.length > 0 && (query.playbook === undefined || isWorkflowId(target)))
    throw new UserError('--key names a run with an account and --playbook <id>', 'usage');
  if (query.playbook !== undefined) return [{ workflowId: workflowIdOf(query.playbook, target, key), accountId: target }];
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
  throw new UserError(`account ${target} has ${runs.length} open runs (${runs.map((r) => r.workflowId).join(', ')}); ${CHOOSE}`, 'usage');
}
