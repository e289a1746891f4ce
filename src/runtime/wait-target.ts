/** What ends a `wait for`: an event, a completed task, a condition on run data, or the first of several (`any of`). */
import type { ExprIr, SingleWaitTargetIr, WaitTargetIr } from '../ir/types.js';
import type { BufferedEvent, RunState } from './run-state.js';

/** Evaluates a condition at an instant; `bound` adds event bindings (a `where`'s candidate) over the run's. */
export type ConditionAt = (condition: ExprIr, at: number, bound?: Readonly<Record<string, Record<string, unknown>>>) => boolean;

export interface WaitCheck {
  /** The pure check handed to `Effects.waitFor`. */
  holds: () => boolean;
  /** Takes what `holds` found (consumes and binds the event); false when another branch took it first. */
  claim: () => boolean;
  /** The instant a condition target was last evaluated at (`start` for the others). */
  checkedAt: () => number;
  /** What `holds` found is a task closed without being completed: the wait ends as not satisfied. */
  closed: () => boolean;
}

const never = (): boolean => false;

/**
 * `conditionAt(condition, at)` evaluates a condition at an instant; a condition target is
 * evaluated at `start` and then only when run data changed, at `now()`, so a condition
 * that depends on `today` does not depend on how often a clock happens to look.
 */
export function waitCheck(target: WaitTargetIr, state: RunState, conditionAt: ConditionAt, start: number, now: () => number): WaitCheck {
  if (target.kind !== 'anyOf') return singleCheck(target, state, conditionAt, start, now);
  const checks = target.of.map((t) => singleCheck(t, state, conditionAt, start, now));
  // Each check looks every time (no short cut), so every condition is evaluated at the same
  // instants whichever waitable happens first. A closed task is not a completed one: the
  // others (and the deadline) can still end the wait.
  const happened = () => checks.map((c) => c.holds() && !c.closed());
  return {
    holds: () => happened().some(Boolean),
    // The first in written order of those that happened wins; the others stay as they are
    // (an event not taken stays for a later wait).
    claim: () => happened().some((h, i) => h && checks[i]!.claim()),
    checkedAt: () => Math.max(...checks.map((c) => c.checkedAt())),
    closed: never,
  };
}

function singleCheck(target: SingleWaitTargetIr, state: RunState, conditionAt: ConditionAt, start: number, now: () => number): WaitCheck {
  switch (target.kind) {
    case 'event':
      if (target.where !== undefined) return whereCheck(target, target.where, state, conditionAt, start, now);
      return {
        holds: () => state.hasEvent(target.name),
        claim: () => {
          const event = state.takeEvent(target.name);
          if (event && target.as !== null) state.data.bindings[target.as] = event.payload;
          return event !== undefined;
        },
        checkedAt: () => start,
        closed: never,
      };
    case 'task': {
      const closed = () => state.data.tasks[target.task]?.closed !== undefined;
      return { holds: () => state.data.tasks[target.task]?.done === true || closed(), claim: () => true, checkedAt: () => start, closed };
    }
    case 'condition': {
      let seen = state.version;
      let at = start;
      let last = conditionAt(target.condition, at);
      const holds = () => {
        if (state.version !== seen) {
          seen = state.version;
          at = now();
          last = conditionAt(target.condition, at);
        }
        return last;
      };
      return { holds, claim: () => true, checkedAt: () => at, closed: never };
    }
  }
}

/**
 * `wait for event "<name>" as x where …`: takes the oldest pending event of `name` whose
 * condition holds with the event bound as `x`; the others stay pending for a later wait. Like a
 * condition target, each event is judged at `start` and then again only when run data changed
 * (an arrival is a change), at `now()`, so the verdicts do not depend on how often a clock looks.
 */
function whereCheck(
  target: Extract<SingleWaitTargetIr, { kind: 'event' }>,
  where: ExprIr,
  state: RunState,
  conditionAt: ConditionAt,
  start: number,
  now: () => number,
): WaitCheck {
  let seen = state.version;
  let at = start;
  let verdicts = new WeakMap<BufferedEvent, boolean>();
  const matches = (event: BufferedEvent): boolean => {
    if (state.version !== seen) {
      seen = state.version;
      at = now();
      verdicts = new WeakMap();
    }
    let verdict = verdicts.get(event);
    if (verdict === undefined) {
      verdict = conditionAt(where, at, target.as === null ? undefined : { [target.as]: event.payload });
      verdicts.set(event, verdict);
    }
    return verdict;
  };
  return {
    holds: () => state.hasEvent(target.name, matches),
    claim: () => {
      const event = state.takeEvent(target.name, matches);
      if (event && target.as !== null) state.data.bindings[target.as] = event.payload;
      return event !== undefined;
    },
    checkedAt: () => at,
    closed: never,
  };
}

/** What a timed-out wait waited for, as the `timeout` entry's text. */
export function describeTarget(target: WaitTargetIr): string {
  switch (target.kind) {
    case 'anyOf':
      return `any of ${target.of.map(describeTarget).join(', ')}`;
    case 'event':
      return `event "${target.name}"`;
    case 'task':
      return `task ${target.task}`;
    case 'condition':
      return 'condition';
  }
}
