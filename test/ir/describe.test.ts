import { describe, expect, it } from 'vitest';
import { describeExpr, describeText } from '../../src/ir/describe.js';
import type { ExprIr } from '../../src/ir/types.js';

const field = (name: string): ExprIr => ({ op: 'field', field: name });
const num = (value: number): ExprIr => ({ op: 'lit', type: 'number', value });
const cmp = (left: ExprIr, c: '<' | '=', right: ExprIr): ExprIr => ({ op: 'compare', cmp: c, left, right });

describe('describeExpr', () => {
  it('parenthesises only where the reading would be ambiguous', () => {
    const low = cmp(field('health'), '<', num(50));
    const atRisk = cmp(field('status'), '=', { op: 'lit', type: 'text', value: 'at-risk' });
    expect(describeExpr({ op: 'or', left: atRisk, right: low })).toBe('account.status = at-risk or account.health < 50');
    expect(describeExpr({ op: 'and', left: { op: 'or', left: atRisk, right: low }, right: low })).toBe(
      '(account.status = at-risk or account.health < 50) and account.health < 50',
    );
    expect(describeExpr({ op: 'not', operand: low })).toBe('not (account.health < 50)');
  });

  it('quotes text that is not a bare word', () => {
    expect(describeExpr(cmp(field('name'), '=', { op: 'lit', type: 'text', value: 'Acme Co' }))).toBe('account.name = "Acme Co"');
  });

  it('reads date functions and offsets as written', () => {
    expect(describeExpr({ op: 'daysUntil', operand: field('renewal_date') })).toBe('days until account.renewal_date');
    expect(describeExpr({ op: 'offset', offset: { amount: 1, unit: 'business day' }, direction: 'after', base: { op: 'today' } })).toBe(
      '1 business day after today',
    );
  });
});

describe('describeText', () => {
  it('shows short texts whole, with interpolations as written', () => {
    expect(describeText(['Hi ', field('name'), '!'])).toBe('Hi {account.name}!');
  });

  it('cuts long texts without splitting an interpolation', () => {
    expect(describeText(['Renewal readiness check for the account ', field('name')])).toBe('Renewal readiness check for the account…');
    expect(describeText(['A fairly long renewal text about ', field('renewal_date'), ' and more'])).toBe('A fairly long renewal text about…');
  });
});
