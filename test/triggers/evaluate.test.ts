import { describe, expect, it } from 'vitest';
import { defaultCalendar, type ResolvedCalendar } from '../../src/calendar/index.js';
import type { ExprIr, TriggerIr } from '../../src/ir/types.js';
import {
  dueDateFirings,
  eventFirings,
  firingKey,
  inCooldown,
  nextLocalMidnight,
  nextWake,
  planDates,
  whenFirings,
  type TriggerContext,
} from '../../src/triggers/evaluate.js';

const isEnterprise: ExprIr = { op: 'compare', cmp: '=', left: { op: 'field', field: 'segment' }, right: { op: 'lit', type: 'text', value: 'enterprise' } };
const lowHealth: ExprIr = { op: 'compare', cmp: '<', left: { op: 'field', field: 'health' }, right: { op: 'lit', type: 'number', value: 50 } };
const newYork: ResolvedCalendar = {
  id: 'us',
  timezone: 'America/New_York',
  workingDays: [1, 2, 3, 4, 5],
  workingHours: { from: '09:00', to: '17:00' },
  holidays: ['2026-11-26'],
};

function ctx(playbook: string, triggers: TriggerIr[], calendar: ResolvedCalendar = defaultCalendar): TriggerContext {
  return { generation: 1, playbooks: [{ playbook, version: 'v1', triggers, calendar }] };
}

const at = (iso: string) => Date.parse(iso);

describe('event triggers', () => {
  const c = ctx('onboarding', [{ kind: 'event', name: 'account.created', where: isEnterprise }]);
  it('fire for the named event when the `where` holds', () => {
    expect(eventFirings(c, 'account.created', {}, { id: 'a', segment: 'enterprise' }, 0)).toEqual([
      { playbook: 'onboarding', kind: 'event', detail: 'event "account.created"' },
    ]);
  });
  it('do not fire for another event or when the `where` does not hold', () => {
    expect(eventFirings(c, 'account.updated', {}, { id: 'a', segment: 'enterprise' }, 0)).toEqual([]);
    expect(eventFirings(c, 'account.created', {}, { id: 'a', segment: 'smb' }, 0)).toEqual([]);
  });
});

describe('event triggers that bind the event with `as`', () => {
  const detractor: ExprIr = {
    op: 'compare',
    cmp: '<=',
    left: { op: 'eventField', event: 'response', path: ['score'] },
    right: { op: 'lit', type: 'number', value: 6 },
  };
  const c = ctx('nps', [{ kind: 'event', name: 'nps.responded', as: 'response', where: detractor, unlessRunning: 'onboarding' }]);
  it('read the payload in the `where` and hand it, with the guards, to the run they start', () => {
    expect(eventFirings(c, 'nps.responded', { score: 3 }, { id: 'a' }, 0)).toEqual([
      { playbook: 'nps', kind: 'event', detail: 'event "nps.responded"', bindings: { response: { score: 3 } }, guards: { unlessRunning: 'onboarding' } },
    ]);
  });
  it('do not fire when the payload fails the `where`, or lacks the field', () => {
    expect(eventFirings(c, 'nps.responded', { score: 9 }, { id: 'a' }, 0)).toEqual([]);
    expect(eventFirings(c, 'nps.responded', {}, { id: 'a' }, 0)).toEqual([]);
  });
});

describe('`at most once per`', () => {
  it('holds a firing back while the last start is less than the duration ago, in the calendar', () => {
    const guards = { atMostOncePer: { amount: 2, unit: 'business day' as const } };
    // Fri 2026-11-20 10:00 New York; 2 business days later is Tue 11-24 10:00.
    const last = '2026-11-20T15:00:00.000Z';
    expect(inCooldown(guards, last, at('2026-11-24T14:59:00Z'), newYork)).toBe(true);
    expect(inCooldown(guards, last, at('2026-11-24T15:00:00Z'), newYork)).toBe(false);
    expect(inCooldown(guards, undefined, at('2026-11-21T15:00:00Z'), newYork)).toBe(false);
    expect(inCooldown(undefined, last, at('2026-11-21T15:00:00Z'), newYork)).toBe(false);
  });
});

describe('`when` triggers are edge-triggered', () => {
  const c = ctx('rescue', [{ kind: 'when', condition: lowHealth }]);
  it('fire once per episode: on becoming true, not while true, again after being false', () => {
    const first = whenFirings(c, { id: 'a', health: 40 }, 0, {});
    expect(first.firings.map((f) => f.playbook)).toEqual(['rescue']);
    const still = whenFirings(c, { id: 'a', health: 30 }, 0, first.conditions);
    expect(still.firings).toEqual([]);
    const recovered = whenFirings(c, { id: 'a', health: 80 }, 0, still.conditions);
    expect(recovered).toEqual({ conditions: { 'rescue#0': false }, firings: [] });
    expect(whenFirings(c, { id: 'a', health: 45 }, 0, recovered.conditions).firings).toHaveLength(1);
  });
  it('keep one edge per trigger: one becoming true neither fires nor re-arms another', () => {
    const isChurned: ExprIr = { op: 'compare', cmp: '=', left: { op: 'field', field: 'status' }, right: { op: 'lit', type: 'text', value: 'churned' } };
    const both: TriggerContext = {
      generation: 1,
      playbooks: [...c.playbooks, ...ctx('winback', [{ kind: 'manual' }, { kind: 'when', condition: isChurned }]).playbooks],
    };
    const first = whenFirings(both, { id: 'a', health: 40, status: 'active' }, 0, {});
    expect(first).toMatchObject({ conditions: { 'rescue#0': true, 'winback#1': false }, firings: [{ playbook: 'rescue' }] });
    const churned = whenFirings(both, { id: 'a', health: 40, status: 'churned' }, 0, first.conditions);
    expect(churned.firings.map((f) => f.playbook)).toEqual(['winback']);
  });
  it('treat a missing value as not holding', () => {
    expect(whenFirings(c, { id: 'a' }, 0, {})).toEqual({ conditions: { 'rescue#0': false }, firings: [] });
  });
});

