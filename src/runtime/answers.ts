/**
 * Checks task answers against the task's `ask` lines. Workflow-safe (no zod), so the
 * Temporal `completeTask` update validates exactly like the simulator. Asks left unanswered
 * are allowed; they read as missing values in conditions.
 */
import type { AskIr } from '../ir/types.js';
import { describeValue, expectation, fitsType } from '../ir/value-rules.js';

export type AnswerValue = string | number | boolean;

/** The first problem with `answers`, or null when every answer fits its ask. */
export function answersProblem(task: string, asks: AskIr[], answers: Record<string, unknown>): string | null {
  for (const [name, value] of Object.entries(answers)) {
    const ask = asks.find((a) => a.name === name);
    if (!ask) {
      const listed = asks.length === 0 ? 'it asks nothing' : `its asks are ${asks.map((a) => a.name).join(', ')}`;
      return `task ${task} has no ask "${name}"; ${listed}`;
    }
    if (!fitsType(ask.type, value)) return `answer to ask "${name}" of task ${task}: ${expectation(ask.type)}, got ${describeValue(value)}`;
  }
  return null;
}
