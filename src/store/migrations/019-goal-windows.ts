/**
 * What the at-risk report (docs/kpis.md) needs to know of a pending goal, which leaves no entry
 * until it ends: the goals of each deployed playbook version (their anchors and durations),
 * kept with its source and calendar, so the goal's window is found from the run's timeline.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The entry playbook's `GoalIr[]`; null: it has none, or the version was kept before goals were.
  await db.schema.alterTable('playbook_sources').addColumn('goals', 'jsonb').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('playbook_sources').dropColumn('goals').execute();
}
