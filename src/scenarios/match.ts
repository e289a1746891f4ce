/**
 * Matching expected touchpoints against a simulated timeline. Expected touchpoints are an
 * ordered subsequence: each is matched to the first entry after the previous match that fits
 * all its keys (greedy first fit finds a subsequence whenever one exists). Absent touchpoints
 * must fit no entry. For a miss, the closest entries and how they differ explain why.
 */
import { addDuration, isWorkingDay, localDate, nextWindowOpening, type ResolvedCalendar } from '../calendar/index.js';
import type { TimelineEntry } from '../runtime/timeline.js';
import { describeDuration } from '../ir/describe.js';
import type { LocalPeriod, Touchpoint } from './types.js';

export interface MatchContext {
  /** Id of the playbook under test: its entries carry no `playbook`, its children's do. */
  entry: string;
  /** The scenario's start: `after` offsets count from it. */
  start: number;
  /** The entry playbook's calendar: `after` and `on` are read in it. */
  calendar: ResolvedCalendar;
}

export interface Near {
  index: number;
  differences: string[];
}

export interface OrderedMatch {
  expected: Touchpoint;
  /** Index of the matching entry, or null when none fits after the previous match. */
  matched: number | null;
  /** For a miss: up to two entries that fit best, fewest differences first. */
  closest: Near[];
}

export interface AbsentMatch {
  forbidden: Touchpoint;
  /** Indexes of the entries that fit although they must not exist. */
  found: number[];
}

export function matchInOrder(expected: Touchpoint[], timeline: TimelineEntry[], ctx: MatchContext): OrderedMatch[] {
  let cursor = 0;
  return expected.map((tp) => {
    for (let i = cursor; i < timeline.length; i++) {
      if (differences(tp, timeline[i]!, ctx).length === 0) {
        cursor = i + 1;
        return { expected: tp, matched: i, closest: [] };
      }
    }
    return { expected: tp, matched: null, closest: closest(tp, timeline, ctx) };
  });
}

export function findForbidden(absent: Touchpoint[], timeline: TimelineEntry[], ctx: MatchContext): AbsentMatch[] {
  return absent.map((tp) => ({
    forbidden: tp,
    found: timeline.flatMap((entry, i) => (differences(tp, entry, ctx).length === 0 ? [i] : [])),
  }));
}

/**
 * The entries that share most with `tp`. An entry that fits completely can only lie before
 * `cursor` (else it would have matched), so it is reported as out of order.
 */
function closest(tp: Touchpoint, timeline: TimelineEntry[], ctx: MatchContext): Near[] {
  const keys = keyCount(tp);
  return timeline
    .map((entry, index) => ({ index, diff: differences(tp, entry, ctx) }))
    .filter(({ diff }) => diff.length < keys)
    .sort((a, b) => a.diff.length - b.diff.length || a.index - b.index)
    .slice(0, 2)
    .map(({ index, diff }) => ({ index, differences: diff.length === 0 ? ['fits, but comes before the previous expected touchpoint'] : diff }));
}

function keyCount(tp: Touchpoint): number {
  return [tp.kind, tp.playbook, tp.stage, tp.to, tp.text, tp.textContains, tp.at ?? tp.after, tp.on].filter((v) => v !== undefined).length;
}

/** How `entry` differs from `tp`, one phrase per key; empty when it fits. */
export function differences(tp: Touchpoint, entry: TimelineEntry, ctx: MatchContext): string[] {
  const diff: string[] = [];
  if (tp.kind !== undefined && entry.kind !== tp.kind) diff.push(`kind is ${entry.kind}, not ${tp.kind}`);
  const playbook = entry.playbook ?? ctx.entry;
  if (tp.playbook !== undefined && playbook !== tp.playbook) diff.push(`playbook is ${playbook}, not ${tp.playbook}`);
  if (tp.stage !== undefined && entry.stage !== tp.stage) diff.push(`stage is ${entry.stage ?? 'none'}, not ${tp.stage}`);
  if (tp.to !== undefined && entry.to !== tp.to) diff.push(entry.to === undefined ? 'has no recipient' : `to is ${entry.to}, not ${tp.to}`);
  if (tp.text !== undefined && entry.text !== tp.text) diff.push(`text is ${JSON.stringify(entry.text ?? '')}`);
  if (tp.textContains !== undefined && !(entry.text ?? '').includes(tp.textContains)) {
    diff.push(`text ${JSON.stringify(entry.text ?? '')} does not contain ${JSON.stringify(tp.textContains)}`);
  }
  const at = Date.parse(entry.at);
  const expectedAt = expectedInstant(tp, ctx);
  if (expectedAt !== null && at !== expectedAt) diff.push(`at ${entry.at}, expected ${new Date(expectedAt).toISOString()}`);
  if (tp.on !== undefined && !isIn(tp.on, at, ctx.calendar)) diff.push(`not on a ${tp.on === 'outside working hours' ? 'time outside working hours' : tp.on}`);
  return diff;
}

/** The instant `at` names, or `after` counted from the start in the calendar; null when neither is given. */
export function expectedInstant(tp: Touchpoint, ctx: MatchContext): number | null {
  if (tp.at !== undefined) return tp.at;
  return tp.after === undefined ? null : addDuration(ctx.start, tp.after, ctx.calendar);
}

const WHOLE_DAY = { from: '00:00', to: '24:00' };

function isIn(period: LocalPeriod, t: number, cal: ResolvedCalendar): boolean {
  const date = localDate(t, cal);
  switch (period) {
    case 'weekend': {
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
      return weekday === 0 || weekday === 6;
    }
    case 'non-working day':
      return !isWorkingDay(date, cal);
    case 'outside working hours':
      // Inside working hours exactly when the next opening is the instant itself.
      return nextWindowOpening(t, cal.workingHours ?? WHOLE_DAY, cal) !== t;
  }
}

/** `kind escalate, after +5 business days, text contains "overdue"` */
export function describeTouchpoint(tp: Touchpoint): string {
  const parts: string[] = [];
  if (tp.kind !== undefined) parts.push(`kind ${tp.kind}`);
  if (tp.playbook !== undefined) parts.push(`playbook ${tp.playbook}`);
  if (tp.stage !== undefined) parts.push(`stage ${tp.stage}`);
  if (tp.to !== undefined) parts.push(`to ${tp.to}`);
  if (tp.text !== undefined) parts.push(`text ${JSON.stringify(tp.text)}`);
  if (tp.textContains !== undefined) parts.push(`text contains ${JSON.stringify(tp.textContains)}`);
  if (tp.at !== undefined) parts.push(`at ${new Date(tp.at).toISOString()}`);
  if (tp.after !== undefined) parts.push(`after +${describeDuration(tp.after)}`);
  if (tp.on !== undefined) parts.push(`on ${tp.on}`);
  return parts.join(', ');
}
