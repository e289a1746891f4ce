/**
 * The enrollment throttle in the trigger log (schema.ts, `trigger_log`): firings `queued` by a
 * playbook's `start at most N per day` and queued ones `dropped` when their turn came, with
 * the throttle's note (`by the enrollment throttle (2 per day), position 3`).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('trigger_log').addColumn('note', 'text').execute();
  await sql`alter table trigger_log drop constraint trigger_log_outcome_check`.execute(db);
  await sql`alter table trigger_log add constraint trigger_log_outcome_check
    check (outcome in ('started', 'alreadyOpen', 'failed', 'refused', 'suppressed', 'queued', 'dropped'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from trigger_log where outcome in ('queued', 'dropped')`.execute(db);
  await sql`alter table trigger_log drop constraint trigger_log_outcome_check`.execute(db);
  await sql`alter table trigger_log add constraint trigger_log_outcome_check check (outcome in ('started', 'alreadyOpen', 'failed', 'refused', 'suppressed'))`.execute(
    db,
  );
  await db.schema.alterTable('trigger_log').dropColumn('note').execute();
}
