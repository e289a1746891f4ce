/**
 * Checks task answers against the task's `ask` lines. Workflow-safe (no zod), so the
 * Temporal `completeTask` update validates exactly like the simulator. Every ask is required
 * (the language has no optional asks yet): a completion that leaves one unanswered is refused,
 * so a playbook never takes a branch on an answer nobody gave. Pure.
 */
import type { AskIr } from '../ir/types.js';
import { describeValue, expectation, fitsType } from '../ir/value-rules.js';
import { refusal } from './refusals.js';

export type AnswerValue = string | number | boolean;

/**
 * The first problem with `answers`, or null when every ask is answered with a value that fits
 * it. `missing: 'allowed'` is for runs recorded before answers were required (workflows.ts).
 */
export function answersProblem(task: string, asks: AskIr[], answers: Record<string, unknown>, missing: 'refused' | 'allowed' = 'refused'): string | null {
  for (const [name, value] of Object.entries(answers)) {
    const ask = asks.find((a) => a.name === name);
    if (!ask) {
      const listed = asks.length === 0 ? 'it asks nothing' : `its asks are ${asks.map((a) => a.name).join(', ')}`;
      return `task ${task} has no ask "${name}"; ${listed}`;
    }
    if (!fitsType(ask.type, value)) return `answer to ask "${name}" of task ${task}: ${expectation(ask.type)}, got ${describeValue(value)}`;
  }
  if (missing === 'allowed') return null;
  const unanswered = unansweredAsks(asks, answers);
  return unanswered.length === 0 ? null : refusal.answersRequired(task, unanswered);
}

/** The names of the asks `answers` leaves out, in ask order. */
export function unansweredAsks(asks: AskIr[], answers: Record<string, unknown>): string[] {
  return asks.filter((a) => !Object.hasOwn(answers, a.name)).map((a) => a.name);
}
