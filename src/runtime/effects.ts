/**
 * Everything the interpreter needs from the outside world, and nothing more: time, waiting,
 * side effects, timeline output and cancellable concurrency. The simulator implements it on a
 * virtual clock, the Temporal workflow on Temporal's primitives, one to one:
 *
 *   now            → workflow `Date.now()`
 *   sleepUntil     → `sleep(t - Date.now())` (no timer when `t` is not in the future)
 *   waitFor        → `condition(cond, deadline - Date.now())` (checking `cond()` first)
 *   perform        → an activity from `proxyActivities`, run in `CancellationScope.nonCancellable`
 *   scope          → `new CancellationScope()`, `scope.run(fn)`; `cancel()`; `join()` awaits it
 *
 * Implementations throw `Cancelled` (translating the SDK's `CancelledFailure`) from every
 * call made inside a cancelled scope, `perform` included when the scope was cancelled before
 * the call; an action already started completes.
 */
import type { ResolvedCalendar } from '../calendar/types.js';
import type { AccountValue, AskIr, ContactPolicyIr, Severity } from '../ir/types.js';
import type { TimelineEntry } from './timeline.js';

export interface Effects {
  /** The current instant (epoch ms). */
  now(): number;
  /** Resolves at instant `t`; at once when `t` is not in the future. */
  sleepUntil(t: number): Promise<void>;
  /**
   * Resolves `true` as soon as `cond()` holds (at once if it already does), `false` at
   * `deadline` (null: no deadline). `cond` must be a pure read of run state; it is
   * re-evaluated whenever the run is blocked after something happened (an input, a timer,
   * an action's completion). `what` says what the run is waiting for, for status displays
   * (`event "kickoff.held"`, `task training`, `resume`; `goal <id>` for a goal's watch, which
   * holds nothing up and is not listed as a wait). `waitDeadline` is the wait's own
   * deadline when `deadline` is only its next reminder, also for status displays (default:
   * `deadline`).
   */
  waitFor(cond: () => boolean, deadline: number | null, what?: string, waitDeadline?: number | null): Promise<boolean>;
  /**
   * Performs a side effect once per `action.key`. Never cancelled once started (it may have
   * reached the outside world); a permanent failure resolves `{ ok: false }`, never rejects.
   */
  perform(action: Action): Promise<ActionResult>;
  /** Appends an entry to the run's timeline. */
  emit(entry: TimelineEntry): void;
  /**
   * Runs `fn` as a concurrent branch in a child cancellation scope; `fn` must use the
   * `Effects` it is given. Cancelling the scope makes its (and its children's) pending and
   * later waits throw `Cancelled`.
   */
  scope<T>(fn: (fx: Effects) => Promise<T>): Scope<T>;
  /** Whether the run should snapshot itself and continue in a fresh execution (Temporal history size). */
  shouldContinueAsNew(): boolean;
  /**
   * Continue-as-new from wherever the main branch is blocked, or null where a run never does
   * (the simulator unless a test asks; Temporal executions recorded before it could). `due` is
   * a pure check, folded into the main branch's waits; `begin` is called once the run hops.
   */
  readonly blockedHop: BlockedHop | null;
}

export interface BlockedHop {
  due(): boolean;
  begin(): void;
}

export interface Scope<T> {
  cancel(): void;
  /** Blocks the calling branch until the scope's branch settles, with its result or error. */
  join(): Promise<T>;
}

/** What a wait or action throws once its scope is cancelled. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'Cancelled';
  }
}

interface ActionBase {
  /** Idempotency key: `<node>#<n>` for the n-th execution of a step (see interpreter.ts). */
  key: string;
  /** The playbook whose step performs it (the child's id inside `run playbook`). */
  playbook: string;
}

/**
 * A contact-policy decision: may an email to `to` go out at `at` (epoch ms) under `policy`,
 * counted in `calendar`, deferred to the next opening of `sendWindow` when capped?
 */
export interface ContactRequest {
  to: string;
  at: number;
  policy: ContactPolicyIr;
  calendar: ResolvedCalendar;
  sendWindow: { from: string; to: string } | null;
}

/** A contact-policy question that rides on the email it is about (its `to`): see `Action` `email`. */
export type EmailQuestion = Omit<ContactRequest, 'to'>;

/** What the contact policy decided, reserved for the contact until the email goes (`send`, `defer`). */
export type ContactDecision = { kind: 'send'; at: number } | { kind: 'defer'; until: number } | { kind: 'skip'; reason: string };

export type Action =
  | (ActionBase & {
      kind: 'email';
      to: string;
      template: string;
      subject: string;
      body: string;
      /** v2 emails only (absent in older histories): copies, and the sender the step names (else the configured one). */
      cc?: string[];
      bcc?: string[];
      from?: EmailSender;
      /**
       * Under the contact policy (runs since the `contact-in-email` patch): decide first, keyed
       * like a `contact` action (`<key>:contact`), and send only when the answer is to send now;
       * answered with `contact` either way.
       */
      contact?: EmailQuestion;
    })
  /** Asks (and reserves) under the workspace's contact policy before an email; answered with `contact`. */
  | (ActionBase & { kind: 'contact' } & ContactRequest)
  | (ActionBase & { kind: 'notify'; to: string; text: string })
  | (ActionBase & { kind: 'task'; task: string; title: string; assignee: string; due: number | null; asks: AskIr[] })
  | (ActionBase & { kind: 'escalate'; to: string; severity: Severity; text: string })
  | (ActionBase & { kind: 'webhook'; endpoint: string; fields: Record<string, AccountValue> })
  | (ActionBase & { kind: 'set'; field: string; value: AccountValue });

export type EmailAction = Extract<Action, { kind: 'email' }>;

/** An email's sender as the step resolved it: a team member's address (its display name comes from configuration), or a mailbox written out. */
export interface EmailSender {
  address: string;
  /** null: the configured display name for the address, if any. */
  name: string | null;
}

/**
 * `suppressed`: an email that was not sent because its recipient opted out (the reason), or,
 * answering a `contact` action, a recipient skipped before any decision;
 * `contact`: the answer to a `contact` action, or to an `email` that asked (sent only if `send`).
 */
export type ActionResult = { ok: true; suppressed?: string; contact?: ContactDecision } | { ok: false; error: string };
