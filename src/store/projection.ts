/**
 * How a run's entries reach the store: one flush, in one transaction, writes the run's row,
 * its new timeline entries and the tasks they open, complete or close. Idempotent by natural
 * keys, so the same flush twice, a retried activity, a replayed history or flushes that
 * overlap leave exactly one row per entry:
 * - the run row is upserted; `entries` never moves backwards, and a flush that knows fewer
 *   entries than the row does (an older one arriving late) does not overwrite its status;
 * - timeline entries are inserted `on conflict (run_id, seq) do nothing`;
 * - a `task` entry opens the task keyed by its own seq; a `task-completed`, `task-reassigned`,
 *   `task-snoozed` or `task-closed` entry changes the newest task of that name before it if
 *   that one is still open (a task is completed or closed at most once, so a repeat finds it
 *   so and changes nothing; a repeated reassignment or snooze writes the same values again);
 * - an `escalate` entry is also an escalation row, keyed like its entry;
 * - a `task` or `task-reassigned` entry named in `notices` is also a row of the task-notice
 *   outbox, keyed like its entry, which the worker's dispatcher sends (task-notices.ts);
 * - a `cancel` entry records on the run who cancelled it;
 * - when the run ended, its tasks still open are closed with the reason it ended (by whoever
 *   cancelled it, else by `run`).
 */
import type { AskIr } from '../ir/types.js';
import type { TimelineEntry } from '../runtime/timeline.js';
import type { Updateable } from 'kysely';
import type { Store } from './connect.js';
import type { TasksTable } from './schema.js';

/** What a run sends to the store at one flush (the `projectRun` activity's input). */
export interface RunFlush {
  workflowId: string;
  /** The run's first execution's run id: the run's key (a workflow id is reused by a later run). */
  runId: string;
  run: {
    playbook: string;
    version: string;
    accountId: string;
    /** `RunStatusName`, or `cancelled`. */
    status: string;
    stage: string | null;
    outcome: string | null;
    outcomeLabel: string | null;
    /** UTC ISO-8601: the instant of the run's `start` entry. */
    startedAt: string;
    endedAt: string | null;
  };
  /** The seq of `entries[0]`: how many entries the run knew stored when it sent this. */
  from: number;
  entries: TimelineEntry[];
  /** The questions (the IR's `asks`) of each `task` entry of `entries`, by the entry's seq. */
  questions: Record<string, AskIr[]>;
  /** Who completed the task of a `task-completed` entry of `entries`, by the entry's seq, when known. */
  completedBy: Record<string, string>;
  /** Set once the run ended: `complete`, `stop`, `exit` or `cancel`, the reason its open tasks close with. */
  ended: string | null;
  /**
   * The `task` and `task-reassigned` entries of `entries` whose assignee is told by the
   * task-notice outbox, by the entry's seq, with the owner of the task's playbook (told when
   * the notice fails for good). Absent in flushes of runs that notify by an activity.
   */
  notices?: Record<string, { owner: string | null }>;
}

/** Rows per insert statement: well under PostgreSQL's 65,535 parameters. */
const CHUNK = 1_000;

/** Who closes the tasks a run leaves open when it ends (unless a person cancelled it). */
const RUN_CLOSER = 'run';

/**
 * What an entry that changes a task does to the newest task of its name before it, if that
 * one is still open (so a repeat of the entry finds it changed and changes nothing twice):
 * `completedBy` is who completed it, as the flush knows it.
 */
const TASK_UPDATES: Partial<Record<TimelineEntry['kind'], (entry: TimelineEntry, completedBy: string | undefined) => Updateable<TasksTable>>> = {
  'task-completed': (entry, completedBy) => ({
    state: 'completed',
    answers: JSON.stringify(entry.data ?? {}),
    closed_at: entry.at,
    closed_by: completedBy ?? entry.by ?? null,
  }),
  'task-reassigned': (entry) => ({ assignee: entry.to ?? null, snoozed_until: null }),
  'task-snoozed': (entry) => ({ snoozed_until: entry.until ?? null }),
  'task-closed': (entry) => ({ state: 'closed', closed_at: entry.at, closed_by: entry.by ?? null, close_reason: entry.text ?? null }),
};

