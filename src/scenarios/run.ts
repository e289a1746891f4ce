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
import type { IrProgram } from '../ir/types.js';
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

export async function runScenario(program: IrProgram, scenario: Scenario): Promise<ScenarioRun> {
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
    verdict.absent.every((m) => m.found.length === 0);
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
  };
}

function outcomeProblem(expect: Expectation, result: SimulateResult): string | null {
  const outcomeOk = expect.outcome === undefined || expect.outcome === result.outcome;
  const labelOk = expect.label === undefined || expect.label === result.outcomeLabel;
  if (outcomeOk && labelOk) return null;
  const expected = formatOutcome({ outcome: expect.outcome ?? result.outcome, outcomeLabel: expect.label ?? null });
  return `expected ${expected}, got ${formatOutcome(result)}`;
}
