/**
 * Renders message texts: literal pieces as written, `{expr}` as its value. Numbers print
 * plainly, dates as `YYYY-MM-DD`, yes/no values as `yes`/`no`, a list as its items joined by
 * `, `, missing values as nothing.
 */
import type { TextIr } from '../ir/types.js';
import { evaluate, type ExprEnv, type Value } from './expr.js';

export function renderText(text: TextIr, env: ExprEnv): string {
  let out = '';
  for (const part of text) out += typeof part === 'string' ? part : renderValue(evaluate(part, env));
  return out;
}

export function renderValue(value: Value): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.map((item) => renderValue(item)).join(', ');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}
