/**
 * The account entity's state and rules (see account-contract.ts): the account's data, the
 * runs it forwards updates and events to, the deployed triggers evaluated against both, and
 * what it carries into its next execution. What it needs from Temporal (time, its two
 * activities, signalling a run) comes through an `EntityPort`, so it runs without a server in
 * tests; account-workflow.ts wires it to handlers, the wake loop and continue-as-new.
 *
 * Inputs are only queued when they arrive; `drain` applies them in arrival order, so an update
 * and the event after it are seen in that order. The queue is bounded (event-limits.ts): the
 * event update is refused while it is full. A run is forwarded only what its version can use,
 * and is never dropped because a signal failed: it is retried and alerted, or recorded as
 * ended when it was terminated. Workflow-safe: no wall clock but the port's.
 */
import type { AccountData, AccountValue } from '../ir/types.js';
import {
  dueDateFirings,
  eventFirings,
  firingKey,
  inCooldown,
  nextWake,
  planCadences,
  planDates,
  whenFirings,
  type DeployedTriggers,
  type Firing,
  type PlannedFiring,
  type TriggerContext,
} from '../triggers/evaluate.js';
import { workflowIdOf } from './contract.js';
import { ACCOUNT_DATA_MAX_BYTES, accountDataProblem } from '../ir/account-check.js';
import type { ProjectionActivities } from './activities/projection-options.js';
import type { TriggerActivities } from './activities/trigger-options.js';
import { AccountJournal } from './account-journal.js';
import {
  ALERT_LIMIT,
  ENDED_RUN_LIMIT,
  TRIGGER_LOG_LIMIT,
  type AccountCarry,
  type EndedRun,
  type EntityAlert,
  type RunAccepts,
  type AccountEventSignal,
  type AccountState,
  type AccountUpsertSignal,
  type ForwardedInput,
  type StartOutcome,
  type StartPlaybookRequest,
  type HeldFiring,
  type ThrottleReleasedSignal,
  type TriggerKind,
  type TriggerRecord,
  type TriggersChangedSignal,
  DISABLED_REASON,
  disabledReason,
} from './account-contract.js';
import type { ThrottleDroppedSignal } from './throttle-contract.js';
import { DEFAULT_MAX_PENDING_INPUTS, ENTITY_MAX_EVENT_PAYLOAD_BYTES, MAX_PENDING_PAYLOAD_BYTES, eventPayloadProblem, payloadSize } from './event-limits.js';

export interface EntityPort {
  /** Workflow time, in ms. */
  now(): number;
  loadTriggers: TriggerActivities['loadTriggers'];
  startRun: TriggerActivities['startPlaybookRun'];
  /**
   * Rejects when the run cannot be reached (it has closed, or refuses more signals).
   * `delivery` names this input's send to this run, the same on every try of it: a try that
   * got through unbeknown to the entity is not delivered twice.
   */
  signalRun(workflowId: string, input: ForwardedInput, delivery: string): Promise<void>;
  /** Temporal's status of a run (`RUNNING`, `COMPLETED`, `TERMINATED` …), null when unknown. */
  runStatus(workflowId: string): Promise<string | null>;
  sleep(ms: number): Promise<void>;
  /** Also written to the worker's log. */
  alert(alert: EntityAlert): void;
  /**
   * Whether a run that cannot be signalled is looked at (kept, retried, or recorded as ended)
   * rather than dropped: false for histories from before (a patch).
   */
  keepsUnreachableRuns(): boolean;
  /** Whether `unless running` and `at most once per` hold firings back: false for histories from before (a patch). */
  honoursTriggerGuards(): boolean;
  /** Whether an upsert that takes the data over its bound is dropped: false for histories from before (a patch). */
  boundsAccountData(): boolean;
  /** Whether the entity keeps a journal for the store: false for histories from before it (a patch). */
  journals(): boolean;
  /** Whether cadence triggers (`every …`) are planned and fired: false for histories from before (a patch, asked only when one is deployed). */
  firesCadences(): boolean;
  /** Whether a firing of a playbook the triggers read say is disabled is decided on a fresh read: false for histories from before (a patch). */
  rereadsBeforeRefusing(): boolean;
  /** Whether a firing of a playbook with `start at most N per day` asks its throttle first: false for histories from before (a patch, asked only for such a firing). */
  throttles(): boolean;
  admitThrottled: TriggerActivities['admitThrottled'];
  /** Hands a start the throttle counted back to it (the `throttleDropped` signal); rejects when its gate cannot be reached. */
  throttleDropped(playbook: string, signal: ThrottleDroppedSignal): Promise<void>;
  projectAccount: ProjectionActivities['projectAccount'];
}

