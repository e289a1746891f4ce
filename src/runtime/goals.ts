/**
 * Goals of a run, measured and never blocking: each goal of the entry playbook is anchored by
 * the first entry of its anchor (the run's `start` entry by default), met by the first entry of
 * its milestone after that (a condition on data: when it holds at the anchor or after a data
 * change), and missed at its deadline (the anchor plus its duration in the playbook's
 * calendar) or when the run ends without it. Met exactly at the deadline counts as met: inputs
 * due at an instant come before its timers on both clocks.
 *
 * `goal-met` follows the entry of its milestone at once (RunState calls `entered` after each
 * entry), before anything the run does next; `goal-missed` is recorded at the deadline by the
 * goal's watch (a branch of its own beside the body, interpreter.ts) or, at the run's end,
 * before its last entry. State lives in the run's data (`goals`), so it crosses
 * continue-as-new; it is there only for a playbook with goals. Workflow code only: pure.
 */
import { addDuration, businessTimeBetween, type ResolvedCalendar } from '../calendar/index.js';
import type { ExprIr, GoalIr, GoalPointIr } from '../ir/types.js';
import type { EntryBody, GoalObserver, GoalRecord, GoalState, RunState } from './run-state.js';
import { isoInstant, type TimelineEntry } from './timeline.js';

/** The `what` of a goal's watch in `Effects.waitFor`: the run waits for nothing there, so status lists it as a goal, not a wait. */
export function goalWatch(goal: string): string {
  return `goal ${goal}`;
}

export function isGoalWatch(what: string): boolean {
  return what.startsWith('goal ');
}

export class GoalWatch implements GoalObserver {
  constructor(
    readonly goals: readonly GoalIr[],
    private readonly state: RunState,
    private readonly calendar: ResolvedCalendar,
    private readonly holds: (condition: ExprIr, at: number) => boolean,
  ) {
    state.data.goals ??= Object.fromEntries(goals.map((g) => [g.id, { state: 'pending' as const }]));
    state.goals = this;
    state.onChange((at) => {
      for (const goal of this.goals) if (goal.milestone.kind === 'condition') this.checkCondition(goal, goal.milestone.condition, at);
    });
  }

  record(goal: string): GoalRecord {
    const record = this.state.data.goals?.[goal];
    if (!record) throw new Error(`the run has no goal "${goal}"`);
    return record;
  }

  /** After every entry of the run: milestones of anchored goals first, so a moment never anchors and meets one goal at once. */
  entered(entry: TimelineEntry, at: number): void {
    if (entry.kind === 'goal-met' || entry.kind === 'goal-missed') return;
    for (const goal of this.goals) {
      const record = this.record(goal.id);
      if (record.state === 'pending' && record.since !== undefined && goalPointMatches(goal.milestone, entry)) this.met(goal, at);
    }
    for (const goal of this.goals) {
      const record = this.record(goal.id);
      if (record.state !== 'pending' || record.since !== undefined || !goalPointMatches(goal.anchor, entry)) continue;
      record.since = at;
      record.deadline = addDuration(at, goal.within, this.calendar);
      if (goal.milestone.kind === 'condition') this.checkCondition(goal, goal.milestone.condition, at);
    }
  }

  /** The deadline passed with the goal still pending (its watch's timer). */
  deadlineReached(goal: GoalIr): void {
    const record = this.record(goal.id);
    if (record.state === 'pending' && record.deadline !== undefined) this.missed(goal, record.deadline);
  }

  /** The run ends at `at`: every goal still pending is missed, before the run's last entry. */
  ending(at: number): void {
    for (const goal of this.goals) if (this.record(goal.id).state === 'pending') this.missed(goal, at);
  }

  private checkCondition(goal: GoalIr, condition: ExprIr, at: number): void {
    const record = this.record(goal.id);
    if (record.state === 'pending' && record.since !== undefined && this.holds(condition, at)) this.met(goal, at);
  }

  private met(goal: GoalIr, at: number): void {
    const record = this.record(goal.id);
    // Past its deadline the watch records it missed (at the deadline), whatever comes later.
    if (record.deadline !== undefined && at > record.deadline) return;
    record.state = 'met';
    record.at = at;
    record.took = Math.round(businessTimeBetween(record.since!, at, this.calendar) / 60_000);
    this.state.emit({ ...goalEntry(goal, 'goal-met'), took: record.took }, at);
  }

  private missed(goal: GoalIr, at: number): void {
    const record = this.record(goal.id);
    record.state = 'missed';
    record.at = at;
    this.state.emit(goalEntry(goal, 'goal-missed'), at);
  }
}

function goalEntry(goal: GoalIr, kind: 'goal-met' | 'goal-missed'): EntryBody {
  return { kind, text: goal.title ?? goal.id, goal: goal.id, target: goal.target, line: goal.line };
}

/** Whether `entry` is the moment `point` names; a child playbook's stages and tasks are its own (the at-risk report finds anchors with it too). */
export function goalPointMatches(point: GoalPointIr, entry: TimelineEntry): boolean {
  const own = entry.playbook === undefined;
  switch (point.kind) {
    case 'start':
      return entry.kind === 'start' && own;
    case 'event':
      return entry.kind === 'event' && entry.text === point.event;
    case 'taskDone':
      return entry.kind === 'task-completed' && own && entry.task === point.task;
    case 'taskCreated':
      return entry.kind === 'task' && own && entry.task === point.task;
    case 'stage':
      return entry.kind === 'stage' && own && entry.stage === point.stage;
    case 'condition':
      return false;
  }
}

/** A goal of a run as its status shows it (`playbook status --json`, the API). */
export interface GoalStatus {
  goal: string;
  text: string;
  target: number;
  state: GoalState;
  /** UTC ISO-8601: when its time started; null until its anchor happened. */
  since: string | null;
  /** UTC ISO-8601: when it is missed unless met first; null until anchored. */
  deadline: string | null;
  /** UTC ISO-8601: when it was met or missed; null while pending. */
  at: string | null;
  /** Met: the business minutes it took (as its `goal-met` entry says). */
  took?: number;
}

/** The goals of a live run from its data; undefined for a playbook without goals. */
export function goalStatuses(state: RunState): GoalStatus[] | undefined {
  const goals = state.goals?.goals;
  if (goals === undefined) return undefined;
  const iso = (t: number | undefined) => (t === undefined ? null : isoInstant(t));
  return goals.map((goal) => {
    const record = state.data.goals?.[goal.id] ?? { state: 'pending' };
    const status: GoalStatus = {
      goal: goal.id,
      text: goal.title ?? goal.id,
      target: goal.target,
      state: record.state,
      since: iso(record.since),
      deadline: iso(record.deadline),
      at: iso(record.at),
    };
    if (record.took !== undefined) status.took = record.took;
    return status;
  });
}

/**
 * The goals a timeline's entries tell of (a run read from the store, whose data is gone): met
 * and missed ones only, since a pending goal leaves no entry; undefined when there are none.
 */
export function goalsOfTimeline(timeline: readonly TimelineEntry[]): GoalStatus[] | undefined {
  const goals = timeline.flatMap((e): GoalStatus[] =>
    (e.kind === 'goal-met' || e.kind === 'goal-missed') && e.goal !== undefined
      ? [
          {
            goal: e.goal,
            text: e.text ?? e.goal,
            target: e.target ?? 0,
            state: e.kind === 'goal-met' ? 'met' : 'missed',
            since: null,
            deadline: null,
            at: e.at,
            ...(e.took !== undefined && { took: e.took }),
          },
        ]
      : [],
  );
  return goals.length > 0 ? goals : undefined;
}
