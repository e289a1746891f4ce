import { describe, expect, it } from 'vitest';
import { validateAccount, validateAccountUpdate } from '../../src/accounts/validate.js';
import { fields } from './every-field-type.js';

const good = {
  id: 'acme',
  name: 'Acme',
  arr: 52000.5,
  renewal_date: '2026-06-30',
  strategic: true,
  timezone: 'America/New_York',
  csm: 'sam@example.com',
  primary_contact: 'pat@acme.example',
  segment: 'enterprise',
};

function errorsOf(data: unknown): string[] {
  const result = validateAccount(fields, data);
  return result.ok ? [] : result.errors;
}

describe('validateAccount', () => {
  it('accepts a value of every field type', () => {
    expect(validateAccount(fields, good)).toEqual({ ok: true, value: good });
  });

  it('accepts an account with only an id, and null for fields without a value', () => {
    expect(validateAccount(fields, { id: 'a' }).ok).toBe(true);
    expect(validateAccount(fields, { id: 'a', renewal_date: null, csm: null }).ok).toBe(true);
  });

  it.each([
    ['name', 42, 'account.name: expected text, got 42'],
    ['arr', '52k', 'account.arr: expected a number, got "52k"'],
    ['renewal_date', 'next year', 'account.renewal_date: expected a date YYYY-MM-DD, got "next year"'],
    ['renewal_date', '2026-02-30', 'account.renewal_date: expected a date YYYY-MM-DD, got "2026-02-30"'],
    ['renewal_date', '2026-6-30', 'account.renewal_date: expected a date YYYY-MM-DD, got "2026-6-30"'],
    ['strategic', 'yes', 'account.strategic: expected yes/no (true or false), got "yes"'],
    ['timezone', 'Mars/Olympus', 'account.timezone: expected an IANA time zone such as "America/New_York", got "Mars/Olympus"'],
    ['csm', 'sam', 'account.csm: expected the email address of a team member, got "sam"'],
    ['primary_contact', 'Pat <pat@acme>', 'account.primary_contact: expected the email address of a customer contact, got "Pat <pat@acme>"'],
    ['segment', 'Enterprise', 'account.segment: expected one of smb, mid-market, enterprise, got "Enterprise"'],
  ])('rejects a bad %s value with a message naming the field', (field, value, message) => {
    expect(errorsOf({ ...good, [field]: value })).toEqual([message]);
  });

  it('requires a non-empty text id', () => {
    expect(errorsOf({ name: 'Acme' })).toEqual(['account.id: expected a non-empty text id, got nothing']);
    expect(errorsOf({ id: '' })).toEqual(['account.id: expected a non-empty text id, got ""']);
    expect(errorsOf({ id: 7 })).toEqual(['account.id: expected a non-empty text id, got 7']);
  });

  it('rejects undeclared fields and suggests the declared one', () => {
    expect(errorsOf({ id: 'a', renwal_date: '2026-06-30', colour: 'red' })).toEqual([
      'account.renwal_date: not a declared account field; did you mean `renewal_date`?',
      'account.colour: not a declared account field',
    ]);
  });

  it('reports every problem at once', () => {
    expect(errorsOf({ id: 'a', arr: 'x', segment: 'huge' })).toHaveLength(2);
  });

  it('rejects data that is not an object', () => {
    expect(errorsOf([good])).toEqual([expect.stringMatching(/^account: expected a JSON object with an "id"/)]);
    expect(errorsOf(null)).toEqual(['account: expected a JSON object with an "id" and the declared fields, got null']);
  });
});

describe('validateAccountUpdate', () => {
  it('accepts some declared fields, including null to clear one', () => {
    expect(validateAccountUpdate(fields, { segment: 'smb', csm: null })).toEqual({ ok: true, value: { segment: 'smb', csm: null } });
  });

  it('checks types like the start data', () => {
    expect(validateAccountUpdate(fields, { arr: 'lots' })).toEqual({ ok: false, errors: ['account.arr: expected a number, got "lots"'] });
  });

  it('does not let an update change the id', () => {
    expect(validateAccountUpdate(fields, { id: 'other' })).toEqual({ ok: false, errors: ['account.id: an update cannot change the account id'] });
  });
});
