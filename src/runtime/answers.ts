/**
 * Checks task answers against the task's `ask` lines. Workflow-safe (no zod), so the
 * Temporal `completeTask` update validates exactly like the simulator. Asks left unanswered
 * are allowed; they read as missing values in conditions.
 */
import type { AskIr, AskTypeIr } from '../ir/types.js';

export type AnswerValue = string | number | boolean;

/** The first problem with `answers`, or null when every answer fits its ask. */
export function answersProblem(task: string, asks: AskIr[], answers: Record<string, unknown>): string | null {
  for (const [name, value] of Object.entries(answers)) {
    const ask = asks.find((a) => a.name === name);
    if (!ask) {
      const listed = asks.length === 0 ? 'it asks nothing' : `its asks are ${asks.map((a) => a.name).join(', ')}`;
      return `task ${task} has no ask "${name}"; ${listed}`;
    }
    if (!fits(ask.type, value)) return `answer to ask "${name}" of task ${task}: ${expectation(ask.type)}, got ${JSON.stringify(value) ?? 'nothing'}`;
  }
  return null;
}

function fits(type: AskTypeIr, value: unknown): value is AnswerValue {
  switch (type.type) {
    case 'yes/no':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'text':
      return typeof value === 'string';
    case 'one of':
      return typeof value === 'string' && type.values.includes(value);
  }
}

function expectation(type: AskTypeIr): string {
  switch (type.type) {
    case 'yes/no':
      return 'expected yes/no (true or false)';
    case 'number':
      return 'expected a number';
    case 'text':
      return 'expected text';
    case 'one of':
      return `expected one of ${type.values.join(', ')}`;
  }
}
