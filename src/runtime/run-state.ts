/**
 * The state of one run, and the only door for inputs from outside (Temporal signals and
 * updates, simulator inputs): events, task completions and changes, account updates, pause
 * and resume. Its data is plain JSON so a snapshot can carry it across continue-as-new.
 *
 * Task changes: a reassigned task goes to its new assignee (and leaves any snooze); a
 * snoozed task stays open and is hidden from its assignee's inbox until the instant given,
 * while the playbook's clock for it keeps counting (the reminders and the `up to` deadline of
 * a `wait for` it fire as written); a closed task is done without being completed: a `wait
 * for` it ends at once as if its deadline had come (its reminders stop, a `timeout` entry is
 * recorded and its `on timeout` block runs), and its answers stay empty. Each change adds an
 * entry (`task-reassigned`, `task-snoozed`, `task-closed`) naming who made it.
 */
import type { AccountData, AccountValue, AskIr, GoalIr, IrProgram } from '../ir/types.js';
import { taskSteps } from './ir-walk.js';
import { answersProblem, answersTaken, type AnswerValue } from './answers.js';
import { refusal } from './refusals.js';
import { renderValue } from './text.js';
import { isoInstant, type TimelineEntry } from './timeline.js';

export interface TaskRecord {
  title: string;
  /** Line of the task step. */
  line: number;
  /** Set when a child playbook created it. */
  playbook?: string;
  asks: AskIr[];
  done: boolean;
  answers: Record<string, AnswerValue>;
  /** Set once it was closed without being completed: the reason. */
  closed?: string;
  /** Epoch ms: hidden from its assignee's inbox until then (absent: not snoozed). */
  snoozedUntil?: number;
}

export interface BufferedEvent {
  name: string;
  payload: Record<string, unknown>;
}

export interface RunStateData {
  /** The run's view of the account, updated by `set` steps and account updates. */
  account: AccountData;
  stage: string | null;
  paused: boolean;
  /** Tasks created so far, by task name (one namespace per run, child playbooks included). */
  tasks: Record<string, TaskRecord>;
  /** Events received and not yet consumed by a `wait for event`, oldest first. */
  events: BufferedEvent[];
  /** Payloads of events bound with `wait for event "x" as <name>`, by name. */
  bindings: Record<string, Record<string, unknown>>;
  /** How many times each step has executed (see the idempotency keys in interpreter.ts). */
  iterations: Record<string, number>;
  /** The entry playbook's goals by id (goals.ts); absent for a playbook without goals. */
  goals?: Record<string, GoalRecord>;
}

export type GoalState = 'pending' | 'met' | 'missed';

/** One goal of a run, as its data keeps it (plain JSON; goals.ts keeps it). */
export interface GoalRecord {
  state: GoalState;
  /** Epoch ms: when its anchor happened; absent until it has. */
  since?: number;
  /** Epoch ms: the anchor plus the goal's duration; absent until anchored. */
  deadline?: number;
  /** Epoch ms: when it was met or missed. */
  at?: number;
  /** Met: the business minutes from its anchor to its milestone. */
  took?: number;
}

/** What follows a run with goals: every entry as it is recorded, and the run's end before its last entry. */
export interface GoalObserver {
  readonly goals: readonly GoalIr[];
  entered(entry: TimelineEntry, at: number): void;
  ending(at: number): void;
}

export type InputResult = { ok: true } | { ok: false; reason: string };

/** The inputs that change a task the run opened (part of the run's input vocabulary, inputs.ts). */
export type TaskChange =
  /** The task goes to `to` (an address), and leaves any snooze. */
  | { kind: 'reassign'; task: string; to: string; by?: string }
  /** Hidden from its assignee's inbox until `until` (epoch ms); the playbook's clock for it keeps counting. */
  | { kind: 'snooze'; task: string; until: number; by?: string }
  /** Closed without being completed: a `wait for` it ends as not completed. */
  | { kind: 'close'; task: string; reason: string; by?: string };

/** Where a run's inputs learn the time and its timeline goes. */
export interface RunOutput {
  now(): number;
  emit(entry: TimelineEntry): void;
}

type ChangeListener = (at: number) => void;

/** An entry as steps and inputs describe it; `emit` adds the instant, the stage and the default line. */
export type EntryBody = Omit<TimelineEntry, 'at' | 'stage' | 'line'> & { line?: number };

/** `bindings`: the event a trigger bound with `as`, which the run has from its first step. */
export function initialState(account: AccountData, bindings: RunStateData['bindings'] = {}): RunStateData {
  return { account: { ...account }, stage: null, paused: false, tasks: {}, events: [], bindings: { ...bindings }, iterations: {} };
}

/**
 * The state of a run of `program` from `data`: `initialState(account)`, or a snapshot's state
 * to resume. `missingAnswers: 'allowed'` keeps the rule of runs recorded before every ask was
 * required, so their histories replay.
 */
