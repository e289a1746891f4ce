/** Bounces: every hard and soft bounce reported for a customer email, by DSN or a provider's webhook (schema.ts, `bounces`). */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('bounces')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('hard', 'soft')`))
    .addColumn('status', 'text')
    .addColumn('diagnostic', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('account_id', 'text')
    // A provider retrying its webhook (or a DSN arriving twice) records one bounce.
    .addColumn('report_key', 'text', (c) => c.notNull().unique())
    .execute();
  await db.schema.createIndex('bounces_address').on('bounces').column('address').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('bounces').execute();
}
