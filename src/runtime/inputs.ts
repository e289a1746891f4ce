/**
 * A run's inputs, the one vocabulary of both clocks: what can reach a running run from
 * outside (an event, an account update, a task completed, reassigned, snoozed or closed,
 * pause, resume), which events a
 * program accepts, and how an input is applied to the run's state (refusals are worded in
 * refusals.ts). The simulator, the workflow's input desk and the CLI differ only in when an
 * input arrives. Pure.
 */
import type { AccountValue, IrProgram } from '../ir/types.js';
import { allSteps, waitTargets } from './ir-walk.js';
import type { InputResult, RunState, TaskChange } from './run-state.js';

export type RunInput =
  | { kind: 'event'; name: string; payload: Record<string, unknown> }
  | { kind: 'account'; fields: Record<string, AccountValue> }
  | { kind: 'complete'; task: string; answers: Record<string, unknown>; by?: string }
  | TaskChange
  | { kind: 'pause'; by?: string }
  | { kind: 'resume'; by?: string };

export type { TaskChange };

export const TASK_CHANGE_KINDS = ['reassign', 'snooze', 'close'] as const satisfies ReadonlyArray<TaskChange['kind']>;

export type RunInputKind = RunInput['kind'];

/** Applies one input to the run's state at the state's current instant: its outcome, or why it was refused. */
export function applyInput(state: RunState, input: RunInput): InputResult {
  switch (input.kind) {
    case 'event':
      return state.deliverEvent(input.name, input.payload);
    case 'account':
      return state.updateAccount(input.fields);
    case 'complete':
      return state.completeTask(input.task, input.answers, input.by);
    case 'reassign':
    case 'snooze':
    case 'close':
      return state.changeTask(input);
    case 'pause':
      return state.pause(input.by);
    case 'resume':
      return state.resume(input.by);
  }
}

interface ProgramEvents {
  /** Events some `wait for event` waits for, or a goal names. */
  readonly awaited: ReadonlySet<string>;
  /** Those, and the events a trigger starts on: the only event names a run accepts. */
  readonly accepted: ReadonlySet<string>;
}

/** Per program: many runs and many inputs share one program, and walking its steps is not free. */
const eventsByProgram = new WeakMap<IrProgram, ProgramEvents>();

function programEvents(program: IrProgram): ProgramEvents {
  let events = eventsByProgram.get(program);
  if (!events) {
    events = collectEvents(program);
    eventsByProgram.set(program, events);
  }
  return events;
}

function collectEvents(program: IrProgram): ProgramEvents {
  const awaited = new Set<string>();
  const accepted = new Set<string>();
  for (const playbook of Object.values(program.playbooks)) {
    for (const trigger of playbook.triggers) if (trigger.kind === 'event') accepted.add(trigger.name);
    for (const step of allSteps(playbook.body)) {
      if (step.kind !== 'waitFor') continue;
      for (const target of waitTargets(step.target)) {
        if (target.kind !== 'event') continue;
        awaited.add(target.name);
        accepted.add(target.name);
      }
    }
    // A goal's event meets or starts the goal: worth sending even when no step waits for it.
    for (const goal of playbook.goals ?? []) {
      for (const point of [goal.milestone, goal.anchor]) {
        if (point.kind !== 'event') continue;
        awaited.add(point.event);
        accepted.add(point.event);
      }
    }
  }
  return { awaited, accepted };
}

/** The event names a run of `program` accepts, in source order (triggers of each playbook first). */
export function acceptedEvents(program: IrProgram): ReadonlySet<string> {
  return programEvents(program).accepted;
}

export function acceptsEvent(program: IrProgram, name: string): boolean {
  return programEvents(program).accepted.has(name);
}

/**
 * The events some `wait for event` of the program waits for, or a goal of it names. A run keeps
 * an event that arrives before it gets to that wait, so these are the events worth sending it:
 * by name, also to a wait with `where`, which decides in the run which of them it takes.
 */
export function awaitedEvents(program: IrProgram): ReadonlySet<string> {
  return programEvents(program).awaited;
}

/**
 * Per event name the program binds with `as` (a trigger's or a `wait for event`'s), the payload
 * fields it reads anywhere (`<name>.<field>`: a trigger's or a wait's `where`, the run key, conditions,
 * texts), or null when it reads a payload whole. An event the program accepts without binding
 * it reads none (an empty set). A binding name used for several events counts for each: an
 * upper bound, never less than what a run of the program can see.
 */
export function eventFieldsRead(program: IrProgram): ReadonlyMap<string, ReadonlySet<string> | null> {
  const bound = new Map<string, Set<string>>();
  const bind = (as: string | null | undefined, name: string) => {
    if (as === null || as === undefined) return;
    bound.set(as, (bound.get(as) ?? new Set()).add(name));
  };
  for (const playbook of Object.values(program.playbooks)) {
    for (const trigger of playbook.triggers) if (trigger.kind === 'event') bind(trigger.as, trigger.name);
    for (const step of allSteps(playbook.body)) {
      if (step.kind === 'waitFor') for (const target of waitTargets(step.target)) if (target.kind === 'event') bind(target.as, target.name);
    }
  }
  const reads = new Map<string, Set<string> | null>([...acceptedEvents(program)].map((name) => [name, new Set<string>()]));
  // Every expression of the program, wherever it sits (steps, triggers, the run key): the IR is plain JSON.
  const stack: unknown[] = [program.playbooks];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    const expr = node as { op?: unknown; event?: unknown; path?: unknown };
    if (expr.op === 'eventField' && typeof expr.event === 'string' && Array.isArray(expr.path)) {
      const field = expr.path[0] as string | undefined;
      for (const name of bound.get(expr.event) ?? []) {
        const fields = reads.get(name);
        if (fields === null) continue;
        if (field === undefined) reads.set(name, null);
        else reads.set(name, (fields ?? new Set()).add(field));
      }
    }
    stack.push(...Object.values(node));
  }
  return reads;
}
