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
 *
 * `accountLimitProblems` adds the bounds of what an account entity holds, checked wherever
 * account data enters an entity (the importer's rows, the API's upserts) before anything is
 * sent: the id's length and alphabet, a text value's size and the whole record's size.
 */
import type { AccountData, AccountValue, FieldTypeIr } from './types.js';
import { utf8Length } from './utf8.js';
import { describeValue, expectation, fitsType } from './value-rules.js';

/**
 * An account id is at most this many characters and holds no control character: it becomes
 * part of workflow ids (at most 1,000 bytes) and visibility queries.
 */
export const ACCOUNT_ID_MAX_LENGTH = 128;
/** UTF-8 bytes of one text value of an account field. */
export const ACCOUNT_VALUE_MAX_BYTES = 16 * 1024;
/**
 * UTF-8 bytes of an account's data (or of one upsert's values) as JSON: the entity carries its
 * data into every next execution, and each run starts with it, under Temporal's 2 MB payloads.
 */
export const ACCOUNT_DATA_MAX_BYTES = 64 * 1024;

const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

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

/**
 * Why an upsert is refused: applied to the account's `current` data, it would take the whole
 * record over `maxBytes` as JSON (`limitName` names the setting), or null. The API asks before
 * it sends the upsert; the entity asks again as it applies it (upserts racing each other).
 */
export function accountDataProblem(
  current: Record<string, AccountValue>,
  fields: Record<string, AccountValue>,
  maxBytes: number,
  limitName: string,
): string | null {
  const bytes = utf8Length(JSON.stringify({ ...current, ...fields }));
  if (bytes <= maxBytes) return null;
  return `account: this update would make the account's data ${bytes} bytes as JSON; at most ${maxBytes} are accepted (${limitName})`;
}

/**
 * Why data that passed `checkAccount` or `checkAccountUpdate` is still too large for an account
 * entity to hold, or has an id that cannot name one: one line each, like the check's.
 */
export function accountLimitProblems(data: Record<string, AccountValue>): string[] {
  const problems: string[] = [];
  const id = data.id;
  if (typeof id === 'string') {
    if (id.length > ACCOUNT_ID_MAX_LENGTH) problems.push(`account.id: ${id.length} characters long; at most ${ACCOUNT_ID_MAX_LENGTH} are accepted`);
    if (CONTROL_CHARACTER.test(id)) problems.push('account.id: must not contain control characters');
  }
  for (const [field, value] of Object.entries(data)) {
    if (field === 'id' || typeof value !== 'string') continue;
    const bytes = utf8Length(value);
    if (bytes > ACCOUNT_VALUE_MAX_BYTES) problems.push(`account.${field}: ${bytes} bytes of text; at most ${ACCOUNT_VALUE_MAX_BYTES} are accepted`);
  }
  const total = utf8Length(JSON.stringify(data));
  if (problems.length === 0 && total > ACCOUNT_DATA_MAX_BYTES) problems.push(`account: ${total} bytes as JSON; at most ${ACCOUNT_DATA_MAX_BYTES} are accepted`);
  return problems;
}
