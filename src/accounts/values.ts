/**
 * Schemas for single values typed in the language: account fields and task answers share
 * them, so `--set`, account files, account updates and `--complete` answers all accept and
 * reject exactly the same values with the same words.
 */
import * as z from 'zod';
import { isValidDate, isValidTimeZone } from '../calendar/index.js';
import type { AccountValue, FieldTypeIr } from '../ir/types.js';

/** What a value of the type looks like, in the words of an error message. */
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

/** The zod schema of one non-empty value of `type`; its only error message is `expectation(type)`. */
export function valueSchema(type: FieldTypeIr): z.ZodType<AccountValue> {
  const error = expectation(type);
  switch (type.type) {
    case 'text':
      return z.string({ error });
    case 'number':
      return z.number({ error }).refine(Number.isFinite, { error });
    case 'date':
      return z.string({ error }).refine(isValidDate, { error });
    case 'yes/no':
      return z.boolean({ error });
    case 'timezone':
      return z.string({ error }).refine(isValidTimeZone, { error });
    case 'user':
    case 'contact':
      return z.email({ error });
    case 'one of':
      return z.string({ error }).refine((v) => type.values.includes(v), { error });
  }
}

/** A value as it appears after "got" in a message: JSON, shortened when long. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}
