/**
 * The contract between the `playbook` workflow and its callers (client helpers, CLI, API):
 * the workflow's input, its signals, update and query, the status it reports and its search
 * attributes. No Node imports, so both the workflow bundle and the client import it.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ResolvedCalendar } from '../calendar/types.js';
import type { AccountData, IrProgram } from '../ir/types.js';
import type { GoalStatus } from '../runtime/goals.js';
import type { RunInput as AnyRunInput, TaskChange } from '../runtime/inputs.js';
import type { RunSnapshot } from '../runtime/snapshot.js';
import { RUN_OUTCOMES, type ReportedOutcome, type RunOutcome, type TimelineEntry } from '../runtime/timeline.js';

/** The workflow type: one generic workflow runs every playbook. */
export const WORKFLOW_TYPE = 'playbook';

/**
 * `playbook:<playbookId>:<accountId>`: at most one open run per playbook and account; with a
 * run key (`one run per account and ticket.id`, see `runKeyOf`) one per playbook, account and
 * key, `playbook:<playbookId>:<accountId>:<value>[:<value>…]`, each value URI-encoded so a `:`
 * in it cannot be mistaken for the next.
 */
export function workflowIdOf(playbookId: string, accountId: string, key: readonly string[] = []): string {
  const id = `playbook:${playbookId}:${accountId}`;
  return key.length === 0 ? id : `${id}:${key.map(encodeURIComponent).join(':')}`;
}

/**
 * `workflowIdOf`'s inverse for a known playbook and account (the store's rows and the
 * account's open runs have both): the run key the id holds, `[]` for an unkeyed run, null
 * when it is not a run of that playbook and account. Knowing the account makes a `:` in
 * it unambiguous.
 */
export function runKeyOfWorkflowId(workflowId: string, playbookId: string, accountId: string): string[] | null {
  const id = workflowIdOf(playbookId, accountId);
  if (workflowId === id) return [];
  return workflowId.startsWith(`${id}:`)
    ? workflowId
        .slice(id.length + 1)
        .split(':')
        .map(decodeURIComponent)
    : null;
}

export interface PlaybookWorkflowInput {
  /** The program the run keeps for its whole life (a new version only reaches new starts). */
  ir: IrProgram;
  /** Validated against `ir.fields` by the caller. */
  account: AccountData;
  /** Every calendar of `ir.calendars`, resolved for this account before the start. */
  calendars: Record<string, ResolvedCalendar>;
  options: PlaybookRunOptions;
  /** The triggering event under its `as` name (`trigger on event "…" as x`); absent: nothing bound. */
  bindings?: Record<string, Record<string, unknown>>;
}

export interface PlaybookRunOptions {
  /** The IR's content hash, shown in status and search. */
  version: string;
  /** Role name → address for `role "x"` recipients. */
  roles?: Record<string, string>;
  /**
   * The playbook-time instant (epoch ms) the run starts at, when it is not the server's
   * current time: the run's clock is then shifted by a fixed offset from the server's. It lets
   * a run replay a scenario that starts in the past (the differential tests; a time-skipping
   * server's clock cannot be set back). Absent: playbook time is server time.
   */
  startAt?: number;
  /** Test hook: continue as new at the first round boundary once history has this many events. */
  continueAsNewAfterEvents?: number;
  /**
   * The server's `history.maximumSignalsPerExecution` (`temporal.maxSignalsPerExecution`;
   * absent: Temporal's default 10,000): a run hands over to a new execution well before its
   * signals reach it, also from a wait.
   */
  signalLimit?: number;
  /**
   * Write the run's timeline, status and tasks to the store, through the `projectRun`
   * activity, which only a worker with a store registers: starters set it when a store is
   * configured (`config.store !== null`). Absent (and in runs started before): no projection.
   */
  projectToStore?: boolean;
  /**
   * `local`, with `projectToStore`, set by starters since the store's writes were made cheap:
   * the run flushes by a local activity (one marker event per flush instead of an activity's
   * six events) and queues its task notices in the store's outbox for the worker's dispatcher
   * (none of the `noticeTask` activities). It is part of the run's input, so a replay follows
   * the path the run was started on without a patch marker (a patch costs a run two history
   * events); runs started without it keep the `projectRun` and `noticeTask` activities.
   */
  storeWrites?: 'local';
  /** Set by the workflow itself when it continues as new; never by callers. */
  continued?: Continuation;
}

/** What a run carries into its next execution on continue-as-new. */
export interface Continuation {
  /** Where the run stopped and its state then; inputs that came later are in `pending`. */
  snapshot: RunSnapshot;
  timeline: TimelineEntry[];
  rejected: RejectedInput[];
  /** Inputs received but not applied yet, in arrival order. */
  pending: ScheduledInput[];
  clock: { offset: number; now: number };
  /** Timeline entries left behind to keep the carry under the payload limit (run-carry.ts); absent: none. */
  timelineDropped?: number;
  /** Of a run that projects to the store: how far the store has its timeline. */
  projection?: ProjectionCarry;
}

