/**
 * One simulation as the CLI and scenario tests run it: calendars resolved for the account,
 * inputs checked against the program, then `simulate`. Account data must already be valid.
 */
import { defaultCalendar, type ResolvedCalendar } from '../calendar/index.js';
import { resolveProgramCalendars } from '../calendar/resolve.js';
import { UserError } from '../errors.js';
import type { AccountData, IrProgram } from '../ir/types.js';
import { programPayloadProblems } from '../ir/event-check.js';
import { matchEventTrigger } from '../triggers/evaluate.js';
import { checkInputs, type SourcedInput } from './inputs.js';
import { simulate, type SimulateResult, type When } from './simulate.js';

export interface SimulationRequest {
  program: IrProgram;
  account: AccountData;
  start: number;
  inputs: SourcedInput[];
  until?: When;
  /** The event that starts the run at `start` through the entry playbook's `on event` trigger. */
  trigger?: { name: string; payload: Record<string, unknown> };
}

export interface SimulationOutput {
  result: SimulateResult;
  /** The entry playbook's calendar, to show and match times in. */
  calendar: ResolvedCalendar;
}

/**
 * Runs the simulation; inputs that do not fit the program, an end before the start, an entry
 * playbook with parameters (only a caller has their values), or an account whose calendar cannot be resolved (a holiday field holding no holiday code) are a
 * `UserError` (exit 1), one line each.
 */
export async function simulateChecked(req: SimulationRequest): Promise<SimulationOutput> {
  const problems = checkInputs(req.program, req.inputs, req.start);
  if (req.until && 'instant' in req.until && req.until.instant < req.start) {
    problems.push(`the end ${new Date(req.until.instant).toISOString()} is before the start ${new Date(req.start).toISOString()}`);
  }
  const entry = req.program.playbooks[req.program.entry];
  if (entry?.parameters) {
    problems.push(
      `${req.program.entry} has parameters: it runs only from another playbook, with \`run playbook ${req.program.entry} with …\`; simulate that one`,
    );
  }
  const trigger = req.trigger;
  if (trigger !== undefined) {
    if (!entry?.triggers.some((t) => t.kind === 'event' && t.name === trigger.name)) {
      problems.push(`trigger: ${req.program.entry} has no \`trigger on event "${trigger.name}"\``);
    }
    problems.push(...programPayloadProblems(req.program, trigger.name, trigger.payload).map((p) => `trigger: event "${trigger.name}": ${p}`));
  }
  if (problems.length > 0) throw new UserError(problems.join('\n'), 'invalid');
  let calendars: Record<string, ResolvedCalendar>;
  try {
    calendars = resolveProgramCalendars(req.program, req.account, req.start);
  } catch (e) {
    throw new UserError(`cannot run ${req.program.entry} for account ${req.account.id}: ${(e as Error).message}`, 'invalid');
  }
  const entryCalendar = entry?.calendar ?? null;
  const calendar = entryCalendar === null ? defaultCalendar : (calendars[entryCalendar] ?? defaultCalendar);
  const match = trigger && triggerMatch(req.program, req.account, req.start, trigger, calendar);
  if (typeof match === 'string') throw new UserError(match, 'invalid');
  const result = await simulate({
    program: req.program,
    account: req.account,
    calendars,
    start: req.start,
    inputs: req.inputs.map((i) => i.input),
    ...(req.until !== undefined && { until: req.until }),
    ...(match?.bindings && { bindings: match.bindings }),
  });
  return { result, calendar };
}

/**
 * What the run starts bound to when `trigger` starts the entry playbook at `start`, or why it
 * does not start (no `where` of its triggers on the event holds). The trigger itself is checked.
 */
export function triggerMatch(
  program: IrProgram,
  account: AccountData,
  start: number,
  trigger: NonNullable<SimulationRequest['trigger']>,
  calendar: ResolvedCalendar,
): { bindings?: Record<string, Record<string, unknown>> } | string {
  const match = matchEventTrigger(program.playbooks[program.entry]?.triggers ?? [], trigger.name, trigger.payload, account, start, calendar);
  return match ?? `event "${trigger.name}" does not start ${program.entry}: the \`where\` of its trigger does not hold`;
}

/** The entry playbook's calendar of a simulation, resolved for the account. */
export function entryCalendarOf(program: IrProgram, account: AccountData, start: number): ResolvedCalendar {
  const id = program.playbooks[program.entry]?.calendar ?? null;
  return id === null ? defaultCalendar : (resolveProgramCalendars(program, account, start)[id] ?? defaultCalendar);
}
