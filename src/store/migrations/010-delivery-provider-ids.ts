/**
 * What the receiver said of each delivery (schema.ts, `deliveries`): the provider's message id
 * (SMTP Message-ID, a webhook's response id header, a chat message's id) and its response
 * (the SMTP server's 250 line with its queue id).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('deliveries').addColumn('provider_message_id', 'text').addColumn('provider_response', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('deliveries').dropColumn('provider_message_id').dropColumn('provider_response').execute();
}
