import { describe, expect, it } from 'vitest';
import { defaultCalendar } from '../../src/calendar/index.js';
import type { ExprIr } from '../../src/ir/types.js';
import { evaluate, type ExprEnv } from '../../src/runtime/expr.js';
import { renderText } from '../../src/runtime/text.js';

const date = (value: string): ExprIr => ({ op: 'lit', type: 'date', value });
const num = (value: number): ExprIr => ({ op: 'lit', type: 'number', value });
const field = (name: string): ExprIr => ({ op: 'field', field: name });
const cmp = (op: '=' | '!=' | '<' | '<=' | '>' | '>=', left: ExprIr, right: ExprIr): ExprIr => ({ op: 'compare', cmp: op, left, right });

const env: ExprEnv = {
  account: { id: 'a', renewal: '2026-03-01', arr: 5000, active: true, owner: null },
  binding: (name) => (name === 'deal' ? { amount: 12, contact: { name: 'Kim' } } : undefined),
  answer: (task, ask) => (task === 'review' && ask === 'score' ? 4 : undefined),
  // Wednesday 2026-01-07 12:00 UTC
  now: Date.parse('2026-01-07T12:00:00Z'),
  calendar: defaultCalendar,
};
const run = (expr: ExprIr) => evaluate(expr, env);

const arith = (op: '+' | '-' | '*' | '/', left: ExprIr, right: ExprIr): ExprIr => ({ op: 'arith', arith: op, left, right });
const months = (amount: number, unit: 'month' | 'quarter' | 'year', direction: 'before' | 'after', base: ExprIr): ExprIr => ({
  op: 'offset',
  offset: { amount, unit },
  direction,
  base,
});

describe('evaluate: arithmetic, months and empty values', () => {
  it('computes + - * / on numbers, keeping 15 significant digits', () => {
    expect(run(arith('-', arith('+', field('arr'), num(1000)), arith('*', num(2), num(0.5))))).toBe(5999);
    expect(run(arith('/', field('arr'), num(8)))).toBe(625);
    expect(run(arith('+', num(0.1), num(0.2)))).toBe(0.3);
    expect(run(arith('*', num(7), num(0.01)))).toBe(0.07);
  });

  it('gives a missing value for a division by zero, arithmetic on a missing value or on a non-number, and an overflow', () => {
    expect(run(arith('/', field('arr'), num(0)))).toBeNull();
    expect(run(arith('+', field('owner'), num(1)))).toBeNull();
    expect(run(arith('*', field('renewal'), num(2)))).toBeNull();
    expect(run(arith('*', num(1e308), num(10)))).toBeNull();
    expect(run(cmp('<', arith('/', field('arr'), num(0)), num(1)))).toBe(false);
    expect(run({ op: 'isEmpty', negated: false, operand: arith('/', field('arr'), num(0)) })).toBe(true);
  });

  it('moves dates by months, quarters and years, clamped to the end of the month', () => {
    expect(run(months(1, 'month', 'after', date('2027-01-31')))).toBe('2027-02-28');
    expect(run(months(1, 'month', 'after', date('2028-01-31')))).toBe('2028-02-29');
    expect(run(months(2, 'month', 'after', date('2027-01-31')))).toBe('2027-03-31');
    expect(run(months(1, 'month', 'before', date('2027-03-31')))).toBe('2027-02-28');
    expect(run(months(1, 'quarter', 'after', date('2026-11-30')))).toBe('2027-02-28');
    expect(run(months(1, 'year', 'after', date('2028-02-29')))).toBe('2029-02-28');
    expect(run(months(13, 'month', 'before', date('2026-01-15')))).toBe('2024-12-15');
  });

  it('gives a missing value for a months step from a missing date and past year 9999', () => {
    expect(run(months(1, 'month', 'after', field('owner')))).toBeNull();
    expect(run(months(1, 'year', 'after', date('9999-06-01')))).toBeNull();
  });

  it('tests for missing and empty values with is empty / is not empty', () => {
    const empty = (operand: ExprIr, negated = false): ExprIr => ({ op: 'isEmpty', negated, operand });
    expect(run(empty(field('owner')))).toBe(true);
    expect(run(empty(field('nope')))).toBe(true);
    expect(run(empty({ op: 'lit', type: 'text', value: '' }))).toBe(true);
    expect(run(empty(field('arr')))).toBe(false);
    expect(run(empty(field('active')))).toBe(false);
    expect(run(empty(field('owner'), true))).toBe(false);
    expect(run(empty({ op: 'answer', task: 'review', ask: 'score' }, true))).toBe(true);
    expect(run(empty({ op: 'eventField', event: 'unbound', path: ['x'] }))).toBe(true);
  });
});

describe('evaluate', () => {
  it('compares numbers, dates and text', () => {
    expect(run(cmp('>', field('arr'), num(1000)))).toBe(true);
    expect(run(cmp('<', field('renewal'), date('2026-02-01')))).toBe(false);
    expect(run(cmp('<', { op: 'today' }, field('renewal')))).toBe(true);
    expect(run(cmp('=', { op: 'eventField', event: 'deal', path: ['contact', 'name'] }, { op: 'lit', type: 'text', value: 'Kim' }))).toBe(true);
  });

  it('makes every comparison with a missing value false', () => {
    for (const op of ['=', '!=', '<', '>'] as const) expect(run(cmp(op, field('owner'), num(1)))).toBe(false);
    expect(run(cmp('=', { op: 'eventField', event: 'unbound', path: ['x'] }, num(1)))).toBe(false);
    expect(run({ op: 'in', negated: true, left: field('nope'), list: [num(1)] })).toBe(false);
    expect(run({ op: 'daysUntil', operand: field('owner') })).toBeNull();
  });

  it('counts days and business days, and offsets dates', () => {
    expect(run({ op: 'daysUntil', operand: field('renewal') })).toBe(53);
    expect(run({ op: 'daysSince', operand: date('2026-01-01') })).toBe(6);
    expect(run({ op: 'businessDaysSince', operand: date('2026-01-01') })).toBe(4);
    expect(run({ op: 'offset', offset: { amount: 60, unit: 'day' }, direction: 'before', base: field('renewal') })).toBe('2025-12-31');
  });

  it('combines conditions with and, or, not and in', () => {
    const high: ExprIr = cmp('>', field('arr'), num(1000));
    const low: ExprIr = cmp('<', field('arr'), num(1000));
    expect(run({ op: 'and', left: high, right: low })).toBe(false);
    expect(run({ op: 'or', left: high, right: low })).toBe(true);
    expect(run({ op: 'not', operand: low })).toBe(true);
    expect(run({ op: 'in', negated: false, left: { op: 'answer', task: 'review', ask: 'score' }, list: [num(3), num(4)] })).toBe(true);
  });
});

describe('renderText', () => {
  it('renders numbers plainly, dates as written, yes/no as words and missing values as nothing', () => {
    const text = ['ARR ', field('arr'), ', renews ', field('renewal'), ', active: ', field('active'), ', owner: [', field('owner'), ']'];
    expect(renderText(text, env)).toBe('ARR 5000, renews 2026-03-01, active: yes, owner: []');
  });
});