export function createRunState(program: IrProgram, data: RunStateData, out: RunOutput, missingAnswers: 'refused' | 'allowed' = 'refused'): RunState {
  return new RunState(data, taskNames(program), program.playbooks[program.entry]?.line ?? 0, out, missingAnswers);
}

/** Task names per program: many runs share one program, and walking all its steps is not free. */
const taskNamesByProgram = new WeakMap<IrProgram, ReadonlySet<string>>();

function taskNames(program: IrProgram): ReadonlySet<string> {
  let names = taskNamesByProgram.get(program);
  if (!names) {
    names = new Set(taskSteps(program).keys());
    taskNamesByProgram.set(program, names);
  }
  return names;
}

export class RunState {
  /** Bumped on every change of data a condition can read (account, events, answers). */
  version = 0;
  private ended = false;
  private readonly listeners: ChangeListener[] = [];
  /**
   * Whether pause and resume add `pause` / `resume` entries. Off in Temporal runs recorded
   * before they did, so their histories replay.
   */
  recordsControls = true;
  /** Told of every entry and of the run's end, when the entry playbook has goals (goals.ts' `GoalWatch` sets itself). */
  goals: GoalObserver | null = null;

  constructor(
    readonly data: RunStateData,
    /** Task names the program defines, to tell an unknown task from one not created yet. */
    private readonly knownTasks: ReadonlySet<string>,
    /** The entry playbook's line: the `line` of entries that no step caused. */
    private readonly playbookLine: number,
    private readonly out: RunOutput,
    private readonly missingAnswers: 'refused' | 'allowed' = 'refused',
  ) {}

  // -------------------------------------------------------------------------------------
  // Inputs

  /** Buffers an event: the oldest unconsumed event of a name satisfies the next wait for it. */
  deliverEvent(name: string, payload: Record<string, unknown>): InputResult {
    if (this.ended) return endedResult;
    this.data.events.push({ name, payload });
    this.emit({ kind: 'event', text: name, data: payload }, this.out.now());
    this.changed(this.out.now());
    return { ok: true };
  }

  /** `by`: who completes it, as the timeline records it. */
  completeTask(task: string, answers: Record<string, unknown>, by?: string): InputResult {
    if (this.ended) return endedResult;
    const record = this.data.tasks[task];
    if (!record) {
      return { ok: false, reason: this.knownTasks.has(task) ? refusal.taskNotCreated(task) : refusal.noSuchTask(task) };
    }
    if (record.done) return { ok: false, reason: refusal.taskCompleted(task) };
    if (record.closed !== undefined) return { ok: false, reason: refusal.taskClosed(task) };
    const problem = answersProblem(task, record.asks, answers, this.missingAnswers);
    if (problem !== null) return { ok: false, reason: problem };
    record.done = true;
    record.answers = answersTaken(record.asks, answers);
    const at = this.out.now();
    this.emit({ kind: 'task-completed', text: record.title, task, data: record.answers, line: record.line, playbook: record.playbook, by }, at);
    this.changed(at);
    return { ok: true };
  }

  /** Reassigns, snoozes or closes an open task (see the header); `by` as for `completeTask`. */
  changeTask(change: TaskChange): InputResult {
    if (this.ended) return endedResult;
    const { task, by } = change;
    const record = this.data.tasks[task];
    if (!record) {
      return { ok: false, reason: this.knownTasks.has(task) ? refusal.taskNotCreated(task) : refusal.noSuchTask(task) };
    }
    if (record.done) return { ok: false, reason: refusal.taskCompleted(task) };
    if (record.closed !== undefined) return { ok: false, reason: refusal.taskClosed(task) };
    const at = this.out.now();
    const about = { task, line: record.line, playbook: record.playbook, by };
    switch (change.kind) {
      case 'reassign':
        if (typeof change.to !== 'string' || change.to.trim() === '') return { ok: false, reason: refusal.assigneeNotText(task) };
        delete record.snoozedUntil;
        this.emit({ kind: 'task-reassigned', to: change.to, text: record.title, ...about }, at);
        return { ok: true };
      case 'snooze':
        if (typeof change.until !== 'number' || !Number.isFinite(change.until)) return { ok: false, reason: refusal.untilNotInstant(task) };
        if (change.until <= at) return { ok: false, reason: refusal.snoozeNotLater(task, isoInstant(at)) };
        record.snoozedUntil = change.until;
        this.emit({ kind: 'task-snoozed', text: record.title, until: isoInstant(change.until), ...about }, at);
        return { ok: true };
      case 'close':
        if (typeof change.reason !== 'string' || change.reason.trim() === '') return { ok: false, reason: refusal.reasonNotText(task) };
        record.closed = change.reason;
        this.emit({ kind: 'task-closed', text: change.reason, ...about }, at);
        // A wait for the task ends: it checks on every change.
        this.changed(at);
        return { ok: true };
    }
  }

