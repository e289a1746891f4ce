/**
 * The system of record's tables, as the typed queries see them. Temporal holds what a run needs
 * to go on; these tables hold what people read (ARCHITECTURE.md, "System of record"). Every
 * row a workflow causes has a natural unique key (run id + sequence, idempotency key), so
 * a replayed history, a retried activity or a second worker writes the same row again instead
 * of a second one. Migrations in `migrations/` create exactly these columns.
 */
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { AccountData, CalendarIr, CoverageIr, GoalIr } from '../ir/types.js';
import type { TimelineEntry } from '../runtime/timeline.js';

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
  /** The IR's `asks`: name, question, type (yes/no, one of, number, date, text), optional, default. */
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
 * delivery's idempotency key); an attempt that failed leaves it `failed` with its error,
 * and the next attempt claims it again.
 */
export interface DeliveriesTable {
  idempotency_key: string;
  state: 'pending' | 'sent' | 'failed';
  /** email, notify, webhook or records; null for rows from before it was kept. */
  channel: string | null;
  /** The last failed attempt's error, kept once a later one succeeds. */
  error: string | null;
  failed_at: Instant | null;
  /** Which attempt holds the claim while pending (host, pid and a random part). */
  claimed_by: string;
  claimed_at: Instant;
  sent_at: Instant | null;
  attempts: Generated<number>;
  /**
   * The receiver's id of the message, as the sink reports it: SMTP the Message-ID the server
   * accepted, a webhook its response's id header, a chat message the id its API returned;
   * null when the sink has none (or for rows from before it was kept).
   */
  provider_message_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The receiver's answer besides the id: the SMTP server's reply (`250 … queued as …`), a webhook's status. */
  provider_response: ColumnType<string | null, string | null | undefined, string | null>;
}

/**
 * The task-notice outbox: a new or reassigned task's assignee is told of it by the worker's
 * dispatcher (task-notices.ts), not by an activity of the run. The run's flush writes the row
 * in the same transaction as the task (key: the run and the seq of the `task` or
 * `task-reassigned` entry, so a repeated flush writes it once); the dispatcher sends it through
 * the delivery ledger (so two dispatchers send it once) and marks it `sent`, or `failed` once
 * the notify sink's retry window passed or the failure is permanent (the owner is told).
 */
