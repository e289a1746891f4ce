import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { CONFIG_HELP } from '../../ops/cli-input.js';

interface ThrottleFlags {
  config?: string;
  json?: boolean;
}

/**
 * `playbook throttle list <playbook>`: the enrollment throttle's queue of a playbook with
 * `start at most N per day` — the firings past N a day, in the order they start on later days.
 */
export function register(program: Command, ctx: CommandContext): void {
  const throttle = program.command('throttle').description('the enrollment throttles of playbooks with `start at most N per day`');
  throttle
    .command('list')
    .description("print a playbook's throttle queue: each firing's position, account and when it fired")
    .argument('<playbook>', 'the deployed playbook id')
    .option('--json', 'print the queue as JSON')
    .option('--config <file>', CONFIG_HELP)
    .action(async (playbook: string, flags: ThrottleFlags) => {
      const [{ loadOpsConfig }, { withTemporal }, { requireWorker }, { throttleQueue }, format] = await Promise.all([
        import('../../ops/ops-config.js'),
        import('../../ops/temporal-session.js'),
        import('../../deploy/worker-check.js'),
        import('../../temporal/throttle-client.js'),
        import('../../deploy/format.js'),
      ]);
      const config = loadOpsConfig(flags.config);
      const view = await withTemporal(config.temporal, async (client) => {
        await requireWorker(client, config.temporal.taskQueue);
        return throttleQueue(client, playbook);
      });
      ctx.io.out(flags.json ? `${JSON.stringify(view, null, 2)}\n` : format.formatThrottle(view));
    });
}
