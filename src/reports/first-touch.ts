/**
 * Time to first touch after an event (docs/kpis.md; support's first response): business hours
 * of the run's calendar from each event of the period to the first email, notify or task after
 * it in its run, and the share touched within N business hours (`addDuration`, as `up to N
 * business hours` counts them).
 */
import { EVENT_COLUMN, eventTouches, touchVerdict } from './event-touches.js';
import { businessHours, collect, max, median, percent, round } from './figures.js';
import { groupCells, groupKeyOf } from './groups.js';
import type { Kpi, ReportRow } from './types.js';

export const firstTouch: Kpi = {
  name: 'first-touch',
  title: 'Time to first touch after an event',
  by: ['playbook', 'version', 'stage', 'csm', 'segment'],
  perPlaybook: false,
  within: { unit: 'business hour', default: 4 },
  columns: [
    EVENT_COLUMN,
    { key: 'events', header: 'EVENTS', type: 'count', description: 'Events in the period' },
    { key: 'touched', header: 'TOUCHED', type: 'count', description: 'Followed by an email, notify or task in their run' },
    { key: 'medianBusinessHours', header: 'MEDIAN', type: 'hours', description: 'Of the touched events: median business hours to the first touch' },
    { key: 'maxBusinessHours', header: 'MAX', type: 'hours', description: 'Of the touched events: the longest, in business hours' },
    {
      key: 'withinPercent',
      header: 'WITHIN %',
      type: 'percent',
      description: 'Touched within `within` business hours, of the events touched or whose window has passed',
    },
  ],
  async compute(store, query, calendars) {
    const { group, touches } = await eventTouches(store, query, calendars);
    const keys = [...group.keys, 'event'];
    const asOf = query.asOf.getTime();
    const groups = collect(
      touches,
      (t) => groupKeyOf(t.row, keys),
      (t) => ({
        hours: t.touchAt === null ? null : businessHours(t.at, t.touchAt, t.calendar),
        verdict: touchVerdict(t, query.within, 'business hour', asOf),
      }),
    );
    return [...groups.values()].map(({ first, values }): ReportRow => {
      const hours = values.flatMap((v) => (v.hours === null ? [] : [v.hours]));
      const decided = values.filter((v) => v.verdict !== 'pending');
      return {
        ...groupCells(first.row, keys),
        events: values.length,
        touched: hours.length,
        medianBusinessHours: round(median(hours)),
        maxBusinessHours: round(max(hours)),
        withinPercent: percent(decided.filter((v) => v.verdict === 'in time').length, decided.length),
      };
    });
  },
};
