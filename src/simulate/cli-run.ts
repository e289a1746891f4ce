/**
 * One simulation as the CLI and scenario tests run it: calendars resolved for the account,
 * inputs checked against the program, then `simulate`. Account data must already be valid.
 */
import { defaultCalendar, type ResolvedCalendar } from '../calendar/index.js';
import { resolveProgramCalendars } from '../calendar/resolve.js';
import { UserError } from '../errors.js';
import type { AccountData, IrProgram } from '../ir/types.js';
import { checkInputs, type SourcedInput } from './inputs.js';
import { simulate, type SimulateResult, type When } from './simulate.js';

export interface SimulationRequest {
  program: IrProgram;
  account: AccountData;
  start: number;
  inputs: SourcedInput[];
  until?: When;
}

export interface SimulationOutput {
  result: SimulateResult;
  /** The entry playbook's calendar, to show and match times in. */
  calendar: ResolvedCalendar;
}

/**
 * Runs the simulation; inputs that do not fit the program, an end before the start, or an
 * account whose calendar cannot be resolved (a holiday field holding no holiday code) are a
 * `UserError` (exit 1), one line each.
 */
export async function simulateChecked(req: SimulationRequest): Promise<SimulationOutput> {
  const problems = checkInputs(req.program, req.inputs, req.start);
  if (req.until && 'instant' in req.until && req.until.instant < req.start) {
    problems.push(`the end ${new Date(req.until.instant).toISOString()} is before the start ${new Date(req.start).toISOString()}`);
  }
  if (problems.length > 0) throw new UserError(problems.join('\n'), 'invalid');
  let calendars: Record<string, ResolvedCalendar>;
  try {
    calendars = resolveProgramCalendars(req.program, req.account, req.start);
  } catch (e) {
    throw new UserError(`cannot run ${req.program.entry} for account ${req.account.id}: ${(e as Error).message}`, 'invalid');
  }
  const entryCalendar = req.program.playbooks[req.program.entry]?.calendar ?? null;
  const result = await simulate({
    program: req.program,
    account: req.account,
    calendars,
    start: req.start,
    inputs: req.inputs.map((i) => i.input),
    ...(req.until !== undefined && { until: req.until }),
  });
  return { result, calendar: entryCalendar === null ? defaultCalendar : (calendars[entryCalendar] ?? defaultCalendar) };
}
