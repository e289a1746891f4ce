/**
 * The account entity's state and rules (see account-contract.ts): the account's data, the
 * runs it forwards updates and events to, the deployed triggers evaluated against both, and
 * what it carries into its next execution. What it needs from Temporal (time, its two
 * activities, signalling a run) comes through an `EntityPort`, so it runs without a server in
 * tests; account-workflow.ts wires it to handlers, the wake loop and continue-as-new.
 *
 * Inputs are only queued when they arrive; `drain` applies them in arrival order, so an update
 * and the event after it are seen in that order. Workflow-safe: no wall clock but the port's.
 */
import type { AccountData, AccountValue } from '../ir/types.js';
import {
  dueDateFirings,
  eventFirings,
  firingKey,
  nextWake,
  planDates,
  whenFirings,
  type TriggerContext,
} from '../triggers/evaluate.js';
import type { TriggerActivities } from './activities/trigger-options.js';
import {
  TRIGGER_LOG_LIMIT,
  type AccountCarry,
  type AccountEventSignal,
  type AccountState,
  type AccountUpsertSignal,
  type PlannedFiring,
  type StartOutcome,
  type StartPlaybookRequest,
  type TriggerKind,
  type TriggerRecord,
  type TriggersChangedSignal,
} from './account-contract.js';

/** An update or event as the entity forwards it to an open run. */
export type ForwardedInput = { kind: 'account'; fields: Record<string, AccountValue> } | { kind: 'event'; name: string; payload?: Record<string, unknown> };

export interface EntityPort {
  /** Workflow time, in ms. */
  now(): number;
  loadTriggers: TriggerActivities['loadTriggers'];
  startRun: TriggerActivities['startPlaybookRun'];
  /** Rejects when the run cannot be reached (it has closed). */
  signalRun(workflowId: string, input: ForwardedInput): Promise<void>;
}

/** Triggers are re-read at least this often, in case a deploy's notice was missed. */
export const CONTEXT_MAX_AGE_MS = 86_400_000;
const SEEN_EVENT_IDS_LIMIT = 500;

type Input = AccountCarry['pending'][number];

export class AccountEntity {
  private data: AccountData;
  private readonly openRuns: Set<string>;
  private conditions: Record<string, boolean>;
  private readonly fired: Set<string>;
  private readonly triggerLog: TriggerRecord[];
  private readonly seenEventIds: string[];
  private readonly queue: Input[];
  private planned: PlannedFiring[] = [];
  private ctx = null as { value: TriggerContext; loadedAt: number } | null;
  private loading: Promise<TriggerContext> | null = null;
  /** Counts reads: a read that started before a deploy's notice must not overwrite a newer one. */
  private reads = 0;
  /** The newest generation a deploy's notice announced: a read must be at least that new. */
  private announced = 0;

  constructor(
    readonly accountId: string,
    private readonly port: EntityPort,
    carried?: AccountCarry,
  ) {
    this.data = carried?.data ?? { id: accountId };
    this.openRuns = new Set(carried?.openRuns ?? []);
    this.conditions = { ...carried?.conditions };
    this.fired = new Set(carried?.fired ?? []);
    this.triggerLog = [...(carried?.triggerLog ?? [])];
    this.seenEventIds = [...(carried?.seenEventIds ?? [])];
    this.queue = [...(carried?.pending ?? [])];
  }

  // -------------------------------------------------------------------------------------
  // Receiving (from signal handlers): queued, applied by `drain`

  upsert(signal: AccountUpsertSignal): void {
    this.queue.push({ kind: 'upsert', signal });
  }

  event(signal: AccountEventSignal): void {
    this.queue.push({ kind: 'event', signal });
  }

