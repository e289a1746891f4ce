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