export interface TaskNoticesTable {
  run_id: string;
  seq: number;
  workflow_id: string;
  account_id: string;
  /** The run's playbook: with the account it names the run in the task's link. */
  run_playbook: string;
  /** The playbook whose step created the task. */
  playbook_id: string;
  /** That playbook's owner, told when the notice fails for good. */
  owner: string | null;
  task: string;
  title: string;
  /** An address or `role:<name>`, as the task step or the reassignment gave it. */
  assignee: string;
  due_at: Instant | null;
  reassigned: boolean;
  state: 'pending' | 'sent' | 'failed';
  attempts: Generated<number>;
  next_attempt_at: Instant;
  /** The last failed attempt's error. */
  error: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Instant;
  sent_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
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
 * An account's current data, written by its entity's projection (projection-account.ts).
 * `journal` counts the entity's journal entries stored (upserts, events, trigger firings), so
 * a flush that arrives late, knowing fewer, does not overwrite newer data.
 */
export interface AccountsTable {
  account_id: string;
  /** The account record: its id and values of declared account fields. */
  data: Json<Record<string, unknown>>;
  journal: Generated<number>;
  created_at: Instant;
  updated_at: Instant;
  /** Who sent the latest upsert stored (`api:<token>`, `import:<file>`, `run:<workflowId>` ...). */
  updated_by: string | null;
}

/** Every upsert the entity applied, in order: `(account_id, seq)` is the key, seq the entity's journal sequence. */
export interface AccountUpsertsTable {
  account_id: string;
  seq: number;
  at: Instant;
  source: string;
  /** The fields it set (null: cleared), as sent. */
  fields: Json<Record<string, unknown>>;
}

/**
 * Every event the entity received: applied (forwarded to `reached_runs`, triggers evaluated),
 * a `duplicate` of an event id seen before, or `dropped` (too large for the entity, `error` says why).
 * The triggers it fired are the `trigger_log` rows whose `event_seq` is its seq.
 */
export interface AccountEventsTable {
  account_id: string;
  seq: number;
  event_id: string | null;
  name: string;
  payload: Json<Record<string, unknown>> | null;
  source: string;
  received_at: Instant;
  outcome: 'applied' | 'duplicate' | 'dropped';
  /** Workflow ids of the open runs the event was delivered to. */
  reached_runs: Json<string[]>;
  error: string | null;
  /**
   * The whole payload's row in `event_payloads` when it was too large to keep in workflow
   * history; `payload` then holds only the fields deployed programs read. Null otherwise.
   */
  payload_ref: ColumnType<string | null, string | null | undefined, string | null>;
}

/**
 * Every trigger that fired for the account and what came of it: a run `started` (its workflow
 * id and version), `alreadyOpen`, `failed` (the start was refused: `error`), `suppressed` (held back by
 * `unless running` or `at most once per`: `error` says which), or a manual start
 * `refused` by the entity.
 */
export interface TriggerLogTable {
  account_id: string;
  seq: number;
  at: Instant;
  playbook_id: string;
  /** manual, event, date, when. */
  kind: string;
  detail: string;
  outcome: 'started' | 'alreadyOpen' | 'failed' | 'refused' | 'suppressed' | 'queued' | 'dropped';
  workflow_id: string | null;
  playbook_version: string | null;
  error: string | null;
  /** What the enrollment throttle did (migration 015): `by the enrollment throttle (2 per day), position 3`. */
  note: string | null;
  /** The `account_events` seq of the event that fired it. */
  event_seq: number | null;
}

/** Every escalation a run made (its `escalate` timeline entries): to whom, from which step. */
export interface EscalationsTable {
  run_id: string;
  /** The seq of its timeline entry. */
  seq: number;
  workflow_id: string;
  account_id: string;
  /** The playbook whose step escalated (a child's, when a child run did). */
  playbook_id: string;
  at: Instant;
  recipient: string | null;
  severity: string | null;
  text: string | null;
  stage: string | null;
  /** The step's source line. */
  line: number;
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

/** A bounce of a customer email: hard ones also suppress the address (reason `bounced`). */
export interface BouncesTable {
  id: Generated<string>;
  received_at: Generated<Instant>;
  address: string;
  kind: 'hard' | 'soft';
  /** The RFC 3463 status (`5.1.1`), or the provider's type (`HardBounce`), when given. */
  status: string | null;
  /** What the receiving server said, when given. */
  diagnostic: string | null;
  /** `dsn`, `postmark` or `mailgun`. */
  source: string;
  /** The bounced email's Message-ID, when the report names one. */
  message_id: string | null;
  account_id: string | null;
  /** Identifies the report, so one posted twice is recorded once. */
  report_key: string;
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

/**
 * The source text of a deployed playbook version, kept at deploy (`src/deploy/deploy.ts`) for
 * people to read: the registry keeps only the compiled program. `(playbook_id, version)` is the
 * key; a version deployed again (same program, perhaps other comments) keeps its first source.
 */
export interface PlaybookSourcesTable {
  playbook_id: string;
  /** The program's content hash, as the registry has it. */
  version: string;
  /** The workspace file it was declared in, relative to the workspace (`/` separators). */
  file: string;
  /** The 1-based line of that file where `source` starts. */
  line: number;
  /** The playbook's declaration, from its `playbook` line to its last line. */
  source: string;
  deployed_by: string;
  deployed_at: Instant;
  /** The entry playbook's calendar (`CalendarIr`), for the reports' business time; null: none, or kept before calendars were. */
  calendar: ColumnType<CalendarIr | null, string | null | undefined, string | null>;
  /** The entry playbook's goals (`GoalIr[]`): the unit a pending goal's window is counted in (goals-at-risk.ts); null: none, or kept before goals were. */
  goals: ColumnType<GoalIr[] | null, string | null | undefined, string | null>;
}

/** A deployed `coverage` declaration (migration 017): the workspace's set, replaced at each deploy. */
export interface CoveragesTable {
  coverage_id: string;
  definition: ColumnType<CoverageIr, string, string>;
  deployed_by: string;
  deployed_at: Instant;
}

/**
 * A playbook's switch, written by `playbook disable` / `enable` (src/ops/playbook-switch.ts);
 * a playbook without a row is enabled. A disabled playbook starts no new run: the account
 * entities read the switches with the deployed triggers. `paused_runs`: the workflow ids
 * `disable --pause-runs` paused, which `enable` resumes; empty otherwise.
 */
export interface PlaybookSwitchesTable {
  playbook_id: string;
  enabled: boolean;
  changed_by: string;
  changed_at: Instant;
  paused_runs: Json<string[]>;
}

/**
 * A contact-policy decision (`ContactDecision` as JSON) by its key, and the instant it reserves
 * for the contact's address (lower-cased): the send, or the deferred send; null for a skip.
 * Decisions for one address are made one at a time (an advisory lock on it).
 */
export interface ContactReservationsTable {
  idempotency_key: string;
  address: string;
  account_id: string;
  workflow_id: string;
  playbook_id: string;
  decision: Json<ContactDecisionJson>;
  reserved_at: Instant | null;
  created_at: Instant;
}

/** `ContactDecision` of src/runtime/effects.ts, as stored. */
export type ContactDecisionJson = { kind: 'send'; at: number } | { kind: 'defer'; until: number } | { kind: 'skip'; reason: string };

/**
 * A signed request's signature accepted by some API process, until it could no longer pass
 * the time check: the first insert accepts it, so a replay to any process sharing the store is refused.
 */
export interface SignatureReplaysTable {
  /** `<t>.<hex>`. */
  signature: string;
  expires_at: Instant;
}

/**
 * An event payload over `api.inlineEventPayloadBytes`, written by the API before the event is
 * sent, keyed by the SHA-256 of its JSON (`sha256:<hex>`): the same payload is one row.
 */
export interface EventPayloadsTable {
  payload_ref: string;
  payload: Json<Record<string, unknown>>;
  /** UTF-8 bytes of the payload as JSON. */
  bytes: number;
  created_at: Instant;
}

/**
 * A run's goal as its latest flush told it (migration 018): pending with its window once its
 * anchor happened, then met or missed. `(run_id, goal)` is the key; a later flush overwrites.
 */
export interface RunGoalsTable {
  run_id: string;
  goal: string;
  workflow_id: string;
  playbook_id: string;
  account_id: string;
  /** The entry playbook's `owner`, told when the goal's attainment drops below its target. */
  owner: string | null;
  text: string;
  target: number;
  state: 'pending' | 'met' | 'missed';
  since: Instant | null;
  deadline: Instant | null;
  /** When it was met or missed. */
  settled_at: Instant | null;
  updated_at: Instant;
}

/**
 * A daily goal digest to one recipient for one calendar's local day: written before it is
 * sent (what it says is kept, so a retry sends the same), `sent` after, `failed` when it
 * cannot be delivered at all.
 */
export interface GoalDigestsTable {
  /** The calendar key (`<id>@<zone>#<hash>`): the accounts whose digest goes out at that calendar's start of working hours. */
  calendar: string;
  /** The calendar's local date, YYYY-MM-DD. */
  day: string;
  recipient: string;
  /** The start of working hours it went out at. */
  at: Instant;
  subject: string;
  body: string;
  state: 'pending' | 'sent' | 'failed';
  error: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Instant;
  sent_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/**
 * A goal's attainment alert: `below` while its attainment over the last 30 days is under its
 * target; `drops` counts the times it fell below, `notified` those its owner was told of.
 */
export interface GoalAlertsTable {
  playbook_id: string;
  goal: string;
  below: boolean;
  drops: number;
  notified: number;
  attainment: number | null;
  target: number | null;
  changed_at: Instant;
}

export interface StoreDatabase {
  accounts: AccountsTable;
  account_upserts: AccountUpsertsTable;
  account_events: AccountEventsTable;
  deliveries: DeliveriesTable;
  escalations: EscalationsTable;
  runs: RunsTable;
  timeline_entries: TimelineEntriesTable;
  tasks: TasksTable;
  suppressions: SuppressionsTable;
  trigger_log: TriggerLogTable;
  sent_emails: SentEmailsTable;
  inbound_emails: InboundEmailsTable;
  bounces: BouncesTable;
  run_goals: RunGoalsTable;
  goal_digests: GoalDigestsTable;
  goal_alerts: GoalAlertsTable;
  playbook_sources: PlaybookSourcesTable;
  coverages: CoveragesTable;
  contact_reservations: ContactReservationsTable;
  playbook_switches: PlaybookSwitchesTable;
  signature_replays: SignatureReplaysTable;
  event_payloads: EventPayloadsTable;
  task_notices: TaskNoticesTable;
}

export type DeliveryRow = Selectable<DeliveriesTable>;
export type RunRow = Selectable<RunsTable>;
export type TimelineEntryRow = Selectable<TimelineEntriesTable>;
export type TaskRow = Selectable<TasksTable>;
export type TaskNoticeRow = Selectable<TaskNoticesTable>;
export type SuppressionRow = Selectable<SuppressionsTable>;
export type SentEmailRow = Selectable<SentEmailsTable>;
export type AccountRow = Selectable<AccountsTable>;
export type AccountEventRow = Selectable<AccountEventsTable>;
export type TriggerLogRow = Selectable<TriggerLogTable>;
export type EscalationRow = Selectable<EscalationsTable>;

// -------------------------------------------------------------------------------------
// What the account reads return (account-reads.ts): instants are UTC ISO-8601 strings.

/** One account in the account list. The columns are the workspace's conventional fields, null when it has none. */
export interface StoredAccountSummary {
  accountId: string;
  name: string | null;
  segment: string | null;
  csm: string | null;
  /** `YYYY-MM-DD`. */
  renewalDate: string | null;
  /** Its runs that have not ended. */
  openRuns: number;
  updatedAt: string;
}

export interface StoredAccount {
  accountId: string;
  /** The account record: its id and values of declared account fields. */
  data: AccountData;
  createdAt: string;
  updatedAt: string;
  /** Who sent the latest upsert (`api:<token>`, `import:<file>`, `run:<workflowId>` ...). */
  updatedBy: string | null;
  /** Workflow ids of its runs that have not ended, newest first. */
  openRuns: string[];
}

/** One trigger that fired (or a manual start refused) and what came of it. */
export interface StoredTrigger {
  seq: number;
  at: string;
  playbook: string;
  kind: string;
  detail: string;
  outcome: TriggerLogRow['outcome'];
  workflowId: string | null;
  version: string | null;
  error: string | null;
  note: string | null;
  /** The seq of the event (in the account's events) that fired it. */
  eventSeq: number | null;
}

/** One event the account received, the runs it reached and the triggers it fired. */
export interface StoredAccountEvent {
  seq: number;
  eventId: string | null;
  name: string;
  payload: Record<string, unknown> | null;
  source: string;
  receivedAt: string;
  outcome: AccountEventRow['outcome'];
  reachedRuns: string[];
  error: string | null;
  triggers: Array<Pick<StoredTrigger, 'seq' | 'playbook' | 'outcome' | 'workflowId'>>;
}

/** A timeline entry of one of the account's runs. */
export interface StoredAccountTimelineEntry {
  workflowId: string;
  runId: string;
  playbook: string;
  seq: number;
  entry: TimelineEntry;
}
