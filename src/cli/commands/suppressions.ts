import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { CONFIG_HELP } from '../../ops/cli-input.js';
import { UserError } from '../../errors.js';
import type { Store } from '../../store/connect.js';

interface StoreFlags {
  config?: string;
}

/**
 * `playbook suppressions list|add|remove|import|export`: the store's suppression list, the
 * contacts that customer-facing email from any playbook never reaches.
 */
export function register(program: Command, ctx: CommandContext): void {
  const suppressions = program.command('suppressions').description('contacts that get no customer-facing email (opt-outs, bounces)');

  suppressions
    .command('list')
    .description('print the suppression list, oldest first')
    .option('--json', 'print it as JSON')
    .option('--config <file>', CONFIG_HELP)
    .action(async (flags: StoreFlags & { json?: boolean }) => {
      const { listSuppressions } = await import('../../store/suppressions.js');
      const list = await withConfiguredStore(flags, listSuppressions);
      if (flags.json) return ctx.io.out(`${JSON.stringify(list, null, 2)}\n`);
      if (list.length === 0) return ctx.io.out('no contacts are suppressed\n');
      for (const s of list) ctx.io.out(`${s.address}  ${s.reason}  (${s.source}${s.accountId === null ? '' : `, account ${s.accountId}`}, ${s.at})\n`);
    });

  suppressions
    .command('add <address>')
    .description('suppress a contact: no more customer-facing email from any playbook')
    .option('--reason <words>', 'why, as the timeline shows it (default: unsubscribed)')
    .option('--account <id>', 'the account the contact belongs to')
    .option('--config <file>', CONFIG_HELP)
    .action(async (address: string, flags: StoreFlags & { reason?: string; account?: string }) => {
      const [{ isEmailAddress }, { suppress, normalAddress, UNSUBSCRIBED }] = await Promise.all([
        import('../../config/schema.js'),
        import('../../store/suppressions.js'),
      ]);
      if (!isEmailAddress(address)) throw new UserError(`${JSON.stringify(address)} is not an email address`, 'usage');
      const added = await withConfiguredStore(flags, (store) =>
        suppress(store, [{ address, reason: flags.reason ?? UNSUBSCRIBED, source: 'cli', accountId: flags.account ?? null }]),
      );
      ctx.io.out(added > 0 ? `suppressed ${normalAddress(address)}\n` : `${normalAddress(address)} was suppressed already (its first reason stays)\n`);
    });

  suppressions
    .command('remove <address>')
    .description('lift a suppression (only when the contact asked for it)')
    .option('--config <file>', CONFIG_HELP)
    .action(async (address: string, flags: StoreFlags) => {
      const { unsuppress, normalAddress } = await import('../../store/suppressions.js');
      if (!(await withConfiguredStore(flags, (store) => unsuppress(store, address))))
        throw new UserError(`${normalAddress(address)} is not suppressed`, 'notFound');
      ctx.io.out(`lifted the suppression of ${normalAddress(address)}\n`);
    });

  suppressions
    .command('import <file>')
    .description('suppress the contacts of a CSV file (columns address, reason, account); a file with a bad row imports nothing')
    .option('--config <file>', CONFIG_HELP)
    .action(async (file: string, flags: StoreFlags) => {
      const [{ readFile }, { readSuppressionCsv }, { suppress }] = await Promise.all([
        import('node:fs/promises'),
        import('../../outreach/suppression-csv.js'),
        import('../../store/suppressions.js'),
      ]);
      const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
        throw new UserError(`cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`, 'invalid');
      });
      const rows = readSuppressionCsv(file, text, 'import');
      const added = await withConfiguredStore(flags, (store) => suppress(store, rows));
      ctx.io.out(`suppressed ${added} new contact${added === 1 ? '' : 's'} from ${file} (${rows.length - added} suppressed already)\n`);
    });

  suppressions
    .command('export')
    .description('print the suppression list as CSV')
    .option('--config <file>', CONFIG_HELP)
    .action(async (flags: StoreFlags) => {
      const [{ listSuppressions }, { suppressionCsv }] = await Promise.all([
        import('../../store/suppressions.js'),
        import('../../outreach/suppression-csv.js'),
      ]);
      ctx.io.out(suppressionCsv(await withConfiguredStore(flags, listSuppressions)));
    });
}

async function withConfiguredStore<T>(flags: StoreFlags, use: (store: Store) => Promise<T>): Promise<T> {
  const [{ loadOpsConfig }, { requireStoreConfig, withStore }] = await Promise.all([import('../../ops/ops-config.js'), import('../../store/session.js')]);
  return withStore(requireStoreConfig(loadOpsConfig(flags.config).store), use);
}
