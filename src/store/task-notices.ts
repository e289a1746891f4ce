/**
 * The task-notice outbox's queries (schema.ts, `task_notices`): the notices due for an attempt,
 * and each attempt's outcome. A run's flush writes the rows (projection.ts); the worker's
 * dispatcher (src/ops/task-notice-dispatcher.ts) reads and settles them.
 */
import type { Store } from './connect.js';
import type { TaskNoticeRow } from './schema.js';

/** Pending notices whose next attempt is due at `now`, oldest first. */
export function dueTaskNotices(store: Store, now: Date, limit: number): Promise<TaskNoticeRow[]> {
  return store
    .selectFrom('task_notices')
    .selectAll()
    .where('state', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at')
    .limit(limit)
    .execute();
}

/** The notice went out (or had gone out before: the delivery ledger knew its key). */
export async function taskNoticeSent(store: Store, notice: Pick<TaskNoticeRow, 'run_id' | 'seq'>, at: Date): Promise<void> {
  await store
    .updateTable('task_notices')
    .set((eb) => ({ state: 'sent', sent_at: at, attempts: eb('attempts', '+', 1) }))
    .where('run_id', '=', notice.run_id)
    .where('seq', '=', notice.seq)
    .where('state', '=', 'pending')
    .execute();
}

/** An attempt failed: `retryAt` tries again, null gives up (`failed`: the owner was told). */
export async function taskNoticeFailed(store: Store, notice: Pick<TaskNoticeRow, 'run_id' | 'seq'>, error: string, retryAt: Date | null): Promise<void> {
  await store
    .updateTable('task_notices')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), error, ...(retryAt === null ? { state: 'failed' as const } : { next_attempt_at: retryAt }) }))
    .where('run_id', '=', notice.run_id)
    .where('seq', '=', notice.seq)
    .where('state', '=', 'pending')
    .execute();
}
