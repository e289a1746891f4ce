import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { CONFIG_HELP } from '../../ops/cli-input.js';
import type { Store } from '../../store/connect.js';

interface DeployedFlags {
  config?: string;
  json?: boolean;
}

/** `playbook deployed`: the deployed playbooks with their versions, who deployed them when, their triggers, and which are disabled. */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('deployed')
    .description('list the deployed playbooks with their versions and triggers')
    .option('--json', 'print the registry summary as JSON')
    .option('--config <file>', CONFIG_HELP)
    .action(async (flags: DeployedFlags) => {
      const [{ loadOpsConfig }, { withTemporal }, { requireWorker }, { deployedWithSwitches }, { withStore }, format] = await Promise.all([
        import('../../ops/ops-config.js'),
        import('../../ops/temporal-session.js'),
        import('../../deploy/worker-check.js'),
        import('../../deploy/playbook-switch.js'),
        import('../../store/session.js'),
        import('../../deploy/format.js'),
      ]);
      const config = loadOpsConfig(flags.config);
      const read = (store: Store | null) =>
        withTemporal(config.temporal, async (client) => {
          await requireWorker(client, config.temporal.taskQueue);
          return deployedWithSwitches(client, store);
        });
      // The switches are kept in the store: without one every playbook is enabled.
      const summary = config.store === null ? await read(null) : await withStore(config.store, read);
      ctx.io.out(flags.json ? `${JSON.stringify(format.deployedJson(summary), null, 2)}\n` : format.formatDeployed(summary));
    });
}