/** A failed signal is tried again after these pauses; a run already failing gets one try per input. */
const SIGNAL_RETRY_MS = [1_000, 4_000];

/** Triggers are re-read at least this often, in case a deploy's notice was missed. */
export const CONTEXT_MAX_AGE_MS = 86_400_000;
const SEEN_EVENT_IDS_LIMIT = 500;
/**
 * Firings of the account the throttles may hold at once, and the bytes of their bound events:
 * with them the carry stays inside Temporal's payload limit. Past either a firing is dropped.
 */
export const HELD_FIRINGS_LIMIT = 20;
export const HELD_FIRINGS_BYTES = 256 * 1024;

type Input = AccountCarry['pending'][number];

/** Why the entity refuses an event, as the update's failure type and message. */
export interface EventRefusal {
  type: 'EventTooLarge' | 'AccountBusy';
  message: string;
}

export class AccountEntity {
  private data: AccountData;
  private readonly openRuns: Set<string>;
  private conditions: Record<string, boolean>;
  private readonly fired: Set<string>;
  private readonly triggerLog: TriggerRecord[];
  private readonly seenEventIds: string[];
  private readonly queue: Input[];
  /** Bytes of the event payloads in `queue`. */
  private queuedBytes = 0;
  private readonly runAccepts: Map<string, RunAccepts>;
  /** Open runs whose last signal failed although they run. */
  private readonly unreachable: Set<string>;
  private readonly endedRuns: EndedRun[];
  private readonly alerts: EntityAlert[];
  private readonly lastStarts: Record<string, string>;
  /** Firings the throttles queued, oldest first, with what their runs start with. */
  private readonly held: HeldFiring[];
  private throttleTickets: number;
  /** Sends forwarded by this execution, naming each (`EntityPort.signalRun`'s `delivery`). */
  private forwarded = 0;
  /** What reaches the store: upserts, events, trigger firings (account-journal.ts). */
  private readonly journal: AccountJournal;
  private planned: PlannedFiring[] = [];
  private ctx = null as { value: TriggerContext; loadedAt: number } | null;
  private loading: Promise<TriggerContext> | null = null;
  /** Counts reads: a read that started before a deploy's notice must not overwrite a newer one. */
  private reads = 0;
  /** The newest generation a deploy's notice announced: a read must be at least that new. */
  private announced = 0;
  /** The server's signal limit the worker was told, from the last read of the triggers. */
  private signalLimitTold: number | undefined;

  constructor(
    readonly accountId: string,
    private readonly port: EntityPort,
    carried?: AccountCarry,
    private readonly maxPending = DEFAULT_MAX_PENDING_INPUTS,
  ) {
    this.data = carried?.data ?? { id: accountId };
    this.openRuns = new Set(carried?.openRuns ?? []);
    this.conditions = { ...carried?.conditions };
    this.fired = new Set(carried?.fired ?? []);
    this.triggerLog = [...(carried?.triggerLog ?? [])];
    this.seenEventIds = [...(carried?.seenEventIds ?? [])];
    this.queue = [...(carried?.pending ?? [])];
    for (const item of this.queue) this.queuedBytes += bytesOf(item);
    this.runAccepts = new Map(Object.entries(carried?.runAccepts ?? {}));
    this.unreachable = new Set(carried?.unreachable ?? []);
    this.endedRuns = [...(carried?.endedRuns ?? [])];
    this.alerts = [...(carried?.alerts ?? [])];
    this.lastStarts = { ...carried?.lastStarts };
    this.held = [...(carried?.throttled ?? [])];
    this.throttleTickets = carried?.throttleTickets ?? 0;
    this.journal = new AccountJournal(
      accountId,
      {
        journals: () => port.journals(),
        project: (flush) => port.projectAccount(flush),
        dropped: (count) => this.alert({ message: `the store was unreachable too long: ${count} older entries for it were dropped unstored` }),
      },
      carried?.journal,
    );
  }