export async function projectRun(store: Store, flush: RunFlush, now: Date = new Date()): Promise<void> {
  const { workflowId, runId, run, from, entries } = flush;
  const known = from + entries.length;
  await store.transaction().execute(async (tx) => {
    const row = {
      status: run.status,
      stage: run.stage,
      outcome: run.outcome,
      outcome_label: run.outcomeLabel,
      ended_at: run.endedAt,
      updated_at: now,
    };
    await tx
      .insertInto('runs')
      .values({
        run_id: runId,
        workflow_id: workflowId,
        playbook_id: run.playbook,
        playbook_version: run.version,
        account_id: run.accountId,
        started_at: run.startedAt,
        entries: known,
        ...row,
      })
      .onConflict((c) =>
        c
          .column('run_id')
          .doUpdateSet((eb) => ({ ...row, entries: eb.fn('greatest', [eb.ref('runs.entries'), eb.ref('excluded.entries')]) }))
          .where('runs.entries', '<=', known),
      )
      .execute();

    for (let i = 0; i < entries.length; i += CHUNK) {
      await tx
        .insertInto('timeline_entries')
        .values(
          entries.slice(i, i + CHUNK).map((entry, j) => ({
            run_id: runId,
            workflow_id: workflowId,
            seq: from + i + j,
            at: entry.at,
            kind: entry.kind,
            stage: entry.stage,
            entry: JSON.stringify(entry),
          })),
        )
        .onConflict((c) => c.columns(['run_id', 'seq']).doNothing())
        .execute();
    }

    const escalations = entries.flatMap((entry, j) =>
      entry.kind === 'escalate'
        ? [
            {
              run_id: runId,
              seq: from + j,
              workflow_id: workflowId,
              account_id: run.accountId,
              playbook_id: entry.playbook ?? run.playbook,
              at: entry.at,
              recipient: entry.to ?? null,
              severity: entry.severity ?? null,
              text: entry.text ?? null,
              stage: entry.stage,
              line: entry.line,
            },
          ]
        : [],
    );
    for (let i = 0; i < escalations.length; i += CHUNK) {
      await tx
        .insertInto('escalations')
        .values(escalations.slice(i, i + CHUNK))
        .onConflict((c) => c.columns(['run_id', 'seq']).doNothing())
        .execute();
    }

    for (const [j, entry] of entries.entries()) {
      const seq = from + j;
      if (entry.kind === 'task' && entry.task !== undefined) {
        await tx
          .insertInto('tasks')
          .values({
            run_id: runId,
            workflow_id: workflowId,
            seq,
            account_id: run.accountId,
            playbook_id: entry.playbook ?? run.playbook,
            name: entry.task,
            title: entry.text ?? entry.task,
            assignee: entry.to ?? null,
            due_at: entry.due ?? null,
            questions: JSON.stringify(flush.questions[seq] ?? []),
            state: 'open',
            created_at: entry.at,
          })
          .onConflict((c) => c.columns(['run_id', 'seq']).doNothing())
          .execute();
      } else if (entry.task !== undefined && TASK_UPDATES[entry.kind] !== undefined) {
        const name = entry.task;
        await tx
          .updateTable('tasks')
          .set(TASK_UPDATES[entry.kind]!(entry, flush.completedBy[seq]))
          .where('run_id', '=', runId)
          .where('state', '=', 'open')
          .where('seq', '=', (eb) =>
            eb
              .selectFrom('tasks')
              .select((s) => s.fn.max('seq').as('latest'))
              .where('run_id', '=', runId)
              .where('name', '=', name)
              .where('seq', '<', seq),
          )
          .execute();
      }
    }

    for (const [j, entry] of entries.entries()) {
      const seq = from + j;
      const notice = flush.notices?.[seq];
      if (notice === undefined || entry.task === undefined || entry.to === undefined) continue;
      if (entry.kind !== 'task' && entry.kind !== 'task-reassigned') continue;
      // A reassigned task keeps its due date: the task's row has it.
      const due =
        entry.kind === 'task'
          ? (entry.due ?? null)
          : ((
              await tx
                .selectFrom('tasks')
                .select('due_at')
                .where('run_id', '=', runId)
                .where('name', '=', entry.task)
                .where('seq', '<', seq)
                .orderBy('seq', 'desc')
                .executeTakeFirst()
            )?.due_at ?? null);
      await tx
        .insertInto('task_notices')
        .values({
          run_id: runId,
          seq,
          workflow_id: workflowId,
          account_id: run.accountId,
          run_playbook: run.playbook,
          playbook_id: entry.playbook ?? run.playbook,
          owner: notice.owner,
          task: entry.task,
          title: entry.text ?? entry.task,
          assignee: entry.to,
          due_at: due,
          reassigned: entry.kind === 'task-reassigned',
          state: 'pending',
          next_attempt_at: now,
          created_at: now,
        })
        .onConflict((c) => c.columns(['run_id', 'seq']).doNothing())
        .execute();
    }

    const cancelledBy = entries.find((e) => e.kind === 'cancel')?.by;
    if (cancelledBy !== undefined) await tx.updateTable('runs').set({ ended_by: cancelledBy }).where('run_id', '=', runId).execute();
    if (flush.ended !== null) {
      await tx
        .updateTable('tasks')
        .set({ state: 'closed', closed_at: run.endedAt ?? now, closed_by: cancelledBy ?? RUN_CLOSER, close_reason: flush.ended })
        .where('run_id', '=', runId)
        .where('state', '=', 'open')
        .execute();
    }
  });
}
