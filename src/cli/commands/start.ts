import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { CONFIG_HELP } from '../../ops/cli-input.js';
import { terminalLines } from '../../util/terminal-text.js';
import { reportWarnings } from './compile.js';

interface StartFlags {
  account: string;
  playbook?: string;
  workspace?: string;
  config?: string;
}

/**
 * `playbook start <file> --account <json>`: compiles the playbook, validates the account
 * against its fields and starts a durable run on Temporal; a run already open for the
 * playbook and account is reported (exit 1), never duplicated.
 */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('start')
    .description('start a playbook for an account on Temporal')
    .argument('<file>', 'a .playbook file')
    .requiredOption('--account <file>', 'account data: a JSON file with an "id" and the declared fields')
    .option('--playbook <id>', 'the playbook to start when the file declares several')
    .option('--workspace <dir>', "the workspace folder (default: the file's folder)")
    .option('--config <file>', CONFIG_HELP)
    .action(async (file: string, flags: StartFlags) => {
      const [{ loadOpsConfig }, { compileFile }, { loadAccountFile }, { withTemporal }, { startNewRun }] = await Promise.all([
        import('../../ops/ops-config.js'),
        import('../../compile/compile.js'),
        import('../../accounts/load.js'),
        import('../../ops/temporal-session.js'),
        import('../../temporal/client.js'),
      ]);
      const config = loadOpsConfig(flags.config);
      const compiled = await compileFile(file, { playbook: flags.playbook, workspace: flags.workspace });
      await reportWarnings(compiled, ctx);
      const { program: ir, version } = compiled;
      const account = await loadAccountFile(flags.account, ir.fields);
      // A disabled playbook starts from no path: its switch is in the store.
      if (config.store !== null) {
        const [{ withStore }, { refuseIfDisabled }] = await Promise.all([import('../../store/session.js'), import('../../deploy/playbook-switch.js')]);
        await withStore(config.store, (store) => refuseIfDisabled(store, ir.entry));
      }
      const started = await withTemporal(config.temporal, (client) =>
        startNewRun(client, {
          program: ir,
          version,
          account,
          taskQueue: config.temporal.taskQueue,
          roles: config.roles,
          signalLimit: config.temporal.maxSignalsPerExecution,
          projectToStore: config.store !== null,
        }),
      );
      ctx.io.out(terminalLines([`started ${ir.entry} for account ${account.id}`, `  workflow id  ${started.workflowId}`, `  version      ${version}`]));
    });
}