  // -------------------------------------------------------------------------------------
  // Receiving (from signal handlers): queued, applied by `drain`

  upsert(signal: AccountUpsertSignal): void {
    this.queue.push({ kind: 'upsert', signal });
  }

  /** An event as a signal, which cannot be refused: one too large is recorded and dropped. */
  event(signal: AccountEventSignal): void {
    const tooLarge = eventPayloadProblem(signal.payload, ENTITY_MAX_EVENT_PAYLOAD_BYTES, "the account entity's limit");
    if (tooLarge !== null) {
      const { name, by, eventId } = signal;
      this.journal.record({
        kind: 'event',
        at: this.nowIso(),
        name,
        by,
        ...(eventId !== undefined && { eventId }),
        outcome: 'dropped',
        reached: [],
        error: tooLarge,
      });
      return this.alert({ message: `event "${signal.name}" dropped: ${tooLarge}` });
    }
    this.queue.push({ kind: 'event', signal });
    this.queuedBytes += bytesOf({ kind: 'event', signal });
  }

  /** Why the event update would be refused, or null: too large, or the queue is full. */
  eventRefusal(signal: AccountEventSignal): EventRefusal | null {
    const tooLarge = eventPayloadProblem(signal.payload, ENTITY_MAX_EVENT_PAYLOAD_BYTES, "the account entity's limit");
    if (tooLarge !== null) return { type: 'EventTooLarge', message: tooLarge };
    const bytes = payloadSize(signal.payload).bytes;
    if (this.queue.length >= this.maxPending || (this.queue.length > 0 && this.queuedBytes + bytes > MAX_PENDING_PAYLOAD_BYTES)) {
      return { type: 'AccountBusy', message: `account ${this.accountId} has ${this.queue.length} inputs waiting; try again shortly` };
    }
    return null;
  }

  triggersChanged(signal: TriggersChangedSignal): void {
    // A switch's notice makes the triggers held stale at once: a manual start's validator
    // (which runs before the queue is applied) then leaves the decision to the handler's fresh read.
    if (signal.switched === true) this.forgetTriggers(signal.generation);
    this.queue.push({ kind: 'triggersChanged', signal });
  }

  /** A firing the playbook's throttle queued may start now: applied in arrival order, like every input. */
  throttleReleased(signal: ThrottleReleasedSignal): void {
    this.queue.push({ kind: 'throttleReleased', signal });
  }

  /** `temporal.maxSignalsPerExecution` as the worker was told it; undefined before the triggers were read (the default then). */
  signalLimit(): number | undefined {
    return this.signalLimitTold;
  }

  hasPending(): boolean {
    return this.queue.length > 0;
  }

  state(): AccountState {
    return {
      accountId: this.accountId,
      data: this.data,
      openRuns: [...this.openRuns],
      planned: this.planned,
      conditions: this.conditions,
      triggerLog: this.triggerLog,
      generation: this.ctx?.value.generation ?? null,
      endedRuns: this.endedRuns,
      alerts: this.alerts,
    };
  }

  /** What the next execution starts from: everything but plans and triggers, which it makes again. */
  carry(): AccountCarry {
    return {
      data: this.data,
      openRuns: [...this.openRuns],
      conditions: this.conditions,
      fired: [...this.fired],
      triggerLog: this.triggerLog,
      seenEventIds: this.seenEventIds,
      runAccepts: Object.fromEntries(this.runAccepts),
      unreachable: [...this.unreachable],
      endedRuns: this.endedRuns,
      alerts: this.alerts,
      ...(Object.keys(this.lastStarts).length > 0 && { lastStarts: this.lastStarts }),
      ...(this.held.length > 0 && { throttled: this.held }),
      ...(this.throttleTickets > 0 && { throttleTickets: this.throttleTickets }),
      pending: this.queue,
      journal: this.journal.carry(),
    };
  }

  /** A blocking point: entries the store lacks are sent (account-journal.ts), without waiting. */
  settleStore(): void {
    this.journal.settle(() => this.data);
  }

  // -------------------------------------------------------------------------------------
  // The manual trigger (the `startPlaybook` update)

  /**
   * Why a manual start would be refused, decided without reading the triggers (an update
   * validator cannot wait for an activity): null when allowed or when they are not at hand.
   */
  manualRefusalNow(playbook: string, minGeneration = 0): string | null {
    const context = this.freshTriggers(minGeneration);
    return context === null ? null : manualStartRefusal(context, playbook);
  }

