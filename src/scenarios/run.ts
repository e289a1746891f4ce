/**
 * Runs scenarios: compiles the playbook under test once per file, then simulates each
 * scenario and judges its timeline against the expectations. Anything that keeps a scenario
 * from running (its account, its inputs) fails that scenario with the reason; anything that
 * keeps a whole file from running (unreadable, malformed, playbook not compiling) fails the file.
 */
import { validateAccount } from '../accounts/validate.js';
import type { ResolvedCalendar } from '../calendar/index.js';
import { UserError } from '../errors.js';
import { compileFile } from '../compile/compile.js';
import { didYouMeanSuffix } from '../diagnostics/suggest.js';
import { cellValue } from '../accounts/import/cells.js';
import type { AccountValue, FieldTypeIr, IrProgram } from '../ir/types.js';
import { allSteps, taskSteps } from '../runtime/ir-walk.js';
import type { SourcedInput } from '../simulate/inputs.js';
import { entryCalendarOf, simulateChecked, triggerMatch } from '../simulate/cli-run.js';
import { formatOutcome } from '../simulate/format.js';
import type { SimulateResult } from '../simulate/simulate.js';
import { loadWorkspace } from '../workspace/load.js';
import { loadScenarioFile } from './load.js';
import { findForbidden, matchInOrder, type AbsentMatch, type MatchContext, type OrderedMatch } from './match.js';
import type { Expectation, Scenario, ScenarioFile } from './types.js';

export interface Verdict {
  result: SimulateResult;
  calendar: ResolvedCalendar;
  /** Null when the outcome (and label) are as expected. */
  outcomeProblem: string | null;
  /** Null when as many inputs were rejected as expected. */
  rejectedProblem: string | null;
  ordered: OrderedMatch[];
  absent: AbsentMatch[];
  /** One line per goal not in the state expected (`goals:`). */
  goals: string[];
}

export interface ScenarioRun {
  name: string;
  line: number | null;
  passed: boolean;
  /** Why the scenario could not run; empty when it ran. */
  problems: string[];
  verdict: Verdict | null;
}

export interface FileRun {
  path: string;
  /** Why the file could not run at all, or null. */
  error: string | null;
  scenarios: ScenarioRun[];
}

/** Loads, compiles and runs every scenario of one file; never throws for user mistakes. */
export async function runScenarioFile(path: string): Promise<FileRun> {
  try {
    const file = await loadScenarioFile(path);
    const program = await compileScenarioPlaybook(file);
    const unknown = touchpointProblems(file, program);
    if (unknown.length > 0) return { path, error: unknown.join('\n'), scenarios: [] };
    const scenarios: ScenarioRun[] = [];
    for (const scenario of file.scenarios) scenarios.push(await runScenario(program, scenario));
    return { path, error: null, scenarios };
  } catch (e) {
    if (e instanceof UserError) return { path, error: e.message, scenarios: [] };
    throw e;
  }
}

/** The program of the file's playbook, found by id among the workspace's files. */
export async function compileScenarioPlaybook(file: ScenarioFile): Promise<IrProgram> {
  const workspace = await loadWorkspace(file.workspace);
  const declared = workspace.files.flatMap((f) => f.ast.declarations.flatMap((d) => (d.kind === 'playbook' ? [{ id: d.id.name, path: f.path }] : [])));
  const source = declared.find((d) => d.id === file.playbook);
  if (!source) {
    const ids = declared.map((d) => d.id);
    const listed = ids.length === 0 ? 'it declares none' : `it declares ${ids.join(', ')}`;
    throw new UserError(`${file.path}: no playbook "${file.playbook}" in ${file.workspace}${didYouMeanSuffix(file.playbook, ids)}; ${listed}`, 'invalid');
  }
  return (await compileFile(source.path, { playbook: file.playbook, workspace: file.workspace })).program;
}

/**
 * Touchpoints naming a playbook or a stage the program does not have: like a misspelt kind,
 * they would match nothing, and under `absent:` pass vacuously. One line each, naming the
 * touchpoint's line in the file.
 */
function touchpointProblems(file: ScenarioFile, program: IrProgram): string[] {
  const goals = (program.playbooks[program.entry]?.goals ?? []).map((g) => g.id);
  const playbooks = Object.keys(program.playbooks);
  const stages = new Set(Object.values(program.playbooks).flatMap((p) => [...allSteps(p.body)].flatMap((step) => (step.kind === 'stage' ? [step.stage] : []))));
  const problems: string[] = [];
  for (const scenario of file.scenarios) {
    for (const expected of scenario.expect.goals) {
      if (goals.includes(expected.goal)) continue;
      const listed = goals.length === 0 ? 'it has no goals' : `its goals are ${goals.join(', ')}`;
      problems.push(
        `${file.path}${expected.line === null ? '' : `:${expected.line}`}: expect.goals: no goal "${expected.goal}" in ${program.entry}${didYouMeanSuffix(expected.goal, goals)}; ${listed}`,
      );
    }
    for (const [list, touchpoints] of [
      ['timeline', scenario.expect.timeline],
      ['absent', scenario.expect.absent],
    ] as const) {
      for (const tp of touchpoints) {
        const where = `${file.path}${tp.line === null ? '' : `:${tp.line}`}: expect.${list}`;
        if (tp.playbook !== undefined && !playbooks.includes(tp.playbook)) {
          problems.push(
            `${where}: playbook "${tp.playbook}" is neither ${program.entry} nor a playbook it runs${didYouMeanSuffix(tp.playbook, playbooks)}; it runs ${playbooks.join(', ')}`,
          );
        }
        if (tp.stage !== undefined && !stages.has(tp.stage)) {
          const listed = stages.size === 0 ? 'it has no stages' : `its stages are ${[...stages].join(', ')}`;
          problems.push(`${where}: no stage "${tp.stage}" in ${program.entry} or the playbooks it runs${didYouMeanSuffix(tp.stage, stages)}; ${listed}`);
        }
      }
    }
  }
  return problems;
}

