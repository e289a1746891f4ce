/**
 * How a run's entries reach the store: one flush, atomically, writes the run's row, its new
 * timeline entries and the tasks they open, complete or close — as one statement when it only
 * inserts (most flushes), else as a transaction (see `projectRun`). Idempotent by natural
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
 * - the run's goals, when the flush carries them (they changed since the last one landed),
 *   are upserted into `run_goals`, pending ones with their window (goals at risk and the
 *   digests read them);
 * - when the run ended, its tasks still open are closed with the reason it ended (by whoever
 *   cancelled it, else by `run`).
 */
import type { AskIr } from '../ir/types.js';
import type { GoalStatus } from '../runtime/goals.js';
import type { TimelineEntry } from '../runtime/timeline.js';
import { sql, type Insertable, type Transaction, type Updateable } from 'kysely';
import type { Store } from './connect.js';
import { retryingConflicts } from './conflict-retry.js';
import type { EscalationsTable, RunsTable, StoreDatabase, TaskNoticesTable, TasksTable, TimelineEntriesTable } from './schema.js';

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
  /** The entry playbook's goals as they are now, when they changed since the last flush that landed; absent otherwise. */
  goals?: { owner: string | null; goals: GoalStatus[] };
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
  // Two overlapping flushes of one run (a retried activity) can deadlock on PostgreSQL.
  await retryingConflicts(() => writeFlush(store, flush, now));
}

async function writeFlush(store: Store, flush: RunFlush, now: Date): Promise<void> {
  // Most flushes only insert: one statement, atomic by itself, costs a store (PGlite above all)
  // about half of a transaction's four round trips. Changes to rows it inserts need a
  // transaction: data-modifying parts of one statement do not see each other's rows.
  if (insertsOnly(flush)) return projectRuns(store, [flush], now);
  const rows = rowsOf(flush, now);
  const { closing } = rows;
  await store.transaction().execute(async (tx) => {
    for (let chunk = 0; chunk < chunksOf(rows); chunk++) await insertChunk(tx, { ...rows, closing: null }, chunk);
    await followUp(tx, flush, closing, now);
  });
}

/** Whether the flush only inserts, in one statement (most do): `projectRuns` can write it together with others. */
export function insertsOnly(flush: RunFlush): boolean {
  // Escalations, tasks and notices are some of its entries: one chunk of entries is one of each.
  return !followsUp(flush) && flush.entries.length <= CHUNK;
}

/**
 * Flushes of distinct runs that each only insert (`insertsOnly`), in one statement: atomic
 * together, and one round trip and commit for all of them (projection-batches.ts).
 */
export async function projectRuns(store: Store, flushes: readonly RunFlush[], now: Date = new Date()): Promise<void> {
  await inOneStatement(
    store,
    flushes.flatMap((flush) => chunkParts(store, rowsOf(flush, now), 0)),
  );
}

/** The rows a flush inserts: its run's row, its entries and the escalations, tasks and task notices they open. */
interface FlushRows {
  run: Insertable<RunsTable>;
  runUpdate: Updateable<RunsTable>;
  known: number;
  entries: Insertable<TimelineEntriesTable>[];
  escalations: Insertable<EscalationsTable>[];
  tasks: Insertable<TasksTable>[];
  notices: Insertable<TaskNoticesTable>[];
  /** Set once the run ended. */
  closing: Closing | null;
}

/** How the tasks a run leaves open are closed when it ends. */
interface Closing {
  runId: string;
  at: string | Date;
  by: string;
  reason: string;
}

