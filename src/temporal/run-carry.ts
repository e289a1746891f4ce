/**
 * What a run carries into its next execution stays under Temporal's 2 MB payload limit. The
 * run hands over once its carry nears `CARRY_HOP_BYTES` (run-limits.ts); when the carry at a
 * hop is over it (a run of many months with a busy feed), the oldest timeline entries and
 * refusals are left behind until it fits in `CARRY_KEEP_BYTES`, and a note after the `start`
 * entry says how many timeline entries are gone. Runs whose carry fits keep everything. Pure.
 */
import type { TimelineEntry } from '../runtime/timeline.js';
import type { Continuation } from './contract.js';
import { jsonBytes } from './event-limits.js';
import { CARRY_HOP_BYTES } from './run-limits.js';

/** What a carry is cut down to when it is over `CARRY_HOP_BYTES`: room for the next execution to grow. */
export const CARRY_KEEP_BYTES = 1_000_000;
/** The refusals kept of a carry that is cut: the newest, this many bytes. */
export const REJECTED_KEEP_BYTES = 64 * 1024;

/**
 * `continued` as it goes into the next execution, with `rest` the bytes of the other parts of
 * that execution's input (program, account, calendars, options).
 */
export function boundCarry(continued: Continuation, rest: number): Continuation {
  if (rest + jsonBytes(continued) <= CARRY_HOP_BYTES) return continued;
  const rejected = newest(continued.rejected, REJECTED_KEEP_BYTES);
  const others = rest + jsonBytes({ ...continued, timeline: [], rejected, timelineDropped: 0 });
  const { timeline, dropped } = boundTimeline(continued.timeline, continued.timelineDropped ?? 0, CARRY_KEEP_BYTES - others);
  return { ...continued, timeline, rejected, timelineDropped: dropped };
}

/**
 * Leaves out the oldest entries until the timeline is at most `budget` bytes as JSON. Kept
 * always: the first entry (`start`) and each task's latest `task` entry (status shows its
 * assignee and due date from it). A timeline cut before has the note of that cut second, and
 * `droppedBefore` counts what it left out; the new note counts both.
 */
export function boundTimeline(timeline: TimelineEntry[], droppedBefore: number, budget: number): { timeline: TimelineEntry[]; dropped: number } {
  const [first, ...others] = timeline;
  if (first === undefined) return { timeline, dropped: droppedBefore };
  const entries = droppedBefore > 0 ? others.slice(1) : others;
  const latestTask = new Map<string, number>();
  entries.forEach((e, i) => {
    if (e.kind === 'task' && e.task !== undefined) latestTask.set(e.task, i);
  });
  const kept = new Set(latestTask.values());
  const sizes = entries.map((e) => jsonBytes(e) + 1);
  // The note's size with the largest count it could show, so the cut timeline surely fits.
  let total = jsonBytes(first) + 2 + jsonBytes(noteOf(first, droppedBefore + entries.length)) + 1 + sizes.reduce((a, b) => a + b, 0);
  let dropped = 0;
  const left = entries.map(() => false);
  for (let i = 0; i < entries.length && total > budget; i++) {
    if (kept.has(i)) continue;
    left[i] = true;
    total -= sizes[i]!;
    dropped++;
  }
  if (dropped === 0 && droppedBefore === 0) return { timeline, dropped: 0 };
  const lastLeft = left.lastIndexOf(true);
  const at = lastLeft >= 0 ? entries[lastLeft]!.at : others[0]!.at;
  return { timeline: [first, { ...noteOf(first, droppedBefore + dropped), at }, ...entries.filter((_, i) => !left[i])], dropped: droppedBefore + dropped };
}

function noteOf(first: TimelineEntry, dropped: number): TimelineEntry {
  const text = `${dropped} earlier timeline entries are not kept: what a run carries stays within Temporal's payload limit`;
  return { at: first.at, kind: 'note', stage: null, text, line: first.line };
}

/** The newest items that fit in `budget` bytes as JSON, in their order. */
function newest<T>(items: T[], budget: number): T[] {
  let total = 2;
  let from = items.length;
  while (from > 0 && total + jsonBytes(items[from - 1]) + 1 <= budget) total += jsonBytes(items[--from]) + 1;
  return from === 0 ? items : items.slice(from);
}
