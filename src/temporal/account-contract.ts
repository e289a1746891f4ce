/**
 * The contract of the account entity: one long-lived workflow per account
 * (`account:<accountId>`) that holds the account's current data, forwards updates and events
 * to the account's open playbook runs, and evaluates the deployed playbooks' triggers:
 *
 * - `on event "<name>" where …`: an event both starts matching playbooks and reaches open runs;
 * - `<duration> before|after account.<date>`: planned from the data with durable timers,
 *   re-planned when the date changes, firing once per (playbook, trigger, date);
 * - `when <condition>`: edge-triggered, fires when the condition becomes true and not again
 *   until it has been false (re-evaluated on every change and at each local midnight, since
 *   `today` and `days since` move on their own);
 * - `manual`: the `startPlaybook` update (a CSM or an integration asks).
 *
 * At most one open run per playbook and account (the run's workflow id makes it so); a
 * trigger that fires while a run is open is recorded in the trigger log, never duplicated.
 *
 * No Node imports: the workflow bundle and the clients both import it.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AccountData, AccountValue } from '../ir/types.js';
import type { Bindings, PlannedFiring } from '../triggers/evaluate.js';
import type { TriggerGuardsIr } from '../ir/types.js';
import type { JournalCarry } from './account-journal.js';
import { accountUpdatedSignal, eventSignal, type AccountUpdateSignal, type EventSignal } from './contract.js';

/** An update or event as the entity forwards it to an open run. */
export type ForwardedInput = { kind: 'account'; fields: Record<string, AccountValue> } | { kind: 'event'; name: string; payload?: Record<string, unknown> };

/** The run's signal and its argument for a forwarded input, marked as the entity's broadcast. */
export function forwardedSignal(input: ForwardedInput): { name: string; arg: AccountUpdateSignal | EventSignal } {
  return input.kind === 'account'
    ? { name: accountUpdatedSignal.name, arg: { fields: input.fields, broadcast: true } }
    : { name: eventSignal.name, arg: { name: input.name, ...(input.payload !== undefined && { payload: input.payload }), broadcast: true } };
}

export const ACCOUNT_WORKFLOW_TYPE = 'account';

/** `account:<accountId>`. */
export function accountWorkflowId(accountId: string): string {
  return `account:${accountId}`;
}

export interface AccountWorkflowInput {
  accountId: string;
  /** Test hook: continue as new after applying inputs once history has this many events. */
  continueAsNewAfterEvents?: number;
  /** Inputs kept waiting before events are refused; default `DEFAULT_MAX_PENDING_INPUTS`. */
  maxPending?: number;
  /** Set by the workflow itself when it continues as new, or by `playbook accounts restore`. */
  carried?: AccountCarry;
}

/** Data validated against the deployed `account fields` by the caller (API, import, CLI). */
export interface AccountUpsertSignal {
  /** New values of declared fields (null clears one); fields not named keep their value. */
  fields: Record<string, AccountValue>;
  /** Who sent it: `api:<token name>`, `import:<file>`, `run:<workflowId>` … */
  by: string;
  /** The run whose `set` step made this change: it is not sent the change back. */
  sourceRun?: string;
  /**
   * The sender's bound on the account's whole data as JSON (`api.maxAccountDataBytes`); the
   * entity drops an upsert over it, and over `ACCOUNT_DATA_MAX_BYTES` in any case.
   */
  maxDataBytes?: number;
}

export interface AccountEventSignal {
  name: string;
  payload?: Record<string, unknown>;
  by: string;
  /** A caller-chosen id; an event id seen before on this account is ignored (at-least-once senders). */
  eventId?: string;
  /**
   * The whole payload's key in the store (`event_payloads`) when the API kept it out of
   * history (over `api.inlineEventPayloadBytes`): `payload` then holds only the fields the
   * deployed programs read, which is all the entity's triggers and the runs can see.
   */
  payloadRef?: string;
}

/**
 * Sent (in bulk) after a deploy that changed something, or after `playbook disable` /
 * `enable` (`switched`): triggers are re-read and re-planned.
 */
export interface TriggersChangedSignal {
  generation: number;
  /**
   * A playbook's switch changed, which leaves the generation as it is: the triggers held are
   * stale whatever their generation, from the moment the notice arrives (a manual start
   * after it must not be decided with them).
   */
  switched?: true;
}

export interface StartPlaybookRequest {
  playbook: string;
  by: string;
  /**
   * The deployed generation the caller has seen: the entity decides with triggers at least
   * that new, re-reading them when its own are older (a deploy's notice may still be on its way).
   */
  minGeneration?: number;
}

/** How every refusal to start a disabled playbook begins. */
export const DISABLED_REASON = 'playbook disabled';

/** Why a disabled playbook starts nothing, with who switched it off when. */
export function disabledReason(off: { by: string; at: string }): string {
  return `${DISABLED_REASON} (by ${off.by} at ${off.at})`;
}

export type StartOutcome =
  | { status: 'started'; workflowId: string; version: string; accepts?: RunAccepts }
  | { status: 'alreadyOpen'; workflowId: string }
  | { status: 'refused'; reason: string };

/** What a started run's version can use: the entity forwards it nothing else. */
export interface RunAccepts {
  events: string[];
  /** Declared account fields. */
  fields: string[];
}

export const upsertAccountSignal = defineSignal<[AccountUpsertSignal]>('upsertAccount');
export const accountEventSignal = defineSignal<[AccountEventSignal]>('accountEvent');
/**
 * The event as an update, which the entity can refuse before it reaches its history: the
 * payload over `ENTITY_MAX_EVENT_PAYLOAD_BYTES` (failure type `EventTooLarge`), or its queue
 * full (`AccountBusy`). It completes once the event is queued, not applied.
 */
