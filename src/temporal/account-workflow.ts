/**
 * The account entity (`account:<accountId>`, see account-contract.ts): the account's current
 * data, the runs it forwards updates and events to, and the deployed triggers evaluated
 * against both. Signals only queue inputs; one loop applies them in arrival order, so an
 * update and the event after it are seen in that order. Starts go through an activity
 * (`startPlaybookRun`): a run already open is recorded as `alreadyOpen`, never duplicated.
 */
import {
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  makeContinueAsNewFunc,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { AccountData } from '../ir/types.js';
import {
  dueDateFirings,
  eventFirings,
  firingKey,
  nextWake,
  planDates,
  whenFirings,
  type TriggerContext,
} from '../triggers/evaluate.js';
import { triggerActivityOptions, type TriggerActivities } from './activities/trigger-options.js';
import {
  TRIGGER_LOG_LIMIT,
  accountEventSignal,
  accountStateQuery,
  startPlaybookUpdate,
  triggersChangedSignal,
  upsertAccountSignal,
  type AccountCarry,
  type AccountWorkflowInput,
  type PlannedFiring,
  type StartOutcome,
  type TriggerKind,
  type TriggerRecord,
} from './account-contract.js';
import { continueAsNewDue } from './continue-as-new.js';
import { accountUpdatedSignal, eventSignal } from './contract.js';

const activities = proxyActivities<TriggerActivities>(triggerActivityOptions);

/** Triggers are re-read at least this often, in case a deploy's notice was missed. */
const CONTEXT_MAX_AGE_MS = 86_400_000;
const SEEN_EVENT_IDS_LIMIT = 500;
/** Patch id: a continued execution re-plans after applying the inputs waiting at its start. */
const REPLAN_AFTER_CARRIED_INPUTS = 'replan-after-carried-inputs';
/** Patch id: a long run of inputs is cut where the history is due to continue as new. */
const CONTINUE_AS_NEW_MID_DRAIN = 'continue-as-new-mid-drain';

type Input = AccountCarry['pending'][number];

export async function account(input: AccountWorkflowInput): Promise<void> {
  const { accountId, continueAsNewAfterEvents, carried } = input;
  let data: AccountData = carried?.data ?? { id: accountId };
  const openRuns = new Set(carried?.openRuns ?? []);
  let conditions: Record<string, boolean> = { ...carried?.conditions };
  const fired = new Set(carried?.fired ?? []);
  const triggerLog: TriggerRecord[] = [...(carried?.triggerLog ?? [])];
  const seenEventIds: string[] = [...(carried?.seenEventIds ?? [])];
  const queue: Input[] = [...(carried?.pending ?? [])];
  let planned: PlannedFiring[] = [];
  let ctx = null as { value: TriggerContext; loadedAt: number } | null;
  let loading: Promise<TriggerContext> | null = null;
  /** Counts reads: a read that started before a deploy's notice must not overwrite a newer one. */
  let reads = 0;
  /** The newest generation a deploy's notice announced: a read must be at least that new. */
  let announced = 0;

  setHandler(upsertAccountSignal, (signal) => void queue.push({ kind: 'upsert', signal }));
  setHandler(accountEventSignal, (signal) => void queue.push({ kind: 'event', signal }));
  setHandler(triggersChangedSignal, (signal) => void queue.push({ kind: 'triggersChanged', signal }));
  setHandler(accountStateQuery, () => ({
    accountId,
    data,
    openRuns: [...openRuns],
    planned,
    conditions,
    triggerLog,
    generation: ctx?.value.generation ?? null,
  }));
  setHandler(
    startPlaybookUpdate,
    async ({ playbook, by, minGeneration = 0 }) => {
      const reason = manualStartRefusal(await triggers(minGeneration), playbook);
      if (reason !== null) return { status: 'refused', reason };
      return start({ playbook, kind: 'manual', detail: `manual by ${by}` });
    },
    {
      // With the triggers at hand a refusal is decided here, so it leaves nothing in history;
      // without them (a validator cannot read them) the handler decides.
      validator: ({ playbook, minGeneration = 0 }) => {
        const context = freshTriggers(minGeneration);
        const reason = context === null ? null : manualStartRefusal(context, playbook);
        if (reason !== null) throw new Error(reason);
      },
    },
  );

  /** The deployed triggers when read recently enough and of at least `minGeneration`, else null. */
  function freshTriggers(minGeneration = 0): TriggerContext | null {
    return ctx !== null && Date.now() - ctx.loadedAt < CONTEXT_MAX_AGE_MS && ctx.value.generation >= minGeneration ? ctx.value : null;
  }

  /** The deployed triggers, re-read when stale or older than `minGeneration`; concurrent callers share one read. */
  async function triggers(minGeneration = 0): Promise<TriggerContext> {
    const fresh = freshTriggers(minGeneration);
    if (fresh !== null) return fresh;
    if (minGeneration > announced) {
      // A caller has seen a newer deploy than any notice so far: a read in flight may be older.
      announced = minGeneration;
      loading = null;
    }
    if (loading === null) {
      const read = ++reads;
      const started = Date.now();
      loading = activities.loadTriggers({ accountId, account: data, ...(announced > 0 && { minGeneration: announced }) }).then((value) => {
        if (read === reads) {
          ctx = { value, loadedAt: started };
          loading = null;
        }
        return value;
      });
    }
    return loading;
  }

  async function start(firing: { playbook: string; kind: TriggerKind; detail: string }): Promise<StartOutcome> {
    const outcome = await activities.startPlaybookRun({ account: data, playbook: firing.playbook });
    const record: TriggerRecord = { at: new Date(Date.now()).toISOString(), playbook: firing.playbook, kind: firing.kind, detail: firing.detail, outcome: 'failed' };
    if (outcome.status === 'refused') record.error = outcome.reason;
    else {
      openRuns.add(outcome.workflowId);
      record.outcome = outcome.status;
      record.workflowId = outcome.workflowId;
      if (outcome.status === 'started') record.version = outcome.version;
    }
    triggerLog.push(record);
    triggerLog.splice(0, Math.max(0, triggerLog.length - TRIGGER_LOG_LIMIT));
    return outcome;
  }

  /**
   * Applies the queued inputs in arrival order. Under a steady stream the queue may never
   * empty, so it stops (after at least one, so every execution makes progress) once the
   * history is due to continue as new; the rest is carried. Patched: executions before this
   * change drained the whole queue first.
   */
  async function drain(): Promise<void> {
    if (queue.length === 0) return;
    do await apply(queue.shift()!);
    while (queue.length > 0 && !(continueAsNewDue(continueAsNewAfterEvents) && patched(CONTINUE_AS_NEW_MID_DRAIN)));
  }

  /** Sends to every open run but `except`; a run that has closed is dropped. */
  async function forward(send: (workflowId: string) => Promise<void>, except?: string): Promise<void> {
    const targets = [...openRuns].filter((id) => id !== except);
    const results = await Promise.allSettled(targets.map(send));
    results.forEach((r, i) => {
      if (r.status === 'rejected') openRuns.delete(targets[i]!);
    });
  }

  /** Re-evaluates `when` conditions and date plans, then starts whatever fired. */
  async function evaluateTriggers(): Promise<void> {
    const context = await triggers();
    const now = Date.now();
    const edges = whenFirings(context, data, now, conditions);
    conditions = edges.conditions;
    planned = planDates(context, data, now, fired);
    const dates = dueDateFirings(context, planned, data, now);
    for (const p of dates.due) fired.add(firingKey(p));
    planned = planned.filter((p) => !dates.due.includes(p));
    for (const firing of [...edges.firings, ...dates.firings]) await start(firing);
  }

  async function apply(item: Input): Promise<void> {
    switch (item.kind) {
      case 'upsert': {
        const { fields, sourceRun } = item.signal;
        data = { ...data, ...fields, id: accountId };
        await forward((id) => getExternalWorkflowHandle(id).signal(accountUpdatedSignal, { fields, broadcast: true }), sourceRun);
        await evaluateTriggers();
        return;
      }
      case 'event': {
        const { name, payload, eventId } = item.signal;
        if (eventId !== undefined) {
          if (seenEventIds.includes(eventId)) return;
          seenEventIds.push(eventId);
          seenEventIds.splice(0, Math.max(0, seenEventIds.length - SEEN_EVENT_IDS_LIMIT));
        }
        await forward((id) => getExternalWorkflowHandle(id).signal(eventSignal, { name, ...(payload !== undefined && { payload }), broadcast: true }));
        for (const firing of eventFirings(await triggers(), name, data, Date.now())) await start(firing);
        return;
      }
      case 'triggersChanged':
        if (ctx !== null && ctx.value.generation >= item.signal.generation) return;
        announced = Math.max(announced, item.signal.generation);
        ctx = null;
        loading = null;
        await evaluateTriggers();
        return;
    }
  }

  // After continue-as-new: plans and timers are not carried, they are made again once the
  // inputs waiting at the start are applied (an event alone would not make them). Patched:
  // executions continued before this change made them only when no input was waiting.
  if (carried !== undefined && (queue.length === 0 || patched(REPLAN_AFTER_CARRIED_INPUTS))) {
    await drain();
    await evaluateTriggers();
  }
  for (;;) {
    // Besides planned firings and midnights, the triggers are re-read daily in case a deploy's notice was missed.
    const wake = ctx === null ? null : Math.min(nextWake(ctx.value, planned, Date.now()) ?? Infinity, ctx.loadedAt + CONTEXT_MAX_AGE_MS);
    const wokenByInput = wake === null ? (await condition(() => queue.length > 0), true) : await condition(() => queue.length > 0, Math.max(1, wake - Date.now()));
    if (wokenByInput) {
      await drain();
    } else {
      await evaluateTriggers();
    }
    if (continueAsNewDue(continueAsNewAfterEvents)) {
      await condition(allHandlersFinished);
      const next: AccountCarry = { data, openRuns: [...openRuns], conditions, fired: [...fired], triggerLog, seenEventIds, pending: queue };
      // The account id search attribute set at the start goes along explicitly.
      await makeContinueAsNewFunc<typeof account>({ typedSearchAttributes: workflowInfo().typedSearchAttributes })({ ...input, carried: next });
    }
  }
}

/** Why a manual start of `playbook` is refused, or null: it must be deployed with `trigger manual`. */
function manualStartRefusal(context: TriggerContext, playbook: string): string | null {
  const deployed = context.playbooks.find((p) => p.playbook === playbook);
  if (deployed === undefined) return `playbook ${playbook} is not deployed`;
  if (!deployed.triggers.some((t) => t.kind === 'manual')) return `playbook ${playbook} has no \`trigger manual\`: it starts by its own triggers`;
  return null;
}
