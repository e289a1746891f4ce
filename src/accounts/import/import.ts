/**
 * Imports validated accounts: each becomes an upsert of its account entity (signal-with-start,
 * so a new account's entity is created and an existing one's data updated), a bounded number
 * in flight at once. Shared by `playbook accounts import`, the HTTP API's bulk endpoint and
 * the benchmark. The data must already be valid against the deployed `account fields`.
 */
import type { Client } from '@temporalio/client';
import type { AccountData, AccountValue } from '../../ir/types.js';
import { upsertAccount } from '../../temporal/account-client.js';
import { mapLimit } from '../../util/map-limit.js';

export interface ImportOptions {
  /** Who imports, recorded by each entity: `import:<file>`, `api:<token name>`. */
  by: string;
  /** Upserts in flight at once. */
  concurrency?: number;
  /** After each account is upserted: how many are done of how many. */
  onProgress?: (done: number, total: number) => void;
}

export const DEFAULT_IMPORT_CONCURRENCY = 32;

/**
 * Upserts every account; stops starting new upserts at the first failure and rejects with it
 * once those in flight have settled (upserts are idempotent, so importing again is safe).
 */
export async function importAccounts(client: Client, taskQueue: string, accounts: AccountData[], options: ImportOptions): Promise<{ imported: number }> {
  const { by, onProgress } = options;
  let done = 0;
  await mapLimit(accounts, options.concurrency ?? DEFAULT_IMPORT_CONCURRENCY, async (account) => {
    await upsertAccount(client, taskQueue, account.id, { fields: declaredFields(account), by });
    done++;
    onProgress?.(done, accounts.length);
  });
  return { imported: done };
}

/** The account's field values without its id, which names the entity rather than being a field. */
function declaredFields({ id: _id, ...fields }: AccountData): Record<string, AccountValue> {
  return fields;
}
