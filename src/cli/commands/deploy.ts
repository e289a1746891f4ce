import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { CONFIG_HELP } from '../../ops/cli-input.js';
import { UserError } from '../../errors.js';
import type { Store } from '../../store/connect.js';

interface DeployFlags {
  config?: string;
  json?: boolean;
  dryRun?: boolean;
}

/**
 * `playbook deploy [workspace]`: checks and compiles every playbook of the workspace and
 * registers the new versions with the running system (the registry workflow), printing
 * which playbooks are new, changed, removed or unchanged. A workspace with errors is
 * refused (diagnostics, exit 1) and nothing is registered; `--dry-run` only compares.
 */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('deploy')
    .description('check the workspace and register its playbooks with the running system')
    .argument('[workspace]', 'the workspace folder (default: playbooks/ when it exists, else .)')
    .option('--dry-run', 'show what would change against what is deployed, register nothing')
    .option('--json', 'print the result as JSON')
    .option('--config <file>', CONFIG_HELP)
    .action(async (dir: string | undefined, flags: DeployFlags) => {
      const [
        { loadOpsConfig },
        { defaultWorkspaceDir, operatorName },
        { loadWorkspace },
        { prepareDeployment },
        { withTemporal },
        { deployPrepared },
        format,
        render,
      ] = await Promise.all([
        import('../../ops/ops-config.js'),
        import('../../deploy/cli-defaults.js'),
        import('../../workspace/load.js'),
        import('../../deploy/prepare.js'),
        import('../../ops/temporal-session.js'),
        import('../../deploy/deploy.js'),
        import('../../deploy/format.js'),
        import('../../diagnostics/render.js'),
      ]);
      const { withStore } = await import('../../store/session.js');
      const config = loadOpsConfig(flags.config);
      const workspaceDir = dir ?? defaultWorkspaceDir();
      const workspace = await loadWorkspace(workspaceDir);
      const color = { color: ctx.io.isTTY && !process.env.NO_COLOR };
      // Checked before connecting: a broken workspace is refused whether or not a server runs.
      const prepared = prepareDeployment(workspace, operatorName());
      if (!prepared.ok) {
        if (flags.json) ctx.io.out(render.renderJson(prepared.diagnostics));
        else ctx.io.err(render.renderText(prepared.diagnostics, workspace.sources, color));
        const errors = prepared.diagnostics.filter((d) => d.severity === 'error').length;
        throw new UserError(`deploy refused: ${workspaceDir} has ${errors} error${errors === 1 ? '' : 's'}; nothing was deployed`, 'invalid');
      }
      if (prepared.warnings.length > 0) ctx.io.err(render.renderText(prepared.warnings, workspace.sources, color));
      const deploy = (store: Store | null) =>
        withTemporal(config.temporal, (client) => deployPrepared(client, config.temporal.taskQueue, prepared, { dryRun: flags.dryRun === true, store }));
      // With a store, each new version's source is kept there for the console to show.
      const deployed = config.store === null || flags.dryRun === true ? await deploy(null) : await withStore(config.store, deploy);
      ctx.io.out(flags.json ? `${JSON.stringify(format.deployReportJson(deployed), null, 2)}\n` : format.formatDeployResult(deployed));
    });
}