  /** Applies fields already validated against `account fields`, one `set` entry each. */
  updateAccount(fields: Record<string, AccountValue>): InputResult {
    if (this.ended) return endedResult;
    const at = this.out.now();
    for (const [field, value] of Object.entries(fields)) {
      this.data.account[field] = value;
      this.emit(setEntry(field, value), at);
    }
    this.changed(at);
    return { ok: true };
  }

  /** While paused no new step starts; timers keep counting. A pause of a paused run changes nothing and adds no entry. */
  pause(by?: string): InputResult {
    return this.setPaused(true, by);
  }

  resume(by?: string): InputResult {
    return this.setPaused(false, by);
  }

  /** The run was cancelled from outside (Temporal cancellation): its last entry names who, when known. */
  cancelled(by?: string): void {
    this.end({ kind: 'cancel', by }, this.out.now());
  }

  private setPaused(paused: boolean, by: string | undefined): InputResult {
    if (this.ended) return endedResult;
    const changed = this.data.paused !== paused;
    this.data.paused = paused;
    if (changed && this.recordsControls) this.emit({ kind: paused ? 'pause' : 'resume', by }, this.out.now());
    return { ok: true };
  }

  // -------------------------------------------------------------------------------------
  // For the interpreter

  /**
   * Appends to the timeline at `at`, in the current stage; `line` defaults to the playbook's.
   * Nothing is recorded once the run has ended (a cancelled branch finishing an action).
   */
  emit(entry: EntryBody, at: number): void {
    if (this.ended) return;
    // Fixed key order and no undefined extras, so JSON timelines from both clocks are byte-identical.
    const out: TimelineEntry = { at: isoInstant(at), kind: entry.kind, stage: this.data.stage, line: 0 };
    if (entry.to !== undefined) out.to = entry.to;
    if (entry.text !== undefined) out.text = entry.text;
    out.line = entry.line ?? this.playbookLine;
    if (entry.playbook !== undefined) out.playbook = entry.playbook;
    if (entry.severity !== undefined) out.severity = entry.severity;
    if (entry.task !== undefined) out.task = entry.task;
    if (entry.due !== undefined) out.due = entry.due;
    if (entry.until !== undefined) out.until = entry.until;
    if (entry.template !== undefined) out.template = entry.template;
    if (entry.locale !== undefined) out.locale = entry.locale;
    if (entry.cc !== undefined) out.cc = entry.cc;
    if (entry.bcc !== undefined) out.bcc = entry.bcc;
    if (entry.from !== undefined) out.from = entry.from;
    if (entry.field !== undefined) out.field = entry.field;
    if (entry.data !== undefined) out.data = entry.data;
    if (entry.by !== undefined) out.by = entry.by;
    if (entry.goal !== undefined) out.goal = entry.goal;
    if (entry.target !== undefined) out.target = entry.target;
    if (entry.took !== undefined) out.took = entry.took;
    this.out.emit(out);
    this.goals?.entered(out, at);
  }

  /** Records the final entry (after the goals it leaves missed); later inputs are rejected and later entries dropped. */
  end(entry: EntryBody, at: number): void {
    if (this.ended) return;
    this.goals?.ending(at);
    this.emit(entry, at);
    this.ended = true;
  }

  /** A `set` step: the run's view changes at `at`. */
  setField(field: string, value: AccountValue, at: number): void {
    this.data.account[field] = value;
    this.changed(at);
  }

  /** `matches`: a wait's `where`; an event it refuses is not there for that wait. */
  hasEvent(name: string, matches: (event: BufferedEvent) => boolean = always): boolean {
    return this.data.events.some((e) => e.name === name && matches(e));
  }

  /** Consumes the oldest buffered event of `name` that `matches`; undefined when there is none. The others stay buffered. */
  takeEvent(name: string, matches: (event: BufferedEvent) => boolean = always): BufferedEvent | undefined {
    const index = this.data.events.findIndex((e) => e.name === name && matches(e));
    return index < 0 ? undefined : this.data.events.splice(index, 1)[0];
  }

  /** Creating a task again (in a loop) reopens it and forgets earlier answers. */
  openTask(task: string, record: TaskRecord): void {
    this.data.tasks[task] = record;
  }

  /** Counts one more execution of `node` and returns the count (1 for the first). */
  nextIteration(node: string): number {
    const n = (this.data.iterations[node] ?? 0) + 1;
    this.data.iterations[node] = n;
    return n;
  }

  /** Calls `listener` synchronously after every data change; returns the unsubscribe. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  private changed(at: number): void {
    this.version++;
    for (const listener of [...this.listeners]) listener(at);
  }
}

const always = (): boolean => true;

const endedResult: InputResult = { ok: false, reason: refusal.ended };

export function setEntry(field: string, value: AccountValue): EntryBody {
  return { kind: 'set', text: `${field} = ${renderValue(value)}`, field, data: value };
}
