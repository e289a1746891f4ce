/**
 * The workflow bundle's entry: the one generic workflow `playbook`, which runs the project's
 * interpreter on Temporal. It imports only workflow-safe code (src/runtime, the pure
 * calendar modules, IR types, the activities' Node-free options module).
 *
 * One execution: the interpreter runs the program on `TemporalEffects`; signals and the
 * update go through the `InputDesk`; the `RunRecord` keeps the timeline and answers the
 * status query. When Temporal suggests it (or the test threshold is reached, or the signals
 * of this execution near the server's limit) the interpreter stops at a repeat round boundary
 * or wherever its main branch is blocked with a snapshot, and the run continues as new
 * carrying its snapshot, timeline, refusals, clock and every input not yet applied.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  CancelledFailure,
  currentUpdateInfo,
  makeContinueAsNewFunc,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { AccountValue } from '../ir/types.js';
import { Cancelled, type Action, type ActionResult } from '../runtime/effects.js';
import { goalStatuses } from '../runtime/goals.js';
import { Interpreter } from '../runtime/interpreter.js';
import { createRunState, initialState } from '../runtime/run-state.js';
import { isoInstant, type TimelineEntry } from '../runtime/timeline.js';
import { activityOptions, performAction, type PlaybookActivities, type RunRef, type TaskNoticeInput } from './activities/options.js';
import { continueAsNewDue } from './continue-as-new.js';
import { jsonBytes } from './event-limits.js';
import { boundCarry } from './run-carry.js';
import {
  accountUpdatedSignal,
  ANSWERS_REFUSED_FAILURE,
  cancellingSignal,
  changeTaskUpdate,
  completeTaskUpdate,
  eventSignal,
  NOT_ASSIGNEE_FAILURE,
  pauseSignal,
  resumeSignal,
  statusQuery,
  type Continuation,
  type PlaybookRunOptions,
  type PlaybookWorkflowInput,
  type PlaybookWorkflowResult,
  type RunInput,
} from './contract.js';
import { callerName, InputDesk } from './input-desk.js';
import { PlaybookClock } from './playbook-clock.js';
import { ProjectionDesk } from './projection-desk.js';
import { ResumeOrder } from './resume-order.js';
import { RunRecord } from './run-record.js';
import { callerProblem } from './task-caller.js';
import { TemporalEffects, type BlockedWait } from './temporal-effects.js';

const activities = proxyActivities<PlaybookActivities>(activityOptions);

/**
 * Patch id: an email the workspace's contact policy governs asks the `decideContact` activity
 * first (its answer recorded in history): sent, deferred (a timer) or skipped (`suppressed`).
 * Asked only in programs with a policy, so other runs record no marker.
 */
const CONTACT_POLICY = 'contact-policy';
/**
 * Patch id: under the contact policy the email's own activity decides and, when the answer is
 * to send now, sends (one activity an email instead of two). Runs recorded before ask the
 * `decideContact` activity first.
 */
const CONTACT_IN_EMAIL = 'contact-in-email';
/** Patch id: a continued execution applies its carried inputs before any that came with its start. */
const CARRIED_INPUTS_FIRST = 'carried-inputs-first';
/**
 * Patch id: the run continues as new from wherever it is blocked, also when its signals near
 * the server's limit. Runs recorded before this hop only at repeat round boundaries.
 */
const HOP_WHILE_BLOCKED = 'hop-while-blocked';
/** Patch id: a run started with `projectToStore` writes its timeline to the store (projection-desk.ts). */
const PROJECT_TO_STORE = 'project-to-store';
/** Patch id: a completion must answer every ask. Runs recorded before took completions with asks left out. */
const REQUIRED_ANSWERS = 'required-answers';
/** Patch id: v2 emails (lists of contacts, several recipients, cc, bcc, from) send one message per contact (interpreter.ts). */
const EMAIL_PARTIES = 'email-parties';
/** Patch id: a send window is compared as instants. Runs recorded before compared local times (business-time.ts). */
const SEND_WINDOW_INSTANTS = 'send-window-instants';
/**
 * Patch id: pause and resume add timeline entries, a cancelled run's last entry is `cancel`
 * (naming who, when the `cancelling` signal said), and a task's assignee is told of it (the
 * `noticeTask` activity). Runs recorded before did none of it.
 */
const TASK_LIFECYCLE = 'task-lifecycle';

