/**
 * Runs a program for one account on a virtual clock and returns its timeline: the engine of
 * `playbook simulate` and `playbook test`. Inputs due at an instant are delivered before
 * the timers of that instant, in the order given (stable by instant). The run goes on until
 * it ends, `until` passes, or nothing is left that could wake it (then it is `running`).
 */
import { addDuration, defaultCalendar, type ResolvedCalendar } from '../calendar/index.js';
import type { AccountData, AccountValue, DurationIr, IrProgram } from '../ir/types.js';
import type { Action, ActionResult, ContactRequest } from '../runtime/effects.js';
import { applyInput, type RunInput } from '../runtime/inputs.js';
import { Interpreter, type RunResult } from '../runtime/interpreter.js';
import { refusal } from '../runtime/refusals.js';
import { createRunState, initialState, type RunState, type RunStateData } from '../runtime/run-state.js';
import { MemoryContactLedger, sendAsDecided } from '../outreach/contact-ledger.js';
import type { RunSnapshot } from '../runtime/snapshot.js';
import type { ReportedOutcome, TimelineEntry } from '../runtime/timeline.js';
import { VirtualClock } from './virtual-clock.js';

/** An instant, or an offset from the run's start in the entry playbook's calendar. */
export type When = { instant: number } | { offset: DurationIr };

export type SimInput =
  | { at: When; kind: 'event'; name: string; payload: Record<string, unknown> }
  | { at: When; kind: 'complete'; task: string; answers: Record<string, unknown> }
  | { at: When; kind: 'set'; field: string; value: AccountValue }
  | { at: When; kind: 'reassign'; task: string; to: string }
  /** `until` counts from the run's start like `at`. */
  | { at: When; kind: 'snooze'; task: string; until: When }
  | { at: When; kind: 'close'; task: string; reason: string };

/** Any input a simulation takes: the simulator's own, and pause and resume (which tests and tools send). */
export type SimulatedInput = SimInput | { at: When; kind: 'pause' | 'resume' };

export interface SimulateOptions {
  program: IrProgram;
  /** Already validated against the program's account fields. */
  account: AccountData;
  /** Resolved by the caller for every calendar in `program.calendars`. */
  calendars: Record<string, ResolvedCalendar>;
  /** Epoch ms. */
  start: number;
  inputs: SimInput[];
  /** Default: two years after start; a run still going then is `running`. */
  until?: When;
  /** Role name → address for `role "x"` recipients; unknown roles render as `role:<name>`. */
  roles?: Record<string, string>;
  /** The triggering event under its `as` name, as a trigger starts the run (`matchEventTrigger`). */
  bindings?: Record<string, Record<string, unknown>>;
  /** Test hook: the outcome of each action (default: success), e.g. to inject failures. */
  performAction?: (action: Action) => ActionResult;
  /** Test hook: continue-as-new at every repeat round boundary where this returns true. */
  continueAsNew?: () => boolean;
  /** Test hook: continue-as-new from a blocking point of the main branch, at the clock's instant. */
  continueAsNewWhileBlocked?: { due(now: number): boolean; begin(now: number): void };
}

export interface SimulateResult<I = SimInput> {
  outcome: ReportedOutcome;
  outcomeLabel: string | null;
  timeline: TimelineEntry[];
  /** Inputs the run refused, with the reason (bad answers, a task not open, the run already over). */
  rejected: Array<{ input: I; reason: string }>;
}

export function simulate(opts: SimulateOptions): Promise<SimulateResult> {
  return simulateWith(opts);
}

/** The simulation with any kind of input, pause and resume included. */
export async function simulateWith<I extends SimulatedInput>(opts: Omit<SimulateOptions, 'inputs'> & { inputs: I[] }): Promise<SimulateResult<I>> {
  const [result] = await simulateAll([opts]);
  return result!;
}

type RunOptions<I> = Omit<SimulateOptions, 'inputs'> & { inputs: I[] };

/** One run of a simulation as the driver follows it. */
interface SimRun<I> {
  opts: RunOptions<I>;
  instantOf: (when: When) => number;
  inputs: Array<{ input: I; at: number }>;
  next: number;
  launched: { state: RunState; result: Promise<RunResult>; isSettled: () => boolean } | null;
  ended: RunResult | null;
  timeline: TimelineEntry[];
  rejected: SimulateResult<I>['rejected'];
}

/**
 * Several runs (of one account or several) on one virtual clock, sharing what runs of one
 * account share: the contact policy's reservations, so an email of one run counts against the
 * caps of every other (the simulator knows every run of its simulation). Each run starts at
 * its own `start`; the simulation ends at the latest `until`. At one instant, inputs and run
 * starts come before timers, in the order the runs are given. The continue-as-new test hooks
 * are the first run's.
 */
