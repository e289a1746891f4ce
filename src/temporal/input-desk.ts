/**
 * Where the workflow's signals and update hand their inputs over to the run. The desk checks
 * what the workflow cannot trust (event names, account field types, task answers), applies
 * inputs to the `RunState` at their playbook instant, keeps inputs scheduled for later, and
 * records what it refused. Workflow code only.
 *
 * Scheduled inputs take effect before anything else due at their instant, as in the
 * simulator: every timer of the run applies the inputs due by its instant before it resumes
 * the interpreter, and each scheduled input also has a timer of its own that fires
 * `SCHEDULE_LEAD_MS` early (server time), so a branch the input wakes can cancel timers due
 * at that same instant before they fire. It assumes no timer of the run falls in that short
 * lead; playbook instants are whole minutes in practice.
 *
 * During the switch to a new execution (continue-as-new) the desk holds every input: the
 * interpreter has stopped, so they are carried over and applied by the next execution. That
 * execution holds too until it has resumed, so inputs arriving with its start come after the
 * carried ones.
 */
import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';
import { checkAccountUpdate } from '../ir/account-check.js';
import type { IrProgram } from '../ir/types.js';
import { answersProblem, answersRefusal } from '../runtime/answers.js';
import { acceptedEvents, applyInput, TASK_CHANGE_KINDS, type TaskChange } from '../runtime/inputs.js';
import { taskSteps, type TaskStepIr } from '../runtime/ir-walk.js';
import { refusal } from '../runtime/refusals.js';
import { createRunState, type RunState, type RunStateData } from '../runtime/run-state.js';
import { isoInstant } from '../runtime/timeline.js';
import type { RejectedInput, RunInput, ScheduledInput } from './contract.js';
import type { PlaybookClock } from './playbook-clock.js';

export const SCHEDULE_LEAD_MS = 10_000;

export interface DeskHooks {
  /** A task completion took effect (to record it in the task store). */
  taskCompleted(input: Extract<RunInput, { kind: 'complete' }>): void;
  /** A task went to a new assignee (to tell them). */
  taskReassigned(input: Extract<RunInput, { kind: 'reassign' }>): void;
}

type Mode = 'live' | 'holding' | 'ended';

export class InputDesk {
  private mode: Mode = 'live';
  private readonly events: ReadonlySet<string>;
  private readonly tasks: Map<string, TaskStepIr>;

  constructor(
    private readonly program: IrProgram,
    private readonly state: RunState,
    private readonly clock: PlaybookClock,
    private readonly hooks: DeskHooks,
    /** Inputs not applied yet (carried over from the previous execution), in arrival order. */
    private readonly pending: ScheduledInput[] = [],
    readonly rejected: RejectedInput[] = [],
  ) {
    this.events = acceptedEvents(program);
    this.tasks = taskSteps(program);
  }

  // -------------------------------------------------------------------------------------
  // Receiving (from signal and update handlers)

  /**
   * The `event` signal's argument, as received: `{ name, payload?, at? }`. False when it was
   * ignored (a broadcast this run cannot use): nothing of it is kept.
   */
  event(signal: unknown): boolean {
    const { name, payload, at, broadcast } = fieldsOf(signal);
    const raw = { kind: 'event' as const, name, payload };
    if (typeof name !== 'string') return this.reject(raw, refusal.eventWithoutName(JSON.stringify(signal) ?? 'nothing'));
    if (!this.events.has(name)) {
      if (broadcast === true) return false;
      return this.reject(raw, refusal.eventNotAccepted(name, this.events));
    }
    if (payload !== undefined && !isObject(payload)) return this.reject(raw, refusal.payloadNotObject(name));
    this.receive({ kind: 'event', name, payload: payload ?? {} }, at);
    return true;
  }

  /** The `accountUpdated` signal's argument: `{ fields, at? }`. False when it was ignored, as for events. */
  account(signal: unknown): boolean {
    const { fields: sent, at, broadcast } = fieldsOf(signal);
    let fields = sent;
    if (broadcast === true && isObject(sent)) {
      const declared = declaredOnly(this.program.fields, sent);
      if (Object.keys(declared).length === 0) return false;
      fields = declared;
    }
    const check = checkAccountUpdate(this.program.fields, fields);
    if (!check.ok) return this.reject({ kind: 'account', fields }, check.errors.join('; '));
    this.receive({ kind: 'account', fields: check.value }, at);
    return true;
  }

