/**
 * Goal attainment per week (docs/kpis.md): the goals report's met and missed per week, the
 * week (Monday to Sunday) of the entry's date in the run's calendar; the entries are read
 * by SQL and counted into their local weeks.
 */
import { sql } from 'kysely';
import { localDate } from '../calendar/index.js';
import { collect, percent } from './figures.js';
import { epochMs, groupCells, groupKeyOf } from './groups.js';
import { goalEntries, goalNumber } from './goals.js';
import { compareStrings } from '../util/compare-strings.js';
import type { Kpi, ReportRow } from './types.js';

const DAY_MS = 86_400_000;

/** The Monday of the week holding the date `YYYY-MM-DD`. */
function mondayOf(date: string): string {
  const t = Date.parse(`${date}T00:00:00Z`);
  const weekday = (new Date(t).getUTCDay() + 6) % 7;
  return new Date(t - weekday * DAY_MS).toISOString().slice(0, 10);
}

export const goalTrend: Kpi = {
  name: 'goal-trend',
  title: 'Goal attainment per week',
  by: ['playbook', 'version', 'csm', 'segment'],
  perPlaybook: true,
  columns: [
    { key: 'goal', header: 'GOAL', type: 'text', description: 'The goal’s id' },
    { key: 'week', header: 'WEEK', type: 'text', description: "The week's Monday, YYYY-MM-DD, in the runs' calendars" },
    { key: 'target', header: 'TARGET %', type: 'percent', description: 'The goal’s target, as its newest entry of the week gives it' },
    { key: 'met', header: 'MET', type: 'count', description: '`goal-met` entries that week' },
    { key: 'missed', header: 'MISSED', type: 'count', description: '`goal-missed` entries that week' },
    { key: 'attainmentPercent', header: 'ATTAINED %', type: 'percent', description: 'met / (met + missed)' },
  ],
  async compute(store, query, calendars) {
    const { group, from } = goalEntries(query);
    const { rows } = await sql<
      Record<string, unknown> & {
        goal: string | null;
        met: boolean;
        target: number | null;
        playbook_id: string;
        playbook_version: string;
        account_id: string;
        at_ms: number;
      }
    >`
      select ${group.select}, goal.entry->>'goal' as goal, goal.kind = 'goal-met' as met, ${goalNumber('target')} as target,
        runs.playbook_id, runs.playbook_version, runs.account_id, ${epochMs(sql`goal.at`)} as at_ms
      ${from}
      order by goal.at, goal.run_id, goal.seq`.execute(store);
    const lookup = await calendars(rows);
    const weekly = rows.map((r) => ({ ...r, week: mondayOf(localDate(r.at_ms, lookup.of(r))) }));
    const keys = [...group.keys, 'goal', 'week'];
    const weeks = collect(
      weekly,
      (r) => groupKeyOf(r, keys),
      (r) => r,
    );
    return [...weeks.values()]
      .map(({ first, values }): ReportRow => {
        const met = values.filter((v) => v.met).length;
        return {
          ...groupCells(first, keys),
          target: values.at(-1)!.target,
          met,
          missed: values.length - met,
          attainmentPercent: percent(met, values.length),
        };
      })
      .sort((a, b) => keys.reduce((order, k) => order || compareStrings(String(a[k] ?? ''), String(b[k] ?? '')), 0));
  },
};
