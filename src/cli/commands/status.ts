import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { collect, CONFIG_HELP, KEY_HELP } from '../../ops/cli-input.js';
import { UserError } from '../../errors.js';

interface StatusFlags {
  playbook?: string;
  key: string[];
  json?: boolean;
  config?: string;
}

/**
 * `playbook status <account or workflow id>`: a run's timeline in the format of `playbook
 * simulate`, then what happens next; every run of an account unless `--playbook` picks one.
 * `--json` prints the run's status object, the one `GET /v1/runs/{playbook}/{accountId}` answers
 * with (the `simulate --json` keys plus accountId, stage, status, pendingWaits, openTasks, ...).
 * A run whose workflow no longer exists is read from the store when one is configured.
 */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('status')
    .description("show a run's timeline and what happens next")
    .argument('<run>', 'an account id (all its runs) or a workflow id (playbook:<playbook>:<account>[:<key value>…])')
    .option('--playbook <id>', "only the account's run of this playbook")
    .option('--key <value>', KEY_HELP, collect, [])
    .option('--json', 'print one JSON object { playbook, version, accountId, stage, status, outcome, outcomeLabel, timeline, pendingWaits, openTasks, ... }')
    .option('--config <file>', CONFIG_HELP)
    .action(async (target: string, flags: StatusFlags) => {
      const [{ loadOpsConfig }, { withTemporal }, { findRuns, CHOOSE }, { viewRun }, { formatRunView }, { openStore }] = await Promise.all([
        import('../../ops/ops-config.js'),
        import('../../ops/temporal-session.js'),
        import('../../ops/resolve-runs.js'),
        import('../../ops/run-view.js'),
        import('../../ops/format-status.js'),
        import('../../store/connect.js'),
      ]);
      const config = loadOpsConfig(flags.config);
      // Read only for a run whose workflow Temporal's retention deleted: the pool connects on first use.
      const store = config.store === null ? null : openStore(config.store.url, { maxConnections: 1 });
      try {
        await withTemporal(config.temporal, async (client) => {
          const runs = await findRuns(client, target, { playbook: flags.playbook, key: flags.key, openOnly: false });
          if (flags.json && runs.length > 1) {
            throw new UserError(`account ${target} has ${runs.length} runs (${runs.map((r) => r.workflowId).join(', ')}); ${CHOOSE} for --json`, 'usage');
          }
          const views = [];
          for (const run of runs) views.push(await viewRun(client, run.workflowId, store));
          if (flags.json) ctx.io.out(`${JSON.stringify(views[0]!.status)}\n`);
          else ctx.io.out(views.map(formatRunView).join('\n'));
        });
      } finally {
        await store?.destroy();
      }
    });
}
