/**
 * Accounts as they stood at an instant, from the store's journal: each account's upserts up to
 * then, applied in order (a null clears a field). An account with upserts only after the
 * instant did not exist yet; one with none at all (written before journals were kept) reads
 * as its current data. So a report "as of" a past day reads that day's data (docs/kpis.md).
 */
import { sql } from 'kysely';
import type { AccountData, AccountValue } from '../ir/types.js';
import type { Store } from '../store/connect.js';
import { accountsInBook } from '../store/account-reads.js';
import type { ReportQuery } from './types.js';

/** The accounts of the query's book (every account without one) as they stood at its `asOf`. */
export async function accountsAsOf(store: Store, query: ReportQuery): Promise<AccountData[]> {
  const { rows } = await sql<{
    account_id: string;
    data: Record<string, AccountValue>;
    upserts: Array<Record<string, AccountValue>> | null;
    journaled: boolean;
  }>`
    select accounts.account_id, accounts.data,
      (select jsonb_agg(u.fields order by u.seq) from account_upserts u where u.account_id = accounts.account_id and u.at <= ${query.asOf}) as upserts,
      exists (select 1 from account_upserts u where u.account_id = accounts.account_id) as journaled
    from accounts
    where true ${query.book === undefined ? sql`` : sql`and ${accountsInBook(query.book)}`}
    order by accounts.account_id`.execute(store);
  return rows.flatMap((r) => {
    if (!r.journaled) return [{ ...r.data, id: r.account_id }];
    if (r.upserts === null) return [];
    const data: Record<string, AccountValue> = {};
    for (const fields of r.upserts) {
      for (const [field, value] of Object.entries(fields)) {
        if (value === null) delete data[field];
        else data[field] = value;
      }
    }
    return [{ ...data, id: r.account_id }];
  });
}