describe('date triggers', () => {
  const renewal: TriggerIr = { kind: 'relative', offset: { amount: 90, unit: 'day' }, direction: 'before', field: 'renewal_date', where: null };
  const c = ctx('renewal', [renewal], newYork);

  it('fire at the start of working hours, local time, on the shifted date', () => {
    const plan = planDates(c, { id: 'a', renewal_date: '2027-06-01' }, at('2026-11-25T00:00:00Z'), new Set());
    // 2027-03-03 09:00 in New York is 14:00 UTC (before daylight saving starts on 2027-03-14).
    expect(plan).toEqual([{ playbook: 'renewal', trigger: 0, field: 'renewal_date', date: '2027-06-01', fireAt: '2027-03-03T14:00:00.000Z' }]);
    // After the change to daylight saving the same 09:00 is 13:00 UTC.
    expect(planDates(c, { id: 'a', renewal_date: '2027-07-01' }, at('2026-11-25T00:00:00Z'), new Set())[0]!.fireAt).toBe('2027-04-02T13:00:00.000Z');
  });

  it('move by quarters clamped to the end of the month, and catch up within that span', () => {
    const quarter = ctx(
      'qbr',
      [{ kind: 'relative', offset: { amount: 1, unit: 'quarter' }, direction: 'before', field: 'renewal_date', where: null }],
      newYork,
    );
    // 2027-05-31 - 1 quarter = 2027-02-28 (February has no 31st), 09:00 EST = 14:00 UTC.
    expect(planDates(quarter, { id: 'a', renewal_date: '2027-05-31' }, at('2026-11-25T00:00:00Z'), new Set())[0]!.fireAt).toBe('2027-02-28T14:00:00.000Z');
    // Imported two months late it still fires (missed by less than the quarter), once the renewal has passed it does not.
    expect(planDates(quarter, { id: 'a', renewal_date: '2027-05-31' }, at('2027-04-28T00:00:00Z'), new Set())).toHaveLength(1);
    expect(planDates(quarter, { id: 'a', renewal_date: '2027-05-31' }, at('2027-06-01T00:00:00Z'), new Set())).toEqual([]);
  });

  it('count business days around holidays', () => {
    const twoBusinessDays = ctx(
      'x',
      [{ kind: 'relative', offset: { amount: 2, unit: 'business day' }, direction: 'after', field: 'contract_start', where: null }],
      newYork,
    );
    // Wednesday 2026-11-25 + 2 business days: Thanksgiving (26th) is skipped, Friday 27th, then Monday 30th.
    expect(planDates(twoBusinessDays, { id: 'a', contract_start: '2026-11-25' }, at('2026-11-20T00:00:00Z'), new Set())[0]!.fireAt).toBe(
      '2026-11-30T14:00:00.000Z',
    );
  });

  it('catch up a missed instant only within the offset, and never fire a date twice', () => {
    const now = at('2026-11-25T12:00:00Z');
    expect(planDates(c, { id: 'a', renewal_date: dateAfter(now, 60) }, now, new Set())).toHaveLength(1);
    expect(planDates(c, { id: 'a', renewal_date: dateAfter(now, -5) }, now, new Set())).toEqual([]);
    const plan = planDates(c, { id: 'a', renewal_date: dateAfter(now, 60) }, now, new Set());
    expect(planDates(c, { id: 'a', renewal_date: dateAfter(now, 60) }, now, new Set([firingKey(plan[0]!)]))).toEqual([]);
  });

  it('evaluate the `where` when due', () => {
    const guarded = ctx('renewal', [{ ...renewal, where: isEnterprise }], newYork);
    const now = at('2026-11-25T12:00:00Z');
    const plan = planDates(guarded, { id: 'a', renewal_date: dateAfter(now, 60) }, now, new Set());
    expect(dueDateFirings(guarded, plan, { id: 'a', segment: 'enterprise' }, now).firings).toHaveLength(1);
    expect(dueDateFirings(guarded, plan, { id: 'a', segment: 'smb' }, now)).toMatchObject({ due: plan, firings: [] });
  });
});

describe('the next wake-up', () => {
  it('is the earliest planned firing or the next local midnight of a `when` playbook', () => {
    const now = at('2026-11-25T12:00:00Z');
    expect(nextLocalMidnight(now, newYork)).toBe(at('2026-11-26T05:00:00Z'));
    const both: TriggerContext = { generation: 1, playbooks: [...ctx('w', [{ kind: 'when', condition: lowHealth }], newYork).playbooks] };
    expect(nextWake(both, [], now)).toBe(at('2026-11-26T05:00:00Z'));
    expect(nextWake(both, [{ playbook: 'r', trigger: 0, field: 'f', date: '2026-11-25', fireAt: '2026-11-25T20:00:00.000Z' }], now)).toBe(
      at('2026-11-25T20:00:00Z'),
    );
    expect(nextWake(ctx('m', [{ kind: 'manual' }]), [], now)).toBeNull();
  });
});

function dateAfter(now: number, days: number): string {
  return new Date(now + days * 86_400_000).toISOString().slice(0, 10);
}