/**
 * YAML reads `yes` and `no` as text; where the program expects yes/no (an account field, an
 * ask's answer, a `set` of a yes/no field) they mean true and false, as in a CSV import.
 * Whatever runs a scenario (here, the differential test, the replay recorder) reads it so.
 */
export function withYesNo(program: IrProgram, scenario: Scenario): Pick<Scenario, 'account' | 'inputs'> {
  const yesNo = (type: FieldTypeIr | undefined, value: unknown): unknown =>
    type?.type === 'yes/no' && typeof value === 'string' ? cellValue(type, value) : value;
  const tasks = taskSteps(program);
  const account = Object.fromEntries(Object.entries(scenario.account).map(([field, value]) => [field, yesNo(program.fields[field], value)]));
  const inputs = scenario.inputs.map((sourced): SourcedInput => {
    const { input } = sourced;
    if (input.kind === 'set') return { ...sourced, input: { ...input, value: yesNo(program.fields[input.field], input.value) as AccountValue } };
    if (input.kind !== 'complete') return sourced;
    const asks = tasks.get(input.task)?.asks ?? [];
    const answers = Object.fromEntries(Object.entries(input.answers).map(([name, value]) => [name, yesNo(asks.find((a) => a.name === name)?.type, value)]));
    return { ...sourced, input: { ...input, answers } };
  });
  return { account, inputs };
}

export async function runScenario(program: IrProgram, given: Scenario): Promise<ScenarioRun> {
  const scenario = { ...given, ...withYesNo(program, given) };
  const base = { name: scenario.name, line: scenario.line };
  const account = validateAccount(program.fields, scenario.account);
  if (!account.ok) return { ...base, passed: false, problems: account.errors, verdict: null };
  const { trigger } = scenario;
  if (trigger === undefined && scenario.expect.started !== undefined) {
    return { ...base, passed: false, problems: ['expect.started needs a trigger: the event that would start the run'], verdict: null };
  }
  if (trigger !== undefined && scenario.expect.started === false) {
    const match = triggerMatch(program, account.value, scenario.start, trigger, entryCalendarOf(program, account.value, scenario.start));
    const started = typeof match !== 'string';
    return {
      ...base,
      passed: !started,
      problems: started ? [`expected event "${trigger.name}" not to start ${program.entry}, but it does`] : [],
      verdict: null,
    };
  }
  let output;
  try {
    output = await simulateChecked({
      program,
      account: account.value,
      start: scenario.start,
      inputs: scenario.inputs,
      ...(scenario.until !== undefined && { until: scenario.until }),
      ...(trigger !== undefined && { trigger }),
    });
  } catch (e) {
    if (e instanceof UserError) return { ...base, passed: false, problems: e.message.split('\n'), verdict: null };
    throw e;
  }
  const verdict = judge(scenario.expect, output.result, { entry: program.entry, start: scenario.start, calendar: output.calendar });
  const passed =
    verdict.outcomeProblem === null &&
    verdict.rejectedProblem === null &&
    verdict.ordered.every((m) => m.matched !== null) &&
    verdict.absent.every((m) => m.found.length === 0) &&
    verdict.goals.length === 0;
  return { ...base, passed, problems: [], verdict };
}

function judge(expect: Expectation, result: SimulateResult, ctx: MatchContext): Verdict {
  return {
    result,
    calendar: ctx.calendar,
    outcomeProblem: outcomeProblem(expect, result),
    rejectedProblem: result.rejected.length === expect.rejected ? null : `expected ${expect.rejected} rejected input(s), got ${result.rejected.length}`,
    ordered: matchInOrder(expect.timeline, result.timeline, ctx),
    absent: findForbidden(expect.absent, result.timeline, ctx),
    goals: goalProblems(expect, result),
  };
}

/** Each goal whose state at the end (from its `goal-met` or `goal-missed` entry, pending without) is not the expected one. */
function goalProblems(expect: Expectation, result: SimulateResult): string[] {
  return expect.goals.flatMap(({ goal, state, line }) => {
    const entry = result.timeline.find((e) => (e.kind === 'goal-met' || e.kind === 'goal-missed') && e.goal === goal);
    const actual = entry === undefined ? 'pending' : entry.kind === 'goal-met' ? 'met' : 'missed';
    if (actual === state) return [];
    return [`goal ${goal}: expected ${state}, got ${actual}${entry === undefined ? '' : ` at ${entry.at}`}${line === null ? '' : `  (line ${line})`}`];
  });
}

function outcomeProblem(expect: Expectation, result: SimulateResult): string | null {
  const outcomeOk = expect.outcome === undefined || expect.outcome === result.outcome;
  const labelOk = expect.label === undefined || expect.label === result.outcomeLabel;
  if (outcomeOk && labelOk) return null;
  const expected = formatOutcome({ outcome: expect.outcome ?? result.outcome, outcomeLabel: expect.label ?? null });
  return `expected ${expected}, got ${formatOutcome(result)}`;
}
