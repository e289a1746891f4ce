/**
 * The human-readable form of a simulation: a header, an aligned table of the timeline (local
 * time in the playbook's calendar, UTC, stage, kind, line, recipient, text), the outcome and
 * any rejected inputs, made safe for a terminal (`forTerminal`). `--json` output does not come
 * through here.
 */
import { formatLocal, formatUtc, type ResolvedCalendar } from '../calendar/index.js';
import { describeDuration } from '../ir/describe.js';
import type { TimelineEntry } from '../runtime/timeline.js';
import { forTerminal, terminalLines } from '../util/terminal-text.js';
import type { SimInput, SimulateResult, When } from './simulate.js';

export interface TimelineHeader {
  playbook: string;
  version: string;
  accountId: string;
  /** The entry playbook's calendar: times are shown in its zone. */
  calendar: ResolvedCalendar;
}

export function formatWhen(when: When): string {
  return 'instant' in when ? new Date(when.instant).toISOString() : `+${describeDuration(when.offset)}`;
}

/** One input in words, for the list of rejected inputs. */
export function describeInput(input: SimInput): string {
  const at = formatWhen(input.at);
  switch (input.kind) {
    case 'event':
      return `event "${input.name}" at ${at}`;
    case 'complete':
      return `completion of task ${input.task} at ${at}`;
    case 'set':
      return `set ${input.field} to ${JSON.stringify(input.value)} at ${at}`;
    case 'reassign':
      return `reassignment of task ${input.task} to ${input.to} at ${at}`;
    case 'snooze':
      return `snooze of task ${input.task} until ${formatWhen(input.until)} at ${at}`;
    case 'close':
      return `closing of task ${input.task} at ${at}`;
  }
}

export function formatOutcome(result: Pick<SimulateResult, 'outcome' | 'outcomeLabel'>): string {
  return result.outcomeLabel === null ? result.outcome : `${result.outcome} "${result.outcomeLabel}"`;
}

/** The whole report printed by `playbook simulate` without `--json`. */
export function formatSimulation(header: TimelineHeader, result: SimulateResult): string {
  const { calendar } = header;
  const zone = calendar.id === null ? `default calendar (${calendar.timezone})` : `calendar ${calendar.id} (${calendar.timezone})`;
  const lines = [`${header.playbook}  version ${header.version.slice(0, 12)}  account ${header.accountId}  ${zone}`, ''];
  // Runs with `run playbook` interleave the children's entries; only then is a PLAYBOOK column needed.
  const children = result.timeline.some((e) => e.playbook !== undefined);
  const rows = result.timeline.map((e) => [
    formatLocal(Date.parse(e.at), calendar),
    formatUtc(Date.parse(e.at)),
    ...(children ? [e.playbook ?? header.playbook] : []),
    e.stage ?? '-',
    e.kind,
    String(e.line),
    e.to ?? '',
    entryText(e) ?? '',
  ]);
  const titles = ['LOCAL', 'UTC', ...(children ? ['PLAYBOOK'] : []), 'STAGE', 'KIND', 'LINE', 'TO', 'TEXT'];
  lines.push(...alignColumns([titles, ...rows]));
  lines.push('', `outcome: ${formatOutcome(result)}`);
  const goals = result.timeline.filter((e) => e.kind === 'goal-met' || e.kind === 'goal-missed');
  if (goals.length > 0) lines.push(`goals: ${goals.map((e) => `${e.goal} ${e.kind === 'goal-met' ? 'met' : 'missed'}`).join(', ')}`);
  if (result.rejected.length > 0) {
    lines.push('rejected inputs:');
    for (const r of result.rejected) lines.push(`  ${describeInput(r.input)}: ${r.reason}`);
  }
  return terminalLines(lines);
}

/**
 * Pads every column but the last to its widest cell, two spaces apart; no trailing blanks.
 * Cells are made safe for a terminal first, so that every table shows outside text escaped.
 */
export function alignColumns(cells: string[][]): string[] {
  const rows = cells.map((row) => row.map(forTerminal));
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

/** `Mon 2026-01-12 09:00 EST  escalate  kickoff  "Kickoff overdue"`: one entry on one line, for reports. */
export function describeEntry(entry: TimelineEntry, calendar: ResolvedCalendar): string {
  const parts = [formatLocal(Date.parse(entry.at), calendar), entry.kind, entry.stage ?? '-'];
  if (entry.playbook !== undefined) parts.push(`in ${entry.playbook}`);
  if (entry.to !== undefined) parts.push(`to ${entry.to}`);
  const text = entryText(entry);
  if (text !== undefined) parts.push(entry.goal === undefined ? JSON.stringify(text) : text);
  return parts.join('  ');
}

/** An entry's text; a goal's also says its target and, met, the business time it took. */
function entryText(e: TimelineEntry): string | undefined {
  if (e.goal === undefined) return e.text;
  const took = e.took === undefined ? '' : `, took ${businessTime(e.took)}`;
  return `${JSON.stringify(e.text ?? e.goal)} (goal ${e.goal}, target ${e.target ?? '?'}%${took})`;
}

/** Business minutes in words: `3h 20m`, `0m`. */
function businessTime(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h === 0 ? `${m}m` : m === 0 ? `${h}h` : `${h}h ${m}m`;
}
