/**
 * Signatures accepted by any API process sharing the store (schema.ts, `signature_replays`),
 * and event payloads kept out of workflow history (`event_payloads`, referenced from
 * `account_events.payload_ref`).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('signature_replays')
    .addColumn('signature', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('signature_replays_expires').on('signature_replays').column('expires_at').execute();

  await db.schema
    .createTable('event_payloads')
    .addColumn('payload_ref', 'text', (c) => c.primaryKey())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('account_events').addColumn('payload_ref', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('account_events').dropColumn('payload_ref').execute();
  await db.schema.dropTable('event_payloads').execute();
  await db.schema.dropTable('signature_replays').execute();
}
