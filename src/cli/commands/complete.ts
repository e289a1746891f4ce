import type { Command } from 'commander';
import type { Client } from '@temporalio/client';
import type { CommandContext } from '../command-context.js';
import { AS_HELP, collect, CONFIG_HELP, KEY_HELP } from '../../ops/cli-input.js';
import { UserError } from '../../errors.js';
import type { OpenRun } from '../../ops/open-runs.js';
import type { TaskCaller } from '../../temporal/contract.js';
import { terminalLines } from '../../util/terminal-text.js';

interface TaskFlags {
  playbook?: string;
  key: string[];
  config?: string;
  as?: string;
}

interface CompleteFlags extends TaskFlags {
  answers?: string;
}

interface CloseFlags extends TaskFlags {
  reason: string;
}

/**
 * `playbook complete|reassign|snooze|close <account> <task> …`: acts on the task in the open
 * run that has it open; the run checks the input and its refusal is printed with the reason
 * (exit 1). The timeline names `--as`, else the OS user.
 */
export function register(program: Command, ctx: CommandContext): void {
  taskCommand(program, 'complete', "complete an open task of an account's run, with the answers to its questions")
    .option('--answers <json>', 'the answers, a JSON object, e.g. \'{"admins_named": true}\' (default: none)')
    .action(async (target: string, task: string, flags: CompleteFlags) => {
      const { parseJsonFlag } = await import('../../ops/cli-input.js');
      const answers = flags.answers === undefined ? {} : parseJsonFlag('--answers', flags.answers);
      await onTaskRun(ctx, target, task, flags, 'completed', async (client, run, by) => {
        const { completeTask } = await import('../../temporal/client.js');
        // The answers go as given: the run's update validator refuses wrong ones with the reason.
        await completeTask(client, run.workflowId, { task, answers: answers as Record<string, unknown>, by });
      });
    });

  taskCommand(program, 'reassign', "give an open task of an account's run to someone else (they are told of it)")
    .argument('<to>', 'the new assignee, an email address')
    .action(async (target: string, task: string, to: string, flags: TaskFlags) => {
      await onTaskRun(ctx, target, task, flags, `reassigned to ${to}`, async (client, run, by) => {
        const { changeTask } = await import('../../temporal/client.js');
        await changeTask(client, run.workflowId, { kind: 'reassign', task, to, by });
      });
    });

  taskCommand(program, 'snooze', "hide an open task from its assignee's inbox until an instant (the playbook's reminders keep their times)")
    .argument('<until>', 'an ISO-8601 instant with Z or ±hh:mm, e.g. 2026-01-05T14:00:00Z')
    .action(async (target: string, task: string, untilText: string, flags: TaskFlags) => {
      const { parseInstant } = await import('../../calendar/index.js');
      const until = parseInstant(untilText.trim());
      if (until === null) throw new UserError(`snooze until "${untilText}": not an ISO-8601 instant with Z or ±hh:mm (e.g. 2026-01-05T14:00:00Z)`, 'usage');
      await onTaskRun(ctx, target, task, flags, `snoozed until ${new Date(until).toISOString()}`, async (client, run, by) => {
        const { changeTask } = await import('../../temporal/client.js');
        await changeTask(client, run.workflowId, { kind: 'snooze', task, until, by });
      });
    });

  taskCommand(program, 'close', 'close an open task without completing it (a wait for it takes its timeout path)')
    .requiredOption('--reason <text>', 'why it is closed, e.g. "customer churned"')
    .action(async (target: string, task: string, flags: CloseFlags) => {
      if (flags.reason.trim() === '') throw new UserError('--reason needs a text, e.g. --reason "customer churned"', 'usage');
      await onTaskRun(ctx, target, task, flags, 'closed', async (client, run, by) => {
        const { changeTask } = await import('../../temporal/client.js');
        await changeTask(client, run.workflowId, { kind: 'close', task, reason: flags.reason, by });
      });
    });
}

function taskCommand(program: Command, name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .argument('<run>', 'an account id, or a workflow id for one run')
    .argument('<task>', 'the task name (its `as` name in the playbook)')
    .option('--playbook <id>', "only the account's run of this playbook")
    .option('--key <value>', KEY_HELP, collect, [])
    .option('--as <name>', AS_HELP)
    .option('--config <file>', CONFIG_HELP);
}

/** Finds the one open run with `task` open and applies `act` to it, then says what was `done`. */
async function onTaskRun(
  ctx: CommandContext,
  target: string,
  task: string,
  flags: TaskFlags,
  done: string,
  act: (client: Client, run: OpenRun, by: TaskCaller) => Promise<void>,
): Promise<void> {
  const [{ loadOpsConfig }, { cliCaller }, { withTemporal }, { openRunsOf }, { CHOOSE }] = await Promise.all([
    import('../../ops/ops-config.js'),
    import('../../ops/cli-input.js'),
    import('../../ops/temporal-session.js'),
    import('../../ops/open-runs.js'),
    import('../../ops/resolve-runs.js'),
  ]);
  const by = cliCaller(flags.as);
  const config = loadOpsConfig(flags.config);
  await withTemporal(config.temporal, async (client) => {
    const { runs, named } = await openRunsOf(client, target, flags.playbook, flags.key);
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
      throw new UserError(`task "${task}" is open in ${holders.length} runs (${holders.map((h) => h.workflowId).join(', ')}); ${CHOOSE}`, 'usage');
    }
    await act(client, run, by);
    ctx.io.out(terminalLines([`${done} task ${task} of ${run.status.playbook} (${run.workflowId})`]));
  });
}
