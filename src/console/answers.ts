/**
 * A task form's fields as answers: each `ask` question is one field (`answer.<name>`), read
 * as its type (yes/no as a boolean, numbers as numbers) and checked with the rules the run
 * itself applies (value-rules.ts), so every problem shows beside its field at once; the run
 * still decides when the answers reach it.
 */
import type { FieldTypeIr } from '../ir/types.js';
import { describeValue, expectation, fitsType } from '../ir/value-rules.js';
import { mayBeLeftOut } from '../runtime/answers.js';
import type { TaskQuestion } from '../store/reads.js';

export const ANSWER_PREFIX = 'answer.';

export interface ReadAnswers {
  answers: Record<string, string | number | boolean>;
  /** Question name → what is wrong with its field. */
  problems: Record<string, string>;
  /** Question name → the text as entered, to fill the form again. */
  entered: Record<string, string>;
}

export function readAnswers(questions: TaskQuestion[], form: Record<string, unknown>): ReadAnswers {
  const result: ReadAnswers = { answers: {}, problems: {}, entered: {} };
  for (const question of questions) {
    const raw = form[`${ANSWER_PREFIX}${question.name}`];
    const text = typeof raw === 'string' ? raw.trim() : '';
    result.entered[question.name] = text;
    if (text === '') {
      // Left out: the run takes the ask's default, if it has one.
      if (!mayBeLeftOut(question)) result.problems[question.name] = 'an answer is required';
      continue;
    }
    const value = valueOf(question.type, text);
    const type = question.type as FieldTypeIr;
    if (fitsType(type, value)) result.answers[question.name] = value;
    else result.problems[question.name] = `${expectation(type)}, got ${describeValue(text)}`;
  }
  return result;
}

function valueOf(type: TaskQuestion['type'], text: string): string | number | boolean {
  switch (type.type) {
    case 'yes/no':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'number': {
      const n = Number(text);
      return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) && Number.isFinite(n) ? n : text;
    }
    default:
      return text;
  }
}
