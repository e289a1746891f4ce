/**
 * Evaluates IR expressions. Pure: time comes in as `now`, calendar arithmetic goes through
 * `src/calendar`. Dates are `YYYY-MM-DD` strings (compared as dates, which for that format is
 * string order). A missing value (null field, unbound event field, unanswered ask) makes every
 * comparison false, `in` and `not in` included, and arithmetic (date arithmetic too) on it
 * missing too; `is empty` is what tests for it. A division by zero is a missing value too, so a
 * run never fails on data: the checker reports a literal `/ 0`, and `else if x is empty` is the
 * branch for the rest.
 */
import { businessDaysSince, daysBetween, isDateUnit, isValidDate, localDate, shiftDate, type ResolvedCalendar } from '../calendar/index.js';
import type { AccountData, AccountListValue, ExprIr } from '../ir/types.js';

/** What an expression evaluates to; null is a missing value. A list is the value of a `list of` field (the checker lets only `is empty` and texts read one). */
export type Value = string | number | boolean | null | AccountListValue;

export interface ExprEnv {
  account: AccountData;
  /** Payload of the event bound with `as <name>`, if any. */
  binding(name: string): Record<string, unknown> | undefined;
  /** The answer to `ask` of `task`, if answered. */
  answer(task: string, ask: string): unknown;
  /** The value a `run playbook … with` gave parameter `name` (triggers and run keys have none). */
  param?(name: string): Value | undefined;
  now: number;
  calendar: ResolvedCalendar;
}

export function evaluate(expr: ExprIr, env: ExprEnv): Value {
  switch (expr.op) {
    case 'field':
      return scalar(env.account[expr.field]);
    case 'eventField':
      return scalar(expr.path.reduce<unknown>((v, key) => (isRecord(v) ? v[key] : undefined), env.binding(expr.event)));
    case 'answer':
      return scalar(env.answer(expr.task, expr.ask));
    case 'param':
      return scalar(env.param?.(expr.param));
    case 'lit':
      return expr.value;
    case 'today':
      return localDate(env.now, env.calendar);
    case 'compare':
      return compare(expr.cmp, evaluate(expr.left, env), evaluate(expr.right, env));
    case 'in': {
      const left = evaluate(expr.left, env);
      if (left === null) return false;
      const found = expr.list.some((item) => compare('=', left, evaluate(item, env)));
      return found !== expr.negated;
    }
    case 'and':
      return isTrue(evaluate(expr.left, env)) && isTrue(evaluate(expr.right, env));
    case 'or':
      return isTrue(evaluate(expr.left, env)) || isTrue(evaluate(expr.right, env));
    case 'not':
      return !isTrue(evaluate(expr.operand, env));
    case 'daysUntil':
    case 'daysSince':
    case 'businessDaysSince': {
      const date = asDate(evaluate(expr.operand, env));
      if (date === null) return null;
      const today = localDate(env.now, env.calendar);
      if (expr.op === 'daysUntil') return daysBetween(today, date);
      if (expr.op === 'daysSince') return daysBetween(date, today);
      return businessDaysSince(date, env.now, env.calendar);
    }
    case 'offset': {
      const date = asDate(evaluate(expr.base, env));
      const { amount, unit } = expr.offset;
      // The checker only lets whole-day units offset a date.
      if (date === null || !isDateUnit(unit)) return null;
      const shifted = shiftDate(date, { amount, unit }, expr.direction, env.calendar);
      // Beyond year 9999 a date is no longer a `YYYY-MM-DD` date: missing, like any other non-date.
      return isValidDate(shifted) ? shifted : null;
    }
    case 'arith':
      return arith(expr.arith, evaluate(expr.left, env), evaluate(expr.right, env));
    case 'isEmpty': {
      const value = evaluate(expr.operand, env);
      return (value === null || value === '' || (Array.isArray(value) && value.length === 0)) !== expr.negated;
    }
  }
}

/**
 * Numbers only (the checker types the operands); the result keeps 15 significant digits so
 * binary fractions read as written (`0.1 + 0.2` is `0.3`, `7 * 1%` is `0.07`).
 */
function arith(op: Extract<ExprIr, { op: 'arith' }>['arith'], left: Value, right: Value): Value {
  if (typeof left !== 'number' || typeof right !== 'number') return null;
  if (op === '/' && right === 0) return null;
  const result = op === '+' ? left + right : op === '-' ? left - right : op === '*' ? left * right : left / right;
  return Number.isFinite(result) ? Number(result.toPrecision(15)) : null;
}

/** A condition holds only when it evaluates to `true`; a missing value does not hold. */
export function isTrue(value: Value): boolean {
  return value === true;
}

function compare(cmp: Extract<ExprIr, { op: 'compare' }>['cmp'], left: Value, right: Value): boolean {
  if (left === null || right === null) return false;
  if (Array.isArray(left) || Array.isArray(right)) return false;
  if (typeof left !== typeof right) return cmp === '!=';
  switch (cmp) {
    case '=':
      return left === right;
    case '!=':
      return left !== right;
  }
  if (typeof left === 'boolean') return false;
  switch (cmp) {
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
  }
}

function asDate(value: Value): string | null {
  return typeof value === 'string' && isValidDate(value) ? value : null;
}

function scalar(value: unknown): Value {
  if (Array.isArray(value)) return value.every(isScalar) ? (value as AccountListValue) : null;
  return isScalar(value) ? value : null;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