  async startManual({ playbook, by, minGeneration = 0 }: StartPlaybookRequest): Promise<StartOutcome> {
    const reason = manualStartRefusal(await this.triggers(minGeneration), playbook);
    if (reason !== null) {
      this.journal.record({ kind: 'trigger', at: this.nowIso(), playbook, trigger: 'manual', detail: `manual by ${by}`, outcome: 'refused', error: reason });
      return { status: 'refused', reason };
    }
    return this.start({ playbook, kind: 'manual', detail: `manual by ${by}` });
  }

  // -------------------------------------------------------------------------------------
  // Applying

  /**
   * Applies the queued inputs in arrival order. Under a steady stream the queue may never
   * empty, so it stops once `stop()` says so (after at least one input, so every execution
   * makes progress); the rest is carried.
   */
  async drain(stop: () => boolean): Promise<void> {
    if (this.queue.length === 0) return;
    do await this.apply(this.take());
    while (this.queue.length > 0 && !stop());
  }

  /** Re-evaluates `when` conditions and date plans, then starts whatever fired. */
  async evaluateTriggers(): Promise<void> {
    const context = await this.triggers();
    const now = this.port.now();
    const edges = whenFirings(context, this.data, now, this.conditions);
    this.conditions = edges.conditions;
    this.planned = planDates(context, this.data, now, this.fired);
    if (context.playbooks.some((p) => p.triggers.some((t) => t.kind === 'every')) && this.port.firesCadences()) {
      const cadences = planCadences(context, now, this.fired);
      for (const key of cadences.spent) this.fired.delete(key);
      this.planned = [...this.planned, ...cadences.planned].sort((a, b) => a.fireAt.localeCompare(b.fireAt));
    }
    const dates = dueDateFirings(context, this.planned, this.data, now);
    for (const p of dates.due) this.fired.add(firingKey(p));
    this.planned = this.planned.filter((p) => !dates.due.includes(p));
    for (const firing of [...edges.firings, ...dates.firings]) await this.start(firing);
  }

  /**
   * When the entity must next evaluate its triggers without an input: a planned firing, a
   * local midnight, or the daily re-read of the triggers; null before the first read.
   */
  nextWake(): number | null {
    if (this.ctx === null) return null;
    return Math.min(nextWake(this.ctx.value, this.planned, this.port.now()) ?? Infinity, this.ctx.loadedAt + CONTEXT_MAX_AGE_MS);
  }

  private take(): Input {
    const item = this.queue.shift()!;
    this.queuedBytes -= bytesOf(item);
    return item;
  }

  private async apply(item: Input): Promise<void> {
    switch (item.kind) {
      case 'upsert': {
        const { fields, sourceRun, by, maxDataBytes } = item.signal;
        const limit = Math.min(maxDataBytes ?? ACCOUNT_DATA_MAX_BYTES, ACCOUNT_DATA_MAX_BYTES);
        const tooLarge = accountDataProblem(this.data, fields, limit, maxDataBytes === undefined ? "the account entity's limit" : 'api.maxAccountDataBytes');
        if (tooLarge !== null && this.port.boundsAccountData()) return this.alert({ message: `upsert by ${by} dropped: ${tooLarge}` });
        this.data = { ...this.data, ...fields, id: this.accountId };
        this.journal.record({ kind: 'upsert', at: this.nowIso(), by, fields });
        await this.forward({ kind: 'account', fields }, sourceRun);
        await this.evaluateTriggers();
        return;
      }
      case 'event': {
        const { name, payload, eventId, by, payloadRef } = item.signal;
        const received = { kind: 'event', at: this.nowIso(), name, by, ...(eventId !== undefined && { eventId }) } as const;
        if (eventId !== undefined) {
          if (this.seenEventIds.includes(eventId)) return void this.journal.record({ ...received, outcome: 'duplicate', reached: [] });
          this.seenEventIds.push(eventId);
          this.seenEventIds.splice(0, Math.max(0, this.seenEventIds.length - SEEN_EVENT_IDS_LIMIT));
        }
        const reached = await this.forward({ kind: 'event', name, ...(payload !== undefined && { payload }) });
        const event =
          this.journal.record({
            ...received,
            ...(payload !== undefined && { payload }),
            ...(payloadRef !== undefined && { payloadRef }),
            outcome: 'applied',
            reached,
          }) ?? undefined;
        for (const firing of eventFirings(await this.triggers(), name, payload ?? {}, this.data, this.port.now())) await this.start({ ...firing, event });
        return;
      }
      case 'triggersChanged':
        // A switch's notice dropped the triggers as it arrived: held again, they were read since.
        if (this.ctx !== null && this.ctx.value.generation >= item.signal.generation) return;
        this.forgetTriggers(item.signal.generation);
        await this.evaluateTriggers();
        return;
      case 'throttleReleased':
        return this.released(item.signal);
    }
  }