function rowsOf(flush: RunFlush, now: Date): FlushRows {
  const { workflowId, runId, run, from, entries } = flush;
  const cancelledBy = entries.find((e) => e.kind === 'cancel')?.by;
  const runUpdate = {
    status: run.status,
    stage: run.stage,
    outcome: run.outcome,
    outcome_label: run.outcomeLabel,
    ended_at: run.endedAt,
    updated_at: now,
    ...(cancelledBy !== undefined && { ended_by: cancelledBy }),
  };
  const known = from + entries.length;
  const rows: FlushRows = {
    run: {
      run_id: runId,
      workflow_id: workflowId,
      playbook_id: run.playbook,
      playbook_version: run.version,
      account_id: run.accountId,
      started_at: run.startedAt,
      entries: known,
      ...runUpdate,
    },
    runUpdate,
    known,
    entries: [],
    escalations: [],
    tasks: [],
    notices: [],
    closing: flush.ended === null ? null : { runId, at: run.endedAt ?? now, by: cancelledBy ?? RUN_CLOSER, reason: flush.ended },
  };
  for (const [j, entry] of entries.entries()) {
    const seq = from + j;
    rows.entries.push({ run_id: runId, workflow_id: workflowId, seq, at: entry.at, kind: entry.kind, stage: entry.stage, entry: JSON.stringify(entry) });
    if (entry.kind === 'escalate') {
      rows.escalations.push({
        run_id: runId,
        seq,
        workflow_id: workflowId,
        account_id: run.accountId,
        playbook_id: entry.playbook ?? run.playbook,
        at: entry.at,
        recipient: entry.to ?? null,
        severity: entry.severity ?? null,
        text: entry.text ?? null,
        stage: entry.stage,
        line: entry.line,
      });
    }
    if (entry.kind !== 'task' || entry.task === undefined) continue;
    rows.tasks.push({
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
    });
    const notice = flush.notices?.[seq];
    if (notice !== undefined && entry.to !== undefined) rows.notices.push(noticeRow(flush, entry, seq, notice.owner, entry.due ?? null, now));
  }
  return rows;
}

function chunksOf(rows: FlushRows): number {
  return Math.max(1, ...[rows.entries, rows.escalations, rows.tasks, rows.notices].map((r) => Math.ceil(r.length / CHUNK)));
}

/** The parts of one statement: the run's row (with the first chunk) and the chunk-th slice of each kind of row. */
function chunkParts(db: Store | Transaction<StoreDatabase>, rows: FlushRows, chunk: number) {
  const slice = <T>(all: T[]): T[] => all.slice(chunk * CHUNK, (chunk + 1) * CHUNK);
  const [entries, escalations, tasks, notices] = [slice(rows.entries), slice(rows.escalations), slice(rows.tasks), slice(rows.notices)];
  return [
    chunk === 0 &&
      db
        .insertInto('runs')
        .values(rows.run)
        .onConflict((c) =>
          c
            .column('run_id')
            .doUpdateSet((eb) => ({ ...rows.runUpdate, entries: eb.fn('greatest', [eb.ref('runs.entries'), eb.ref('excluded.entries')]) }))
            .where('runs.entries', '<=', rows.known),
        ),
    entries.length > 0 &&
      db
        .insertInto('timeline_entries')
        .values(entries)
        .onConflict((c) => c.columns(['run_id', 'seq']).doNothing()),
    escalations.length > 0 &&
      db
        .insertInto('escalations')
        .values(escalations)
        .onConflict((c) => c.columns(['run_id', 'seq']).doNothing()),
    tasks.length > 0 &&
      db
        .insertInto('tasks')
        .values(tasks)
        .onConflict((c) => c.columns(['run_id', 'seq']).doNothing()),
    notices.length > 0 &&
      db
        .insertInto('task_notices')
        .values(notices)
        .onConflict((c) => c.columns(['run_id', 'seq']).doNothing()),
    chunk === 0 && rows.closing !== null && closeOpenTasks(db, rows.closing),
  ].filter((part) => part !== false);
}

async function insertChunk(tx: Transaction<StoreDatabase>, rows: FlushRows, chunk: number): Promise<void> {
  await inOneStatement(tx, chunkParts(tx, rows, chunk));
}

/** Each part a data-modifying CTE, which PostgreSQL runs to completion whether or not the statement reads it. */
async function inOneStatement(db: Store | Transaction<StoreDatabase>, parts: ReturnType<typeof chunkParts>): Promise<void> {
  if (parts.length === 0) return;
  await sql`with ${sql.join(parts.map((part, i) => sql`${sql.id(`part_${i}`)} as (${part})`))} select 1`.execute(db);
}

/**
 * Whether the flush changes rows it may insert itself, which the statement that inserts them
 * cannot see: a task its entries change, or the tasks its end closes when it opens some; or
 * goals to upsert (a statement of their own, inside the same transaction).
 */
