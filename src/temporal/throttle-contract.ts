/**
 * The contract of the enrollment throttle (`start at most N per day`): one long-lived gate
 * workflow per throttled playbook (`throttle:<playbookId>`) that counts the playbook's starts
 * by triggers across all accounts per day (local days of the playbook calendar's zone) and
 * keeps the excess in firing order. An account entity asks it (through the `admitThrottled`
 * activity, as an update-with-start) before it starts a run by a trigger: admitted, the entity
 * starts at once; queued, it holds the firing (with its bound event) until the gate releases
 * it on a later day with the `throttleReleased` signal (account-contract.ts). A start that did
 * not happen (already open, refused, dropped) is handed back with `throttleDropped`, which
 * frees its place in that day's count.
 *
 * No Node imports: the workflow bundle and the clients both import it.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { TriggerKind } from './account-contract.js';

export const THROTTLE_WORKFLOW_TYPE = 'enrollmentThrottle';

/** `throttle:<playbookId>`. */
export function throttleWorkflowId(playbook: string): string {
  return `throttle:${playbook}`;
}

/**
 * Firings a gate keeps waiting at most, and their bytes as JSON: what it carries into its next
 * execution stays well inside Temporal's 2 MB payload limit. Past either a firing is refused.
 */
export const THROTTLE_QUEUE_LIMIT = 10_000;
export const THROTTLE_QUEUE_BYTES = 1_500_000;

export interface ThrottleWorkflowInput {
  playbook: string;
  /** Set by the workflow itself when it continues as new. */
  carried?: ThrottleCarry;
  /** Test hook: continue as new once history has this many events. */
  continueAsNewAfterEvents?: number;
}

/** One firing asking to start: the gate keeps only what the queue's listing shows. */
export interface AdmitRequest {
  /** `<accountId>#<n>`: unique per firing of the account (its entity counts them). */
  ticket: string;
  accountId: string;
  /** UTC ISO-8601 (the entity's workflow time). */
  firedAt: string;
  trigger: TriggerKind;
  /** The playbook's `start at most N per day` as the entity's triggers read it: the newest the gate is told counts. */
  perDay: number;
  /** The zone whose local days are counted (`calendarZone` of the playbook's calendar for no account). */
  timezone: string;
}

export type Admission =
  /** Start now; `day` is the local day it is counted on (handed back with `throttleDropped`). */
  | { status: 'admitted'; day: string }
  /** `position` 1 is next. */
  | { status: 'queued'; position: number; perDay: number }
  | { status: 'full'; waiting: number };

export interface QueuedStart {
  ticket: string;
  accountId: string;
  firedAt: string;
  trigger: TriggerKind;
}

/** Sent to the gate: the start admitted or released on `day` did not happen. */
export interface ThrottleDroppedSignal {
  ticket: string;
  day: string;
}

/** What the gate carries into its next execution. */
export interface ThrottleCarry {
  perDay: number;
  timezone: string;
  /** The local day counted (`YYYY-MM-DD`), null before the first firing. */
  day: string | null;
  /** Starts admitted or released on `day`, less those handed back. */
  started: number;
  queue: QueuedStart[];
  /** Tickets decided lately, newest last (bounded): a retried ask gets the same answer. */
  decided: Array<[ticket: string, admitted: boolean]>;
  /** Releases not yet signalled to their entities. */
  releasing: Array<QueuedStart & { day: string }>;
}

/** The queue as `playbook throttle list` and `GET /v1/playbooks/{id}/throttle` show it. */
export interface ThrottleView {
  playbook: string;
  /** Null while no firing reached the gate. */
  perDay: number | null;
  timezone: string | null;
  /** The local day counted now and its starts so far. */
  day: string | null;
  startedToday: number;
  /** When the next queued firings start (the next local midnight, UTC ISO-8601); null with an empty queue. */
  nextRelease: string | null;
  queue: Array<QueuedStart & { position: number }>;
}

export const admitUpdate = defineUpdate<Admission, [AdmitRequest]>('admit');
export const throttleDroppedSignal = defineSignal<[ThrottleDroppedSignal]>('throttleDropped');
export const throttleViewQuery = defineQuery<ThrottleView>('throttleView');
