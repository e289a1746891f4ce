/**
 * The one check of account data against the program's `account fields`: the data a run or
 * an account starts with and every later update, wherever it comes from (an account file, an
 * import, an API request, a signal that reached a workflow). Pure and workflow-safe (no zod),
 * so the workflow refuses exactly what the importer and the API refuse, in the same words.
 * Problems come back as one line each, naming the field:
 * `account.renewal_date: expected a date YYYY-MM-DD, got "next year"`.
 *
 * Declared fields are optional and may be null (no value yet): a playbook reading an empty
 * field sees nothing, which the language handles. Undeclared fields are errors, since they
 * are almost always misspellings of declared ones. The id is not a field: it names the
 * account, so it is required at the start and an update cannot change it.
 */
import type { AccountData, AccountValue, FieldTypeIr } from './types.js';
import { describeValue, expectation, fitsType } from './value-rules.js';

export type AccountFields = Record<string, FieldTypeIr>;

export type AccountCheck<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/**
 * What to append to the message about an undeclared field, given the declared names ('' for
 * nothing). Off the workflow this is "did you mean"; the workflow bundle has no suggester.
 */
export type UndeclaredHint = (name: string, declared: string[]) => string;

/** The account data a run starts with: a JSON object with a non-empty text `id` and declared fields. */
export function checkAccount(fields: AccountFields, data: unknown, hint?: UndeclaredHint): AccountCheck<AccountData> {
  return check(fields, data, 'start', hint) as AccountCheck<AccountData>;
}

/** A later update: some declared fields with new values; the id cannot change. */
export function checkAccountUpdate(fields: AccountFields, data: unknown, hint?: UndeclaredHint): AccountCheck<Record<string, AccountValue>> {
  return check(fields, data, 'update', hint);
}

const SHAPES = {
  start: 'a JSON object with an "id" and the declared fields',
  update: 'a JSON object of declared fields',
} as const;

/**
 * Problems are listed id first, then declared fields in declaration order, then undeclared
 * keys in the data's order; the value keeps the same order (id, then declared fields).
 */
function check(fields: AccountFields, data: unknown, kind: keyof typeof SHAPES, hint?: UndeclaredHint): AccountCheck<Record<string, AccountValue>> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, errors: [`account: expected ${SHAPES[kind]}, got ${describeValue(data)}`] };
  }
  const record = data as Record<string, unknown>;
  const errors: string[] = [];
  const value: Record<string, unknown> = {};
  if (kind === 'start') {
    const id = record.id;
    if (typeof id === 'string' && id !== '') value.id = id;
    else errors.push(`account.id: expected a non-empty text id, got ${describeValue(id)}`);
  }
  for (const [field, type] of Object.entries(fields)) {
    if (field === 'id' || !Object.hasOwn(record, field)) continue;
    const given = record[field];
    // A key present with no value (possible from code, never from JSON) passes, as an absent one does.
    if (given !== undefined && given !== null && !fitsType(type, given)) errors.push(`account.${field}: ${expectation(type)}, got ${describeValue(given)}`);
    value[field] = given;
  }
  for (const key of Object.keys(record)) {
    if (key === 'id' ? kind === 'update' : !Object.hasOwn(fields, key)) errors.push(undeclaredMessage(key, fields, hint));
  }
  return errors.length === 0 ? { ok: true, value: value as Record<string, AccountValue> } : { ok: false, errors };
}

function undeclaredMessage(key: string, fields: AccountFields, hint: UndeclaredHint | undefined): string {
  if (key === 'id') return 'account.id: an update cannot change the account id';
  return `account.${key}: not a declared account field${hint?.(key, Object.keys(fields)) ?? ''}`;
}
