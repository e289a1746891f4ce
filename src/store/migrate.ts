/**
 * Schema migrations with Kysely's migrator: each runs in a transaction under an advisory lock,
 * so two processes migrating at once run every migration once. Names come from
 * `migrations/index.ts`, bundled with the code (no folder is read at run time).
 */
import { Migrator, type Kysely, type MigrationResult } from 'kysely';
import { UserError } from '../errors.js';
import { isStoreUnreachable } from './connect.js';
import { MIGRATIONS } from './migrations/index.js';
import type { StoreDatabase } from './schema.js';

export interface MigrationState {
  name: string;
  /** When it ran; null while pending. */
  executedAt: Date | null;
}

function migrator(db: Kysely<StoreDatabase>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableName: 'playbook_migrations',
    migrationLockTableName: 'playbook_migrations_lock',
  });
}

/** Runs the pending migrations; resolves with the names it ran (empty when up to date). */
export async function migrateToLatest(db: Kysely<StoreDatabase>): Promise<string[]> {
  return report(await migrator(db).migrateToLatest());
}

/** Migrates up (or down) to `name`: the tests use it to build a store of an earlier version. */
export async function migrateTo(db: Kysely<StoreDatabase>, name: string): Promise<string[]> {
  return report(await migrator(db).migrateTo(name));
}

export async function migrationStatus(db: Kysely<StoreDatabase>): Promise<MigrationState[]> {
  const known = await migrator(db).getMigrations();
  return known.map((m) => ({ name: m.name, executedAt: m.executedAt ?? null }));
}

function report({ error, results }: { error?: unknown; results?: MigrationResult[] }): string[] {
  if (error !== undefined) {
    // Not a migration's fault: the caller's `withStoreErrors` words it.
    if (isStoreUnreachable(error)) throw error;
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(failed === undefined ? `store migration failed: ${reason}` : `store migration ${failed} failed: ${reason}`, 'invalid');
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
