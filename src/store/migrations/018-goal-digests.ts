/**
 * Warnings before a promise breaks (docs/kpis.md, "Goal digests and attainment alerts"): each
 * run's goals as its flushes tell them, pending ones with their window (`run_goals`); every
 * daily digest sent, one row per recipient, calendar and local day, so a retried send goes
 * out once with what it said the first time (`goal_digests`); and each goal's attainment
 * alert, so its owner is told once per drop below target (`goal_alerts`).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('run_goals')
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('goal', 'text', (c) => c.notNull())
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('playbook_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('owner', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('target', 'double precision', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('since', 'timestamptz')
    .addColumn('deadline', 'timestamptz')
    .addColumn('settled_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('run_goals_pkey', ['run_id', 'goal'])
    .execute();
  await sql`create index run_goals_pending on run_goals (deadline) where state = 'pending'`.execute(db);
  await sql`create index run_goals_missed on run_goals (settled_at) where state = 'missed'`.execute(db);
  await db.schema
    .createTable('goal_digests')
    .addColumn('calendar', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz')
    .addPrimaryKeyConstraint('goal_digests_pkey', ['calendar', 'day', 'recipient'])
    .execute();
  await db.schema
    .createTable('goal_alerts')
    .addColumn('playbook_id', 'text', (c) => c.notNull())
    .addColumn('goal', 'text', (c) => c.notNull())
    .addColumn('below', 'boolean', (c) => c.notNull())
    .addColumn('drops', 'integer', (c) => c.notNull())
    .addColumn('notified', 'integer', (c) => c.notNull())
    .addColumn('attainment', 'double precision')
    .addColumn('target', 'double precision')
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('goal_alerts_pkey', ['playbook_id', 'goal'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('goal_alerts').execute();
  await db.schema.dropTable('goal_digests').execute();
  await db.schema.dropTable('run_goals').execute();
}
