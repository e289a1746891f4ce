/**
 * Cadence triggers (`every …`): which day of each period they fire on, in the account's
 * calendar, and the once-only catch-up of an occurrence that passed unfired.
 */
import { describe, expect, it } from 'vitest';
import type { ResolvedCalendar } from '../../src/calendar/index.js';
import type { CadenceDayIr, CadenceIr, TriggerIr } from '../../src/ir/types.js';
import { dueOccurrence, occurrence, periodAt } from '../../src/triggers/cadence.js';
import { dueDateFirings, firingKey, planCadences, type TriggerContext } from '../../src/triggers/evaluate.js';
import { calendar, newYork } from '../calendar/fixtures.js';

const at = (iso: string) => Date.parse(iso);
const quarter: CadenceIr = { amount: 1, unit: 'quarter' };
const month: CadenceIr = { amount: 1, unit: 'month' };
const twoWeeks: CadenceIr = { amount: 2, unit: 'week' };
const firstBusinessDay: CadenceDayIr = { kind: 'firstBusinessDay' };
/** Berlin with the German national holidays around New Year and Easter 2027. */
const berlin: ResolvedCalendar = calendar({
  id: 'de',
  timezone: 'Europe/Berlin',
  workingHours: { from: '09:00', to: '17:00' },
  holidays: ['2026-12-25', '2026-12-26', '2027-01-01', '2027-03-26', '2027-03-29'],
});

function next(now: string, period: CadenceIr, on: CadenceDayIr, cal: ResolvedCalendar, fired: string[] = []) {
  const o = dueOccurrence(at(now), period, on, cal, (date) => fired.includes(date));
  return { date: o.date, fireAt: new Date(o.fireAt).toISOString() };
}

describe('the day a cadence fires on', () => {
  it('every quarter on first business day skips the new-year holiday and weekend, at the start of working hours', () => {
    // 2027-01-01 is a Friday and a holiday: the first business day of Q1 2027 is Monday the 4th.
    expect(next('2026-12-20T12:00:00Z', quarter, firstBusinessDay, berlin, ['2026-10-01'])).toEqual({ date: '2027-01-04', fireAt: '2027-01-04T08:00:00.000Z' });
  });

  it('counts quarters from January: April, July and October open the others', () => {
    const days = [0, 1, 2, 3].map(
      (i) => occurrence(periodAt(at('2027-01-10T12:00:00Z'), quarter, newYork) + i, quarter, { kind: 'day', day: 1 }, newYork).date,
    );
    expect(days).toEqual(['2027-01-01', '2027-04-01', '2027-07-01', '2027-10-01']);
  });

  it('on day 31 is clamped to the last day of a shorter month', () => {
    const feb = periodAt(at('2027-02-10T12:00:00Z'), month, newYork);
    expect([0, 1, 2].map((i) => occurrence(feb + i, month, { kind: 'day', day: 31 }, newYork).date)).toEqual(['2027-02-28', '2027-03-31', '2027-04-30']);
  });

  it('every 2 weeks on monday fires every other ISO week, the same weeks for every account', () => {
    const dates = [0, 1, 2].map(
      (i) => occurrence(periodAt(at('2026-03-04T12:00:00Z'), twoWeeks, newYork) + i, twoWeeks, { kind: 'weekday', weekday: 1 }, newYork).date,
    );
    expect(dates).toEqual(['2026-02-23', '2026-03-09', '2026-03-23']);
  });

  it('the local date decides the period: 23:30 on March 31 in New York is still Q1', () => {
    expect(periodAt(at('2026-04-01T03:30:00Z'), quarter, newYork)).toBe(periodAt(at('2026-02-01T12:00:00Z'), quarter, newYork));
  });
});

describe('catch-up', () => {
  const triggers: TriggerIr[] = [{ kind: 'every', period: quarter, on: firstBusinessDay, where: null }];
  const ctx: TriggerContext = { generation: 1, playbooks: [{ playbook: 'qbr', version: 'v1', triggers, calendar: newYork }] };
  const key = (date: string) => firingKey({ playbook: 'qbr', trigger: 0, date, cadence: true });

  it('a cadence deployed mid-quarter fires once at once for the quarter, then plans the next quarter', () => {
    const now = at('2026-02-18T15:00:00Z');
    const [planned] = planCadences(ctx, now, new Set()).planned;
    expect(planned).toMatchObject({ playbook: 'qbr', field: 'every quarter on first business day', date: '2026-01-02', cadence: true });
    const { due, firings } = dueDateFirings(ctx, [planned!], { id: 'a' }, now);
    expect(due).toHaveLength(1);
    expect(firings).toEqual([{ playbook: 'qbr', kind: 'cadence', detail: 'every quarter on first business day (2026-01-02)' }]);
    const after = planCadences(ctx, now, new Set([key('2026-01-02')]));
    expect(after.planned).toMatchObject([{ date: '2026-04-01', fireAt: '2026-04-01T13:00:00.000Z' }]);
    // The quarter's own occurrence is kept until the quarter is over: it must not fire again.
    expect(after.spent).toEqual([]);
  });

  it('an entity down for three quarters fires once for the quarter it comes back in, never for the ones it missed', () => {
    const fired = new Set([key('2026-01-02')]);
    const { planned, spent } = planCadences(ctx, at('2026-11-03T15:00:00Z'), fired);
    expect(planned.map((p) => p.date)).toEqual(['2026-10-01']);
    expect(spent).toEqual([key('2026-01-02')]);
  });

  it('before its day in the quarter, the quarter fires on its day', () => {
    expect(planCadences(ctx, at('2026-07-01T12:00:00Z'), new Set([key('2026-04-01')])).planned.map((p) => p.fireAt)).toEqual(['2026-07-01T13:00:00.000Z']);
  });
});
