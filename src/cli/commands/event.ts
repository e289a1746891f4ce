import type { Command } from 'commander';
import type { Store } from '../../store/connect.js';
import type { CommandContext } from '../command-context.js';
import { CONFIG_HELP } from '../../ops/cli-input.js';
import { UserError } from '../../errors.js';
import { refusal } from '../../runtime/refusals.js';
import { terminalLines } from '../../util/terminal-text.js';

interface EventFlags {
  data?: string;
  playbook?: string;
  config?: string;
}

/**
 * `playbook event <account> <name> [--data json]`: delivers an event to every open run of the
 * account whose playbook waits for it (a run not at that wait yet keeps it until it gets
 * there), or to the one run named by a workflow id or `--playbook`; says which runs received
 * it and reports a run's refusal (exit 1).
 */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('event')
    .description("send an event to an account's open runs that wait for it")
    .argument('<run>', 'an account id, or a workflow id for one run')
    .argument('<name>', 'the event name, e.g. kickoff.held')
    .option('--data <json>', 'the event payload, a JSON object, e.g. \'{"attendees": "Dana, Robert"}\'')
    .option('--playbook <id>', "only the account's run of this playbook")
    .option('--config <file>', CONFIG_HELP)
    .action(async (target: string, name: string, flags: EventFlags) => {
      const [
        { loadOpsConfig },
        { parseJsonFlag },
        { withTemporal },
        { openRunsOf, waitsNowFor },
        { fetchRunInput },
        { awaitedEvents, eventFieldsRead },
        { sendEvent },
        { queryStatus },
        { eventPayloadProblem },
        { programPayloadProblems },
        { keptOutOfHistory, outgrowsHistory },
        { withStore },
      ] = await Promise.all([
        import('../../ops/ops-config.js'),
        import('../../ops/cli-input.js'),
        import('../../ops/temporal-session.js'),
        import('../../ops/open-runs.js'),
        import('../../ops/run-input.js'),
        import('../../runtime/inputs.js'),
        import('../../temporal/client.js'),
        import('../../ops/run-view.js'),
        import('../../temporal/event-limits.js'),
        import('../../ir/event-check.js'),
        import('../../store/event-payloads.js'),
        import('../../store/session.js'),
      ]);
      const payload = flags.data === undefined ? undefined : parseJsonFlag('--data', flags.data);
      const config = loadOpsConfig(flags.config);
      // The limit the API holds events to holds here too: a run keeps what it is sent in its history.
      const tooLarge = eventPayloadProblem(payload, config.api.maxEventPayloadBytes, 'api.maxEventPayloadBytes');
      if (tooLarge !== null) throw new UserError(`--data: ${tooLarge}`, 'invalid');
      await withTemporal(config.temporal, async (client) => {
        const { runs, named } = await openRunsOf(client, target, flags.playbook);
        const programs = await Promise.all(runs.map(async (run) => (await fetchRunInput(client, run.workflowId)).ir));
        const awaiting = programs.map((ir) => awaitedEvents(ir).has(name));
        const programOf = new Map(runs.map((run, i) => [run, programs[i]!]));
        const receivers = named ? runs : runs.filter((_, i) => awaiting[i]);
        // A payload that does not fit the event as a receiver's version declares it reaches no run
        // (one that is not a JSON object goes as given: the run refuses it, reported below).
        const isObject = payload === undefined || (typeof payload === 'object' && payload !== null && !Array.isArray(payload));
        for (const [i, run] of runs.entries()) {
          if (!isObject || !receivers.includes(run)) continue;
          const problems = programPayloadProblems(programs[i]!, name, payload as Record<string, unknown> | undefined);
          if (problems.length > 0) throw new UserError(`--data: event "${name}" for ${run.status.playbook}: ${problems.join('; ')}`, 'invalid');
        }
        if (receivers.length === 0) {
          throw new UserError(
            `${refusal.noneWaitsFor(`no open run of account ${target}`, name)} (open: ${runs.map((r) => r.status.playbook).join(', ')})`,
            'invalid',
          );
        }
        let refused = false;
        const deliver = async (store: Store | null) => {
          for (const run of receivers) {
            const before = run.status.rejected.length;
            // A payload that is not an object goes as given: the run refuses it, reported below.
            // An object over api.inlineEventPayloadBytes stays in the store as the API keeps it,
            // the run getting only the fields its version reads (all of them when it reads it whole).
            const carried = isObject
              ? await keptOutOfHistory(
                  store,
                  payload as Record<string, unknown> | undefined,
                  eventFieldsRead(programOf.get(run)!).get(name) ?? null,
                  config.api.inlineEventPayloadBytes,
                )
              : { payload: payload as Record<string, unknown> };
            await sendEvent(client, run.workflowId, { name, ...(carried.payload !== undefined && { payload: carried.payload }) });
            const refusal = (await queryStatus(client, run.workflowId)).rejected[before];
            const who = `${run.status.playbook} (${run.workflowId})`;
            const kept = carried.payloadRef === undefined ? '' : ` (the payload kept in the store as ${carried.payloadRef})`;
            if (refusal !== undefined) {
              refused = true;
              ctx.io.err(terminalLines([`playbook: event "${name}" refused by ${who}: ${refusal.reason}`]));
            } else {
              ctx.io.out(terminalLines([`event "${name}" delivered to ${who}${waitsNowFor(run, name) ? '' : '; kept until the run waits for it'}${kept}`]));
            }
          }
        };
        const large = isObject && payload !== undefined && outgrowsHistory(payload as Record<string, unknown>, config.api.inlineEventPayloadBytes);
        if (large && config.store !== null) await withStore(config.store, deliver);
        else await deliver(null);
        if (refused) ctx.exit(1);
      });
    });
}
