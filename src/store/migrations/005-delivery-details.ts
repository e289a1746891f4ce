/**
 * The delivery ledger's details (schema.ts, `deliveries`): the channel, and a failed delivery
 * kept as `failed` with its error (it used to be deleted), which the next attempt claims again.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('deliveries').addColumn('channel', 'text').addColumn('error', 'text').addColumn('failed_at', 'timestamptz').execute();
  await sql`alter table deliveries drop constraint deliveries_state_check`.execute(db);
  await sql`alter table deliveries add constraint deliveries_state_check check (state in ('pending', 'sent', 'failed'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from deliveries where state = 'failed'`.execute(db);
  await sql`alter table deliveries drop constraint deliveries_state_check`.execute(db);
  await sql`alter table deliveries add constraint deliveries_state_check check (state in ('pending', 'sent'))`.execute(db);
  await db.schema.alterTable('deliveries').dropColumn('channel').dropColumn('error').dropColumn('failed_at').execute();
}
