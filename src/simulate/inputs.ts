/**
 * What a simulation is fed from outside: the `--start`, `--event`, `--complete`, `--set` and
 * `--until` arguments of `playbook simulate` (scenario files use the same `<when>` grammar,
 * and can also reassign, snooze and close tasks),
 * parsed into `SimInput`s and checked against the program before anything runs.
 *
 * Splitting rule for `<name>@<when>[:<json>]`: the name ends at the first `@`; the JSON object
 * starts at the first `:{` after it. Neither an ISO instant nor a `+<duration>` contains `@` or
 * `{`, so colons inside `2026-01-05T14:00:00+01:00` never cut the instant short, and `@` in a
 * payload (an email address) is never taken for the separator. `--set <field>=<value>@<when>`
 * splits at the first `=` and the last `@`, since a value may be an email address.
 */
import { validateAccountUpdate } from '../accounts/validate.js';
import { parseInstant } from '../calendar/index.js';
import { UserError } from '../errors.js';
import { didYouMeanSuffix } from '../diagnostics/suggest.js';
import { describeText } from '../ir/describe.js';
import { programPayloadProblems } from '../ir/event-check.js';
import type { AccountValue, DurationIr, DurationUnit, IrProgram } from '../ir/types.js';
import { answersProblem } from '../runtime/answers.js';
import { acceptedEvents } from '../runtime/inputs.js';
import { taskSteps, type TaskStepIr } from '../runtime/ir-walk.js';
import { refusal } from '../runtime/refusals.js';
import { jsonDepthProblem } from '../util/json-depth.js';
import type { SimInput, When } from './simulate.js';

const INSTANT_EXAMPLE = 'e.g. 2026-01-05T14:00:00Z';
/** What an instant or a `<when>` must look like, after "is not" in messages. */
export const INSTANT_HELP = `an ISO-8601 instant with Z or ±hh:mm (${INSTANT_EXAMPLE})`;
export const WHEN_HELP = `${INSTANT_HELP} or +<duration> (e.g. +4 business days)`;

const DURATION = /^(\d+)\s+(minute|hour|day|week|business day|business hour)s?$/;

/** `4 business days`, `1 week`: a duration in the language's words (whole numbers only). */
export function parseDuration(text: string): DurationIr | null {
  const m = DURATION.exec(text.trim().replace(/\s+/g, ' '));
  if (!m) return null;
  return { amount: Number(m[1]), unit: m[2] as DurationUnit };
}

/** `<when>`: an ISO-8601 instant with an offset, or `+<duration>` from the run's start. */
export function parseWhen(text: string): When | null {
  const trimmed = text.trim();
  if (trimmed.startsWith('+')) {
    const offset = parseDuration(trimmed.slice(1));
    return offset && { offset };
  }
  const instant = parseInstant(trimmed);
  return instant === null ? null : { instant };
}

/** `--start`: only an instant, since there is nothing to be relative to. */
export function parseStart(text: string): number {
  const instant = parseInstant(text.trim());
  if (instant === null) throw new UserError(`--start "${text}" is not an ISO-8601 instant (${INSTANT_EXAMPLE})`, 'usage');
  return instant;
}

export function parseUntil(text: string): When {
  const when = parseWhen(text);
  if (when === null) throw new UserError(`--until "${text}" is not ${WHEN_HELP}`, 'usage');
  return when;
}

/** `--event <name>@<when>[:<json payload>]` */
export function parseEventArg(arg: string): SimInput {
  const { name, at, json } = splitNamed('--event', arg, 'payload', '<name>@<when>[:<json payload>], e.g. kickoff.held@+2 business days');
  return { at, kind: 'event', name, payload: json };
}

/** `--trigger <name>[:<json payload>]`: the event that starts the run at `--start`. */
export function parseTriggerArg(arg: string): { name: string; payload: Record<string, unknown> } {
  const jsonStart = arg.indexOf(':{');
  const name = (jsonStart < 0 ? arg : arg.slice(0, jsonStart)).trim();
  if (name === '' || name.includes('@')) {
    throw new UserError(
      `--trigger "${arg}": expected <name>[:<json payload>], e.g. nps.responded:{"score": 3} (it fires at --start, so it takes no @<when>)`,
      'usage',
    );
  }
  return { name, payload: jsonStart < 0 ? {} : parseObject('--trigger', arg, 'payload', arg.slice(jsonStart + 1)) };
}

/** `--complete <task>@<when>[:<json answers>]` */
export function parseCompleteArg(arg: string): SimInput {
  const { name, at, json } = splitNamed('--complete', arg, 'answers', '<task>@<when>[:<json answers>], e.g. training@+3 business days:{"rating": 5}');
  return { at, kind: 'complete', task: name, answers: json };
}

/** `--set <field>=<value>@<when>`; the value is JSON when it parses, else text. */
export function parseSetArg(arg: string): SimInput {
  const eq = arg.indexOf('=');
  const lastAt = arg.lastIndexOf('@');
  if (eq <= 0 || lastAt < eq) {
    throw new UserError(`--set "${arg}": expected <field>=<value>@<when>, e.g. status=churned@+30 days`, 'usage');
  }
  const whenText = arg.slice(lastAt + 1);
  const at = parseWhen(whenText);
  if (at === null) throw new UserError(`--set "${arg}": "${whenText}" is not ${WHEN_HELP}`, 'usage');
  return { at, kind: 'set', field: arg.slice(0, eq).trim(), value: parseSetValue(arg.slice(eq + 1, lastAt)) };
}

