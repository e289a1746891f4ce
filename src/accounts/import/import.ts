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
  /** Each account's upsert, by its index in the list: when it is sent and how it ended. */
  onUpsert?: (index: number, state: 'sent' | 'applied' | 'failed') => void;
}

export const DEFAULT_IMPORT_CONCURRENCY = 32;

/**
 * Upserts every account; stops starting new upserts at the first failure and rejects with it
 * once those in flight have settled. An upsert sets the values it names, so importing the
 * same accounts again is safe: an account applied twice ends the same.
 */
export async function importAccounts(client: Client, taskQueue: string, accounts: AccountData[], options: ImportOptions): Promise<{ imported: number }> {
  const { by, onProgress, onUpsert } = options;
  let done = 0;
  await mapLimit([...accounts.keys()], options.concurrency ?? DEFAULT_IMPORT_CONCURRENCY, async (index) => {
    const account = accounts[index]!;
    onUpsert?.(index, 'sent');
    try {
      await upsertAccount(client, taskQueue, account.id, { fields: declaredFields(account), by });
    } catch (e) {
      onUpsert?.(index, 'failed');
      throw e;
    }
    onUpsert?.(index, 'applied');
    done++;
    onProgress?.(done, accounts.length);
  });
  return { imported: done };
}

/** The account's field values without its id, which names the entity rather than being a field. */
function declaredFields({ id: _id, ...fields }: AccountData): Record<string, AccountValue> {
  return fields;
}
