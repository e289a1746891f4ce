/**
 * Runs a program for one account on a virtual clock and returns its timeline: the engine of
 * `playbook simulate` and `playbook test`. Inputs due at an instant are delivered before
 * the timers of that instant, in the order given (stable by instant). The run goes on until
 * it ends, `until` passes, or nothing is left that could wake it (then it is `running`).
 */
import { addDuration, defaultCalendar, type ResolvedCalendar } from '../calendar/index.js';
import type { AccountData, AccountValue, DurationIr, IrProgram } from '../ir/types.js';
import type { Action, ActionResult } from '../runtime/effects.js';
import { applyInput, type RunInput } from '../runtime/inputs.js';
import { Interpreter, type RunResult } from '../runtime/interpreter.js';
import { refusal } from '../runtime/refusals.js';
import { createRunState, initialState, type RunStateData } from '../runtime/run-state.js';
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
  const { program, start } = opts;
  const entryCalendar = entryCalendarOf(opts);
  const instantOf = (when: When) => ('instant' in when ? when.instant : addDuration(start, when.offset, entryCalendar));
  const until = opts.until ? instantOf(opts.until) : twoYearsAfter(start);
  const inputs = opts.inputs.map((input) => ({ input, at: instantOf(input.at) })).sort((a, b) => a.at - b.at);

  const timeline: TimelineEntry[] = [];
  const rejected: SimulateResult<I>['rejected'] = [];
  const clock = new VirtualClock(start, {
    emit: (entry) => timeline.push(entry),
    perform: opts.performAction,
    shouldContinueAsNew: opts.continueAsNew,
    ...(opts.continueAsNewWhileBlocked && { blockedHop: opts.continueAsNewWhileBlocked }),
  });
  const env = { program, calendars: opts.calendars, roles: opts.roles ?? {}, emailParties: () => true };

  const launch = (data: RunStateData, snapshot?: RunSnapshot) => {
    const state = createRunState(program, data, { now: () => clock.now, emit: (e) => timeline.push(e) });
    const interpreter = new Interpreter(env, state);
    return { state, ...clock.start((fx) => interpreter.run(fx, snapshot)) };
  };
  let run = launch(initialState(opts.account, opts.bindings));
  let next = 0;
  let ended: RunResult | null = null;

  for (;;) {
    const settling = clock.settle();
    if (settling) await settling;
    if (run.isSettled()) {
      const result = await run.result;
      if (result.kind === 'ended') {
        ended = result;
        break;
      }
      // What Temporal does on continue-as-new: a fresh run from the snapshot, as JSON.
      const snapshot = JSON.parse(JSON.stringify(result.snapshot)) as RunSnapshot;
      run = launch(snapshot.state, snapshot);
      continue;
    }
    if (clock.wakeConditions() || clock.completeActions()) continue;
    const input = inputs[next];
    const timerAt = clock.nextTimerAt();
    if (input && input.at <= until && (timerAt === null || input.at <= timerAt)) {
      clock.now = Math.max(clock.now, input.at);
      const outcome = input.at < start ? { ok: false as const, reason: refusal.beforeStart } : applyInput(run.state, runInputOf(input.input, instantOf));
      if (!outcome.ok) rejected.push({ input: input.input, reason: outcome.reason });
      next++;
    } else if (timerAt !== null && timerAt <= until) {
      clock.fireNextTimer();
    } else {
      break;
    }
  }
  for (const { input, at } of inputs.slice(next)) {
    if (ended && at <= until) rejected.push({ input, reason: refusal.ended });
  }
  return {
    outcome: ended ? ended.outcome : 'running',
    outcomeLabel: ended ? ended.label : null,
    timeline,
    rejected,
  };
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
