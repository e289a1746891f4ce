/** Task lifecycle: a snoozed task's instant, and who ended a run from outside (who cancelled it). */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tasks').addColumn('snoozed_until', 'timestamptz').execute();
  await db.schema.alterTable('runs').addColumn('ended_by', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('runs').dropColumn('ended_by').execute();
  await db.schema.alterTable('tasks').dropColumn('snoozed_until').execute();
}
