import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { CONFIG_HELP } from '../../ops/cli-input.js';

/**
 * `playbook worker`: runs a playbook worker against the configured Temporal server until
 * SIGINT or SIGTERM, then shuts down gracefully (running activities finish first).
 */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('worker')
    .description('run a playbook worker against the configured Temporal server')
    .option('--config <file>', CONFIG_HELP)
    .action(async (flags: { config?: string }) => {
      const [{ loadOpsConfig }, { startWorker }] = await Promise.all([import('../../ops/ops-config.js'), import('../../ops/worker-runner.js')]);
      const config = loadOpsConfig(flags.config);
      const { address, namespace, taskQueue } = config.temporal;
      ctx.io.out(`bundling the workflow code and connecting to ${address}...\n`);
      const worker = await startWorker(config);
      ctx.io.out(`worker polling task queue ${taskQueue} on ${address} (namespace ${namespace}); Ctrl-C to stop\n`);
      // The Temporal SDK shuts the worker down on SIGINT / SIGTERM itself.
      await worker.done;
      ctx.io.out('worker stopped\n');
    });
}