  /**
   * Sends to every open run but `except` what its version can use (all of it to a run whose
   * version the entity does not know). A run that completed is dropped; one that ended
   * otherwise is recorded as ended; one still running that a signal could not reach is kept,
   * retried and alerted. Resolves with the runs it reached.
   */
  private async forward(input: ForwardedInput, except?: string): Promise<string[]> {
    const sends = [...this.openRuns].flatMap((id) => {
      if (id === except) return [];
      const fitted = this.fitted(id, input);
      return fitted === null ? [] : [[id, fitted, String(this.forwarded++)] as const];
    });
    const results = await Promise.allSettled(sends.map(([id, fitted, delivery]) => this.port.signalRun(id, fitted, delivery)));
    if (results.every((r) => r.status === 'fulfilled')) {
      for (const [id] of sends) this.unreachable.delete(id);
      return sends.map(([id]) => id);
    }
    if (!this.port.keepsUnreachableRuns()) {
      results.forEach((r, i) => {
        if (r.status === 'rejected') this.openRuns.delete(sends[i]![0]);
      });
      return sends.filter((_, i) => results[i]!.status === 'fulfilled').map(([id]) => id);
    }
    const reached = await Promise.all(
      results.map(async (r, i) => {
        const [id, fitted, delivery] = sends[i]!;
        if (r.status === 'fulfilled') {
          this.unreachable.delete(id);
          return true;
        }
        return this.retry(id, fitted, delivery, r.reason);
      }),
    );
    return sends.filter((_, i) => reached[i]).map(([id]) => id);
  }

  /** `input` cut to what run `id` can use, or null when it can use none of it. */
  private fitted(id: string, input: ForwardedInput): ForwardedInput | null {
    const accepts = this.runAccepts.get(id);
    if (accepts === undefined) return input;
    if (input.kind === 'event') return accepts.events.includes(input.name) ? input : null;
    const fields = Object.fromEntries(Object.entries(input.fields).filter(([f]) => accepts.fields.includes(f)));
    return Object.keys(fields).length === 0 ? null : { kind: 'account', fields };
  }

  /** Resolves true when a later try reached the run. */
  private async retry(id: string, input: ForwardedInput, delivery: string, error: unknown): Promise<boolean> {
    const pauses = this.unreachable.has(id) ? [] : SIGNAL_RETRY_MS;
    let last = error;
    for (let attempt = 0; ; attempt++) {
      const status = await this.port.runStatus(id);
      if (status !== 'RUNNING' && status !== null) {
        this.ended(id, status);
        return false;
      }
      if (attempt >= pauses.length) break;
      await this.port.sleep(pauses[attempt]!);
      try {
        await this.port.signalRun(id, input, delivery);
        this.unreachable.delete(id);
        return true;
      } catch (e) {
        last = e;
      }
    }
    this.unreachable.add(id);
    const what = input.kind === 'event' ? `event "${input.name}"` : 'an account update';
    this.alert({
      workflowId: id,
      message: `${what} did not reach run ${id}: ${last instanceof Error ? last.message : String(last)}; the run is kept and tried again with the next input`,
    });
    return false;
  }

  /** A run that completed leaves the open runs quietly; one that ended otherwise is recorded. */
  private ended(id: string, status: string): void {
    this.openRuns.delete(id);
    this.unreachable.delete(id);
    this.runAccepts.delete(id);
    if (status === 'COMPLETED') return;
    const at = new Date(this.port.now()).toISOString();
    this.endedRuns.push({ workflowId: id, status, at });
    this.endedRuns.splice(0, Math.max(0, this.endedRuns.length - ENDED_RUN_LIMIT));
    this.alert({ workflowId: id, message: `run ${id} ended (${status.toLowerCase()}) while open` });
  }

