/**
 * Checks task answers against the task's `ask` lines. Workflow-safe (no zod), so the
 * Temporal `completeTask` update validates exactly like the simulator. An ask is required
 * unless it says `optional` or gives a `default`: a completion that leaves a required one
 * unanswered is refused, so a playbook never takes a branch on an answer nobody gave. Pure.
 */
import type { AskIr } from '../ir/types.js';
import { describeValue, expectation, fitsType } from '../ir/value-rules.js';
import { refusal } from './refusals.js';

export type AnswerValue = string | number | boolean;

/**
 * The first problem with `answers`, or null when every required ask is answered and every
 * answer fits its ask. `missing: 'allowed'` is for runs recorded before answers were required
 * (workflows.ts).
 */
export function answersProblem(task: string, asks: AskIr[], answers: Record<string, unknown>, missing: 'refused' | 'allowed' = 'refused'): string | null {
  return answersRefusal(task, asks, answers, missing)?.reason ?? null;
}

/** `answersProblem` with the asks it is about (`asks`: the unanswered ones, or the one whose answer does not fit), so a caller can name the field. */
export function answersRefusal(
  task: string,
  asks: AskIr[],
  answers: Record<string, unknown>,
  missing: 'refused' | 'allowed' = 'refused',
): { reason: string; asks: string[] } | null {
  for (const [name, value] of Object.entries(answers)) {
    const ask = asks.find((a) => a.name === name);
    if (!ask) {
      const listed = asks.length === 0 ? 'it asks nothing' : `its asks are ${asks.map((a) => a.name).join(', ')}`;
      return { reason: `task ${task} has no ask "${name}"; ${listed}`, asks: [] };
    }
    if (value === null && mayBeLeftOut(ask)) continue;
    if (!fitsType(ask.type, value))
      return { reason: `answer to ask "${name}" of task ${task}: ${expectation(ask.type)}, got ${describeValue(value)}`, asks: [name] };
  }
  if (missing === 'allowed') return null;
  const unanswered = unansweredAsks(asks, answers);
  return unanswered.length === 0 ? null : { reason: refusal.answersRequired(task, unanswered), asks: unanswered };
}

/** The names of the required asks `answers` leaves out, in ask order. */
export function unansweredAsks(asks: AskIr[], answers: Record<string, unknown>): string[] {
  return asks.filter((a) => !mayBeLeftOut(a) && !Object.hasOwn(answers, a.name)).map((a) => a.name);
}

/**
 * The answers a task keeps from a completion `answersProblem` accepted: an ask left out (or
 * answered null) takes its `default`; an `optional` one without a default stays unanswered.
 */
export function answersTaken(asks: AskIr[], answers: Record<string, unknown>): Record<string, AnswerValue> {
  const taken: Record<string, AnswerValue> = {};
  for (const [name, value] of Object.entries(answers)) if (value !== null) taken[name] = value as AnswerValue;
  for (const ask of asks) if (ask.default !== undefined && !Object.hasOwn(taken, ask.name)) taken[ask.name] = ask.default;
  return taken;
}

/** `optional` and `default` both let a completion leave the answer out. */
export function mayBeLeftOut(ask: { optional?: boolean; default?: unknown }): boolean {
  return ask.optional === true || ask.default !== undefined;
}
