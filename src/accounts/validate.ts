/**
 * Account data checked outside workflows: the one check of src/ir/account-check.ts, with a
 * "did you mean" for an undeclared field (`account.renwal_date: not a declared account field;
 * did you mean `renewal_date`?`). Import, the API, the CLI and the simulator use these.
 */
import { didYouMeanSuffix } from '../diagnostics/suggest.js';
import { checkAccount, checkAccountUpdate, type AccountCheck, type AccountFields } from '../ir/account-check.js';
import type { AccountData, AccountValue } from '../ir/types.js';

export type Fields = AccountFields;

/** Validates the account data a run starts with: a JSON object with a string `id` and declared fields. */
export function validateAccount(fields: Fields, data: unknown): AccountCheck<AccountData> {
  return checkAccount(fields, data, didYouMeanSuffix);
}

/** Validates a later update: some declared fields with new values; the id cannot change. */
export function validateAccountUpdate(fields: Fields, partial: unknown): AccountCheck<Record<string, AccountValue>> {
  return checkAccountUpdate(fields, partial, didYouMeanSuffix);
}
