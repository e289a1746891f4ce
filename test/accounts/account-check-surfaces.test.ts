/**
 * The one account-data check, seen from its three users: an account file being imported, an
 * API upsert, and an `accountUpdated` signal reaching a run's input desk in the workflow.
 * For every bad value they refuse with the same lines, in the same order.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAccountFile } from '../../src/accounts/import/parse.js';
import { validUpdate } from '../../src/api/account-checks.js';
import { ApiError } from '../../src/api/errors.js';
import { compileFile } from '../../src/compile/compile.js';
import type { IrProgram } from '../../src/ir/types.js';
import { createRunState, initialState } from '../../src/runtime/run-state.js';
import { InputDesk } from '../../src/temporal/input-desk.js';
import { PlaybookClock } from '../../src/temporal/playbook-clock.js';
import { fields } from './every-field-type.js';

let program: IrProgram;

beforeAll(async () => {
  program = { ...(await compileFile('playbooks/onboarding-enterprise.playbook')).program, fields };
});

/** Import: the problems of a JSON account file with one account, `acme`, holding `values`. */
function importVerdict(values: Record<string, unknown>): string[] {
  const file = parseAccountFile({ file: 'accounts.json', format: 'json', text: JSON.stringify([{ id: 'acme', ...values }]) }, fields);
  return file.problems.map((p) => p.message);
}

/** API: the issues of the 400 that an upsert of `values` answers with. */
function apiVerdict(values: Record<string, unknown>): string[] {
  try {
    validUpdate(fields, values);
  } catch (e) {
    if (e instanceof ApiError) return (e.details.issues ?? []).map((issue) => issue.message);
    throw e;
  }
  return [];
}

/** Entity: the reason a run's input desk records for refusing an `accountUpdated` signal of `values`. */
function entityVerdict(values: Record<string, unknown>): string[] {
  const clock = new PlaybookClock(0, Date.now());
  const state = createRunState(program, initialState({ id: 'acme' }), { now: () => clock.now(), emit: () => {} });
  const desk = new InputDesk(program, state, clock, { taskCompleted: () => {}, taskReassigned: () => {} });
  desk.account({ fields: values });
  return desk.rejected.flatMap((r) => r.reason.split('; '));
}

describe('import, API and entity refuse bad account values alike', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['text', { name: 42 }, ['account.name: expected text, got 42']],
    ['number', { arr: '52k' }, ['account.arr: expected a number, got "52k"']],
    ['infinite number', { arr: 'Infinity' }, ['account.arr: expected a number, got "Infinity"']],
    ['date', { renewal_date: '2026-02-30' }, ['account.renewal_date: expected a date YYYY-MM-DD, got "2026-02-30"']],
    ['yes/no', { strategic: 'yes' }, ['account.strategic: expected yes/no (true or false), got "yes"']],
    ['timezone', { timezone: 'Mars/Olympus' }, ['account.timezone: expected an IANA time zone such as "America/New_York", got "Mars/Olympus"']],
    ['user', { csm: 'sam' }, ['account.csm: expected the email address of a team member, got "sam"']],
    ['contact', { primary_contact: 'Pat <pat@acme>' }, ['account.primary_contact: expected the email address of a customer contact, got "Pat <pat@acme>"']],
    ['one of', { segment: 'Enterprise' }, ['account.segment: expected one of smb, mid-market, enterprise, got "Enterprise"']],
    ['object value', { name: { first: 'Acme' } }, ['account.name: expected text, got {"first":"Acme"}']],
    ['undeclared field', { colour: 'red' }, ['account.colour: not a declared account field']],
    [
      'several problems, in declaration order then undeclared keys',
      { colour: 'red', segment: 'huge', name: 5 },
      [
        'account.name: expected text, got 5',
        'account.segment: expected one of smb, mid-market, enterprise, got "huge"',
        'account.colour: not a declared account field',
      ],
    ],
  ])('%s', (_, values, expected) => {
    expect(importVerdict(values)).toEqual(expected);
    expect(apiVerdict(values)).toEqual(expected);
    expect(entityVerdict(values)).toEqual(expected);
  });

  it('accepts null and good values on every path', () => {
    const values = { name: 'Acme', arr: 1.5, strategic: false, csm: null };
    expect(importVerdict(values)).toEqual([]);
    expect(apiVerdict(values)).toEqual([]);
    expect(entityVerdict(values)).toEqual([]);
  });

  it('suggests a declared field off the workflow only (the workflow bundle has no suggester)', () => {
    const hinted = 'account.renwal_date: not a declared account field; did you mean `renewal_date`?';
    expect(importVerdict({ renwal_date: '2026-06-30' })).toEqual([hinted]);
    expect(apiVerdict({ renwal_date: '2026-06-30' })).toEqual([hinted]);
    expect(entityVerdict({ renwal_date: '2026-06-30' })).toEqual(['account.renwal_date: not a declared account field']);
  });
});
