/** What ends a `wait for`: an event, a completed task, a condition on run data, or the first of several (`any of`). */
import type { ExprIr, SingleWaitTargetIr, WaitTargetIr } from '../ir/types.js';
import type { RunState } from './run-state.js';

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
export function waitCheck(
  target: WaitTargetIr,
  state: RunState,
  conditionAt: (condition: ExprIr, at: number) => boolean,
  start: number,
  now: () => number,
): WaitCheck {
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

function singleCheck(
  target: SingleWaitTargetIr,
  state: RunState,
  conditionAt: (condition: ExprIr, at: number) => boolean,
  start: number,
  now: () => number,
): WaitCheck {
  switch (target.kind) {
    case 'event':
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
