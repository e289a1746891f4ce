/**
 * An import's rows checked against what their accounts already hold: a row that is small on
 * its own can still take an account's whole data over `api.maxAccountDataBytes` once merged,
 * and the entity would then drop that upsert part-way through the import. So, as the API
 * checks one upsert, the import checks every row before its first write and such a row is an
 * invalid row like any other. The current data is read from the store in bulk when there is
 * one (it may lag the entity by a moment; the entity's own bound stays the backstop), else
 * from each account's entity (one it cannot read now is left to that backstop, as the API's
 * single upsert does).
 */
import type { Client } from '@temporalio/client';
import { accountDataProblem } from '../../ir/account-check.js';
import type { AccountData, AccountValue } from '../../ir/types.js';
import type { Store } from '../../store/connect.js';
import { heldAccountData } from '../../temporal/account-client.js';
import { mapLimit } from '../../util/map-limit.js';
import { DEFAULT_IMPORT_CONCURRENCY } from './import.js';
import { placeOrder, type RowProblem } from './rows.js';
import type { AccountFile } from './parse.js';

type AccountRecord = Record<string, AccountValue>;

/** The file with every row whose merged data would be too large moved to its problems. */
export async function withMergedSizeProblems(client: Client, store: Store | null, file: AccountFile, maxBytes: number): Promise<AccountFile> {
  const current = store === null ? await currentFromEntities(client, file.accounts) : await currentFromStore(store, file.accounts);
  const accounts: AccountData[] = [];
  const places: AccountFile['places'] = [];
  const problems: RowProblem[] = [...file.problems];
  file.accounts.forEach((account, i) => {
    const held = current.get(account.id);
    const problem = held === undefined ? null : accountDataProblem(held, account, maxBytes, 'api.maxAccountDataBytes');
    if (problem === null) {
      accounts.push(account);
      places.push(file.places[i]!);
    } else problems.push({ place: file.places[i]!, message: problem });
  });
  if (accounts.length === file.accounts.length) return file;
  problems.sort((a, b) => placeOrder(a.place) - placeOrder(b.place));
  return { ...file, accounts, places, problems };
}

async function currentFromStore(store: Store, accounts: AccountData[]): Promise<Map<string, AccountRecord>> {
  const held = new Map<string, AccountRecord>();
  const ids = accounts.map((a) => a.id);
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await store
      .selectFrom('accounts')
      .select(['account_id', 'data'])
      .where('account_id', 'in', ids.slice(i, i + 1000))
      .execute();
    for (const row of rows) held.set(row.account_id, row.data as AccountRecord);
  }
  return held;
}

async function currentFromEntities(client: Client, accounts: AccountData[]): Promise<Map<string, AccountRecord>> {
  const held = new Map<string, AccountRecord>();
  await mapLimit(accounts, DEFAULT_IMPORT_CONCURRENCY, async ({ id }) => {
    const data = await heldAccountData(client, id);
    if (data !== null) held.set(id, data);
  });
  return held;
}
