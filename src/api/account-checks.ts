/**
 * Account data from requests, checked against the deployed `account fields` with the same
 * rules as the importer (`validateAccount`, `validateAccountUpdate`); every problem becomes
 * an issue naming its field (and its index in a bulk request).
 */
import type { Client } from '@temporalio/client';
import { deployedFields } from '../accounts/deployed-fields.js';
import { validateAccount, validateAccountUpdate } from '../accounts/validate.js';
import type { AccountData, AccountValue } from '../ir/types.js';
import { ApiError } from './errors.js';
import type { ErrorIssue } from './schemas/errors.js';

/** The values of an upsert, valid against the deployed fields; a 400 naming the field otherwise. */
export async function checkedUpdate(client: Client, fields: unknown): Promise<Record<string, AccountValue>> {
  const result = validateAccountUpdate(await deployedFields(client), fields);
  if (result.ok) return result.value;
  throw invalidAccounts(result.errors.map((message) => issueOf(message)));
}

/** Every account of a bulk request, valid; otherwise a 400 listing each bad item with its index. */
export async function checkedAccounts(client: Client, accounts: unknown[]): Promise<AccountData[]> {
  const fields = await deployedFields(client);
  const valid: AccountData[] = [];
  const issues: ErrorIssue[] = [];
  accounts.forEach((account, index) => {
    const result = validateAccount(fields, account);
    if (result.ok) valid.push(result.value);
    else issues.push(...result.errors.map((message) => issueOf(message, index)));
  });
  if (issues.length > 0) throw invalidAccounts(issues);
  return valid;
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
