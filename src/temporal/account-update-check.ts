/**
 * Checks an `accountUpdated` signal's fields inside the workflow, where zod is not available.
 * Callers validate updates with `validateAccountUpdate` (src/accounts) before they signal;
 * this check is the workflow's own guard against anything else that reaches it (another
 * client, the Temporal CLI), so a bad update is refused and recorded, never applied or fatal.
 * Same rules and wording as src/accounts: declared fields only, null clears a field.
 */
import { isValidDate, isValidTimeZone } from '../calendar/index.js';
import type { AccountValue, FieldTypeIr } from '../ir/types.js';

export type AccountUpdateCheck = { ok: true; fields: Record<string, AccountValue> } | { ok: false; problems: string[] };

// The shape `z.email()` accepts, in short: local part, @, dotted domain.
const EMAIL = /^[A-Za-z0-9_'+\-.]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$/;

export function checkAccountUpdate(fields: Record<string, FieldTypeIr>, data: unknown): AccountUpdateCheck {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, problems: [`account: expected a JSON object of declared fields, got ${describe(data)}`] };
  }
  const problems: string[] = [];
  for (const [field, value] of Object.entries(data)) {
    const type = fields[field];
    if (field === 'id') problems.push('account.id: an update cannot change the account id');
    else if (!type) problems.push(`account.${field}: not a declared account field`);
    else if (value !== null && !fits(type, value)) problems.push(`account.${field}: ${expectation(type)}, got ${describe(value)}`);
  }
  return problems.length === 0 ? { ok: true, fields: data as Record<string, AccountValue> } : { ok: false, problems };
}

function fits(type: FieldTypeIr, value: unknown): boolean {
  switch (type.type) {
    case 'text':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'date':
      return typeof value === 'string' && isValidDate(value);
    case 'yes/no':
      return typeof value === 'boolean';
    case 'timezone':
      return typeof value === 'string' && isValidTimeZone(value);
    case 'user':
    case 'contact':
      return typeof value === 'string' && EMAIL.test(value);
    case 'one of':
      return typeof value === 'string' && type.values.includes(value);
  }
}

function expectation(type: FieldTypeIr): string {
  switch (type.type) {
    case 'text':
      return 'expected text';
    case 'number':
      return 'expected a number';
    case 'date':
      return 'expected a date YYYY-MM-DD';
    case 'yes/no':
      return 'expected yes/no (true or false)';
    case 'timezone':
      return 'expected an IANA time zone such as "America/New_York"';
    case 'user':
      return 'expected the email address of a team member';
    case 'contact':
      return 'expected the email address of a customer contact';
    case 'one of':
      return `expected one of ${type.values.join(', ')}`;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}
