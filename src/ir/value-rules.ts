/**
 * The rules for single values typed in the language (account fields, task answers), in plain
 * code so the workflow bundle can use them too (it has no zod): what fits a type, and how a
 * message says what was expected and what came instead.
 */
import { isValidDate, isValidTimeZone } from '../calendar/index.js';
import type { FieldTypeIr } from './types.js';

// The shape of an email address, in short: local part, @, dotted domain with a top-level name.
const EMAIL = /^[A-Za-z0-9_'+\-.]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$/;

/** Whether a non-null value fits `type`. */
export function fitsType(type: FieldTypeIr, value: unknown): boolean {
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
    case 'list':
      return Array.isArray(value) && value.every((item) => item !== null && fitsType({ type: type.of }, item));
  }
}

/** What a value of the type looks like, in the words of an error message. */
export function expectation(type: FieldTypeIr): string {
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
    case 'list':
      return `expected a list (a JSON array) of values that each ${expectation({ type: type.of }).replace(/^expected /, 'are ')}`;
  }
}

/** A value as it appears after "got" in a message: JSON, shortened when long. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}
