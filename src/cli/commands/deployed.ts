import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { CONFIG_HELP } from '../../ops/cli-input.js';

interface DeployedFlags {
  config?: string;
  json?: boolean;
}

/** `playbook deployed`: the deployed playbooks with their versions, who deployed them when, and their triggers. */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('deployed')
    .description('list the deployed playbooks with their versions and triggers')
    .option('--json', 'print the registry summary as JSON')
    .option('--config <file>', CONFIG_HELP)
    .action(async (flags: DeployedFlags) => {
      const [{ loadOpsConfig }, { withTemporal }, { requireWorker }, { getDeployed }, format] = await Promise.all([
        import('../../ops/ops-config.js'),
        import('../../ops/temporal-session.js'),
        import('../../deploy/worker-check.js'),
        import('../../temporal/registry-client.js'),
        import('../../deploy/format.js'),
      ]);
      const config = loadOpsConfig(flags.config);
      const summary = await withTemporal(config.temporal, async (client) => {
        await requireWorker(client, config.temporal.taskQueue);
        return getDeployed(client);
      });
      ctx.io.out(flags.json ? `${JSON.stringify(format.deployedJson(summary), null, 2)}\n` : format.formatDeployed(summary));
    });
}
