/**
 * The task-notice dispatcher: part of every worker process with a store, not of any workflow.
 * Every `intervalMs` it takes the outbox's due notices (src/store/task-notices.ts) and sends
 * each one by the `noticeTask` activity's code (email or chat per the recipient's route, with
 * the link to the task in the console), through the shared delivery ledger, so a notice that
 * several dispatchers pick up at once, or one sent just before its row was marked, goes out
 * once. A failed attempt is tried again with backoff (10 s doubling to 10 minutes) until the
 * notify sink's retry window has passed or the failure is permanent; then the playbook's owner
 * and CS Ops are told (as for any delivery) and the row is marked `failed`. A store that cannot
 * be reached is tried again at the next tick.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Store } from '../store/connect.js';
import type { TaskNoticeRow } from '../store/schema.js';
import { dueTaskNotices, taskNoticeFailed, taskNoticeSent } from '../store/task-notices.js';
import type { PlaybookActivities, TaskNoticeInput } from '../temporal/activities/options.js';

export interface TaskNoticeDispatcherOptions {
  store: Store;
  noticeTask: PlaybookActivities['noticeTask'];
  /** Between ticks (default 1 s): a new task's notice goes out within about this long of its flush. */
  intervalMs?: number;
  /** Notices per tick (default 50), sent one after another. */
  batch?: number;
  now?: () => number;
  /** Where a tick that could not reach the store is told (default: nowhere; the next tick tries again). */
  log?: (message: string) => void;
}

export interface TaskNoticeDispatcher {
  /** One tick now (tests), resolving once it ended. */
  tick(): Promise<void>;
  /** Stops ticking and waits for the tick under way. */
  stop(): Promise<void>;
}

const FIRST_RETRY_MS = 10_000;
const MAX_RETRY_MS = 10 * 60_000;

export function startTaskNoticeDispatcher(options: TaskNoticeDispatcherOptions): TaskNoticeDispatcher {
  const { store, noticeTask } = options;
  const now = options.now ?? Date.now;
  const batch = options.batch ?? 50;
  let running: Promise<void> | null = null;
  let stopped = false;

  async function send(row: TaskNoticeRow): Promise<void> {
    try {
      await noticeTask(noticeInput(row));
      await taskNoticeSent(store, row, new Date(now()));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      // `noticeTask` fails non-retryably once it gave up and told the owner (delivery-alerts.ts).
      const final = e instanceof ApplicationFailure && e.nonRetryable;
      const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** row.attempts);
      await taskNoticeFailed(store, row, message, final ? null : new Date(now() + delay));
    }
  }

  async function tickOnce(): Promise<void> {
    try {
      for (const row of await dueTaskNotices(store, new Date(now()), batch)) {
        if (stopped) return;
        await send(row);
      }
    } catch (e) {
      options.log?.(`task notices: ${e instanceof Error ? e.message : String(e)} (trying again)`);
    }
  }

  const tick = (): Promise<void> => {
    running ??= tickOnce().finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => void tick(), options.intervalMs ?? 1_000);
  timer.unref();
  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

/** The `noticeTask` input of an outbox row; its key is the entry's seq, its retry window starts when it was queued. */
export function noticeInput(row: TaskNoticeRow): TaskNoticeInput {
  return {
    workflowId: row.workflow_id,
    runId: row.run_id,
    accountId: row.account_id,
    runPlaybook: row.run_playbook,
    playbook: row.playbook_id,
    task: row.task,
    title: row.title,
    assignee: row.assignee,
    due: row.due_at === null ? null : row.due_at.toISOString(),
    key: `seq:${row.seq}`,
    reassigned: row.reassigned,
    owner: row.owner,
    since: row.created_at.getTime(),
  };
}