export async function playbook(input: PlaybookWorkflowInput): Promise<PlaybookWorkflowResult> {
  const { ir, account, calendars, options } = input;
  const { continued } = options;
  const info = workflowInfo();
  const run: RunRef = { workflowId: info.workflowId, runId: info.firstExecutionRunId, accountId: account.id };

  const clock = continued ? new PlaybookClock(continued.clock.offset, continued.clock.now) : PlaybookClock.start(options.startAt);
  const record = new RunRecord({ playbook: ir.entry, version: options.version, accountId: account.id }, continued?.timeline ?? []);
  /** Bytes of the entries and inputs this execution added to what it would carry (see `budget`). */
  let grown = 0;
  // Search attributes follow every entry (a stage entered on a timer, a task opened), not only inputs.
  const show = (entry: TimelineEntry): void => {
    grown += jsonBytes(entry);
    record.add(entry);
    record.publish(state);
  };
  const state = createRunState(
    ir,
    continued?.snapshot.state ?? initialState(account, input.bindings),
    { now: () => clock.now(), emit: show },
    patched(REQUIRED_ANSWERS) ? 'refused' : 'allowed',
  );
  const lifecycle = patched(TASK_LIFECYCLE);
  state.recordsControls = lifecycle;
  /** Who asked to cancel the run (the `cancelling` signal before the cancellation). */
  let cancelledBy: string | undefined;
  const closing: Array<Promise<unknown>> = [];
  // Actions and task-store writes are never cancelled once started, nor is an action's wait
  // for its turn: one scope for all of them, as a scope each costs a few promises an action.
  const shielded = new CancellationScope({ cancellable: false });
  // `storeWrites: 'local'` is in the input of runs started since it existed: no patch needed (see contract.ts).
  const writesLocally = options.storeWrites === 'local';
  const projects = options.projectToStore === true && (writesLocally || patched(PROJECT_TO_STORE));
  const noticesInStore = projects && writesLocally && lifecycle;
  const projection = projects
    ? new ProjectionDesk(
        {
          workflowId: run.workflowId,
          runId: run.runId,
          program: ir,
          identity: { playbook: ir.entry, version: options.version, accountId: account.id },
          timeline: record.timeline,
          summary: () => record.summary(state),
          shielded,
          locally: writesLocally,
          noticeOwner: noticesInStore ? (playbook) => ir.playbooks[playbook]?.owner ?? null : null,
          goals: () => goalStatuses(state),
          owner: ir.playbooks[ir.entry]?.owner ?? null,
        },
        continued?.projection,
      )
    : null;
  const desk = new InputDesk(
    ir,
    state,
    clock,
    {
      taskCompleted: (completion) => {
        projection?.completed(completion.updateId);
        closing.push(closeTask(shielded, run, state.data.tasks[completion.task]?.playbook ?? ir.entry, completion));
      },
      taskReassigned: (change) => {
        const task = state.data.tasks[change.task];
        if (!lifecycle || noticesInStore || task === undefined) return;
        const due = record.openTask(state, change.task)?.due ?? null;
        const playbook = task.playbook ?? ir.entry;
        const notice = { task: change.task, title: task.title, assignee: change.to, due, key: `reassign:${change.updateId}`, reassigned: true };
        closing.push(noticeTask(shielded, { ...run, runPlaybook: ir.entry, playbook, ...notice }, ir.playbooks[playbook]?.owner ?? null));
      },
    },
    continued?.pending,
    continued?.rejected,
  );
  // Inputs that reach a continued execution with its start are handed to the handlers below
  // as they are registered, before the carried inputs are applied: they wait behind those.
  // Patched: runs continued before this change applied them at once.
  if (continued && patched(CARRIED_INPUTS_FIRST)) desk.hold();
  const waits = new Set<BlockedWait>();
  const hopsWhileBlocked = patched(HOP_WHILE_BLOCKED);
  /** Signals this execution received: Temporal caps them per execution. */
  let signals = 0;
  /**
   * What the run would carry, as an upper estimate: this execution's input and every entry
   * and input since. Counted only once it grew, so a carry that was cut to its limit does not
   * make a fresh execution hand over again at once.
   */
  const started = hopsWhileBlocked ? jsonBytes(input) : 0;
  const budget = () => (hopsWhileBlocked ? { received: signals, limit: options.signalLimit, carryBytes: grown > 0 ? started + grown : 0 } : undefined);
  const continueAsNewNow = (): boolean => continueAsNewDue(options.continueAsNewAfterEvents, budget());
  // The tests' history threshold stays a round-boundary one: a fresh execution is past it at
  // its first wait already, and would hand over again before doing anything.
  const continueAsNewWhileBlocked = (): boolean => continueAsNewDue(undefined, budget());

  /** Every input handler ends by publishing what changed (also to the store); an input the desk ignored changed nothing. */
  const handle =
    <A extends unknown[]>(fn: (...args: A) => void | boolean) =>
    (...args: A): void => {
      if (fn(...args) === false) return;
      record.publish(state);
      projection?.settle();
    };
  const signal =
    <A extends unknown[]>(fn: (...args: A) => void | boolean) =>
    (...args: A): void => {
      signals++;
      grown += jsonBytes(args);
      handle(fn)(...args);
    };
  setHandler(
    eventSignal,
    signal((input) => desk.event(input)),
  );
  setHandler(
    accountUpdatedSignal,
    signal((input) => desk.account(input)),
  );
  setHandler(
    pauseSignal,
    signal((input) => desk.pause(input)),
  );
  setHandler(
    resumeSignal,
    signal((input) => desk.resume(input)),
  );
  setHandler(
    completeTaskUpdate,
    handle((update) => {
      grown += jsonBytes(update);
      const id = currentUpdateInfo()?.id ?? update.task;
      projection?.completing(id, update.by);
      desk.complete(update, id);
    }),
    {
      validator: (update) => {
        const problem = desk.completionProblem(update);
        if (problem !== null) {
          const refused = desk.refusedAsksIn(update, problem);
          if (refused.length > 0) throw ApplicationFailure.create({ type: ANSWERS_REFUSED_FAILURE, message: problem, details: refused, nonRetryable: true });
          throw new Error(problem);
        }
        const refusal = callerProblem(update, (name) => record.openTask(state, name));
        if (refusal !== null) throw ApplicationFailure.create({ type: NOT_ASSIGNEE_FAILURE, message: refusal, nonRetryable: true });
      },
    },
  );
  setHandler(
    changeTaskUpdate,
    handle((update) => {
      grown += jsonBytes(update);
      desk.change(update, currentUpdateInfo()?.id ?? update.task);
    }),
    {
      validator: (update) => {
        const problem = desk.changeProblem(update);
        if (problem !== null) throw new Error(problem);
        const refusal = callerProblem(update, (name) => record.openTask(state, name), 'changes');
        if (refusal !== null) throw ApplicationFailure.create({ type: NOT_ASSIGNEE_FAILURE, message: refusal, nonRetryable: true });
      },
    },
  );
  setHandler(
    cancellingSignal,
    signal((input) => {
      cancelledBy = callerName(input?.by) ?? cancelledBy;
      return false;
    }),
  );
  setHandler(statusQuery, () => {
    const status = record.status(state, desk, waits);
    return projection === null ? status : { ...status, stored: projection.lag() };
  });

  const fx = new TemporalEffects(
    {
      clock,
      applyInputsDue: (t) => desk.applyDue(t),
      perform: async (action) => {
        const owner = ir.playbooks[action.playbook]?.owner ?? null;
        const result = await perform(shielded, run, action, owner);
        // The assignee hears of the task once it is recorded; the run does not wait for it.
        if (action.kind === 'task' && result.ok && lifecycle && !noticesInStore) {
          const due = action.due === null ? null : isoInstant(action.due);
          const notice = { task: action.task, title: action.title, assignee: action.assignee, due, key: action.key, reassigned: false };
          closing.push(noticeTask(shielded, { ...run, runPlaybook: ir.entry, playbook: action.playbook, ...notice }, owner));
        }
        return result;
      },
      shielded,
      emit: show,
      shouldContinueAsNew: () => {
        const due = continueAsNewNow();
        // The interpreter stops right after asking: from here on inputs wait for the next execution.
        if (due) desk.hold();
        return due;
      },
      blockedHop: hopsWhileBlocked ? { due: continueAsNewWhileBlocked, begin: () => void desk.hold() } : null,
      waits,
      blocking: () => projection?.settle(),
      order: new ResumeOrder(),
    },
    CancellationScope.current(),
  );
  const interpreter = new Interpreter(
    {
      program: ir,
      calendars,
      roles: options.roles ?? {},
      wallClockWindows: !patched(SEND_WINDOW_INSTANTS),
      emailParties: () => patched(EMAIL_PARTIES),
      contactPolicy: ir.contactPolicy !== undefined && patched(CONTACT_POLICY),
      contactApart: ir.contactPolicy !== undefined && !patched(CONTACT_IN_EMAIL),
    },
    state,
  );
  const running = interpreter.run(fx, continued?.snapshot);
  // After `run` registered its listeners (`exit when`), so carried-over inputs are seen like any other.
  desk.resumePending();
  record.publish(state);
  const result = await running.catch((e: unknown) => {
    // The client cancelled the run: end it as cancelled, not as a failing workflow task.
    if (e instanceof Cancelled && CancellationScope.current().consideredCancelled) {
      const cancelled = new CancelledFailure('the run was cancelled');
      if (lifecycle) {
        state.cancelled(cancelledBy);
        record.publish(state);
      }
      if (projection === null) throw cancelled;
      return projection.finish('cancelled', isoInstant(clock.serverNow())).then(() => Promise.reject(cancelled));
    }
    throw e;
  });

  if (result.kind === 'continueAsNew') {
    await drain(closing);
    const { snapshot } = result;
    // Search attributes set at the start (playbook, version, account) go along explicitly.
    const continueAsNew = makeContinueAsNewFunc<typeof playbook>({ typedSearchAttributes: workflowInfo().typedSearchAttributes });
    const next: PlaybookRunOptions = { ...options, startAt: undefined, continued: undefined };
    const carried: Continuation = {
      snapshot,
      timeline: record.timeline,
      rejected: desk.rejected,
      pending: desk.hold(),
      clock: { offset: clock.offset, now: clock.now() },
      ...(continued?.timelineDropped !== undefined && { timelineDropped: continued.timelineDropped }),
      ...(projection !== null && { projection: projection.carry() }),
    };
    // Measured at the hop: a carry over the limit leaves its oldest entries behind (run-carry.ts).
    // Not for a run that projects: its store rows are numbered by timeline position.
    const bounded = hopsWhileBlocked && projection === null ? boundCarry(carried, jsonBytes({ ir, account, calendars, options: next })) : carried;
    return continueAsNew({ ir, account, calendars, options: { ...next, continued: bounded } });
  }
  const outcome: PlaybookWorkflowResult = { outcome: result.outcome, outcomeLabel: result.label };
  desk.close();
  record.ended(outcome);
  record.publish(state);
  const stored = projection?.finish(result.outcome, isoInstant(clock.now()));
  await drain(closing);
  if (stored !== undefined) await stored;
  return outcome;
}

