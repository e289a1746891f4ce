/**
 * A person's task inbox. From the store when one is configured: one indexed query, paged.
 * Without one: the runs whose `OpenTaskAssignees` search attribute names them (visibility, so
 * a task shows a moment after it opened), then each run's status for its open tasks assigned
 * to them. Either way a task snoozed until later is left out until then.
 */
import type { Client } from '@temporalio/client';
import { UserError } from '../errors.js';
import type { Store } from '../store/connect.js';
import { inboxFromStore } from '../store/reads.js';
import { getStatus, listRuns } from '../temporal/client.js';
import { mapLimit } from '../util/map-limit.js';
import type { InboxTask } from './schemas/runs.js';

const INBOX_RUN_LIMIT = 500;
const STATUS_CONCURRENCY = 8;

export async function inboxOf(client: Client, assignee: string): Promise<InboxTask[]> {
  const runs = await listRuns(client, { assignee, openOnly: true, limit: INBOX_RUN_LIMIT });
  const perRun = await mapLimit(runs, STATUS_CONCURRENCY, async (run): Promise<InboxTask[]> => {
    let status;
    try {
      status = await getStatus(client, run.workflowId);
    } catch (e) {
      // The run ended between the listing and the query.
      if (e instanceof UserError && e.kind === 'notFound') return [];
      throw e;
    }
    return status.openTasks
      .filter((task) => task.assignee !== null && sameAddress(task.assignee, assignee) && !snoozed(task.snoozedUntil))
      .map((task) => ({
        workflowId: run.workflowId,
        playbook: status.playbook,
        accountId: status.accountId,
        stage: status.stage,
        task: task.name,
        title: task.title,
        assignee: task.assignee!,
        due: task.due,
        ...(task.playbook !== undefined && { childPlaybook: task.playbook }),
      }));
  });
  return perRun.flat();
}

export async function storedInbox(
  store: Store,
  assignee: string,
  page: { limit?: number; after?: string },
): Promise<{ tasks: InboxTask[]; next: string | null }> {
  const { items, next } = await inboxFromStore(store, assignee, page);
  const tasks = items.map((t) => ({
    workflowId: t.workflowId,
    playbook: t.playbook,
    accountId: t.accountId,
    stage: t.stage,
    task: t.task,
    title: t.title,
    assignee: t.assignee ?? assignee,
    due: t.due,
    ...(t.childPlaybook !== undefined && { childPlaybook: t.childPlaybook }),
  }));
  return { tasks, next };
}

/** A task snoozed until later is hidden from the inbox until then. */
function snoozed(until: string | undefined): boolean {
  return until !== undefined && Date.parse(until) > Date.now();
}

/** Email addresses compare without regard to case. */
function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
