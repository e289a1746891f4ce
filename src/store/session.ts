/**
 * How the commands and the worker use the configured store: open it, make sure its schema is
 * the one this code was written for, and close it. Errors a person can act on (unreachable,
 * not migrated) are UserErrors naming the store without its password.
 */
import { UserError } from '../errors.js';
import type { StoreConfig } from '../config/types.js';
import { describeStoreUrl, openStore, withStoreErrors, type Store } from './connect.js';
import { migrationStatus } from './migrate.js';

/** Opens the store and checks that every migration has run; the caller destroys it. */
export async function openMigratedStore(config: StoreConfig): Promise<Store> {
  const store = openStore(config.url);
  try {
    const pending = (await withStoreErrors(config.url, () => migrationStatus(store))).filter((m) => m.executedAt === null);
    if (pending.length > 0) {
      throw new UserError(
        `the store at ${describeStoreUrl(config.url)} lacks ${pending.length} migration(s) (${pending.map((m) => m.name).join(', ')}); run \`playbook db migrate\``,
        'invalid',
      );
    }
    return store;
  } catch (e) {
    await store.destroy();
    throw e;
  }
}

/** A store is needed for this command: refuse clearly when none is configured or hosted. */
export function requireStoreConfig(config: StoreConfig | null): StoreConfig {
  if (config === null)
    throw new UserError('no store is configured: set store.url in playbook.config.json, or start `playbook dev`, which hosts the embedded one', 'invalid');
  return config;
}

/** Runs `use` on the migrated store, with unreachable-store errors worded, and closes it. */
export async function withStore<T>(config: StoreConfig, use: (store: Store) => Promise<T>): Promise<T> {
  const store = await openMigratedStore(config);
  try {
    return await withStoreErrors(config.url, () => use(store));
  } finally {
    await store.destroy();
  }
}