  /** The `pause` signal's argument: `{ at?, by? }` or nothing. */
  pause(signal: unknown): void {
    const { at, by } = fieldsOf(signal);
    this.receive(withCaller({ kind: 'pause' }, by), at);
  }

  resume(signal: unknown): void {
    const { at, by } = fieldsOf(signal);
    this.receive(withCaller({ kind: 'resume' }, by), at);
  }

  /**
   * Why the `completeTask` update (`{ task, answers?, at? }`) would be refused, or null. One
   * taking effect now is tried on a copy of the run state (same checks, same words as applying
   * it); one scheduled for later can only be checked against the program, and is refused when
   * it takes effect if it no longer fits.
   */
  completionProblem(update: unknown): string | null {
    const { task, answers, at } = fieldsOf(update);
    if (this.mode === 'ended') return refusal.ended;
    if (typeof task !== 'string' || task === '') return refusal.taskNameNotText;
    if (answers !== undefined && !isObject(answers)) return refusal.answersNotObject(task);
    const step = this.tasks.get(task);
    if (!step) return refusal.noSuchTask(task);
    if (this.mode === 'holding' || !this.isDue(this.instantOf(at))) return answersProblem(task, step.asks, answers ?? {});
    const trial = createRunState(this.program, JSON.parse(JSON.stringify(this.state.data)) as RunStateData, { now: () => this.clock.now(), emit: () => {} });
    const result = trial.completeTask(task, answers ?? {});
    return result.ok ? null : result.reason;
  }

  /**
   * The asks a refused completion is about when its refusal (`completionProblem` gave
   * `reason`) was about its answers: the ones it left unanswered, or the one whose answer does
   * not fit; else empty.
   */
  refusedAsksIn(update: unknown, reason: string): string[] {
    const { task, answers } = fieldsOf(update);
    const step = typeof task === 'string' ? this.tasks.get(task) : undefined;
    if (step === undefined || !isObject(answers ?? {})) return [];
    const refused = answersRefusal(task as string, step.asks, (answers ?? {}) as Record<string, unknown>);
    return refused !== null && refused.reason === reason ? refused.asks : [];
  }

  /** Call only after `completionProblem(update)` returned null. */
  complete(update: unknown, updateId: string): void {
    const { task, answers, at, by } = fieldsOf(update);
    const caller = callerName(by);
    this.receive(
      { kind: 'complete', task: task as string, answers: (answers ?? {}) as Record<string, unknown>, ...(caller !== undefined && { by: caller }), updateId },
      at,
    );
  }

  /**
   * Why the `changeTask` update (`{ kind, task, to? | until? | reason?, at? }`) would be
   * refused, or null: checked like a completion (`completionProblem`).
   */
  changeProblem(update: unknown): string | null {
    if (this.mode === 'ended') return refusal.ended;
    const change = changeOf(update);
    if (change === null) return refusal.taskNameNotText;
    if (!this.tasks.has(change.task)) return refusal.noSuchTask(change.task);
    if (this.mode === 'holding' || !this.isDue(this.instantOf(fieldsOf(update).at))) return null;
    const trial = createRunState(this.program, JSON.parse(JSON.stringify(this.state.data)) as RunStateData, { now: () => this.clock.now(), emit: () => {} });
    const result = trial.changeTask(change);
    return result.ok ? null : result.reason;
  }

  /** Call only after `changeProblem(update)` returned null. */
  change(update: unknown, updateId: string): void {
    const fields = fieldsOf(update);
    this.receive({ ...withCaller(changeOf(update)!, fields.by), updateId }, fields.at);
  }

  // -------------------------------------------------------------------------------------
  // For the workflow and its effects

  /** Applies every pending input due by playbook instant `t`, in instant order (arrival order on ties). */
  applyDue(t: number): void {
    if (this.mode !== 'live') return;
    for (;;) {
      let next = -1;
      for (let i = 0; i < this.pending.length; i++) {
        if (this.pending[i]!.at <= t && (next < 0 || this.pending[i]!.at < this.pending[next]!.at)) next = i;
      }
      if (next < 0) return;
      this.apply(this.pending.splice(next, 1)[0]!);
    }
  }

