import { describe, expect, it } from 'vitest';
import { check, checkOne, codes, expectClean, expectIssue } from './helpers.js';

const CAL = 'calendar c\n  working days monday to friday\n\nevents\n  e\n';
const withCalendar = (body: string) => check({ 'cal.playbook': CAL, 'main.playbook': `playbook p\n  calendar c\n${body}` });

describe('waits', () => {
  it('reports an `after` rung not earlier than the deadline in the same unit family', () => {
    const result = withCalendar('  wait for event "e" up to 2 weeks:\n    after 14 days:\n      note "x"\n    after 13 days:\n      note "y"\n');
    const d = expectIssue(result, 'PB2030', { line: 4, col: 11 });
    expect(d.related?.[0]?.span.start.line).toBe(3);
  });

  it('compares business units only with the same unit', () => {
    expectIssue(withCalendar('  wait for event "e" up to 5 business days:\n    after 5 business days:\n      note "x"\n'), 'PB2030', { line: 4, col: 11 });
    expectClean(withCalendar('  wait for event "e" up to 5 days:\n    after 6 business hours:\n      note "x"\n'));
  });

  it('reports `on timeout` without `up to` but allows `after` rungs there', () => {
    const result = withCalendar('  wait for event "e":\n    after 3 days:\n      note "x"\n    on timeout:\n      note "y"\n');
    expect(codes(result)).toEqual(['PB2031']);
    expectIssue(result, 'PB2031', { line: 6, col: 5 });
  });
});

describe('durations and counts', () => {
  it('reports a zero duration', () => {
    expectIssue(withCalendar('  wait 0 days\n  wait 1 day\n'), 'PB2033', { line: 3, col: 8, endCol: 14 });
  });

  it('warns once per playbook about business time without a calendar', () => {
    const result = checkOne('playbook p\n  wait 2 business days\n  wait 3 business hours\n');
    const d = expectIssue(result, 'PB3002', { line: 2, col: 8 });
    expect(d.severity).toBe('warning');
  });

  it('does not warn when the playbook has a calendar', () => {
    expectClean(withCalendar('  wait 2 business days\n'));
  });
});

describe('moving a date', () => {
  it('reports `wait until` a date moved by hours, minutes or business hours, with the units that work', () => {
    const d = expectIssue(withCalendar('  wait until 2 hours before account.renewal_date\n'), 'PB2034', { line: 3, col: 14, endCol: 21 });
    expect(d.message).toContain('cannot be moved by hours');
    expect(d.hint).toBe('use days, weeks, months or business days');
    expectIssue(withCalendar('  wait until 30 minutes after account.renewal_date\n'), 'PB2034', { line: 3, col: 14 });
    expectIssue(withCalendar('  wait until 4 business hours before account.renewal_date\n'), 'PB2034', { line: 3, col: 14 });
  });

  it('reports a trigger relative to a date in hours', () => {
    expectIssue(checkOne('playbook p\n  trigger 4 hours before account.renewal_date\n  note "x"\n'), 'PB2034', { line: 2, col: 11, endCol: 18 });
  });

  it('reports a date moved by hours inside a condition', () => {
    expectIssue(withCalendar('  if today > 1 hour after account.renewal_date:\n    note "x"\n'), 'PB2034', { line: 3, col: 14 });
  });

  it('accepts days, weeks and business days', () => {
    expectClean(
      withCalendar(
        '  trigger 90 days before account.renewal_date\n  wait until 2 weeks before account.renewal_date\n  wait until 3 business days after account.renewal_date\n',
      ),
    );
  });
});

describe('header lines', () => {
  it('reports a setting given twice', () => {
    const d = expectIssue(checkOne('playbook p\n  owner "a@example.com"\n  owner "b@example.com"\n  note "x"\n'), 'PB2051', { line: 3, col: 3 });
    expect(d.related?.[0]?.span.start.line).toBe(2);
  });

  it('reports an inverted send window', () => {
    expectIssue(checkOne('playbook p\n  send window 17:00 to 09:00\n  note "x"\n'), 'PB2042', { line: 2, col: 15 });
  });
});

describe('reachability', () => {
  it('warns about the first step after `stop` in the same block', () => {
    const result = checkOne('playbook p\n  if account.vip:\n    stop\n    note "never"\n    note "never either"\n  note "reached"\n');
    const d = expectIssue(result, 'PB3001', { line: 4, col: 5 });
    expect(d.severity).toBe('warning');
  });

  it('warns about a task with asks but no `as`', () => {
    expectIssue(checkOne('playbook p\n  task "A" for account.csm:\n    ask q "Q?" yes/no\n'), 'PB3003', { line: 2, col: 3 });
  });
});

describe('follow-on errors', () => {
  it('leaves out checker diagnostics on a line that has a syntax error', () => {
    expect(codes(checkOne('playbook p\n  notify account.nme "x" @@\n  notify account.nme "y"\n'))).toEqual(['PB1001', 'PB2010']);
  });

  it('leaves out binding errors in a playbook with a syntax error, where a binding may have been lost', () => {
    // The task's name is missing, so without suppression `wait for task t` would be PB2016.
    const result = check({ 'main.playbook': 'playbook p\n  task "A" for account.csm as\n  wait for task t\n' });
    expect(codes(result)).toEqual(['PB1010']);
  });
});
