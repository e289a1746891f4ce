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
