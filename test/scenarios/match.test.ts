import { describe, expect, it } from 'vitest';
import type { ResolvedCalendar } from '../../src/calendar/index.js';
import type { TimelineEntry } from '../../src/runtime/timeline.js';
import { describeTouchpoint, differences, findForbidden, matchInOrder } from '../../src/scenarios/match.js';
import type { Touchpoint } from '../../src/scenarios/types.js';

const calendar: ResolvedCalendar = {
  id: 'us-business',
  timezone: 'America/New_York',
  workingDays: [1, 2, 3, 4, 5],
  workingHours: { from: '09:00', to: '17:00' },
  holidays: ['2026-01-19'],
};
/** Mon 2026-01-05 09:00 EST */
const start = Date.parse('2026-01-05T14:00:00Z');
const ctx = { entry: 'onboarding', start, calendar };

const entry = (at: string, kind: TimelineEntry['kind'], extra: Partial<TimelineEntry> = {}): TimelineEntry => ({
  at,
  kind,
  stage: 'kickoff',
  line: 10,
  ...extra,
});

const timeline: TimelineEntry[] = [
  entry('2026-01-05T14:00:00.000Z', 'start', { stage: null, text: 'Enterprise onboarding' }),
  entry('2026-01-05T14:00:00.000Z', 'email', { to: 'pat@acme.example', text: 'Welcome to Example' }),
  entry('2026-01-08T14:00:00.000Z', 'notify', { to: 'csm@example.com', text: 'Kickoff for Acme not held yet' }),
  entry('2026-01-12T14:00:00.000Z', 'escalate', { to: 'lead@example.com', text: 'Kickoff overdue for Acme' }),
  // Tue 2026-01-20: ten business days after the start, skipping the Monday holiday.
  entry('2026-01-20T14:00:00.000Z', 'escalate', { to: 'lead@example.com', text: 'No kickoff after 10 business days' }),
  entry('2026-01-20T14:00:00.000Z', 'stop', { text: 'stalled' }),
];

const tp = (t: Omit<Touchpoint, 'line'>): Touchpoint => ({ line: null, ...t });

describe('matchInOrder', () => {
  it('matches expected touchpoints as an ordered subsequence, skipping other entries', () => {
    const matches = matchInOrder([tp({ kind: 'email' }), tp({ kind: 'escalate' }), tp({ kind: 'stop' })], timeline, ctx);
    expect(matches.map((m) => m.matched)).toEqual([1, 3, 5]);
  });

  it('matches the same kind twice to successive entries', () => {
    const matches = matchInOrder([tp({ kind: 'escalate' }), tp({ kind: 'escalate' })], timeline, ctx);
    expect(matches.map((m) => m.matched)).toEqual([3, 4]);
  });

  it('fails an item that only occurs before the previous match, and says so', () => {
    const [stop, email] = matchInOrder([tp({ kind: 'stop' }), tp({ kind: 'email' })], timeline, ctx);
    expect(stop!.matched).toBe(5);
    expect(email!.matched).toBeNull();
    expect(email!.closest).toEqual([{ index: 1, differences: ['fits, but comes before the previous expected touchpoint'] }]);
  });

  it('resolves `after` with business days in the calendar, holidays skipped', () => {
    const [m] = matchInOrder([tp({ kind: 'escalate', after: { amount: 10, unit: 'business day' } })], timeline, ctx);
    expect(m!.matched).toBe(4);
    const [three] = matchInOrder([tp({ kind: 'notify', after: { amount: 3, unit: 'business day' } })], timeline, ctx);
    expect(three!.matched).toBe(2);
  });

  it('matches an exact `at`, recipient, exact text and a piece of text', () => {
    const [m] = matchInOrder(
      [tp({ at: Date.parse('2026-01-12T14:00:00Z'), to: 'lead@example.com', text: 'Kickoff overdue for Acme', textContains: 'overdue' })],
      timeline,
      ctx,
    );
    expect(m!.matched).toBe(3);
  });

  it('tells the playbook under test from the children it runs', () => {
    const withChild = [...timeline, entry('2026-01-21T14:00:00.000Z', 'task', { playbook: 'sponsor-check', to: 'csm@example.com' })];
    const [own, child] = matchInOrder([tp({ playbook: 'onboarding', kind: 'escalate' }), tp({ playbook: 'sponsor-check', kind: 'task' })], withChild, ctx);
    expect([own!.matched, child!.matched]).toEqual([3, 6]);
    expect(differences(tp({ playbook: 'onboarding' }), withChild[6]!, ctx)).toEqual(['playbook is sponsor-check, not onboarding']);
  });

  it('reports the closest entries and how they differ for a miss', () => {
    const [m] = matchInOrder([tp({ kind: 'escalate', after: { amount: 7, unit: 'business day' }, textContains: 'overdue' })], timeline, ctx);
    expect(m!.matched).toBeNull();
    expect(m!.closest[0]).toEqual({
      index: 3,
      differences: ['at 2026-01-12T14:00:00.000Z, expected 2026-01-14T14:00:00.000Z'],
    });
    expect(m!.closest).toHaveLength(2);
  });

  it('has no closest entries when nothing shares a key', () => {
    const [m] = matchInOrder([tp({ kind: 'webhook' })], timeline, ctx);
    expect(m).toEqual({ expected: tp({ kind: 'webhook' }), matched: null, closest: [] });
  });
});

describe('findForbidden', () => {
  it('passes when no entry fits and lists every entry that does', () => {
    const [noWebhook, escalations] = findForbidden([tp({ kind: 'webhook' }), tp({ kind: 'escalate' })], timeline, ctx);
    expect(noWebhook!.found).toEqual([]);
    expect(escalations!.found).toEqual([3, 4]);
  });

  it('finds entries on weekends, non-working days and outside working hours, in the calendar zone', () => {
    const late = [
      // Sat 2026-01-10 10:00 EST
      entry('2026-01-10T15:00:00.000Z', 'email'),
      // Mon 2026-01-19 10:00 EST, a holiday
      entry('2026-01-19T15:00:00.000Z', 'email'),
      // Tue 2026-01-06 18:30 EST: a working day, after hours (still 23:30 UTC on the same day)
      entry('2026-01-06T23:30:00.000Z', 'email'),
      // Wed 2026-01-07 16:59 EST: inside working hours
      entry('2026-01-07T21:59:00.000Z', 'email'),
    ];
    const [weekend, nonWorking, outside] = findForbidden(
      [tp({ kind: 'email', on: 'weekend' }), tp({ kind: 'email', on: 'non-working day' }), tp({ kind: 'email', on: 'outside working hours' })],
      late,
      ctx,
    );
    expect(weekend!.found).toEqual([0]);
    expect(nonWorking!.found).toEqual([0, 1]);
    expect(outside!.found).toEqual([0, 1, 2]);
  });
});

describe('differences and descriptions', () => {
  it('names every key that differs', () => {
    expect(differences(tp({ kind: 'notify', stage: 'training', to: 'x@example.com', text: 'Hi' }), timeline[3]!, ctx)).toEqual([
      'kind is escalate, not notify',
      'stage is kickoff, not training',
      'to is lead@example.com, not x@example.com',
      'text is "Kickoff overdue for Acme"',
    ]);
  });

  it('describes a touchpoint in the words of the scenario file', () => {
    expect(describeTouchpoint(tp({ kind: 'escalate', after: { amount: 5, unit: 'business day' }, textContains: 'overdue', on: 'weekend' }))).toBe(
      'kind escalate, text contains "overdue", after +5 business days, on weekend',
    );
  });
});