/** Waits for handlers still running and task-store writes still in flight. */
async function drain(closing: Array<Promise<unknown>>): Promise<void> {
  await condition(allHandlersFinished);
  await Promise.all(closing);
}

/** An action as an activity that is never cancelled once started; a final failure is `{ ok: false }`. */
async function perform(shielded: CancellationScope, run: RunRef, action: Action, owner: string | null): Promise<ActionResult> {
  try {
    return await shielded.run(() => performAction(activities, run, action, owner));
  } catch (e) {
    if (e instanceof ActivityFailure) return { ok: false, error: e.cause?.message ?? e.message };
    throw e;
  }
}

/** Tells a task's assignee of it; its failure (already told to the owner by the activity) is never the run's. */
async function noticeTask(shielded: CancellationScope, notice: Omit<TaskNoticeInput, 'owner'>, owner: string | null): Promise<void> {
  try {
    await shielded.run(() => activities.noticeTask({ ...notice, owner }));
  } catch (e) {
    if (!(e instanceof ActivityFailure)) throw e;
  }
}

/** Tells the task store a task was completed; its failure is the store's, never the run's. */
async function closeTask(shielded: CancellationScope, run: RunRef, playbook: string, completion: Extract<RunInput, { kind: 'complete' }>): Promise<void> {
  try {
    await shielded.run(() =>
      activities.closeTask({ ...run, playbook, task: completion.task, answers: completion.answers as Record<string, AccountValue>, key: completion.updateId }),
    );
  } catch (e) {
    if (!(e instanceof ActivityFailure)) throw e;
  }
}

// The other workflow types of the bundle: the deployment registry and the account entities.
export { account } from './account-workflow.js';
export { playbookRegistry } from './registry-workflow.js';
export { enrollmentThrottle } from './throttle-workflow.js';
export { goalDigest } from './goal-digest-workflow.js';