export async function simulateAll<I extends SimulatedInput>(list: Array<RunOptions<I>>): Promise<Array<SimulateResult<I>>> {
  const first = list[0];
  if (!first) return [];
  const contacts = new MemoryContactLedger();
  let decisions = 0;
  const runs: Array<SimRun<I>> = list.map((opts) => {
    const entryCalendar = entryCalendarOf(opts);
    const instantOf = (when: When) => ('instant' in when ? when.instant : addDuration(opts.start, when.offset, entryCalendar));
    const inputs = opts.inputs.map((input) => ({ input, at: instantOf(input.at) })).sort((a, b) => a.at - b.at);
    return { opts, instantOf, inputs, next: 0, launched: null, ended: null, timeline: [], rejected: [] };
  });
  const until = Math.max(...runs.map((r) => (r.opts.until ? r.instantOf(r.opts.until) : twoYearsAfter(r.opts.start))));
  const clock = new VirtualClock(Math.min(...runs.map((r) => r.opts.start)), {
    emit: () => {},
    shouldContinueAsNew: first.continueAsNew,
    ...(first.continueAsNewWhileBlocked && { blockedHop: first.continueAsNewWhileBlocked }),
  });

  const launch = (run: SimRun<I>, data: RunStateData, snapshot?: RunSnapshot) => {
    const { opts } = run;
    const env = { program: opts.program, calendars: opts.calendars, roles: opts.roles ?? {}, emailParties: () => true };
    const state = createRunState(opts.program, data, { now: () => clock.now, emit: (e) => run.timeline.push(e) });
    const interpreter = new Interpreter(env, state);
    // The contact policy is decided against every run's reservations (asked apart or by the
    // email itself); other actions by the run's own hook.
    const decide = (request: ContactRequest) => contacts.decide(`simulation#${++decisions}`, request);
    const performed = (action: Action): ActionResult => opts.performAction?.(action) ?? { ok: true };
    const perform = (action: Action): ActionResult => {
      if (action.kind === 'email') return sendAsDecided(action, (_key, request) => decide(request), performed);
      if (action.kind !== 'contact') return performed(action);
      const { key: _key, kind: _kind, playbook: _playbook, ...request } = action;
      return { ok: true, contact: decide(request) };
    };
    run.launched = { state, ...clock.start((fx) => interpreter.run(fx, snapshot), perform) };
  };

  for (;;) {
    const settling = clock.settle();
    if (settling) await settling;
    let relaunched = false;
    for (const run of runs) {
      if (run.ended || !run.launched?.isSettled()) continue;
      const result = await run.launched.result;
      if (result.kind === 'ended') {
        run.ended = result;
        continue;
      }
      // What Temporal does on continue-as-new: a fresh run from the snapshot, as JSON.
      const snapshot = JSON.parse(JSON.stringify(result.snapshot)) as RunSnapshot;
      launch(run, snapshot.state, snapshot);
      relaunched = true;
    }
    if (relaunched) continue;
    if (runs.every((r) => r.ended)) break;
    if (clock.wakeConditions() || clock.completeActions()) continue;
    const timerAt = clock.nextTimerAt();
    // The earliest run start or input (runs in the order given on ties).
    let due: { run: SimRun<I>; at: number; kind: 'start' | 'input' } | null = null;
    for (const run of runs) {
      if (run.ended) continue;
      const candidate =
        run.launched === null
          ? { at: run.opts.start, kind: 'start' as const }
          : run.inputs[run.next] && { at: run.inputs[run.next]!.at, kind: 'input' as const };
      if (candidate && (due === null || candidate.at < due.at)) due = { run, ...candidate };
    }
    if (due && due.at <= until && (timerAt === null || due.at <= timerAt)) {
      clock.now = Math.max(clock.now, due.at);
      const { run } = due;
      if (due.kind === 'start') {
        launch(run, initialState(run.opts.account, run.opts.bindings));
        continue;
      }
      const { input, at } = run.inputs[run.next]!;
      const outcome =
        at < run.opts.start ? { ok: false as const, reason: refusal.beforeStart } : applyInput(run.launched!.state, runInputOf(input, run.instantOf));
      if (!outcome.ok) run.rejected.push({ input, reason: outcome.reason });
      run.next++;
    } else if (timerAt !== null && timerAt <= until) {
      clock.fireNextTimer();
    } else {
      break;
    }
  }
  return runs.map((run) => {
    const runUntil = run.opts.until ? run.instantOf(run.opts.until) : until;
    for (const { input, at } of run.inputs.slice(run.next)) {
      if (run.ended && at <= runUntil) run.rejected.push({ input, reason: refusal.ended });
    }
    const ended = run.ended?.kind === 'ended' ? run.ended : null;
    return {
      outcome: ended ? ended.outcome : 'running',
      outcomeLabel: ended ? ended.label : null,
      timeline: run.timeline,
      rejected: run.rejected,
    };
  });
}

/**
 * A simulated input in the run's vocabulary: `--set field=value` is an account update of one
 * field; `instantOf` places a snooze's `until`.
 */
export function runInputOf(input: SimulatedInput, instantOf: (when: When) => number): RunInput {
  switch (input.kind) {
    case 'event':
      return { kind: 'event', name: input.name, payload: input.payload };
    case 'complete':
      return { kind: 'complete', task: input.task, answers: input.answers };
    case 'set':
      return { kind: 'account', fields: { [input.field]: input.value } };
    case 'reassign':
      return { kind: 'reassign', task: input.task, to: input.to };
    case 'snooze':
      return { kind: 'snooze', task: input.task, until: instantOf(input.until) };
    case 'close':
      return { kind: 'close', task: input.task, reason: input.reason };
    case 'pause':
    case 'resume':
      return { kind: input.kind };
  }
}

function entryCalendarOf(opts: Pick<SimulateOptions, 'program' | 'calendars'>): ResolvedCalendar {
  const entry = opts.program.playbooks[opts.program.entry];
  if (!entry) throw new Error(`the program has no entry playbook "${opts.program.entry}"`);
  for (const id of Object.keys(opts.program.calendars)) {
    if (!opts.calendars[id]) throw new Error(`calendar "${id}" was not resolved before the simulation`);
  }
  return entry.calendar === null ? defaultCalendar : opts.calendars[entry.calendar]!;
}

function twoYearsAfter(start: number): number {
  const d = new Date(start);
  d.setUTCFullYear(d.getUTCFullYear() + 2);
  return d.getTime();
}
