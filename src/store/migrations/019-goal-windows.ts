/**
 * What goals at risk (docs/kpis.md, "Goals at risk") need to know of a pending goal beside its
 * window in `run_goals`: the goals of each deployed playbook version (their durations), kept
 * with its source and calendar, so the window is counted in its duration's unit.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The entry playbook's `GoalIr[]`; null: it has none, or the version was kept before goals were.
  await db.schema.alterTable('playbook_sources').addColumn('goals', 'jsonb').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('playbook_sources').dropColumn('goals').execute();
}
