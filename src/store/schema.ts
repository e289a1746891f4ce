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
  /** Who completed or closed it (the token's user, `cli`, or the run when it ended). */
  closed_by: string | null;
  close_reason: string | null;
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

/**
 * A contact that customer-facing email never reaches, from any playbook: it unsubscribed (the
 * one-click link, an event, the API), bounced, or was imported. Internal notifications are not
 * affected. One row per address, lower-cased; the first reason recorded stays.
 */
export interface SuppressionsTable {
  address: string;
  /** Why, in words people read on the timeline: `unsubscribed`, `hard bounce`, `imported`… */
  reason: string;
  /** Where it came from: `link`, `event`, `api:<user>`, `cli`, `import`. */
  source: string;
  /** The account whose email or event it came from, when known. */
  account_id: string | null;
  created_at: Instant;
}

/**
 * A customer email as it went out, by its Message-ID, so that a reply (In-Reply-To,
 * References) finds the run and account it answers. Written before the send (the Message-ID
 * is derived from the send's key), so a reply can never arrive before its row.
 */
export interface SentEmailsTable {
  message_id: string;
  idempotency_key: string;
  workflow_id: string;
  account_id: string;
  playbook_id: string;
  template: string;
  recipient: string;
  subject: string;
  created_at: Instant;
}

/** Every mail that came in (replies and anything else), matched or not: nothing is lost. */
export interface InboundEmailsTable {
  id: Generated<string>;
  received_at: Generated<Instant>;
  channel: 'http' | 'smtp';
  from_address: string;
  subject: string;
  message_id: string | null;
  in_reply_to: string | null;
  references: Json<string[]>;
  /** The start of its text, as the `email.replied` event carries it. */
  snippet: string;
  /** The sent email it answers; null: it matched none. */
  matched_message_id: string | null;
}

export interface StoreDatabase {
  deliveries: DeliveriesTable;
  runs: RunsTable;
  timeline_entries: TimelineEntriesTable;
  tasks: TasksTable;
  suppressions: SuppressionsTable;
  sent_emails: SentEmailsTable;
  inbound_emails: InboundEmailsTable;
}

export type DeliveryRow = Selectable<DeliveriesTable>;
export type RunRow = Selectable<RunsTable>;
export type TimelineEntryRow = Selectable<TimelineEntriesTable>;
export type TaskRow = Selectable<TasksTable>;
export type SuppressionRow = Selectable<SuppressionsTable>;
export type SentEmailRow = Selectable<SentEmailsTable>;
