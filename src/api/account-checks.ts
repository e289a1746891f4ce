/**
 * Account data from requests, checked against the deployed `account fields` and the bounds of
 * an account entity (`accountLimitProblems`) with the same rules as the importer (`checkAccountRows`, `validateAccountUpdate`); every problem becomes
 * an issue naming its field (and its index in a bulk request).
 */
import type { Client } from '@temporalio/client';
import { deployedFields } from '../accounts/deployed-fields.js';
import { withMergedSizeProblems } from '../accounts/import/merged-size.js';
import { checkAccountRows } from '../accounts/import/parse.js';
import { placeOrder } from '../accounts/import/rows.js';
import { validateAccountUpdate, type Fields } from '../accounts/validate.js';
import { accountLimitProblems } from '../ir/account-check.js';
import type { AccountData, AccountValue } from '../ir/types.js';
import type { Store } from '../store/connect.js';
import { ApiError } from './errors.js';
import type { ErrorIssue } from './schemas/errors.js';

/** The values of an upsert, valid against the deployed fields; a 400 naming the field otherwise. */
export async function checkedUpdate(client: Client, fields: unknown): Promise<Record<string, AccountValue>> {
  return validUpdate(await deployedFields(client), fields);
}

/** `checkedUpdate` against fields at hand. */
export function validUpdate(fields: Fields, data: unknown): Record<string, AccountValue> {
  const result = validateAccountUpdate(fields, data);
  const errors = result.ok ? accountLimitProblems(result.value) : result.errors;
  if (result.ok && errors.length === 0) return result.value;
  throw invalidAccounts(errors.map((message) => issueOf(message)));
}

/**
 * Every account of a bulk request, valid, checked as the importer checks a file (an id seen
 * on an earlier item is an error too, and so is an item that would take its account's data
 * over the bound once merged); otherwise a 400 listing each bad item with its index.
 */
export async function checkedAccounts(client: Client, accounts: unknown[], merged: { store: Store | null; maxBytes: number }): Promise<AccountData[]> {
  const rows = accounts.map((data, index) => ({ place: { index }, data }));
  const checked = await withMergedSizeProblems(
    client,
    merged.store,
    checkAccountRows('request', { rows, problems: [] }, await deployedFields(client)),
    merged.maxBytes,
  );
  if (checked.problems.length > 0) throw invalidAccounts(checked.problems.map(({ place, message }) => issueOf(message, placeOrder(place))));
  return checked.accounts;
}

/** The validator's messages start with `account.<field>:`. */
function issueOf(message: string, index?: number): ErrorIssue {
  const field = /^account\.([^:\s]+):/.exec(message)?.[1] ?? null;
  return {
    ...(index !== undefined && { index }),
    field,
    message: index === undefined ? message : `accounts[${index}]: ${message}`,
  };
}

function invalidAccounts(issues: ErrorIssue[]): ApiError {
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new ApiError(400, 'invalid_account', `${first.message}${more}`, { ...(first.field !== null && { field: first.field }), issues });
}
