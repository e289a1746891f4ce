import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { CONFIG_HELP } from '../../ops/cli-input.js';
import { UserError } from '../../errors.js';

interface ExportFlags {
  format: string;
  entries?: boolean;
  from?: string;
  to?: string;
  playbook?: string;
  config?: string;
}

/** Output is written in chunks of about this many characters, not a line at a time. */
const CHUNK_CHARS = 64 * 1024;

/**
 * `playbook runs export --format csv|jsonl [--entries] [--from] [--to] [--playbook]`: every run
 * of the store (or every timeline entry) as CSV with a header or as JSON lines, for BI tools;
 * streamed from the store page by page.
 */
export function register(program: Command, ctx: CommandContext): void {
  const runs = program.command('runs').description('runs in the store');
  runs
    .command('export')
    .description('print the runs of the store (or their timeline entries) as CSV or JSON lines')
    .requiredOption('--format <format>', 'csv (with a header line) or jsonl')
    .option('--entries', 'one line per timeline entry instead of one per run')
    .option('--from <instant>', 'runs started (entries emitted) at or after this ISO-8601 instant or date')
    .option('--to <instant>', 'runs started (entries emitted) before this ISO-8601 instant or date')
    .option('--playbook <id>', 'runs of this playbook')
    .option('--config <file>', CONFIG_HELP)
    .action(async (flags: ExportFlags) => {
      const [{ loadOpsConfig }, { requireStoreConfig, withStore }, { EXPORT_FORMATS, exportLines }, { dateOrInstantFlag }] = await Promise.all([
        import('../../ops/ops-config.js'),
        import('../../store/session.js'),
        import('../../store/export.js'),
        import('../../ops/date-flag.js'),
      ]);
      const format = EXPORT_FORMATS.find((f) => f === flags.format);
      if (format === undefined) throw new UserError(`--format must be ${EXPORT_FORMATS.join(' or ')}; got ${JSON.stringify(flags.format)}`, 'usage');
      const from = dateOrInstantFlag('--from', flags.from);
      const to = dateOrInstantFlag('--to', flags.to);
      const store = requireStoreConfig(loadOpsConfig(flags.config).store);
      await withStore(store, async (db) => {
        let chunk = '';
        const lines = exportLines(db, {
          format,
          entries: flags.entries === true,
          ...(from && { from }),
          ...(to && { to }),
          ...(flags.playbook !== undefined && { playbook: flags.playbook }),
        });
        for await (const line of lines) {
          chunk += line;
          if (chunk.length >= CHUNK_CHARS) {
            ctx.io.out(chunk);
            chunk = '';
          }
        }
        if (chunk !== '') ctx.io.out(chunk);
      });
    });
}