  private nowIso(): string {
    return new Date(this.port.now()).toISOString();
  }

  private alert(alert: Omit<EntityAlert, 'at'>): void {
    const full = { at: new Date(this.port.now()).toISOString(), ...alert };
    this.alerts.push(full);
    this.alerts.splice(0, Math.max(0, this.alerts.length - ALERT_LIMIT));
    this.port.alert(full);
  }

  /** `event`: the journal seq of the event that fired it. */
  private async start(firing: Omit<Firing, 'kind'> & { kind: TriggerKind; event?: number | undefined }): Promise<StartOutcome> {
    const at = new Date(this.port.now()).toISOString();
    const disabled = await this.disabledNow(firing.playbook);
    if (disabled !== undefined) {
      const reason = disabledReason(disabled);
      this.log({ at, playbook: firing.playbook, kind: firing.kind, detail: firing.detail, outcome: 'refused', error: reason }, firing.event);
      return { status: 'refused', reason };
    }
    const held = firing.guards !== undefined && this.port.honoursTriggerGuards() ? await this.heldBack(firing) : null;
    if (held !== null) {
      this.log({ at, playbook: firing.playbook, kind: firing.kind, detail: firing.detail, outcome: 'suppressed', error: held }, firing.event);
      return { status: 'refused', reason: held };
    }
    // Manual starts are neither held nor counted: the throttle paces what triggers start.
    let counted: ThrottleDroppedSignal | null = null;
    if (firing.throttle !== undefined && firing.kind !== 'manual' && this.port.throttles()) {
      const asked = await this.askThrottle({ ...firing, kind: firing.kind, throttle: firing.throttle }, at);
      if ('status' in asked) return asked;
      counted = asked;
    }
    const outcome = await this.port.startRun({ account: this.data, playbook: firing.playbook, ...(firing.bindings && { bindings: firing.bindings }) });
    const record: TriggerRecord = { at, playbook: firing.playbook, kind: firing.kind, detail: firing.detail, outcome: 'failed' };
    if (outcome.status === 'started' && this.port.honoursTriggerGuards()) this.lastStarts[firing.playbook] = at;
    if (outcome.status === 'refused') {
      record.error = outcome.reason;
      // Switched off after the triggers were read: the activity, which reads the switch too, refused.
      if (outcome.reason.startsWith(DISABLED_REASON)) record.outcome = 'refused';
    } else {
      this.opened(outcome);
      record.outcome = outcome.status;
      record.workflowId = outcome.workflowId;
      if (outcome.status === 'started') record.version = outcome.version;
    }
    this.log(record, firing.event);
    if (counted !== null && outcome.status !== 'started') await this.handBack(firing.playbook, counted);
    return outcome;
  }

  /** A run that started or was open already: forwarded to from now on. */
  private opened(outcome: Exclude<StartOutcome, { status: 'refused' }>): void {
    this.openRuns.add(outcome.workflowId);
    if (outcome.status === 'started' && outcome.accepts !== undefined) this.runAccepts.set(outcome.workflowId, outcome.accepts);
  }

  /**
   * Who disabled the playbook when, or undefined while it is enabled. Disabled in the triggers
   * held? Enabled again since the read, maybe: its notice misses an entity that visibility does
   * not list yet (one created a moment before), so that is decided on triggers read now.
   */
  private async disabledNow(playbook: string): Promise<DeployedTriggers['disabled']> {
    const disabledIn = (ctx: TriggerContext | undefined) => ctx?.playbooks.find((p) => p.playbook === playbook)?.disabled;
    const disabled = disabledIn(this.ctx?.value);
    if (disabled === undefined || !this.port.rereadsBeforeRefusing()) return disabled;
    this.ctx = null;
    this.loading = null;
    return disabledIn(await this.triggers());
  }

