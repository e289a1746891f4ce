/**
 * Checks an `accountUpdated` signal's fields inside the workflow, where zod is not available.
 * Callers validate updates with `validateAccountUpdate` (src/accounts) before they signal;
 * this check is the workflow's own guard against anything else that reaches it (another
 * client, the Temporal CLI), so a bad update is refused and recorded, never applied or fatal.
 * Same rules and wording as src/accounts: declared fields only, null clears a field.
 */
import { describeValue as describe, expectation, fitsType as fits } from '../ir/value-rules.js';
import type { AccountValue, FieldTypeIr } from '../ir/types.js';

export type AccountUpdateCheck = { ok: true; fields: Record<string, AccountValue> } | { ok: false; problems: string[] };

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
