import type { Command } from 'commander';
import type { SourcedInput } from '../../simulate/inputs.js';
import type { SimInput } from '../../simulate/simulate.js';
import type { IrProgram } from '../../ir/types.js';
import type { CommandContext } from '../command-context.js';
import { reportWarnings } from './compile.js';
import { collect } from '../../ops/cli-input.js';

interface SimulateFlags {
  playbook?: string;
  workspace?: string;
  account: string;
  start: string;
  event: string[];
  complete: string[];
  set: string[];
  trigger?: string;
  until?: string;
  json?: boolean;
}

/**
 * `playbook simulate <file> --account <json> --start <instant> [inputs...] [--json]`: runs a
 * playbook for one account on a virtual clock and prints its timeline. Arguments are all
 * checked before anything is compiled or run (docs/simulate-and-test.md).
 */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('simulate')
    .description('run a playbook for one account on a virtual clock and print its timeline')
    .argument('<file>', 'a .playbook file')
    .option('--playbook <id>', 'the playbook to run when the file declares several')
    .option('--workspace <dir>', "the workspace folder (default: the file's folder)")
    .requiredOption('--account <file>', 'account data: a JSON file with an "id" and the declared fields')
    .requiredOption('--start <instant>', 'when the run starts, e.g. 2026-01-05T14:00:00Z')
    .option('--event <name@when[:json]>', 'send an event, e.g. "kickoff.held@+2 business days" (repeatable)', collect, [])
    .option('--complete <task@when[:json]>', 'complete a task, e.g. \'training@+3 days:{"rating": 5}\' (repeatable)', collect, [])
    .option('--set <field=value@when>', 'change an account field, e.g. "status=churned@+30 days" (repeatable)', collect, [])
    .option('--trigger <name[:json]>', "start the run by this event through the playbook's `trigger on event`, e.g. 'nps.responded:{\"score\": 3}'")
    .option('--until <when>', 'stop the clock at this instant or +duration (default: two years)')
    .option('--json', 'print one JSON object { playbook, version, outcome, outcomeLabel, timeline }')
    .action(async (file: string, flags: SimulateFlags) => {
      const [args, { compileFile }, { loadAccountFile }, { simulateChecked }, { formatSimulation }] = await Promise.all([
        import('../../simulate/inputs.js'),
        import('../../compile/compile.js'),
        import('../../accounts/load.js'),
        import('../../simulate/cli-run.js'),
        import('../../simulate/format.js'),
      ]);
      const start = args.parseStart(flags.start);
      const until = flags.until === undefined ? undefined : args.parseUntil(flags.until);
      const trigger = flags.trigger === undefined ? undefined : args.parseTriggerArg(flags.trigger);
      const inputs = [
        ...sourced('--event', flags.event, args.parseEventArg),
        ...sourced('--complete', flags.complete, args.parseCompleteArg),
        ...sourced('--set', flags.set, args.parseSetArg),
      ];
      const compiled = await compileFile(file, { playbook: flags.playbook, workspace: flags.workspace });
      await reportWarnings(compiled, ctx);
      const { program: ir, version } = compiled;
      const account = await loadAccountFile(flags.account, ir.fields);
      if (trigger === undefined) noteUnboundEvent(ir, ctx);
      const { result, calendar } = await simulateChecked({ program: ir, account, start, inputs, ...(until && { until }), ...(trigger && { trigger }) });
      if (flags.json) {
        const { outcome, outcomeLabel, timeline } = result;
        ctx.io.out(`${JSON.stringify({ playbook: ir.entry, version, outcome, outcomeLabel, timeline })}\n`);
      } else {
        ctx.io.out(formatSimulation({ playbook: ir.entry, version, accountId: account.id, calendar }, result));
      }
    });
}

/** A run started without its triggering event reads an empty binding: say so, since texts then show nothing there. */
function noteUnboundEvent(ir: IrProgram, ctx: CommandContext): void {
  const bound = ir.playbooks[ir.entry]?.triggers.find((t) => t.kind === 'event' && t.as !== undefined);
  if (bound?.kind !== 'event') return;
  ctx.io.err(
    `note: ${ir.entry} binds its triggering event "${bound.name}" as \`${bound.as}\`; without --trigger "${bound.name}:{…}" the run starts with it empty\n`,
  );
}

function sourced(flag: string, args: string[], parse: (arg: string) => SimInput): SourcedInput[] {
  return args.map((arg) => ({ input: parse(arg), source: `${flag} "${arg}"` }));
}