  /**
   * Goes live: applies the inputs carried over from the previous execution (and any held
   * since) that are already due, and schedules the rest.
   */
  resumePending(): void {
    this.mode = 'live';
    this.applyDue(this.clock.serverNow() + SCHEDULE_LEAD_MS);
    for (const input of this.pending) this.wakeAt(input.at);
  }

  /** From now on inputs are kept for the next execution. */
  hold(): ScheduledInput[] {
    this.mode = 'holding';
    return this.pending;
  }

  /** The run is over: later inputs are refused, scheduled ones too. */
  close(): void {
    this.mode = 'ended';
    for (const { input } of this.pending.splice(0)) this.reject(input, refusal.ended);
  }

  scheduled(): ReadonlyArray<ScheduledInput> {
    return this.pending;
  }

  // -------------------------------------------------------------------------------------

  private receive(input: RunInput, at: unknown): void {
    if (this.mode === 'ended') {
      this.reject(input, refusal.ended);
      return;
    }
    const instant = this.instantOf(at);
    if (this.mode === 'live' && this.isDue(instant)) return this.apply({ at: instant, input });
    this.pending.push({ at: instant, input });
    if (this.mode === 'live') this.wakeAt(instant);
  }

  private apply({ at, input }: ScheduledInput): void {
    this.clock.advanceTo(at);
    const result = applyInput(this.state, input);
    if (!result.ok) {
      this.reject(input, result.reason);
      return;
    }
    if (input.kind === 'complete') this.hooks.taskCompleted(input);
    if (input.kind === 'reassign') this.hooks.taskReassigned(input);
  }

  /** A timer of the desk's own for a scheduled input, `SCHEDULE_LEAD_MS` ahead of it. */
  private wakeAt(at: number): void {
    const ms = this.clock.msUntil(at) - SCHEDULE_LEAD_MS;
    if (ms <= 0) return this.applyDue(at);
    // The root scope: a scheduled input outlives the branch that was running when it came.
    CancellationScope.nonCancellable(() => sleep(ms)).then(
      () => this.applyDue(at),
      (e: unknown) => {
        if (!isCancellation(e)) throw e;
      },
    );
  }

  /** The playbook instant an input takes effect: its `at`, but never before now. */
  private instantOf(at: unknown): number {
    const now = Math.max(this.clock.now(), this.clock.serverNow());
    return typeof at === 'number' && Number.isFinite(at) && at > now ? at : now;
  }

  private isDue(instant: number): boolean {
    return instant <= this.clock.serverNow() + SCHEDULE_LEAD_MS;
  }

  /** Records a refusal; true, as the input was taken (see `event`). */
  private reject(input: Record<string, unknown> & { kind: RunInput['kind'] }, reason: string): true {
    this.rejected.push({ at: isoInstant(Math.max(this.clock.now(), this.clock.serverNow())), input: { ...input }, reason });
    return true;
  }
}

/** The fields this playbook version declares (the account id is never one to update). */
function declaredOnly(declared: IrProgram['fields'], fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([field]) => field !== 'id' && Object.hasOwn(declared, field)));
}

/** The task change an update asks for, as an input (its values checked by the run state); null without a task name or a known kind. */
function changeOf(update: unknown): TaskChange | null {
  const { kind, task, to, until, reason } = fieldsOf(update);
  if (typeof task !== 'string' || task === '' || !(TASK_CHANGE_KINDS as readonly unknown[]).includes(kind)) return null;
  switch (kind as TaskChange['kind']) {
    case 'reassign':
      return { kind: 'reassign', task, to: to as string };
    case 'snooze':
      return { kind: 'snooze', task, until: until as number };
    case 'close':
      return { kind: 'close', task, reason: reason as string };
  }
}

/** `input` with `by` when a caller was sent. */
function withCaller<T extends object>(input: T, by: unknown): T & { by?: string } {
  const caller = callerName(by);
  return caller === undefined ? input : { ...input, by: caller };
}

/** Who sent an input, as the timeline names them: the caller's user, else its role; undefined when no caller was sent. */
export function callerName(by: unknown): string | undefined {
  const { role, user } = fieldsOf(by);
  if (typeof user === 'string') return user;
  return typeof role === 'string' ? role : undefined;
}

/** The fields of a signal or update argument, whatever was sent. */
function fieldsOf(value: unknown): Record<string, unknown> {
  return isObject(value) ? value : {};
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