  triggersChanged(signal: TriggersChangedSignal): void {
    this.queue.push({ kind: 'triggersChanged', signal });
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
      pending: this.queue,
    };
  }

  // -------------------------------------------------------------------------------------
  // The manual trigger (the `startPlaybook` update)

  /**
   * Why a manual start would be refused, decided without reading the triggers (an update
   * validator cannot wait for an activity): null when allowed or when they are not at hand.
   */
  manualRefusalNow(playbook: string): string | null {
    const context = this.freshTriggers();
    return context === null ? null : manualStartRefusal(context, playbook);
  }

  async startManual({ playbook, by }: StartPlaybookRequest): Promise<StartOutcome> {
    const reason = manualStartRefusal(await this.triggers(), playbook);
    if (reason !== null) return { status: 'refused', reason };
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
    do await this.apply(this.queue.shift()!);
    while (this.queue.length > 0 && !stop());
  }

  /** Re-evaluates `when` conditions and date plans, then starts whatever fired. */
  async evaluateTriggers(): Promise<void> {
    const context = await this.triggers();
    const now = this.port.now();
    const edges = whenFirings(context, this.data, now, this.conditions);
    this.conditions = edges.conditions;
    this.planned = planDates(context, this.data, now, this.fired);
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

  private async apply(item: Input): Promise<void> {
    switch (item.kind) {
      case 'upsert': {
        const { fields, sourceRun } = item.signal;
        this.data = { ...this.data, ...fields, id: this.accountId };
        await this.forward({ kind: 'account', fields }, sourceRun);
        await this.evaluateTriggers();
        return;
      }
      case 'event': {
        const { name, payload, eventId } = item.signal;
        if (eventId !== undefined) {
          if (this.seenEventIds.includes(eventId)) return;
          this.seenEventIds.push(eventId);
          this.seenEventIds.splice(0, Math.max(0, this.seenEventIds.length - SEEN_EVENT_IDS_LIMIT));
        }
        await this.forward({ kind: 'event', name, ...(payload !== undefined && { payload }) });
        for (const firing of eventFirings(await this.triggers(), name, this.data, this.port.now())) await this.start(firing);
        return;
      }
      case 'triggersChanged':
        if (this.ctx !== null && this.ctx.value.generation >= item.signal.generation) return;
        this.announced = Math.max(this.announced, item.signal.generation);
        this.ctx = null;
        this.loading = null;
        await this.evaluateTriggers();
        return;
    }
  }

  /** Sends to every open run but `except`; a run that has closed is dropped. */
  private async forward(input: ForwardedInput, except?: string): Promise<void> {
    const targets = [...this.openRuns].filter((id) => id !== except);
    const results = await Promise.allSettled(targets.map((id) => this.port.signalRun(id, input)));
    results.forEach((r, i) => {
      if (r.status === 'rejected') this.openRuns.delete(targets[i]!);
    });
  }

  private async start(firing: { playbook: string; kind: TriggerKind; detail: string }): Promise<StartOutcome> {
    const outcome = await this.port.startRun({ account: this.data, playbook: firing.playbook });
    const record: TriggerRecord = { at: new Date(this.port.now()).toISOString(), playbook: firing.playbook, kind: firing.kind, detail: firing.detail, outcome: 'failed' };
    if (outcome.status === 'refused') record.error = outcome.reason;
    else {
      this.openRuns.add(outcome.workflowId);
      record.outcome = outcome.status;
      record.workflowId = outcome.workflowId;
      if (outcome.status === 'started') record.version = outcome.version;
    }
    this.triggerLog.push(record);
    this.triggerLog.splice(0, Math.max(0, this.triggerLog.length - TRIGGER_LOG_LIMIT));
    return outcome;
  }

  /** The deployed triggers when read recently enough, else null. */
  private freshTriggers(): TriggerContext | null {
    return this.ctx !== null && this.port.now() - this.ctx.loadedAt < CONTEXT_MAX_AGE_MS ? this.ctx.value : null;
  }

  /** The deployed triggers, re-read when stale; concurrent callers share one read. */
  private async triggers(): Promise<TriggerContext> {
    const fresh = this.freshTriggers();
    if (fresh !== null) return fresh;
    if (this.loading === null) {
      const read = ++this.reads;
      const started = this.port.now();
      const minGeneration = this.announced;
      this.loading = this.port.loadTriggers({ accountId: this.accountId, account: this.data, ...(minGeneration > 0 && { minGeneration }) }).then((value) => {
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
  if (!deployed.triggers.some((t) => t.kind === 'manual')) return `playbook ${playbook} has no \`trigger manual\`: it starts by its own triggers`;
  return null;
}
