import { describe, expect, it } from 'vitest';
import { checkOne, expectClean, expectIssue } from './helpers.js';

/** A playbook whose only step is `if <condition>:` on line 2 (the condition starts at col 6). */
const ifPlaybook = (condition: string) => `playbook p\n  if ${condition}:\n    note "x"\n`;

describe('comparisons', () => {
  it('reports comparing a date with a number, with a days-until hint', () => {
    const d = expectIssue(checkOne(ifPlaybook('account.renewal_date < 30')), 'PB2020', { line: 2, col: 6, endCol: 31 });
    expect(d.hint).toContain('days until');
  });

  it('reports `is` between a number and text', () => {
    expectIssue(checkOne(ifPlaybook('account.arr is "big"')), 'PB2020', { line: 2, col: 6 });
  });

  it('accepts comparisons of matching types', () => {
    expectClean(checkOne(ifPlaybook('days until account.renewal_date < 30 and account.arr >= 50000 and account.renewal_date > today')));
    expectClean(checkOne(ifPlaybook('account.csm is "a@example.com" or account.name = account.primary_contact')));
  });

  it('reports `<` on text and on `one of` values, at the offending side', () => {
    expectIssue(checkOne(ifPlaybook('account.name < 3')), 'PB2021', { line: 2, col: 6, endCol: 18 });
    expectIssue(checkOne(ifPlaybook('account.segment > smb')), 'PB2021', { line: 2, col: 6, endCol: 27 });
  });

  it('reports a word outside a `one of` list, saying which values are allowed', () => {
    const d = expectIssue(checkOne(ifPlaybook('account.segment is enterprize')), 'PB2022', { line: 2, col: 25, endCol: 35 });
    expect(d.hint).toContain('smb, mid-market, enterprise');
  });

  it('checks quoted values against a `one of` list too, on either side', () => {
    expectIssue(checkOne(ifPlaybook('"gold" is account.segment')), 'PB2022', { line: 2, col: 6 });
  });

  it('checks `in [...]` items like `is`', () => {
    const result = checkOne(ifPlaybook('account.status in [active, paused, churned]'));
    expectIssue(result, 'PB2022', { line: 2, col: 33 });
    expectIssue(checkOne(ifPlaybook('account.arr not in [1, "x"]')), 'PB2020', { line: 2, col: 29 });
  });

  it('checks answers of `one of` asks', () => {
    const result = checkOne('playbook p\n  task "A" for account.csm as t:\n    ask mood "How?" one of happy, sad\n  if t.mood is angry:\n    note "x"\n');
    expectIssue(result, 'PB2022', { line: 4, col: 16 });
  });
});

describe('dates, conditions and bare words', () => {
  it('reports `days until` on a non-date', () => {
    expectIssue(checkOne(ifPlaybook('days until account.arr > 3')), 'PB2023', { line: 2, col: 17 });
  });

  it('reports `wait until` a non-date and an offset from a non-date', () => {
    expectIssue(checkOne('playbook p\n  wait until account.name\n'), 'PB2023', { line: 2, col: 14 });
    expectIssue(checkOne('playbook p\n  wait until 3 days before account.health\n'), 'PB2023', { line: 2, col: 28 });
  });

  it('reports a relative trigger on a non-date field', () => {
    expectIssue(checkOne('playbook p\n  trigger 30 days before account.arr\n  note "x"\n'), 'PB2023', { line: 2, col: 26 });
  });

  it('reports conditions that are not yes/no', () => {
    expectIssue(checkOne(ifPlaybook('account.arr')), 'PB2025', { line: 2, col: 6 });
    expectIssue(checkOne(ifPlaybook('account.vip and account.health')), 'PB2025', { line: 2, col: 22 });
    expectClean(checkOne(ifPlaybook('not account.vip')));
  });

  it('reports a bare word compared with text', () => {
    const d = expectIssue(checkOne(ifPlaybook('account.name is acme')), 'PB2027', { line: 2, col: 22 });
    expect(d.hint).toContain('"acme"');
  });
});

describe('set', () => {
  it('reports setting a field to a value of the wrong type', () => {
    expectIssue(checkOne('playbook p\n  set account.arr to "high"\n'), 'PB2024', { line: 2, col: 22 });
    expectIssue(checkOne('playbook p\n  set account.renewal_date to 5\n'), 'PB2024', { line: 2, col: 31 });
  });

  it('checks `one of` values and accepts matching types', () => {
    expectIssue(checkOne('playbook p\n  set account.status to gone\n'), 'PB2022', { line: 2, col: 25 });
    expectClean(checkOne('playbook p\n  set account.status to churned\n  set account.health to 3\n  set account.renewal_date to 30 days after today\n'));
  });
});