/** A `--set` value: JSON when it parses to a scalar (`true`, `42`, `"x"`, `null`), else the text itself. */
export function parseSetValue(text: string): AccountValue {
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return value as AccountValue;
  } catch {
    // Not JSON: plain text such as `churned` or `pat@example.com`.
  }
  return text;
}

function splitNamed(flag: string, arg: string, what: string, usage: string): { name: string; at: When; json: Record<string, unknown> } {
  const atSign = arg.indexOf('@');
  if (atSign <= 0) throw new UserError(`${flag} "${arg}": expected ${usage}`, 'usage');
  const rest = arg.slice(atSign + 1);
  const jsonStart = rest.indexOf(':{');
  const whenText = jsonStart < 0 ? rest : rest.slice(0, jsonStart);
  const at = parseWhen(whenText);
  if (at === null) {
    // `x@+2 days:[1]`: the when is fine up to a colon, so what follows is JSON that is not an object.
    const notAnObject = [...whenText].some((c, i) => c === ':' && parseWhen(whenText.slice(0, i)) !== null);
    throw new UserError(`${flag} "${arg}": ${notAnObject ? objectRequired(what) : `"${whenText}" is not ${WHEN_HELP}`}`, 'usage');
  }
  const name = arg.slice(0, atSign).trim();
  return { name, at, json: jsonStart < 0 ? {} : parseObject(flag, arg, what, rest.slice(jsonStart + 1)) };
}

function objectRequired(what: string): string {
  return `${what} must be a JSON object, e.g. ${what === 'payload' ? '{"attendees": 4}' : '{"rating": 5}'}`;
}

function parseObject(flag: string, arg: string, what: string, json: string): Record<string, unknown> {
  const tooDeep = jsonDepthProblem(json);
  if (tooDeep !== null) throw new UserError(`${flag} "${arg}": ${what} ${tooDeep}`, 'invalid');
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    throw new UserError(`${flag} "${arg}": ${what} is not valid JSON: ${(e as Error).message}`, 'usage');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UserError(`${flag} "${arg}": ${objectRequired(what)}`, 'usage');
  return value as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------
// Checking inputs against the program

/** An input with where it came from (`--event "kickoff.held@+2 days"`, `inputs[3]`), for messages. */
export interface SourcedInput {
  input: SimInput;
  source: string;
}

/**
 * Problems that make inputs meaningless for this program, one line each: events nothing
 * waits for, unknown tasks, answers that do not fit a task's asks, unknown or ill-typed
 * fields, and instants before the start. Empty when all inputs are usable.
 */
export function checkInputs(program: IrProgram, inputs: SourcedInput[], start: number): string[] {
  const facts = programFacts(program);
  return inputs.flatMap(({ input, source }) => {
    const problems: string[] = [];
    if ('instant' in input.at && input.at.instant < start) {
      problems.push(`${new Date(input.at.instant).toISOString()} is before the start ${new Date(start).toISOString()}`);
    }
    problems.push(...checkInput(facts, input));
    return problems.map((p) => `${source}: ${p}`);
  });
}

function checkInput(facts: ProgramFacts, input: SimInput): string[] {
  switch (input.kind) {
    case 'event': {
      if (facts.events.has(input.name)) return programPayloadProblems(facts.program, input.name, input.payload).map((p) => `event "${input.name}": ${p}`);
      return [refusal.eventNotAccepted(input.name, facts.events, didYouMeanSuffix(input.name, facts.events))];
    }
    case 'complete': {
      const task = facts.tasks.get(input.task);
      if (!task) return [unknownTask(facts, input.task)];
      const problem = answersProblem(task.task, task.asks, input.answers);
      return problem === null ? [] : [problem];
    }
    case 'reassign':
      if (!facts.tasks.has(input.task)) return [unknownTask(facts, input.task)];
      return input.to.trim() === '' ? [refusal.assigneeNotText(input.task)] : [];
    case 'snooze':
      return facts.tasks.has(input.task) ? [] : [unknownTask(facts, input.task)];
    case 'close':
      if (!facts.tasks.has(input.task)) return [unknownTask(facts, input.task)];
      return input.reason.trim() === '' ? [refusal.reasonNotText(input.task)] : [];
    case 'set': {
      const result = validateAccountUpdate(facts.fields, { [input.field]: input.value });
      return result.ok ? [] : result.errors;
    }
  }
}

function unknownTask(facts: ProgramFacts, task: string): string {
  const listed = facts.tasks.size === 0 ? 'it creates no tasks' : `its tasks are ${[...facts.tasks.values()].map(describeTask).join(', ')}`;
  return `${refusal.noSuchTask(task)}${didYouMeanSuffix(task, facts.tasks.keys())}; ${listed}`;
}

/** `training` for a named task; an unnamed task is known by its step id, shown with its title. */
function describeTask(task: TaskStepIr): string {
  return task.task === task.id ? `${task.id} ("${describeText(task.title)}")` : task.task;
}

interface ProgramFacts {
  /** The events a run accepts. */
  readonly events: ReadonlySet<string>;
  readonly tasks: ReadonlyMap<string, TaskStepIr>;
  readonly fields: IrProgram['fields'];
  readonly program: IrProgram;
}

/** Facts per program: a benchmark or a scenario file checks the inputs of many runs of one program. */
const factsByProgram = new WeakMap<IrProgram, ProgramFacts>();

function programFacts(program: IrProgram): ProgramFacts {
  let facts = factsByProgram.get(program);
  if (!facts) {
    facts = collectFacts(program);
    factsByProgram.set(program, facts);
  }
  return facts;
}

function collectFacts(program: IrProgram): ProgramFacts {
  return { events: acceptedEvents(program), tasks: taskSteps(program), fields: program.fields, program };
}