function followsUp(flush: RunFlush): boolean {
  const opensTasks = flush.entries.some((entry) => entry.kind === 'task');
  return (
    flush.goals !== undefined ||
    flush.entries.some((entry) => entry.task !== undefined && TASK_UPDATES[entry.kind] !== undefined) ||
    (flush.ended !== null && opensTasks)
  );
}

/** What a flush changes in rows that may have been inserted by it: tasks its entries change, notices of reassignments, who cancelled the run, the tasks its end closes. */
async function followUp(tx: Transaction<StoreDatabase>, flush: RunFlush, closing: Closing | null, now: Date): Promise<void> {
  const { runId, from, entries } = flush;
  if (flush.goals !== undefined) await writeGoals(tx, flush, flush.goals, now);
  for (const [j, entry] of entries.entries()) {
    const seq = from + j;
    const update = TASK_UPDATES[entry.kind];
    if (entry.task === undefined || update === undefined) continue;
    const name = entry.task;
    await tx
      .updateTable('tasks')
      .set(update(entry, flush.completedBy[seq]))
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
    const notice = flush.notices?.[seq];
    if (entry.kind !== 'task-reassigned' || notice === undefined || entry.to === undefined) continue;
    // A reassigned task keeps its due date: the task's row has it.
    const due = await tx
      .selectFrom('tasks')
      .select('due_at')
      .where('run_id', '=', runId)
      .where('name', '=', name)
      .where('seq', '<', seq)
      .orderBy('seq', 'desc')
      .executeTakeFirst();
    await tx
      .insertInto('task_notices')
      .values(noticeRow(flush, entry, seq, notice.owner, due?.due_at ?? null, now))
      .onConflict((c) => c.columns(['run_id', 'seq']).doNothing())
      .execute();
  }
  if (closing !== null) await closeOpenTasks(tx, closing).execute();
}

/** The run ended: its tasks still open close with the reason it ended, by whoever cancelled it, else by `run`. */
function closeOpenTasks(db: Store | Transaction<StoreDatabase>, closing: Closing) {
  return db
    .updateTable('tasks')
    .set({ state: 'closed', closed_at: closing.at, closed_by: closing.by, close_reason: closing.reason })
    .where('run_id', '=', closing.runId)
    .where('state', '=', 'open');
}

/** The task-notice outbox's row for a `task` or `task-reassigned` entry (task-notices.ts sends it). */
function noticeRow(
  flush: RunFlush,
  entry: TimelineEntry,
  seq: number,
  owner: string | null,
  due: string | Date | null,
  now: Date,
): Insertable<TaskNoticesTable> {
  return {
    run_id: flush.runId,
    seq,
    workflow_id: flush.workflowId,
    account_id: flush.run.accountId,
    run_playbook: flush.run.playbook,
    playbook_id: entry.playbook ?? flush.run.playbook,
    owner,
    task: entry.task!,
    title: entry.text ?? entry.task!,
    assignee: entry.to!,
    due_at: due,
    reassigned: entry.kind === 'task-reassigned',
    state: 'pending',
    next_attempt_at: now,
    created_at: now,
  };
}

/** The run's goals as the flush tells them: one row per goal, overwritten by each later flush. */
async function writeGoals(tx: Transaction<StoreDatabase>, flush: RunFlush, told: NonNullable<RunFlush['goals']>, now: Date): Promise<void> {
  if (told.goals.length === 0) return;
  const rows = told.goals.map((g) => ({
    run_id: flush.runId,
    goal: g.goal,
    workflow_id: flush.workflowId,
    playbook_id: flush.run.playbook,
    account_id: flush.run.accountId,
    owner: told.owner,
    text: g.text,
    target: g.target,
    state: g.state,
    since: g.since,
    deadline: g.deadline,
    settled_at: g.at,
    updated_at: now,
  }));
  await tx
    .insertInto('run_goals')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['run_id', 'goal']).doUpdateSet((eb) => ({
        owner: eb.ref('excluded.owner'),
        text: eb.ref('excluded.text'),
        target: eb.ref('excluded.target'),
        state: eb.ref('excluded.state'),
        since: eb.ref('excluded.since'),
        deadline: eb.ref('excluded.deadline'),
        settled_at: eb.ref('excluded.settled_at'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}
