/** Sent customer emails by Message-ID, and the mail that comes in (schema.ts). */
import { sql, type Insertable } from 'kysely';
import type { Store } from './connect.js';
import { normalAddress } from './suppressions.js';
import type { BouncesTable, InboundEmailsTable, SentEmailRow, SentEmailsTable } from './schema.js';

/** Records an email about to go out; a retried send finds its row there and changes nothing. */
export async function recordSentEmail(store: Store, row: Insertable<SentEmailsTable>): Promise<void> {
  await store
    .insertInto('sent_emails')
    .values(row)
    .onConflict((c) => c.doNothing())
    .execute();
}

/** The first of `messageIds` (in the order given) that is a sent email, else null. */
export async function findSentEmail(store: Store, messageIds: string[]): Promise<SentEmailRow | null> {
  if (messageIds.length === 0) return null;
  const rows = await store.selectFrom('sent_emails').selectAll().where('message_id', 'in', messageIds).execute();
  return messageIds.map((id) => rows.find((r) => r.message_id === id)).find((r) => r !== undefined) ?? null;
}

/** Stores an inbound mail; false when one with its Message-ID was stored before (a provider's retry). */
export async function recordInboundEmail(store: Store, row: Insertable<InboundEmailsTable>): Promise<boolean> {
  const inserted = await store
    .insertInto('inbound_emails')
    .values(row)
    .onConflict((c) => c.column('message_id').doNothing())
    .returning('id')
    .execute();
  return inserted.length > 0;
}

/** The newest email sent to `address` (compared lower-cased), else null: whose account a bounce is about when it names no Message-ID. */
export async function latestSentTo(store: Store, address: string): Promise<SentEmailRow | null> {
  const row = await store
    .selectFrom('sent_emails')
    .selectAll()
    .where(sql<string>`lower(recipient)`, '=', normalAddress(address))
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}

/** Records a bounce; false when its report was recorded before. */
export async function recordBounce(store: Store, row: Insertable<BouncesTable>): Promise<boolean> {
  const inserted = await store
    .insertInto('bounces')
    .values(row)
    .onConflict((c) => c.column('report_key').doNothing())
    .returning('id')
    .execute();
  return inserted.length > 0;
}
