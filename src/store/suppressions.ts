/**
 * The suppression list (schema.ts, `SuppressionsTable`): who customer-facing email never
 * reaches. Addresses are compared lower-cased, as mail systems treat them in practice.
 */
import type { Store } from './connect.js';
import type { SuppressionRow } from './schema.js';

/** The reason an opt-out by the contact records (a link, `contact.unsubscribed`). */
export const UNSUBSCRIBED = 'unsubscribed';

export interface Suppression {
  address: string;
  reason: string;
  source: string;
  accountId: string | null;
  /** UTC ISO-8601. */
  at: string;
}

export type NewSuppression = Omit<Suppression, 'at' | 'accountId'> & { accountId?: string | null; at?: Date };

export function normalAddress(address: string): string {
  return address.trim().toLowerCase();
}

/** Records `entries`; an address already suppressed keeps its first reason. Returns how many were new. */
export async function suppress(store: Store, entries: NewSuppression[]): Promise<number> {
  if (entries.length === 0) return 0;
  const now = new Date();
  const rows = new Map(
    entries.map((e) => [
      normalAddress(e.address),
      { address: normalAddress(e.address), reason: e.reason, source: e.source, account_id: e.accountId ?? null, created_at: e.at ?? now },
    ]),
  );
  const inserted = await store
    .insertInto('suppressions')
    .values([...rows.values()])
    .onConflict((c) => c.column('address').doNothing())
    .returning('address')
    .execute();
  return inserted.length;
}

/** Lifts the suppression of `address`; false when it was not suppressed. */
export async function unsuppress(store: Store, address: string): Promise<boolean> {
  const result = await store.deleteFrom('suppressions').where('address', '=', normalAddress(address)).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function suppressionOf(store: Store, address: string): Promise<Suppression | null> {
  const row = await store.selectFrom('suppressions').selectAll().where('address', '=', normalAddress(address)).executeTakeFirst();
  return row === undefined ? null : fromRow(row);
}

/** Every suppression, oldest first. */
export async function listSuppressions(store: Store): Promise<Suppression[]> {
  const rows = await store.selectFrom('suppressions').selectAll().orderBy('created_at').orderBy('address').execute();
  return rows.map(fromRow);
}

function fromRow(row: SuppressionRow): Suppression {
  return { address: row.address, reason: row.reason, source: row.source, accountId: row.account_id, at: row.created_at.toISOString() };
}
