/**
 * What the reports (src/reports/) need: the calendar of each deployed playbook version, kept
 * with its source, so business time is counted in it without asking Temporal for each run; and
 * the indexes their period filters and per-run look-ups use (docs/kpis.md).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The entry playbook's `CalendarIr`; null: it has none, or the version was kept before calendars were.
  await db.schema.alterTable('playbook_sources').addColumn('calendar', 'jsonb').execute();
  // The periods: tasks by due, escalations by instant, runs by start and by end.
  await db.schema.createIndex('tasks_due').on('tasks').column('due_at').execute();
  await db.schema.createIndex('escalations_at').on('escalations').column('at').execute();
  await db.schema.createIndex('runs_started').on('runs').column('started_at').execute();
  await db.schema.createIndex('runs_ended').on('runs').column('ended_at').execute();
  // One probe per row for the entry that came before (the signal of an escalation) or after
  // (the first touch after an event) within its run, and for a run's stages and goals.
  await sql`create index timeline_entries_signals on timeline_entries (run_id, seq) where kind in ('set', 'task-completed', 'event')`.execute(db);
  await sql`create index timeline_entries_touches on timeline_entries (run_id, seq) where kind in ('email', 'notify', 'task')`.execute(db);
  await sql`create index timeline_entries_stages on timeline_entries (run_id, seq) where kind = 'stage'`.execute(db);
  await sql`create index timeline_entries_goals on timeline_entries (run_id, seq) where kind in ('goal-met', 'goal-missed')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of [
    'timeline_entries_goals',
    'timeline_entries_stages',
    'timeline_entries_touches',
    'timeline_entries_signals',
    'runs_ended',
    'runs_started',
    'escalations_at',
    'tasks_due',
  ]) {
    await db.schema.dropIndex(index).execute();
  }
  await db.schema.alterTable('playbook_sources').dropColumn('calendar').execute();
}
