/** Runs, their timeline entries and their tasks, as people read them (schema.ts). */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('runs')
    // A workflow id is reused when the same playbook runs again for the account: a run is its first execution's run id.
    .addColumn('run_id', 'text', (c) => c.primaryKey())
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('playbook_id', 'text', (c) => c.notNull())
    .addColumn('playbook_version', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('started_by', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('outcome_label', 'text')
    .addColumn('stage', 'text')
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ended_at', 'timestamptz')
    .addColumn('entries', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('runs_workflow').on('runs').columns(['workflow_id', 'started_at']).execute();
  await db.schema.createIndex('runs_account').on('runs').columns(['account_id', 'started_at']).execute();
  await db.schema.createIndex('runs_playbook_status').on('runs').columns(['playbook_id', 'status']).execute();

  await db.schema
    .createTable('timeline_entries')
    .addColumn('run_id', 'text', (c) => c.notNull().references('runs.run_id').onDelete('cascade'))
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('stage', 'text')
    .addColumn('entry', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('timeline_entries_pk', ['run_id', 'seq'])
    .execute();
  await db.schema.createIndex('timeline_entries_kind_at').on('timeline_entries').columns(['kind', 'at']).execute();

  await db.schema
    .createTable('tasks')
    .addColumn('run_id', 'text', (c) => c.notNull().references('runs.run_id').onDelete('cascade'))
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('playbook_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('assignee', 'text')
    .addColumn('due_at', 'timestamptz')
    .addColumn('questions', 'jsonb', (c) => c.notNull())
    .addColumn('answers', 'jsonb')
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('open', 'completed', 'closed')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('closed_at', 'timestamptz')
    .addColumn('closed_by', 'text')
    .addColumn('close_reason', 'text')
    .addPrimaryKeyConstraint('tasks_pk', ['run_id', 'seq'])
    .execute();
  await db.schema.createIndex('tasks_assignee_state').on('tasks').columns(['assignee', 'state', 'due_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('tasks').execute();
  await db.schema.dropTable('timeline_entries').execute();
  await db.schema.dropTable('runs').execute();
}
