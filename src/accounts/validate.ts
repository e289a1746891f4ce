/**
 * Validates account data against the program's `account fields`: the data given when a run
 * starts and every later update. Runs outside workflows (it uses zod); a workflow only ever
 * sees data that passed here. Problems come back as one line each, naming the field:
 * `account.renewal_date: expected a date YYYY-MM-DD, got "next year"`.
 *
 * Declared fields are optional and may be null (no value yet): a playbook reading an empty
 * field sees nothing, which the language handles. Undeclared fields are errors, since they
 * are almost always misspellings of declared ones.
 */
import * as z from 'zod';
import { didYouMeanSuffix } from '../diagnostics/suggest.js';
import type { AccountData, AccountValue, FieldTypeIr } from '../ir/types.js';
import { describeValue, valueSchema } from './values.js';

export type Fields = Record<string, FieldTypeIr>;

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** Validates the account data a run starts with: a JSON object with a string `id` and declared fields. */
export function validateAccount(fields: Fields, data: unknown): Validated<AccountData> {
  const schema = z.strictObject({
    id: z.string({ error: 'expected a non-empty text id' }).min(1, { error: 'expected a non-empty text id' }),
    ...fieldShape(fields),
  });
  return check(schema, fields, data, 'a JSON object with an "id" and the declared fields') as Validated<AccountData>;
}

/** Validates a later update: some declared fields with new values; the id cannot change. */
export function validateAccountUpdate(fields: Fields, partial: unknown): Validated<Record<string, AccountValue>> {
  return check(z.strictObject(fieldShape(fields)), fields, partial, 'a JSON object of declared fields');
}

function fieldShape(fields: Fields): Record<string, z.ZodType<AccountValue | undefined>> {
  return Object.fromEntries(Object.entries(fields).map(([name, type]) => [name, valueSchema(type).nullable().optional()]));
}

function check(schema: z.ZodType, fields: Fields, data: unknown, shape: string): Validated<Record<string, AccountValue>> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, errors: [`account: expected ${shape}, got ${describeValue(data)}`] };
  }
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, value: result.data as Record<string, AccountValue> };
  const record = data as Record<string, unknown>;
  const errors = result.error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => unknownFieldMessage(key, fields));
    const field = String(issue.path[0]);
    return [`account.${field}: ${issue.message}, got ${describeValue(record[field])}`];
  });
  return { ok: false, errors };
}

function unknownFieldMessage(key: string, fields: Fields): string {
  if (key === 'id') return 'account.id: an update cannot change the account id';
  return `account.${key}: not a declared account field${didYouMeanSuffix(key, Object.keys(fields))}`;
}
