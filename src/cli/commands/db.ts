import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { CONFIG_HELP } from '../../ops/cli-input.js';

interface DbFlags {
  config?: string;
  json?: boolean;
}

/** `playbook db migrate` / `db status`: the store's schema. */
export function register(program: Command, ctx: CommandContext): void {
  const db = program.command('db').description("the store's schema: migrate it, or show its version");

  db.command('migrate')
    .description('run the store migrations that have not run yet')
    .option('--config <file>', CONFIG_HELP)
    .action(async (flags: DbFlags) => {
      const [{ loadOpsConfig }, { requireStoreConfig }, { openStore, withStoreErrors, describeStoreUrl }, { migrateToLatest }] = await Promise.all([
        import('../../ops/ops-config.js'),
        import('../../store/session.js'),
        import('../../store/connect.js'),
        import('../../store/migrate.js'),
      ]);
      const { url } = requireStoreConfig(loadOpsConfig(flags.config).store);
      const store = openStore(url);
      try {
        const ran = await withStoreErrors(url, () => migrateToLatest(store));
        ctx.io.out(ran.length === 0 ? `store ${describeStoreUrl(url)} is up to date\n` : `store ${describeStoreUrl(url)}: ran ${ran.join(', ')}\n`);
      } finally {
        await store.destroy();
      }
    });

  db.command('status')
    .description('which store migrations have run, and what the delivery ledger holds')
    .option('--json', 'print it as JSON')
    .option('--config <file>', CONFIG_HELP)
    .action(async (flags: DbFlags) => {
      const [{ loadOpsConfig }, { requireStoreConfig }, { openStore, withStoreErrors, describeStoreUrl }, { migrationStatus }, { countDeliveries }] =
        await Promise.all([
          import('../../ops/ops-config.js'),
          import('../../store/session.js'),
          import('../../store/connect.js'),
          import('../../store/migrate.js'),
          import('../../store/delivery-ledger.js'),
        ]);
      const { url } = requireStoreConfig(loadOpsConfig(flags.config).store);
      const store = openStore(url);
      try {
        const migrations = await withStoreErrors(url, () => migrationStatus(store));
        const pending = migrations.filter((m) => m.executedAt === null).length;
        // The ledger's table exists only once its migration ran.
        const deliveries = pending === 0 ? await countDeliveries(store) : null;
        if (flags.json) {
          const json = {
            store: describeStoreUrl(url),
            migrations: migrations.map((m) => ({ name: m.name, executedAt: m.executedAt?.toISOString() ?? null })),
            deliveries,
          };
          ctx.io.out(`${JSON.stringify(json, null, 2)}\n`);
          return;
        }
        const lines = [
          `store ${describeStoreUrl(url)}: ${pending === 0 ? 'up to date' : `${pending} migration(s) pending; run \`playbook db migrate\``}`,
          ...migrations.map((m) => `  ${m.executedAt === null ? 'pending' : `ran ${m.executedAt.toISOString()}`}  ${m.name}`),
          ...(deliveries === null ? [] : [`delivery ledger: ${deliveries.sent} sent, ${deliveries.pending} pending`]),
        ];
        ctx.io.out(`${lines.join('\n')}\n`);
      } finally {
        await store.destroy();
      }
    });
}
