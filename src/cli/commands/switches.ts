import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { AS_HELP, CONFIG_HELP } from '../../ops/cli-input.js';

interface SwitchFlags {
  config?: string;
  as?: string;
  json?: boolean;
  pauseRuns?: boolean;
}

/**
 * `playbook disable <id> [--pause-runs]` / `playbook enable <id>`: switch a deployed playbook
 * off (no new runs start from any trigger or by hand; its open runs go on, or are paused) or
 * on again (resuming the runs its disable paused). Kept in the store.
 */
export function register(program: Command, ctx: CommandContext): void {
  for (const enabled of [false, true]) {
    const command = program
      .command(enabled ? 'enable' : 'disable')
      .description(
        enabled
          ? 'switch a disabled playbook on again: triggers and manual starts start runs; resumes the runs its disable paused'
          : 'switch a deployed playbook off: no new runs start; open runs go on (or pause, with --pause-runs)',
      )
      .argument('<playbook>', 'the deployed playbook id');
    if (!enabled) command.option('--pause-runs', "also pause the playbook's open runs (`enable` resumes them)");
    command
      .option('--as <name>', AS_HELP)
      .option('--json', 'print the result as JSON')
      .option('--config <file>', CONFIG_HELP)
      .action(async (playbook: string, flags: SwitchFlags) => {
        const [{ loadOpsConfig }, { cliCaller }, { withTemporal }, { requireWorker }, { switchPlaybook }, { withStore, requireStoreConfig }, format] =
          await Promise.all([
            import('../../ops/ops-config.js'),
            import('../../ops/cli-input.js'),
            import('../../ops/temporal-session.js'),
            import('../../deploy/worker-check.js'),
            import('../../deploy/playbook-switch.js'),
            import('../../store/session.js'),
            import('../../deploy/format.js'),
          ]);
        const caller = cliCaller(flags.as);
        const config = loadOpsConfig(flags.config);
        const storeConfig = requireStoreConfig(config.store);
        const switched = await withStore(storeConfig, (store) =>
          withTemporal(config.temporal, async (client) => {
            await requireWorker(client, config.temporal.taskQueue);
            return switchPlaybook(client, store, { playbook, enabled, by: `cli:${caller.user}`, caller, pauseRuns: flags.pauseRuns === true });
          }),
        );
        ctx.io.out(flags.json ? `${JSON.stringify(switched, null, 2)}\n` : format.formatSwitched(switched));
      });
  }
}
