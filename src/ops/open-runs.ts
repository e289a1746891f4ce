/**
 * The open runs an input is meant for, with their current status, so `event` and `complete`
 * can send it to the runs that wait for it and explain when none does.
 */
import type { Client } from '@temporalio/client';
import type { RunStatus } from '../temporal/contract.js';
import { findRuns, isWorkflowId } from './resolve-runs.js';
import { queryStatus } from './run-view.js';

export interface OpenRun {
  workflowId: string;
  status: RunStatus;
}

export interface OpenRuns {
  runs: OpenRun[];
  /** The user named one run (a workflow id, or `--playbook`): it gets the input whatever it waits for. */
  named: boolean;
}

export async function openRunsOf(client: Client, target: string, playbook: string | undefined, key: string[] = []): Promise<OpenRuns> {
  const refs = await findRuns(client, target, { playbook, key, openOnly: true });
  const runs = await Promise.all(refs.map(async ({ workflowId }) => ({ workflowId, status: await queryStatus(client, workflowId) })));
  return { runs, named: isWorkflowId(target) || playbook !== undefined };
}

/** Whether the run is blocked on that event right now. */
export function waitsNowFor(run: OpenRun, event: string): boolean {
  return run.status.pendingWaits.some((w) => w.for === `event ${JSON.stringify(event)}`);
}
