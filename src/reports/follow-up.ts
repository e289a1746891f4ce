/**
 * Follow-up within N business days of an event (docs/kpis.md): of the period's events whose
 * window has passed or that were touched, the share touched (email, notify or task) by the
 * event's instant plus N business days of the run's calendar, as `wait … up to N business
 * days` counts them.
 */
import { EVENT_COLUMN, eventTouches, touchVerdict } from './event-touches.js';
import { collect, percent } from './figures.js';
import { groupCells, groupKeyOf } from './groups.js';
import type { Kpi, ReportRow } from './types.js';

export const followUp: Kpi = {
  name: 'follow-up',
  title: 'Follow-up within N business days of an event',
  by: ['playbook', 'version', 'stage', 'csm', 'segment'],
  perPlaybook: false,
  within: { unit: 'business day', default: 2 },
  columns: [
    EVENT_COLUMN,
    { key: 'events', header: 'EVENTS', type: 'count', description: 'Events in the period' },
    { key: 'followedUp', header: 'FOLLOWED UP', type: 'count', description: 'Touched within `within` business days' },
    { key: 'notFollowedUp', header: 'NOT', type: 'count', description: 'Touched later, or not at all and the window has passed' },
    { key: 'pending', header: 'PENDING', type: 'count', description: 'Not touched yet, the window still open' },
    { key: 'followUpPercent', header: 'FOLLOWED UP %', type: 'percent', description: 'followedUp / (followedUp + notFollowedUp)' },
  ],
  async compute(store, query, calendars) {
    const { group, touches } = await eventTouches(store, query, calendars);
    const keys = [...group.keys, 'event'];
    const asOf = query.asOf.getTime();
    const verdicts = collect(
      touches,
      (t) => groupKeyOf(t.row, keys),
      (t) => touchVerdict(t, query.within, 'business day', asOf),
    );
    return [...verdicts.values()].map(({ first, values }): ReportRow => {
      const count = (v: ReturnType<typeof touchVerdict>) => values.filter((x) => x === v).length;
      const [inTime, late, pending] = [count('in time'), count('late'), count('pending')];
      return {
        ...groupCells(first.row, keys),
        events: values.length,
        followedUp: inTime,
        notFollowedUp: late,
        pending,
        followUpPercent: percent(inTime, inTime + late),
      };
    });
  },
};
