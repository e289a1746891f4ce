/**
 * The account entity workflow (`account:<accountId>`, see account-contract.ts): wires the
 * `AccountEntity` (state and rules, account-entity.ts) to its signals, query and update,
 * runs the wake loop (inputs, planned firings, midnights) and continues as new with the
 * entity's carry. Starts go through an activity (`startPlaybookRun`): a run already open is
 * recorded as `alreadyOpen`, never duplicated. Starts and forwarded inputs are local
 * activities, so an event or a manual start is one workflow task of the entity.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  log,
  makeContinueAsNewFunc,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { projectionActivityOptions, type ProjectionActivities } from './activities/projection-options.js';
import { signalLocalActivityOptions, triggerActivityOptions, triggerLocalActivityOptions, type TriggerActivities } from './activities/trigger-options.js';
import {
  accountCarryQuery,
  accountEventSignal,
  accountEventUpdate,
  accountStateQuery,
  forwardedSignal,
  startPlaybookUpdate,
  throttleReleasedSignal,
  triggersChangedSignal,
  upsertAccountSignal,
  type AccountWorkflowInput,
  type StartPlaybookRequest,
} from './account-contract.js';
import { AccountEntity, type EntityPort } from './account-entity.js';
import { continueAsNewDue } from './continue-as-new.js';
import { WakeTimer } from './wake-timer.js';
import { jsonBytes } from './event-limits.js';
import { throttleDroppedSignal, throttleWorkflowId } from './throttle-contract.js';

const activities = proxyActivities<TriggerActivities>(triggerActivityOptions);
const local = proxyLocalActivities<TriggerActivities>(triggerLocalActivityOptions);
const signals = proxyLocalActivities<TriggerActivities>(signalLocalActivityOptions);
const projection = proxyActivities<ProjectionActivities>(projectionActivityOptions);

/** Patch id: a firing of a playbook with `start at most N per day` asks its enrollment throttle before it starts (asked only for such a firing). */
const ENROLLMENT_THROTTLE = 'enrollment-throttle';
/** Patch id: a firing of a playbook the triggers read say is disabled re-reads them before it is refused. */
const REREAD_BEFORE_REFUSING = 'reread-before-refusing';
/** Patch id: a continued execution re-plans after applying the inputs waiting at its start. */
const REPLAN_AFTER_CARRIED_INPUTS = 'replan-after-carried-inputs';
/** Patch id: a long run of inputs is cut where the history is due to continue as new. */
const CONTINUE_AS_NEW_MID_DRAIN = 'continue-as-new-mid-drain';
/** Patch id: a run a signal cannot reach is looked at (kept, retried, recorded as ended), not dropped. */
const KEEP_UNREACHABLE_RUNS = 'keep-unreachable-runs';
/** Patch id: `unless running` and `at most once per` hold firings back; the entity records each playbook's last start. */
const TRIGGER_GUARDS = 'trigger-guards';
/** Patch id: an upsert that would take the account's data over its bound is dropped (asked only for such an upsert). */
const BOUND_ACCOUNT_DATA = 'bound-account-data';
/** Patch id: the entity journals upserts, events and trigger firings to the store (account-journal.ts). */
const ACCOUNT_STORE_JOURNAL = 'account-store-journal';
/** Patch id: cadence triggers (`every quarter on first business day`) are planned and fired, once per period. */
const CADENCE_TRIGGERS = 'cadence-triggers';
/**
 * Patch id: the entity counts the signals of its execution and continues as new before they
 * reach the server's limit (`temporal.maxSignalsPerExecution`), and before its history
 * reaches the size a run hands over at, as runs do (run-limits.ts).
 */
const ENTITY_SIGNAL_BUDGET = 'entity-signal-budget';
/**
 * Patch id: a start is a local activity, and an input reaches a run by a local activity's
 * signal (with a request id, once) rather than a signal of the workflow's, whose result would
 * take another workflow task: each event and manual start is one workflow task of the entity.
 */
const LOCAL_STARTS_AND_SIGNALS = 'local-starts-and-signals';
/** Patch id: one timer for the next wake is kept across inputs (wake-timer.ts), not one per wait. */
const ONE_WAKE_TIMER = 'one-wake-timer';
/**
 * What the entity carries stays under this many bytes as JSON, well inside Temporal's 2 MB
 * payload limit: past it the entity applies its waiting inputs before it continues as new.
 */
export const CARRY_LIMIT_BYTES = 1_500_000;

