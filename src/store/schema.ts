/**
 * The system of record's tables, as the typed queries see them. Temporal holds what a run needs
 * to go on; these tables hold what people read (ARCHITECTURE.md, "System of record"). Every
 * row a workflow causes has a natural unique key (run id + sequence, idempotency key), so
 * a replayed history, a retried activity or a second worker writes the same row again instead
 * of a second one. Migrations in `migrations/` create exactly these columns.
 */
import type { ColumnType, Generated, Selectable } from 'kysely';

/** A timestamptz: written as a Date or ISO string, read as a Date. */
type Instant = ColumnType<Date, Date | string, Date | string>;
/** A jsonb column: written as JSON text (pg would send a JS array as a PostgreSQL array), read parsed. */
type Json<T> = ColumnType<T, string, string>;

/**
 * One playbook run, keyed by its first execution's run id (continue-as-new keeps it; the
 * workflow id `playbook:<playbook>:<account>` is reused when the playbook runs again for the
 * account, and the newest run of a workflow id is the one a lookup by it finds). Written by
 * the run's projection; `entries` counts the timeline entries stored, so a flush that arrives
 * twice changes nothing.
 */
export interface RunsTable {
  run_id: string;
  workflow_id: string;
  playbook_id: string;
  /** The IR content hash the run is pinned to. */
  playbook_version: string;
  account_id: string;
  /** What started it: `event account.created`, `manual by ann@example.com`, `cli`… */
  started_by: string | null;
  /** `RunStatusName`, or how the execution closed otherwise (cancelled, terminated, failed, timedOut). */
  status: string;
  /** `RunOutcome` once it ended. */
  outcome: string | null;
  outcome_label: string | null;
  stage: string | null;
  started_at: Instant;
  ended_at: Instant | null;
  /** Who ended it from outside: the person who cancelled it (its `cancel` entry's `by`), when known. */
  ended_by: ColumnType<string | null, string | null | undefined, string | null>;
  entries: Generated<number>;
  updated_at: Instant;
}

/** Every timeline entry of a run, in order, once: `(run_id, seq)` is the key, seq from 0. */
export interface TimelineEntriesTable {
  run_id: string;
  workflow_id: string;
  seq: number;
  at: Instant;
  kind: string;
  stage: string | null;
  /** The whole entry as the JSON timeline contract (`TimelineEntry`) gives it. */
  entry: Json<Record<string, unknown>>;
}

/**
 * A task a run created: keyed by the run and the sequence number of its `task` timeline entry,
 * with the questions of its `ask` lines, so a form can be built without the playbook.
 */
export interface TasksTable {
  run_id: string;
  workflow_id: string;
  seq: number;
  account_id: string;
  playbook_id: string;
  /** The task's name in the playbook (`task … as <name>`). */
  name: string;
  title: string;
  assignee: string | null;
  due_at: Instant | null;
  /** The IR's `asks`: name, question, type (yes/no, one of, number, date, text), required. */
  questions: Json<unknown[]>;
  answers: Json<Record<string, unknown>> | null;
  state: 'open' | 'completed' | 'closed';
  created_at: Instant;
  closed_at: Instant | null;
  /** Who completed or closed it (the token's user, the CLI's user, or `run` when the run ended; whoever cancelled it). */
  closed_by: string | null;
  /** Closed by a person: their reason; by the run's end: `complete`, `stop`, `exit` or `cancel`. */
  close_reason: string | null;
  /** Snoozed: hidden from the inbox until then (a reassignment ends it). */
  snoozed_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/**
 * The delivery ledger shared by every worker: a send is recorded `pending` (claimed by one
 * attempt) before it goes out and `sent` after (a transactional outbox, keyed by the
 * delivery's idempotency key).
 */
export interface DeliveriesTable {
  idempotency_key: string;
  state: 'pending' | 'sent';
  /** Which attempt holds the claim while pending (host, pid and a random part). */
  claimed_by: string;
  claimed_at: Instant;
  sent_at: Instant | null;
  attempts: Generated<number>;
}

export interface StoreDatabase {
  deliveries: DeliveriesTable;
  runs: RunsTable;
  timeline_entries: TimelineEntriesTable;
  tasks: TasksTable;
}

export type DeliveryRow = Selectable<DeliveriesTable>;
export type RunRow = Selectable<RunsTable>;
export type TimelineEntryRow = Selectable<TimelineEntriesTable>;
export type TaskRow = Selectable<TasksTable>;