// ---------------------------------------------------------------------------------------
// Inputs

/**
 * Every input may say at which playbook instant (epoch ms) it takes effect. Without `at`, or
 * with an instant that has passed, it takes effect when it arrives. A later instant schedules
 * it: it is applied at exactly that instant, before anything else due then (as the simulator
 * orders inputs before timers), so a scenario's inputs reach a real run at their instants.
 */
interface InputTiming {
  at?: number;
}

/**
 * Set by the account entity, which sends every event and data change of an account to all of
 * its open runs: what a run's playbook version cannot use (an event it never waits for, a
 * field it does not declare, e.g. one added by a later deploy) is ignored, not refused. Inputs
 * sent to one run directly (CLI, tests) are refused and recorded instead.
 */
interface Broadcast {
  broadcast?: boolean;
}

export interface EventSignal extends InputTiming, Broadcast {
  name: string;
  payload?: Record<string, unknown>;
}

export interface AccountUpdateSignal extends InputTiming, Broadcast {
  fields: Record<string, unknown>;
}

export interface CompleteTaskUpdate extends InputTiming {
  task: string;
  answers?: Record<string, unknown>;
  /** Who completes it, as the API authenticated them; the run checks it (task-caller.ts). */
  by?: TaskCaller;
}

/**
 * Reassigns (`to`: an address), snoozes (`until`: epoch ms) or closes (`reason`) an open task;
 * the run checks it like a completion (same caller rule, task-caller.ts).
 */
export interface ChangeTaskUpdate extends InputTiming {
  kind: TaskChangeKind;
  task: string;
  to?: string;
  until?: number;
  reason?: string;
  by?: TaskCaller;
}

export type TaskChangeKind = TaskChange['kind'];

/** Who sent a pause, resume or cancel, as the API authenticated them (or the CLI's user). */
export interface ControlInput extends InputTiming {
  by?: TaskCaller;
}

export interface TaskCaller {
  role: string;
  user?: string;
}

/** The failure type of a completion refused because the task is not the caller's. */
export const NOT_ASSIGNEE_FAILURE = 'NotAssignee';
/** The failure type of a completion refused for its answers (required ones left out, or one that does not fit its ask); its details name those asks. */
export const ANSWERS_REFUSED_FAILURE = 'AnswersRefused';

/** A run input as the workflow keeps it: a completion or task change has the id of its update (its deliveries' key). */
export type RunInput = Exclude<AnyRunInput, { kind: TaskInputKind }> | (Extract<AnyRunInput, { kind: TaskInputKind }> & { updateId: string });

type TaskInputKind = 'complete' | TaskChangeKind;

/** Every kind of input, for the API's schema; the record must name each kind, so none is missed. */
export const RUN_INPUT_KINDS = Object.keys({
  event: true,
  account: true,
  complete: true,
  reassign: true,
  snooze: true,
  close: true,
  pause: true,
  resume: true,
} satisfies Record<RunInput['kind'], true>) as [RunInput['kind'], ...RunInput['kind'][]];

/** An input with the playbook instant it takes effect at. */
export interface ScheduledInput {
  at: number;
  input: RunInput;
}

export interface RejectedInput {
  /** When it was refused, UTC ISO-8601. */
  at: string;
  /** What was sent, as received. */
  input: { kind: RunInput['kind'] } & Record<string, unknown>;
  reason: string;
}

export const eventSignal = defineSignal<[EventSignal]>('event');
export const accountUpdatedSignal = defineSignal<[AccountUpdateSignal]>('accountUpdated');
export const pauseSignal = defineSignal<[ControlInput?]>('pause');
export const resumeSignal = defineSignal<[ControlInput?]>('resume');
/** Sent just before a cancellation request, so the run's `cancel` entry (and the store) can name who cancelled it. */
export const cancellingSignal = defineSignal<[ControlInput]>('cancelling');
/** Rejected (validator) with the reason when the task or its answers are wrong; nothing is recorded then. */
export const completeTaskUpdate = defineUpdate<void, [CompleteTaskUpdate]>('completeTask');
/** Rejected (validator) with the reason when the task is not open or the change is malformed; nothing is recorded then. */
export const changeTaskUpdate = defineUpdate<void, [ChangeTaskUpdate]>('changeTask');
export const statusQuery = defineQuery<WorkflowRunStatus>('status');

// ---------------------------------------------------------------------------------------
// Status

/**
 * How a workflow execution can close other than by the playbook ending it: cancelled (by a
 * person), terminated (by an operator), failed (a bug or a broken history), timed out.
 */
export const EXECUTION_ENDINGS = ['cancelled', 'terminated', 'failed', 'timedOut'] as const;