const port: EntityPort = {
  now: () => Date.now(),
  loadTriggers: (input) => activities.loadTriggers(input),
  startRun: (input) => (patched(LOCAL_STARTS_AND_SIGNALS) ? local : activities).startPlaybookRun(input),
  signalRun: (workflowId, input, delivery) => {
    // The execution's run id makes the request id unique across continue-as-new.
    if (patched(LOCAL_STARTS_AND_SIGNALS)) return signals.signalRun({ workflowId, input, requestId: `${workflowInfo().runId}/${delivery}` });
    const { name, arg } = forwardedSignal(input);
    return getExternalWorkflowHandle(workflowId).signal(name, arg);
  },
  runStatus: (workflowId) => activities.runStatus({ workflowId }),
  sleep: (ms) => sleep(ms),
  alert: ({ message, workflowId }) => log.warn(`account entity alert: ${message}`, { workflowId }),
  keepsUnreachableRuns: () => patched(KEEP_UNREACHABLE_RUNS),
  honoursTriggerGuards: () => patched(TRIGGER_GUARDS),
  boundsAccountData: () => patched(BOUND_ACCOUNT_DATA),
  journals: () => patched(ACCOUNT_STORE_JOURNAL),
  firesCadences: () => patched(CADENCE_TRIGGERS),
  rereadsBeforeRefusing: () => patched(REREAD_BEFORE_REFUSING),
  throttles: () => patched(ENROLLMENT_THROTTLE),
  admitThrottled: (input) => activities.admitThrottled(input),
  throttleDropped: (playbook, signal) => getExternalWorkflowHandle(throttleWorkflowId(playbook)).signal(throttleDroppedSignal, signal),
  projectAccount: (flush) => projection.projectAccount(flush),
};

export async function account(input: AccountWorkflowInput): Promise<void> {
  const { accountId, continueAsNewAfterEvents, carried, maxPending } = input;
  const entity = new AccountEntity(accountId, port, carried, maxPending);
  /** Signals this execution received: Temporal caps them per execution. */
  let signals = 0;
  const countsSignals = patched(ENTITY_SIGNAL_BUDGET);
  // Nothing of the carry grows unbounded (it is cut to `CARRY_LIMIT_BYTES` below): only signals and history size count.
  const budget = () => (countsSignals ? { received: signals, limit: entity.signalLimit(), carryBytes: 0 } : undefined);
  const due = () => continueAsNewDue(continueAsNewAfterEvents, budget());
  const counted =
    <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A): void => {
      signals++;
      fn(...args);
    };
  // Patched: executions before it drained the whole queue first.
  const cutDrain = () => due() && patched(CONTINUE_AS_NEW_MID_DRAIN);

  setHandler(
    upsertAccountSignal,
    counted((signal) => entity.upsert(signal)),
  );
  // A dropped event is journalled without waking the loop: its entry goes out from here.
  setHandler(
    accountEventSignal,
    counted((signal) => {
      entity.event(signal);
      entity.settleStore();
    }),
  );
  setHandler(
    triggersChangedSignal,
    counted((signal) => entity.triggersChanged(signal)),
  );
  setHandler(
    throttleReleasedSignal,
    counted((signal) => entity.throttleReleased(signal)),
  );
  setHandler(accountEventUpdate, (signal) => entity.event(signal), {
    // Refused here, an event leaves nothing in history.
    validator: (signal) => {
      const refusal = entity.eventRefusal(signal);
      if (refusal !== null) throw ApplicationFailure.create({ type: refusal.type, message: refusal.message, nonRetryable: true });
    },
  });
  setHandler(accountStateQuery, () => entity.state());
  setHandler(accountCarryQuery, () => entity.carry());
  // A manual start does not wake the loop either: its trigger log entry goes out from here.
  const startManual = async (request: StartPlaybookRequest) => {
    const outcome = await entity.startManual(request);
    entity.settleStore();
    return outcome;
  };
  setHandler(startPlaybookUpdate, startManual, {
    // With the triggers at hand a refusal is decided here, so it leaves nothing in history;
    // without them (a validator cannot read them) the handler decides.
    validator: ({ playbook, minGeneration = 0 }) => {
      const reason = entity.manualRefusalNow(playbook, minGeneration);
      if (reason !== null) throw new Error(reason);
    },
  });

  // After continue-as-new: plans and timers are not carried, they are made again once the
  // inputs waiting at the start are applied (an event alone would not make them). Patched:
  // executions continued before this change made them only when no input was waiting.
  if (carried !== undefined && (!entity.hasPending() || patched(REPLAN_AFTER_CARRIED_INPUTS))) {
    await entity.drain(cutDrain);
    await entity.evaluateTriggers();
  }
  const timer = patched(ONE_WAKE_TIMER) ? new WakeTimer() : null;
  for (;;) {
    // The one point where the entity blocks: what the store lacks goes out, not waited for.
    entity.settleStore();
    const wake = entity.nextWake();
    const pending = () => entity.hasPending();
    let wokenByInput: boolean;
    if (timer !== null) {
      timer.aim(wake);
      await condition(() => pending() || timer.hasRung());
      wokenByInput = pending();
    } else {
      wokenByInput = wake === null ? (await condition(pending), true) : await condition(pending, Math.max(1, wake - Date.now()));
    }
    if (wokenByInput) {
      await entity.drain(cutDrain);
    } else {
      await entity.evaluateTriggers();
    }
    if (due()) {
      await condition(allHandlersFinished);
      // The waiting inputs are the part of the carry that may be large: apply them until it fits.
      while (entity.hasPending() && carryBytes(entity) > CARRY_LIMIT_BYTES) await entity.drain(() => carryBytes(entity) <= CARRY_LIMIT_BYTES);
      // The account id search attribute set at the start goes along explicitly.
      await makeContinueAsNewFunc<typeof account>({ typedSearchAttributes: workflowInfo().typedSearchAttributes })({ ...input, carried: entity.carry() });
    }
  }
}

function carryBytes(entity: AccountEntity): number {
  return jsonBytes(entity.carry());
}