  /**
   * Asks the playbook's throttle about a firing: the day it is counted on when it starts now;
   * otherwise the firing is queued (held here until released) or dropped, and logged so.
   */
  private async askThrottle(
    firing: Omit<HeldFiring, 'ticket' | 'firedAt'> & { throttle: NonNullable<Firing['throttle']> },
    at: string,
  ): Promise<ThrottleDroppedSignal | StartOutcome> {
    const { throttle, ...rest } = firing;
    const base = { at, playbook: firing.playbook, kind: firing.kind, detail: firing.detail };
    const bytes = this.held.reduce((sum, h) => sum + payloadSize(h.bindings).bytes, payloadSize(firing.bindings).bytes);
    if (this.held.length >= HELD_FIRINGS_LIMIT || bytes > HELD_FIRINGS_BYTES) {
      const reason = `${this.held.length} firings of this account wait in the throttle queues already (at most ${HELD_FIRINGS_LIMIT}, ${HELD_FIRINGS_BYTES} bytes of events)`;
      this.log({ ...base, outcome: 'dropped', error: reason }, firing.event);
      return { status: 'refused', reason };
    }
    const ticket = `${this.accountId}#${this.throttleTickets++}`;
    const request = { ticket, accountId: this.accountId, firedAt: at, trigger: firing.kind, perDay: throttle.perDay, timezone: throttle.timezone };
    const admission = await this.port.admitThrottled({ playbook: firing.playbook, request });
    if (admission.status === 'admitted') return { ticket, day: admission.day };
    if (admission.status === 'full') {
      const reason = `the enrollment throttle's queue is full (${admission.waiting} firings wait)`;
      this.log({ ...base, outcome: 'dropped', error: reason }, firing.event);
      return { status: 'refused', reason };
    }
    this.held.push({ ...rest, ticket, firedAt: at });
    const note = `by the enrollment throttle (${admission.perDay} per day), position ${admission.position}`;
    this.log({ ...base, outcome: 'queued', note }, firing.event);
    return { status: 'refused', reason: `queued ${note}` };
  }

  /**
   * The throttle's turn for a firing it queued: started with the event it fired with, on the
   * account's data now, unless it is no longer wanted — the playbook undeployed or disabled,
   * its guards holding it back, its run open already — when it is dropped with the reason and
   * its place handed back to the throttle.
   */
  private async released({ playbook, ticket, day }: ThrottleReleasedSignal): Promise<void> {
    const index = this.held.findIndex((h) => h.ticket === ticket);
    if (index < 0) return this.handBack(playbook, { ticket, day });
    const firing = this.held.splice(index, 1)[0]!;
    const at = this.nowIso();
    const base = { at, playbook, kind: firing.kind, detail: firing.detail };
    const deployed = (await this.triggers()).playbooks.some((p) => p.playbook === playbook);
    const disabled = deployed ? await this.disabledNow(playbook) : undefined;
    let reason = !deployed ? `playbook ${playbook} is not deployed` : disabled !== undefined ? disabledReason(disabled) : await this.heldBack(firing);
    if (reason === null) {
      const outcome = await this.port.startRun({ account: this.data, playbook, ...(firing.bindings && { bindings: firing.bindings }) });
      if (outcome.status === 'started') {
        this.lastStarts[playbook] = at;
        this.opened(outcome);
        const note = `from the throttle queue (fired ${firing.firedAt})`;
        return this.log({ ...base, outcome: 'started', workflowId: outcome.workflowId, version: outcome.version, note }, firing.event);
      }
      if (outcome.status === 'alreadyOpen') this.opened(outcome);
      reason = outcome.status === 'alreadyOpen' ? `its run ${outcome.workflowId} is open` : outcome.reason;
    }
    this.log({ ...base, outcome: 'dropped', error: reason }, firing.event);
    await this.handBack(playbook, { ticket, day });
  }

  /** A start the throttle counted that did not happen: its place goes back (a gate that cannot be reached has nothing to count). */
  private async handBack(playbook: string, signal: ThrottleDroppedSignal): Promise<void> {
    try {
      await this.port.throttleDropped(playbook, signal);
    } catch (e) {
      this.alert({
        message: `the enrollment throttle of ${playbook} could not be told of a start that did not happen: ${e instanceof Error ? e.message : String(e)}`,
      });
    }
  }