export type ExecutionEnding = (typeof EXECUTION_ENDINGS)[number];

/** A run's status: an ended run's is its outcome, or how its execution was ended from outside. */
export const RUN_STATUS_NAMES = ['running', 'paused', ...RUN_OUTCOMES, ...EXECUTION_ENDINGS] as const;

export type RunStatusName = (typeof RUN_STATUS_NAMES)[number];

export interface RunStatus {
  playbook: string;
  version: string;
  accountId: string;
  stage: string | null;
  status: RunStatusName;
  /**
   * As in `simulate --json`: `running` until the playbook ends the run, also for a run whose
   * execution was ended from outside (`status` says how).
   */
  outcome: ReportedOutcome;
  outcomeLabel: string | null;
  /** Same entries as `playbook simulate --json`. */
  timeline: TimelineEntry[];
  /** What the run is blocked on, while it runs: the wait's deadline and its next reminder. */
  pendingWaits: PendingWait[];
  openTasks: OpenTask[];
  /**
   * The entry playbook's goals, met, missed or pending (with the deadline once anchored); absent
   * for a playbook without goals. A run read from the store shows those its entries tell of.
   */
  goals?: GoalStatus[];
  /** Inputs the run refused, with the reason. */
  rejected: RejectedInput[];
  /** Inputs received for a later instant, not applied yet. */
  scheduled: Array<{ at: string; kind: RunInput['kind'] }>;
  /** Of a run that projects to the store: timeline entries the store has, and those not yet written (the lag). */
  stored?: StoredEntries;
  /** Deliveries being retried after a failed attempt (read from the execution, not the workflow). */
  deliveries: RetryingDelivery[];
}

/** What the workflow's status query answers: the status but for what only the server knows. */
export type WorkflowRunStatus = Omit<RunStatus, 'deliveries'>;

/** What a run that projects to the store carries into its next execution. */
export interface ProjectionCarry {
  /** Timeline entries the store has. */
  stored: number;
  /** Who completed the task of a `task-completed` entry not stored yet, by the entry's seq. */
  completedBy: Record<string, string>;
}

export interface StoredEntries {
  entries: number;
  pending: number;
}

export interface RetryingDelivery {
  /** `email`, `notify`, `escalate`, `task`, `task closed`, `task notice`, `webhook` or `set`. */
  action: string;
  /** UTC ISO-8601: when its first attempt was scheduled; null when unknown (an attempt that never heartbeat). */
  since: string | null;
  /** The attempt running or due next (2 is the first retry). */
  attempt: number;
  lastError: string | null;
  /** UTC ISO-8601 of the next attempt, null while one runs. */
  nextAttemptAt: string | null;
}

export interface PendingWait {
  /** `event "kickoff.held"`, `task training`, `condition`, `resume`, or `time` for a plain timer. */
  for: string;
  /** When the run next wakes up by itself: the sooner of `deadline` and `nextReminder` (UTC ISO-8601, or null: only an input wakes it). */
  until: string | null;
  /** When the wait gives up (`up to`), or a timer's instant; null: it waits for good. */
  deadline: string | null;
  /** When the next reminder (`after 3 days: ...` of the wait) fires; null: none left. */
  nextReminder: string | null;
}

export interface OpenTask {
  name: string;
  title: string;
  assignee: string | null;
  /** UTC ISO-8601, or null. */
  due: string | null;
  /** The child playbook that created it, if any. */
  playbook?: string;
  /** UTC ISO-8601: snoozed, hidden from its assignee's inbox until then. */
  snoozedUntil?: string;
}

export interface PlaybookWorkflowResult {
  outcome: RunOutcome;
  outcomeLabel: string | null;
}

// ---------------------------------------------------------------------------------------
// Search attributes

export const searchAttributes = {
  playbookId: defineSearchAttributeKey('PlaybookId', SearchAttributeType.KEYWORD),
  playbookVersion: defineSearchAttributeKey('PlaybookVersion', SearchAttributeType.KEYWORD),
  accountId: defineSearchAttributeKey('AccountId', SearchAttributeType.KEYWORD),
  stage: defineSearchAttributeKey('PlaybookStage', SearchAttributeType.KEYWORD),
  status: defineSearchAttributeKey('PlaybookStatus', SearchAttributeType.KEYWORD),
  openTaskAssignees: defineSearchAttributeKey('OpenTaskAssignees', SearchAttributeType.KEYWORD_LIST),
} as const;

/** The schema to register on a server (see `ensureSearchAttributes` in src/servers). */
export const SEARCH_ATTRIBUTE_SCHEMA = {
  PlaybookId: 'Keyword',
  PlaybookVersion: 'Keyword',
  AccountId: 'Keyword',
  PlaybookStage: 'Keyword',
  PlaybookStatus: 'Keyword',
  OpenTaskAssignees: 'KeywordList',
} as const;
