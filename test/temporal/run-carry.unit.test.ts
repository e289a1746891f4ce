/**
 * What a run carries into its next execution stays under Temporal's 2 MB payload limit: the
 * run hands over once its estimated carry reaches `CARRY_HOP_BYTES`, and a carry over it at the
 * hop leaves its oldest timeline entries and refusals behind (never the `start` entry nor a
 * task's latest entry), with a note counting them across cuts. A carry that fits is untouched.
 */
import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../src/runtime/timeline.js';
import type { Continuation, RejectedInput } from '../../src/temporal/contract.js';
import { jsonBytes } from '../../src/temporal/event-limits.js';
import { boundCarry, boundTimeline, CARRY_KEEP_BYTES } from '../../src/temporal/run-carry.js';
import { CARRY_HOP_BYTES, runLimitsNear } from '../../src/temporal/run-limits.js';

const start: TimelineEntry = { at: '2026-01-05T14:00:00.000Z', kind: 'start', stage: null, text: 'Kickoff', line: 11 };
const task: TimelineEntry = {
  at: '2026-01-05T14:00:00.000Z',
  kind: 'task',
  stage: 'kickoff',
  text: 'Schedule',
  line: 17,
  task: 'schedule',
  to: 'sam@example.com',
};
/** A broadcast update's entry, as a usage feed makes them by the thousand. */
const set = (n: number): TimelineEntry => ({
  at: new Date(Date.parse('2026-01-06T00:00:00Z') + n * 300_000).toISOString(),
  kind: 'set',
  stage: 'kickoff',
  text: `health = ${n}`,
  line: 11,
  field: 'health',
  data: n,
});
const rejected = (n: number): RejectedInput => ({
  at: '2026-01-06T00:00:00.000Z',
  input: { kind: 'event', name: `nope-${n}` },
  reason: 'the run does not accept event "nope"',
});

function carryOf(timeline: TimelineEntry[], refused: RejectedInput[] = []): Continuation {
  return {
    snapshot: { at: 0, position: [], state: {} as Continuation['snapshot']['state'] },
    timeline,
    rejected: refused,
    pending: [],
    clock: { offset: 0, now: 0 },
  };
}

describe('the hop before the carry gets too large', () => {
  it('is due once the estimated carry reaches CARRY_HOP_BYTES, not before', () => {
    expect(runLimitsNear(0, { received: 0, carryBytes: CARRY_HOP_BYTES - 1 })).toBe(false);
    expect(runLimitsNear(0, { received: 0, carryBytes: CARRY_HOP_BYTES })).toBe(true);
    expect(CARRY_HOP_BYTES).toBeLessThan(2 * 1024 * 1024);
  });

  it('is due at 80% of the signal limit told to the run', () => {
    expect(runLimitsNear(0, { received: 15, limit: 20, carryBytes: 0 })).toBe(false);
    expect(runLimitsNear(0, { received: 16, limit: 20, carryBytes: 0 })).toBe(true);
    expect(runLimitsNear(0, { received: 7_999, carryBytes: 0 })).toBe(false);
  });
});

describe('boundCarry', () => {
  it('leaves a carry that fits as it is', () => {
    const carry = carryOf([start, task, ...Array.from({ length: 100 }, (_, n) => set(n))], [rejected(1)]);
    expect(boundCarry(carry, 50_000)).toBe(carry);
  });

  it('cuts a carry over the limit to CARRY_KEEP_BYTES, keeping the start, the open task and the newest entries', () => {
    const sets = Array.from({ length: 20_000 }, (_, n) => set(n));
    const carry = carryOf(
      [start, task, ...sets],
      Array.from({ length: 5_000 }, (_, n) => rejected(n)),
    );
    const rest = 50_000;
    expect(rest + jsonBytes(carry)).toBeGreaterThan(CARRY_HOP_BYTES);
    const cut = boundCarry(carry, rest);
    expect(rest + jsonBytes(cut)).toBeLessThanOrEqual(CARRY_KEEP_BYTES);
    const [first, note, kept, ...after] = cut.timeline;
    expect(first).toEqual(start);
    expect(note).toMatchObject({
      kind: 'note',
      text: `${cut.timelineDropped} earlier timeline entries are not kept: what a run carries stays within Temporal's payload limit`,
    });
    expect(kept).toEqual(task);
    expect(after.at(-1)).toEqual(sets.at(-1));
    expect(after).toEqual(sets.slice(sets.length - after.length));
    expect(cut.timelineDropped).toBe(sets.length - after.length);
    expect(note!.at <= after[0]!.at).toBe(true);
    expect(cut.rejected.at(-1)).toEqual(rejected(4_999));
    expect(cut.rejected.length).toBeLessThan(5_000);
  });

  it('counts what earlier cuts left behind, and keeps one note', () => {
    const first = boundTimeline([start, ...Array.from({ length: 10_000 }, (_, n) => set(n))], 0, 400_000);
    const again = boundTimeline([...first.timeline, ...Array.from({ length: 5_000 }, (_, n) => set(10_000 + n))], first.dropped, 400_000);
    expect(again.timeline.filter((e) => e.kind === 'note')).toHaveLength(1);
    const kept = again.timeline.slice(2);
    expect(again.dropped).toBe(15_000 - kept.length);
    expect(kept.at(-1)).toEqual(set(14_999));
    expect(again.timeline[1]!.text).toMatch(new RegExp(`^${again.dropped} earlier`));
    expect(jsonBytes(again.timeline)).toBeLessThanOrEqual(400_000);
  });
});
