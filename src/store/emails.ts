/** Sent customer emails by Message-ID, and the mail that comes in (schema.ts). */
import type { Insertable } from 'kysely';
import type { Store } from './connect.js';
import type { InboundEmailsTable, SentEmailRow, SentEmailsTable } from './schema.js';

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
