import { describe, it, expect } from 'vitest';
import { checkOne, expectClean, expectIssue } from './helpers.js';

describe('recipients', () => {
  it('accepts user and contact fields, roles and addresses', () => {
    expectClean(
      checkOne(
        'playbook p\n  notify account.csm "a"\n  notify account.primary_contact "b"\n  notify role "support-lead" "c"\n  notify "team@example.com" "d"\n',
      ),
    );
  });

  it('reports a recipient field that is not a user or contact', () => {
    expectIssue(checkOne('playbook p\n  notify account.name "hi"\n'), 'PB2026', { line: 2, col: 10 });
  });

  it('reports an event field as recipient', () => {
    expectIssue(checkOne('playbook p\n  wait for event "e" as ev\n  notify ev.owner "hi"\n'), 'PB2026', { line: 3, col: 10 });
  });

  it('reports an address that is not an email address', () => {
    expectIssue(checkOne('playbook p\n  notify "team at example" "hi"\n'), 'PB2028', { line: 2, col: 10 });
  });

  it('reports an unknown field in a recipient only once', () => {
    const result = checkOne('playbook p\n  notify account.cms "hi"\n');
    expect(result.diagnostics.map((d) => d.code)).toEqual(['PB2010']);
  });
});

describe("a wait's where", () => {
  it('reads the candidate event by its as name, and the event is bound after the wait', () => {
    expectClean(
      checkOne(
        'events\n  t: id text\n  r: id text\n\nplaybook p\n  trigger on event "t" as ticket\n  wait for event "r" as res where res.id is ticket.id and account.arr > 3\n  note "{res.id}"\n',
      ),
    );
  });

  it('keeps the candidate out of the rungs and of the other lines of wait for any of', () => {
    const rung = checkOne('playbook p\n  wait for event "r" as res where res.id is "a" up to 3 days:\n    after 1 day:\n      note "{res.id}"\n');
    expectIssue(rung, 'PB2018', { line: 4, col: 14 });
    const other = checkOne('playbook p\n  wait for any of:\n    event "r" as res where res.id is "a"\n    event "s" as s where s.id is res.id\n');
    expectIssue(other, 'PB2018', { line: 4, col: 34 });
  });

  it('reports a where without as once, not the names it reads', () => {
    const result = checkOne('playbook p\n  wait for event "r" where r.id is "a"\n');
    expect(result.diagnostics.map((d) => d.code).filter((c) => c !== 'PB3010')).toEqual(['PB2175']);
  });

  it('reports a where that is not a yes/no condition', () => {
    expect(checkOne('playbook p\n  wait for event "r" as r where r.id\n').diagnostics.length).toBeGreaterThan(0);
  });
});
