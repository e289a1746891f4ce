import { describe, expect, it } from 'vitest';
import { checkOne, expectClean, expectIssue } from './helpers.js';

const calendar = (lines: string) => checkOne(`calendar c\n${lines}`);

describe('calendars', () => {
  it('accepts a complete calendar', () => {
    expectClean(
      calendar(
        '  timezone account.timezone or "America/New_York"\n  working days monday to friday\n  working hours 09:00 to 17:00\n  holidays "US"\n  holidays "US-NY"\n  holiday 2026-12-24 "Office closed"\n',
      ),
    );
  });

  it('reports an unknown time zone with a did-you-mean hint', () => {
    const d = expectIssue(calendar('  timezone "America/New_Yrok"\n'), 'PB2040', { line: 2, col: 12 });
    expect(d.hint).toContain('America/New_York');
  });

  it('reports a time zone field of another type', () => {
    expectIssue(calendar('  timezone account.name or "UTC"\n'), 'PB2046', { line: 2, col: 12 });
  });

  it('reports working hours that end before they start', () => {
    expectIssue(calendar('  working hours 17:00 to 09:00\n'), 'PB2041', { line: 2, col: 17 });
  });

  it('reports unknown holiday countries and regions', () => {
    expectIssue(calendar('  holidays "XX"\n'), 'PB2043', { line: 2, col: 12 });
    expectIssue(calendar('  holidays "US-ZZ"\n'), 'PB2043', { line: 2, col: 12 });
  });

  it('reports a setting given twice', () => {
    expectIssue(calendar('  working hours 09:00 to 17:00\n  working hours 10:00 to 18:00\n'), 'PB2051', { line: 3, col: 3 });
  });
});
