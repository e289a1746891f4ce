/**
 * Scenario results as text: one line per passing scenario; for a failing one, every check
 * marked ✓ or ✗, the closest actual entries for each miss, and the actual timeline.
 */
import { describeEntry, describeInput } from '../simulate/format.js';
import { describeTouchpoint, type Near } from './match.js';
import type { FileRun, ScenarioRun, Verdict } from './run.js';

/** Entries of the actual timeline shown under a failing scenario before the rest is summarised. */
const TIMELINE_LIMIT = 40;

export function formatFileRun(run: FileRun): string {
  const lines = [run.path];
  if (run.error !== null) lines.push(...indent(`✗ could not run: ${run.error}`.split('\n'), 2));
  for (const scenario of run.scenarios) lines.push(...indent(scenarioLines(scenario), 2));
  return `${lines.join('\n')}\n`;
}

/** One scenario's result: a ✓ line, or a ✗ line followed by what went wrong. */
export function formatScenarioRun(run: ScenarioRun): string {
  return `${scenarioLines(run).join('\n')}\n`;
}

export function formatSummary(runs: FileRun[]): string {
  const scenarios = runs.flatMap((r) => r.scenarios);
  const passed = scenarios.filter((s) => s.passed).length;
  const broken = runs.filter((r) => r.error !== null).length;
  const files = broken === 0 ? '' : `; ${broken} scenario file${broken === 1 ? '' : 's'} could not run`;
  return `${passed} passed, ${scenarios.length - passed} failed${files}\n`;
}

function scenarioLines(run: ScenarioRun): string[] {
  if (run.passed) return [`✓ ${run.name}`];
  const where = run.line === null ? '' : `  (line ${run.line})`;
  const lines = [`✗ ${run.name}${where}`, ...indent(run.problems, 4)];
  if (run.verdict) lines.push(...indent(verdictLines(run.verdict), 4));
  return lines;
}

function verdictLines(v: Verdict): string[] {
  const lines: string[] = [];
  const entry = (i: number): string => describeEntry(v.result.timeline[i]!, v.calendar);
  if (v.outcomeProblem !== null) lines.push(`outcome: ${v.outcomeProblem}`);
  if (v.rejectedProblem !== null) {
    lines.push(`rejected inputs: ${v.rejectedProblem}`);
    lines.push(
      ...indent(
        v.result.rejected.map((r) => `${describeInput(r.input)}: ${r.reason}`),
        2,
      ),
    );
  }
  if (v.ordered.length > 0) {
    lines.push('timeline, in order:');
    for (const m of v.ordered) {
      const head = `${m.matched === null ? '✗' : '✓'} ${describeTouchpoint(m.expected)}${lineOf(m.expected.line)}`;
      const detail = m.matched === null ? closestLines(m.closest, entry) : [`matched ${entry(m.matched)}`];
      lines.push(...indent([head, ...indent(detail, 4)], 2));
    }
  }
  if (v.absent.length > 0) {
    lines.push('absent:');
    for (const m of v.absent) {
      const head = `${m.found.length === 0 ? '✓' : '✗'} ${describeTouchpoint(m.forbidden)}${lineOf(m.forbidden.line)}`;
      lines.push(
        ...indent(
          [
            head,
            ...indent(
              m.found.map((i) => `found ${entry(i)}`),
              4,
            ),
          ],
          2,
        ),
      );
    }
  }
  if (v.goals.length > 0) lines.push('goals:', ...indent(v.goals, 2));
  const timelineFailed = v.ordered.some((m) => m.matched === null) || v.absent.some((m) => m.found.length > 0);
  if (timelineFailed) lines.push('actual timeline:', ...indent(actualTimeline(v, entry), 2));
  return lines;
}

function closestLines(closest: Near[], entry: (i: number) => string): string[] {
  if (closest.length === 0) return ['no entry is close'];
  return closest.flatMap((n, k) => [`${k === 0 ? 'closest: ' : '         '}${entry(n.index)}`, ...indent(n.differences, 11)]);
}

function actualTimeline(v: Verdict, entry: (i: number) => string): string[] {
  const shown = v.result.timeline.slice(0, TIMELINE_LIMIT).map((_, i) => entry(i));
  const hidden = v.result.timeline.length - shown.length;
  return hidden > 0 ? [...shown, `... ${hidden} more`] : shown;
}

function lineOf(line: number | null): string {
  return line === null ? '' : `  (line ${line})`;
}

function indent(lines: string[], n: number): string[] {
  const pad = ' '.repeat(n);
  return lines.map((l) => pad + l);
}
