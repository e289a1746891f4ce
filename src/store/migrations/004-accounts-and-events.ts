/** Accounts with every upsert, the trigger log, events received and escalations (schema.ts). */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('accounts')
    .addColumn('account_id', 'text', (c) => c.primaryKey())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('journal', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
  // The account list's filters: a name search, the segment and the CSM.
  // The list's order (by name, then id) and its keyset cursor.
  await sql`create index accounts_name on accounts ((coalesce(lower(data->>'name'), '')), account_id)`.execute(db);
  await sql`create index accounts_segment on accounts ((data->>'segment'))`.execute(db);
  await sql`create index accounts_csm on accounts (lower(data->>'csm'))`.execute(db);

  await db.schema
    .createTable('account_upserts')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.account_id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('fields', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('account_upserts_pk', ['account_id', 'seq'])
    .execute();

  await db.schema
    .createTable('account_events')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.account_id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('event_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('applied', 'duplicate', 'dropped')`))
    .addColumn('reached_runs', 'jsonb', (c) => c.notNull())
    .addColumn('error', 'text')
    .addPrimaryKeyConstraint('account_events_pk', ['account_id', 'seq'])
    .execute();
  await db.schema.createIndex('account_events_name_at').on('account_events').columns(['name', 'received_at']).execute();

  await db.schema
    .createTable('trigger_log')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.account_id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('playbook_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('started', 'alreadyOpen', 'failed', 'refused', 'suppressed')`))
    .addColumn('workflow_id', 'text')
    .addColumn('playbook_version', 'text')
    .addColumn('error', 'text')
    .addColumn('event_seq', 'integer')
    .addPrimaryKeyConstraint('trigger_log_pk', ['account_id', 'seq'])
    .execute();
  await db.schema.createIndex('trigger_log_playbook_at').on('trigger_log').columns(['playbook_id', 'at']).execute();

  await db.schema
    .createTable('escalations')
    .addColumn('run_id', 'text', (c) => c.notNull().references('runs.run_id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('playbook_id', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('recipient', 'text')
    .addColumn('severity', 'text')
    .addColumn('text', 'text')
    .addColumn('stage', 'text')
    .addColumn('line', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('escalations_pk', ['run_id', 'seq'])
    .execute();
  await db.schema.createIndex('escalations_account_at').on('escalations').columns(['account_id', 'at']).execute();
  await db.schema.createIndex('escalations_recipient_at').on('escalations').columns(['recipient', 'at']).execute();
  // Runs stored before this version keep their escalations: they are in their timelines.
  await sql`
    insert into escalations (run_id, seq, workflow_id, account_id, playbook_id, at, recipient, severity, text, stage, line)
    select t.run_id, t.seq, t.workflow_id, r.account_id, coalesce(t.entry->>'playbook', r.playbook_id), t.at,
           t.entry->>'to', t.entry->>'severity', t.entry->>'text', t.stage, (t.entry->>'line')::integer
    from timeline_entries t join runs r on r.run_id = t.run_id
    where t.kind = 'escalate'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['escalations', 'trigger_log', 'account_events', 'account_upserts', 'accounts']) await db.schema.dropTable(table).execute();
}
