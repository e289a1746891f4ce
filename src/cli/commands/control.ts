import type { Command } from 'commander';
import type { Client } from '@temporalio/client';
import type { CommandContext } from '../command-context.js';
import { AS_HELP, collect, CONFIG_HELP, KEY_HELP } from '../../ops/cli-input.js';
import type { TaskCaller } from '../../temporal/contract.js';
import { terminalLines } from '../../util/terminal-text.js';

interface ControlFlags {
  playbook?: string;
  key: string[];
  config?: string;
  as?: string;
}

interface Control {
  name: 'pause' | 'resume' | 'cancel';
  description: string;
  done: string;
  apply: (client: Client, workflowId: string, by: TaskCaller) => Promise<void>;
}

/** `playbook pause|resume|cancel <account or workflow id> [--playbook id] [--as name]`: one open run each; the timeline names who. */
export function register(program: Command, ctx: CommandContext): void {
  const controls: Control[] = [
    { name: 'pause', description: 'pause a run: no new step starts, timers keep counting', done: 'paused', apply: lazy('pause') },
    { name: 'resume', description: 'resume a paused run', done: 'resumed', apply: lazy('resume') },
    { name: 'cancel', description: 'end a run at once as cancelled', done: 'cancelled', apply: lazy('cancel') },
  ];
  for (const control of controls) {
    program
      .command(control.name)
      .description(control.description)
      .argument('<run>', 'an account id with one open run, or a workflow id')
      .option('--playbook <id>', "the account's run of this playbook")
      .option('--key <value>', KEY_HELP, collect, [])
      .option('--as <name>', AS_HELP)
      .option('--config <file>', CONFIG_HELP)
      .action(async (target: string, flags: ControlFlags) => {
        const [{ loadOpsConfig }, { cliCaller }, { withTemporal }, { findRuns, onlyRun }] = await Promise.all([
          import('../../ops/ops-config.js'),
          import('../../ops/cli-input.js'),
          import('../../ops/temporal-session.js'),
          import('../../ops/resolve-runs.js'),
        ]);
        const by = cliCaller(flags.as);
        const config = loadOpsConfig(flags.config);
        await withTemporal(config.temporal, async (client) => {
          const run = onlyRun(await findRuns(client, target, { playbook: flags.playbook, key: flags.key, openOnly: true }), target);
          await control.apply(client, run.workflowId, by);
          ctx.io.out(terminalLines([`${control.done} ${run.workflowId}`]));
        });
      });
  }
}

/** The client helper of that name, loaded when the command runs (the CLI starts without Temporal's modules). */
function lazy(name: Control['name']): Control['apply'] {
  return async (client, workflowId, by) => (await import('../../temporal/client.js'))[name](client, workflowId, { by });
}
