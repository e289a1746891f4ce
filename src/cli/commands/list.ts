import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { CONFIG_HELP } from '../../ops/cli-input.js';

interface ListFlags {
  playbook?: string;
  stage?: string;
  status?: string;
  assignee?: string;
  version?: string;
  account?: string;
  json?: boolean;
  config?: string;
}

/**
 * `playbook list [filters] [--json]`: runs newest first, as a table or a JSON array: from the
 * store when one is configured, else from the server's visibility store (search attributes).
 */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('list')
    .description('list playbook runs, filtered by playbook, stage, status, assignee or version')
    .option('--playbook <id>', 'runs of this playbook')
    .option('--stage <id>', 'runs now in this stage')
    .option('--status <status>', 'running, paused, completed, stopped, exited, cancelled, terminated, failed or timedOut')
    .option('--assignee <email>', 'runs with an open task for this address')
    .option('--version <hash>', 'runs of this playbook version (the full hash)')
    .option('--account <id>', 'runs of this account')
    .option('--json', 'print a JSON array of runs')
    .option('--config <file>', CONFIG_HELP)
    .action(async (flags: ListFlags) => {
      const [{ loadOpsConfig }, { withTemporal }, { listRuns }, { currentRuns, formatRunTable }, { withStore }, { listStoredRuns }, { summaryOfStoredRun }] =
        await Promise.all([
          import('../../ops/ops-config.js'),
          import('../../ops/temporal-session.js'),
          import('../../temporal/client.js'),
          import('../../ops/run-table.js'),
          import('../../store/session.js'),
          import('../../store/reads.js'),
          import('../../ops/stored-runs.js'),
        ]);
      const config = loadOpsConfig(flags.config);
      const filter = {
        playbook: flags.playbook,
        stage: flags.stage,
        status: flags.status,
        assignee: flags.assignee,
        version: flags.version,
        accountId: flags.account,
      };
      const runs = config.store
        ? await withStore(config.store, async (store) => (await listStoredRuns(store, filter)).items.map(summaryOfStoredRun))
        : await withTemporal(config.temporal, (client) => listRuns(client, filter));
      const current = currentRuns(runs);
      ctx.io.out(flags.json ? `${JSON.stringify(current, null, 2)}\n` : formatRunTable(current));
    });
}