  /** `event`: the journal seq of the event that fired it. */
  private log(record: TriggerRecord, event: number | undefined): void {
    this.triggerLog.push(record);
    this.triggerLog.splice(0, Math.max(0, this.triggerLog.length - TRIGGER_LOG_LIMIT));
    const { at, playbook, kind, detail, outcome: result, workflowId, version, error, note } = record;
    this.journal.record({
      kind: 'trigger',
      at,
      playbook,
      trigger: kind,
      detail,
      outcome: result,
      ...(workflowId !== undefined && { workflowId }),
      ...(version !== undefined && { version }),
      ...(error !== undefined && { error }),
      ...(note !== undefined && { note }),
      ...(event !== undefined && { event }),
    });
  }

  /**
   * Why a firing's guards hold it back, or null. `unless running` asks the server about the
   * other playbook's run (the entity's open runs may list one that has completed since), so a
   * run that ended is no reason; `at most once per` counts from the playbook's last start.
   */
  private async heldBack(firing: Pick<Firing, 'playbook' | 'guards'>): Promise<string | null> {
    const { unlessRunning, atMostOncePer } = firing.guards ?? {};
    if (unlessRunning !== undefined) {
      const id = workflowIdOf(unlessRunning, this.accountId);
      const status = await this.port.runStatus(id);
      if (status === 'RUNNING') return `unless running ${unlessRunning}: its run ${id} is open`;
      if (status !== null && this.openRuns.has(id)) this.ended(id, status);
    }
    if (atMostOncePer !== undefined) {
      const last = this.lastStarts[firing.playbook];
      const calendar = this.ctx?.value.playbooks.find((p) => p.playbook === firing.playbook)?.calendar;
      if (calendar !== undefined && inCooldown(firing.guards, last, this.port.now(), calendar)) {
        return `at most once per ${atMostOncePer.amount} ${atMostOncePer.unit}${atMostOncePer.amount === 1 ? '' : 's'}: last started ${last}`;
      }
    }
    return null;
  }

  /** Drops the triggers held and any read in flight: the next use reads them anew, of at least `generation`. */
  private forgetTriggers(generation: number): void {
    this.announced = Math.max(this.announced, generation);
    this.ctx = null;
    this.loading = null;
  }

  /** The deployed triggers when read recently enough and of at least `minGeneration`, else null. */
  private freshTriggers(minGeneration = 0): TriggerContext | null {
    const ctx = this.ctx;
    return ctx !== null && this.port.now() - ctx.loadedAt < CONTEXT_MAX_AGE_MS && ctx.value.generation >= minGeneration ? ctx.value : null;
  }

  /** The deployed triggers, re-read when stale or older than `minGeneration`; concurrent callers share one read. */
  private async triggers(minGeneration = 0): Promise<TriggerContext> {
    const fresh = this.freshTriggers(minGeneration);
    if (fresh !== null) return fresh;
    if (minGeneration > this.announced) {
      // A caller has seen a newer deploy than any notice so far: a read in flight may be older.
      this.announced = minGeneration;
      this.loading = null;
    }
    if (this.loading === null) {
      const read = ++this.reads;
      const started = this.port.now();
      const minGeneration = this.announced;
      this.loading = this.port.loadTriggers({ accountId: this.accountId, account: this.data, ...(minGeneration > 0 && { minGeneration }) }).then((value) => {
        this.journal.storeIs(value.projectToStore === true);
        this.signalLimitTold = value.signalLimit;
        if (read === this.reads) {
          this.ctx = { value, loadedAt: started };
          this.loading = null;
        }
        return value;
      });
    }
    return this.loading;
  }
}

/** Why a manual start of `playbook` is refused, or null: it must be deployed with `trigger manual`. */
function manualStartRefusal(context: TriggerContext, playbook: string): string | null {
  const deployed = context.playbooks.find((p) => p.playbook === playbook);
  if (deployed === undefined) return `playbook ${playbook} is not deployed`;
  if (deployed.disabled !== undefined) return disabledReason(deployed.disabled);
  // Only a playbook with `parameters` has no trigger at all: its values come from the caller.
  if (deployed.triggers.length === 0)
    return `playbook ${playbook} has parameters: it runs only from another playbook, with \`run playbook ${playbook} with …\``;
  if (!deployed.triggers.some((t) => t.kind === 'manual')) return `playbook ${playbook} has no \`trigger manual\`: it starts by its own triggers`;
  return null;
}

function bytesOf(item: Input): number {
  return item.kind === 'event' ? payloadSize(item.signal.payload).bytes : 0;
}
