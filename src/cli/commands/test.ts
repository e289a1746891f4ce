import type { Command } from 'commander';
import type { FileRun } from '../../scenarios/run.js';
import { UserError } from '../../errors.js';
import type { CommandContext } from '../command-context.js';

/**
 * `playbook test [paths...]`: runs the scenario files (`*.scenarios.yaml`) under the given
 * files or folders (default `playbooks/`), prints each result and a summary, and exits 1
 * when any scenario fails or any file cannot run.
 */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('test')
    .description('run the scenario files (*.scenarios.yaml) beside the playbooks')
    .argument('[paths...]', 'scenario files or folders to search', ['playbooks/'])
    .action(async (paths: string[]) => {
      const [{ findScenarioFiles, SCENARIO_SUFFIX }, { formatFileRun, formatSummary }, { runScenarioFile }] = await Promise.all([
        import('../../scenarios/discover.js'),
        import('../../scenarios/report.js'),
        import('../../scenarios/run.js'),
      ]);
      const files = await findScenarioFiles(paths);
      if (files.length === 0) throw new UserError(`no scenario files (*${SCENARIO_SUFFIX}) in ${paths.join(', ')}`, 'invalid');
      const runs: FileRun[] = [];
      for (const file of files) {
        const run = await runScenarioFile(file);
        ctx.io.out(formatFileRun(run));
        runs.push(run);
      }
      ctx.io.out(`\n${formatSummary(runs)}`);
      const failed = runs.some((r) => r.error !== null || r.scenarios.some((s) => !s.passed));
      ctx.exit(failed ? 1 : 0);
    });
}
