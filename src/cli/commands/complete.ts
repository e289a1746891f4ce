import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { CONFIG_HELP } from '../../ops/cli-input.js';
import { UserError } from '../../errors.js';
import { terminalLines } from '../../util/terminal-text.js';

interface CompleteFlags {
  answers?: string;
  playbook?: string;
  config?: string;
}

/**
 * `playbook complete <account> <task> --answers json`: completes the task in the open run that
 * has it open; the run checks the answers and its refusal is printed with the reason (exit 1).
 */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('complete')
    .description("complete an open task of an account's run, with the answers to its questions")
    .argument('<run>', 'an account id, or a workflow id for one run')
    .argument('<task>', 'the task name (its `as` name in the playbook)')
    .option('--answers <json>', 'the answers, a JSON object, e.g. \'{"admins_named": true}\' (default: none)')
    .option('--playbook <id>', "only the account's run of this playbook")
    .option('--config <file>', CONFIG_HELP)
    .action(async (target: string, task: string, flags: CompleteFlags) => {
      const [{ loadOpsConfig }, { parseJsonFlag }, { withTemporal }, { openRunsOf }, { completeTask }] = await Promise.all([
        import('../../ops/ops-config.js'),
        import('../../ops/cli-input.js'),
        import('../../ops/temporal-session.js'),
        import('../../ops/open-runs.js'),
        import('../../temporal/client.js'),
      ]);
      const answers = flags.answers === undefined ? {} : parseJsonFlag('--answers', flags.answers);
      const config = loadOpsConfig(flags.config);
      await withTemporal(config.temporal, async (client) => {
        const { runs, named } = await openRunsOf(client, target, flags.playbook);
        const holders = named ? runs : runs.filter((r) => r.status.openTasks.some((t) => t.name === task));
        const [run, ...others] = holders;
        if (run === undefined) {
          const open = runs.flatMap((r) => r.status.openTasks.map((t) => `${t.name} (${r.status.playbook})`));
          throw new UserError(
            `no open run of account ${target} has an open task "${task}" (open tasks: ${open.length === 0 ? 'none' : open.join(', ')})`,
            'invalid',
          );
        }
        if (others.length > 0) {
          throw new UserError(
            `task "${task}" is open in ${holders.length} runs (${holders.map((h) => h.workflowId).join(', ')}); choose one with --playbook <id>`,
            'usage',
          );
        }
        // The answers go as given: the run's update validator refuses wrong ones with the reason.
        await completeTask(client, run.workflowId, { task, answers: answers as Record<string, unknown>, by: { role: 'cli' } });
        ctx.io.out(terminalLines([`completed task ${task} of ${run.status.playbook} (${run.workflowId})`]));
      });
    });
}