export const accountEventUpdate = defineUpdate<void, [AccountEventSignal]>('sendAccountEvent');
/** What the entity would carry into its next execution: how `playbook accounts restore` reads an ended one. */
export const accountCarryQuery = defineQuery<AccountCarry>('accountCarry');
export const triggersChangedSignal = defineSignal<[TriggersChangedSignal]>('triggersChanged');
/** The `manual` trigger: refused with a reason when the playbook is not deployed or not manual. */
export const startPlaybookUpdate = defineUpdate<StartOutcome, [StartPlaybookRequest]>('startPlaybook');
export const accountStateQuery = defineQuery<AccountState>('accountState');
/** From a playbook's enrollment throttle (throttle-contract.ts): the queued firing `ticket` may start now (counted on `day`). */
export interface ThrottleReleasedSignal {
  playbook: string;
  ticket: string;
  day: string;
}

/** From a playbook's enrollment throttle (throttle-workflow.ts): a firing it queued may start now. */
export const throttleReleasedSignal = defineSignal<[ThrottleReleasedSignal]>('throttleReleased');

export type TriggerKind = 'manual' | 'event' | 'date' | 'when' | 'cadence';

/** One firing of a trigger and what came of it. */
export interface TriggerRecord {
  /** UTC ISO-8601 (workflow time). */
  at: string;
  playbook: string;
  kind: TriggerKind;
  /** `event "account.created"`, `90 days before account.renewal_date (2027-03-01)`, `when …`, `manual by api:alice`. */
  detail: string;
  /**
   * `suppressed`: held back by the trigger's `unless running` or `at most once per`;
   * `refused`: the playbook is disabled (`playbook disable`); `queued`: held by the playbook's
   * enrollment throttle (`start at most N per day`) for a later day; `dropped`: a queued firing
   * not started when its turn came. `error` says why.
   */
  outcome: 'started' | 'alreadyOpen' | 'failed' | 'suppressed' | 'refused' | 'queued' | 'dropped';
  workflowId?: string;
  version?: string;
  error?: string;
  /** What the throttle did, read after the outcome: `by the enrollment throttle (2 per day), position 3`, `from the throttle queue (fired …)`. */
  note?: string;
}

/** A firing the enrollment throttle queued, held by the entity with what its run starts with until the throttle releases it. */
export interface HeldFiring {
  /** Its ask to the throttle (`AdmitRequest.ticket`). */
  ticket: string;
  playbook: string;
  kind: Exclude<TriggerKind, 'manual'>;
  detail: string;
  /** UTC ISO-8601. */
  firedAt: string;
  bindings?: Bindings;
  guards?: TriggerGuardsIr;
  /** The journal seq of the event that fired it. */
  event?: number;
}

export interface AccountState {
  accountId: string;
  data: AccountData;
  /** Workflow ids of the playbook runs this account forwards updates and events to. */
  openRuns: string[];
  planned: PlannedFiring[];
  /** Last evaluation of each `when` trigger, by `<playbook>#<trigger index>`. */
  conditions: Record<string, boolean>;
  /** Newest last, at most `TRIGGER_LOG_LIMIT` entries. */
  triggerLog: TriggerRecord[];
  /** The registry generation the triggers were last read from, or null before the first read. */
  generation: number | null;
  /** Runs that ended other than by completing (terminated, failed, timed out, cancelled), newest last. */
  endedRuns: EndedRun[];
  /** Inputs the entity could not deliver or refused, newest last, at most `ALERT_LIMIT`. */
  alerts: EntityAlert[];
}

export interface EndedRun {
  workflowId: string;
  /** Temporal's execution status, e.g. `TERMINATED`. */
  status: string;
  /** UTC ISO-8601 (workflow time) when the entity found out. */
  at: string;
}

export interface EntityAlert {
  at: string;
  message: string;
  workflowId?: string;
}

export const ALERT_LIMIT = 50;
export const ENDED_RUN_LIMIT = 50;

export const TRIGGER_LOG_LIMIT = 200;

/** What the entity carries into its next execution on continue-as-new. */
export interface AccountCarry {
  data: AccountData;
  openRuns: string[];
  conditions: Record<string, boolean>;
  /** Keys of date firings already done: `<playbook>#<trigger>#<date>`. */
  fired: string[];
  triggerLog: TriggerRecord[];
  /** Recently seen event ids (bounded), for dedupe across continue-as-new. */
  seenEventIds: string[];
  /** Absent in carries from before they were kept. */
  runAccepts?: Record<string, RunAccepts>;
  unreachable?: string[];
  endedRuns?: EndedRun[];
  alerts?: EntityAlert[];
  /** When each playbook last started for the account (UTC ISO), for `at most once per`; absent: none recorded. */
  lastStarts?: Record<string, string>;
  /** The entries for the store not stored yet (account-journal.ts); absent in carries from before. */
  journal?: JournalCarry;
  /** Firings the enrollment throttle queued, oldest first; absent: none. */
  throttled?: HeldFiring[];
  /** How many firings the entity has asked a throttle about: the next ticket's number; absent: none. */
  throttleTickets?: number;
  /** Signals received but not processed yet, in arrival order. */
  pending: Array<
    | { kind: 'upsert'; signal: AccountUpsertSignal }
    | { kind: 'event'; signal: AccountEventSignal }
    | { kind: 'triggersChanged'; signal: TriggersChangedSignal }
    | { kind: 'throttleReleased'; signal: ThrottleReleasedSignal }
  >;
}
