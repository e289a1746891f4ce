import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { CONFIG_HELP } from '../../ops/cli-input.js';
import { UserError } from '../../errors.js';
import { terminalLines } from '../../util/terminal-text.js';
import type { StoredActivity } from '../../accounts/format-account.js';
import type { StoreConfig } from '../../config/types.js';

interface ImportFlags {
  skipInvalid?: boolean;
  json?: boolean;
  config?: string;
}

interface ShowFlags {
  json?: boolean;
  config?: string;
}

interface ListFlags {
  limit: string;
  json?: boolean;
  config?: string;
}

/**
 * `playbook accounts import|show|list|restore`: account data enters from CSV or JSON files, checked
 * against the deployed `account fields`; each account lives in its own entity on Temporal.
 */
export function register(program: Command, ctx: CommandContext): void {
  const accounts = program.command('accounts').description('import, show, list and restore accounts');

  accounts
    .command('import')
    .description('import accounts from a .csv, .json, .jsonl or .ndjson file; a file with invalid rows imports nothing')
    .argument('<file>', 'CSV with a header row of field names including "id"; JSON array or { "accounts": [...] }; or one JSON object per line')
    .option('--skip-invalid', 'import the valid rows and list the invalid ones instead of importing nothing')
    .option('--json', 'print one JSON object { file, by, rows, imported, invalidRows, problems: [{ at, message }] }')
    .option('--config <file>', CONFIG_HELP)
    .action(async (file: string, flags: ImportFlags) => {
      const [{ loadOpsConfig }, { withTemporal }, { readAccountSource }, { runAccountImport }, { openStore }] = await Promise.all([
        import('../../ops/ops-config.js'),
        import('../../ops/temporal-session.js'),
        import('../../accounts/import/source.js'),
        import('../../accounts/import/run-import.js'),
        import('../../store/connect.js'),
      ]);
      const config = loadOpsConfig(flags.config);
      const source = await readAccountSource(file);
      const store = config.store === null ? null : openStore(config.store.url, { maxConnections: 1 });
      try {
        await withTemporal(config.temporal, (client) =>
          runAccountImport(
            client,
            config.temporal.taskQueue,
            source,
            { skipInvalid: flags.skipInvalid === true, json: flags.json === true },
            { store, maxAccountDataBytes: config.api.maxAccountDataBytes },
            ctx.io,
          ),
        );
      } finally {
        await store?.destroy();
      }
    });

  accounts
    .command('show')
    .description("show an account's data, open runs, planned date triggers, when conditions, recent triggers and (with a store) recent events")
    .argument('<id>', 'the account id')
    .option(
      '--json',
      'print the account entity state { accountId, data, openRuns, planned, conditions, triggerLog, generation, endedRuns, alerts }, with a store also stored: { triggers, events } (newest first)',
    )
    .option('--config <file>', CONFIG_HELP)
    .action(async (id: string, flags: ShowFlags) => {
      const [{ loadOpsConfig }, { withTemporal }, { getAccount }, { getDeployed }, { formatAccount, deployedTriggerNamer }] = await Promise.all([
        import('../../ops/ops-config.js'),
        import('../../ops/temporal-session.js'),
        import('../../temporal/account-client.js'),
        import('../../temporal/registry-client.js'),
        import('../../accounts/format-account.js'),
      ]);
      const config = loadOpsConfig(flags.config);
      const [state, deployed] = await withTemporal(config.temporal, (client) => Promise.all([getAccount(client, id), getDeployed(client)]));
      const stored = config.store === null ? undefined : await storedActivity(config.store, id);
      const json = stored === undefined ? state : { ...state, stored };
      ctx.io.out(flags.json ? `${JSON.stringify(json)}\n` : formatAccount(state, deployedTriggerNamer(deployed.playbooks), stored));
    });

  accounts
    .command('restore')
    .description('start the entity of an account whose entity ended (terminated, failed) again, from the state it held when it ended')
    .argument('<id>', 'the account id')
    .option('--config <file>', CONFIG_HELP)
    .action(async (id: string, flags: ShowFlags) => {
      const [{ loadOpsConfig }, { withTemporal }, { restoreAccount }] = await Promise.all([
        import('../../ops/ops-config.js'),
        import('../../ops/temporal-session.js'),
        import('../../temporal/account-client.js'),
      ]);
      const config = loadOpsConfig(flags.config);
      const { ended, carried } = await withTemporal(config.temporal, (client) => restoreAccount(client, config.temporal.taskQueue, id));
      const fields = Object.keys(carried.data).filter((f) => f !== 'id').length;
      ctx.io.out(
        `account ${id} restored (its entity had ended: ${ended}): ${fields} fields, ${carried.openRuns.length} open runs, ` +
          `${carried.triggerLog.length} trigger log entries, ${carried.pending.length} inputs waiting\n`,
      );
    });

  accounts
    .command('list')
    .description('list the ids of the accounts on the server, newest first')
    .option('--limit <n>', 'at most this many', '1000')
    .option('--json', 'print a JSON array of ids')
    .option('--config <file>', CONFIG_HELP)
    .action(async (flags: ListFlags) => {
      const limit = Number(flags.limit);
      if (!/^\d+$/.test(flags.limit) || limit < 1) throw new UserError(`--limit must be a positive whole number, got "${flags.limit}"`, 'usage');
      const [{ loadOpsConfig }, { withTemporal }, { listAccountIds }] = await Promise.all([
        import('../../ops/ops-config.js'),
        import('../../ops/temporal-session.js'),
        import('../../temporal/account-client.js'),
      ]);
      const config = loadOpsConfig(flags.config);
      const ids = await withTemporal(config.temporal, (client) => listAccountIds(client, limit));
      if (flags.json) ctx.io.out(`${JSON.stringify(ids)}\n`);
      else ctx.io.out(ids.length === 0 ? 'no accounts\n' : terminalLines(ids));
    });
}

/** The latest trigger log entries and events the store holds of the account. */
async function storedActivity(config: StoreConfig, accountId: string): Promise<StoredActivity> {
  const [{ withStore }, { storedTriggerLog, storedAccountEvents }, { RECENT_TRIGGERS }] = await Promise.all([
    import('../../store/session.js'),
    import('../../store/account-reads.js'),
    import('../../accounts/format-account.js'),
  ]);
  return withStore(config, async (store) => {
    const [triggers, events] = await Promise.all([
      storedTriggerLog(store, accountId, { limit: RECENT_TRIGGERS }),
      storedAccountEvents(store, accountId, { limit: RECENT_TRIGGERS }),
    ]);
    return { triggers: triggers.items, events: events.items };
  });
}
