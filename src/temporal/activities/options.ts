/**
 * The contract between the playbook workflow and its activities: names, inputs, results,
 * the recommended timeouts and retry policy, and the dispatch from an action to its
 * activity. No Node imports and no side effects, so the workflow bundle can import it.
 *
 * Failures: a transient problem (server down, timeout, HTTP 5xx, SMTP 4xx) is thrown as a
 * retryable error and Temporal retries it with backoff; a permanent one (rejected address,
 * HTTP 4xx, a role or endpoint missing from the configuration) is a non-retryable
 * `ApplicationFailure` of type `PERMANENT_FAILURE_TYPE` whose message says what went wrong.
 * The workflow turns either final failure into `{ ok: false, error: message }`.
 */
import type { ActivityOptions } from '@temporalio/common';
import type { AccountValue } from '../../ir/types.js';
import type { Action, ActionResult } from '../../runtime/effects.js';

export type ActionOf<K extends Action['kind']> = Extract<Action, { kind: K }>;

/** Identifies the run on whose behalf an activity acts. */
export interface RunRef {
  workflowId: string;
  /**
   * `workflowInfo().firstExecutionRunId`: kept across continue-as-new, new for every start.
   * It is part of the idempotency key, so running the same playbook again for the same
   * account (same workflow id, after the first run closed) delivers again.
   */
  runId: string;
  accountId: string;
}

export interface ActivityInput<A extends Action = Action> extends RunRef {
  action: A;
  /** The owner of the playbook performing it, told when the delivery fails for good (absent in older histories). */
  owner?: string | null;
}

/** A task completed (the `completeTask` update accepted): recorded as `task.closed` in the task sink. */
export interface TaskClosedInput extends RunRef {
  playbook: string;
  task: string;
  answers: Record<string, AccountValue>;
  /** Unique per completion within the run, e.g. the update's id. */
  key: string;
}

/**
 * A task's assignee is told of it (a new task, or one reassigned to them), with a link to it
 * in the console. Never fails the run: the workflow ignores its final failure. Runs that
 * project to the store queue their notices in its outbox instead, and the worker's
 * dispatcher calls this outside any workflow (src/ops/task-notice-dispatcher.ts).
 */
export interface TaskNoticeInput extends RunRef {
  /** The run's playbook: with the account it names the run in the task's link. */
  runPlaybook: string;
  /** The playbook whose step created the task (a child's id inside `run playbook`). */
  playbook: string;
  task: string;
  title: string;
  /** An address or `role:<name>`, as the task step resolved it. */
  assignee: string;
  /** UTC ISO-8601, or null. */
  due: string | null;
  /** Unique per notice within the run: `<task step key>` for a new task, `reassign:<update id>`. */
  key: string;
  reassigned: boolean;
  owner?: string | null;
  /** Outside an activity (the store's task-notice dispatcher): when the notice was queued, where its retry window starts. */
  since?: number;
}

export interface PlaybookActivities {
  sendEmail(input: ActivityInput<ActionOf<'email'>>): Promise<ActionResult>;
  /** The contact policy's decision before an email, made and reserved once per key (`{ ok: true, contact }`). */
  decideContact(input: ActivityInput<ActionOf<'contact'>>): Promise<ActionResult>;
  sendNotification(input: ActivityInput<ActionOf<'notify'>>): Promise<ActionResult>;
  createTask(input: ActivityInput<ActionOf<'task'>>): Promise<ActionResult>;
  recordEscalation(input: ActivityInput<ActionOf<'escalate'>>): Promise<ActionResult>;
  callWebhook(input: ActivityInput<ActionOf<'webhook'>>): Promise<ActionResult>;
  setAccountField(input: ActivityInput<ActionOf<'set'>>): Promise<ActionResult>;
  closeTask(input: TaskClosedInput): Promise<ActionResult>;
  noticeTask(input: TaskNoticeInput): Promise<ActionResult>;
}

/**
 * Calls the activity that performs `action`, e.g. with `proxyActivities<PlaybookActivities>(…)`.
 * It rejects when the activity finally fails; the workflow maps that to `{ ok: false }`.
 */
export function performAction(activities: PlaybookActivities, run: RunRef, action: Action, owner: string | null = null): Promise<ActionResult> {
  const on = { ...run, owner };
  switch (action.kind) {
    case 'email':
      return activities.sendEmail({ ...on, action });
    case 'contact':
      return activities.decideContact({ ...on, action });
    case 'notify':
      return activities.sendNotification({ ...on, action });
    case 'task':
      return activities.createTask({ ...on, action });
    case 'escalate':
      return activities.recordEscalation({ ...on, action });
    case 'webhook':
      return activities.callWebhook({ ...on, action });
    case 'set':
      return activities.setAccountField({ ...on, action });
  }
}

/** `ApplicationFailure.type` of failures that retrying cannot fix. */
export const PERMANENT_FAILURE_TYPE = 'PermanentDeliveryFailure';

/** How often a delivery in progress tells Temporal it is alive (see `heartbeatTimeout`). */
export const HEARTBEAT_INTERVAL_MS = 5_000;

/**
 * For `proxyActivities<PlaybookActivities>(activityOptions)`. One attempt is bounded by the
 * sinks' own timeouts (10 s HTTP, 30 s SMTP socket) and at most 2 minutes; an attempt whose
 * worker died is noticed when its heartbeats stop (20 s) rather than after those 2 minutes.
 * Retries back off to one every 10 minutes; the activity itself gives up once its sink's
 * `delivery.retryWindow` has passed (at most a day, `scheduleToCloseTimeout`), and the action
 * counts as failed. Activity options are not compared on replay: changing them needs no patch.
 */
export const activityOptions = {
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '20 seconds',
  scheduleToCloseTimeout: '1 day',
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    nonRetryableErrorTypes: [PERMANENT_FAILURE_TYPE],
  },
} as const satisfies ActivityOptions;
