/**
 * Goal attainment (docs/kpis.md): per goal of a playbook, the `goal-met` and `goal-missed`
 * entries of the period, met / (met + missed) against the goal's target (the newest entry's),
 * and the median business minutes a met goal took (as its entry says). All SQL.
 */
import { sql, type RawBuilder } from 'kysely';
import { percent, round } from './figures.js';
import { ACCOUNT_CSM, scopeClause, groupCells, groupOf, kindsIn, type Group } from './groups.js';
import type { Kpi, ReportQuery, ReportRow } from './types.js';

export const GOAL_KINDS = ['goal-met', 'goal-missed'] as const;

/** The goal entries of the period with their group, goal id, title and target: the FROM part both goal reports share. */
export function goalEntries(query: ReportQuery): { group: Group; from: RawBuilder<unknown> } {
  const group = groupOf(query.by, true, { playbook: sql`coalesce(goal.entry->>'playbook', runs.playbook_id)`, csm: ACCOUNT_CSM });
  const from = sql`
    from timeline_entries goal
    join runs on runs.run_id = goal.run_id
    left join accounts on accounts.account_id = runs.account_id
    where goal.kind in (${kindsIn(GOAL_KINDS)}) and goal.at >= ${query.from} and goal.at < ${query.to} ${scopeClause(query)}`;
  return { group, from };
}

/** A goal entry's number field, or null when it holds something else. */
export function goalNumber(field: 'target' | 'took'): RawBuilder<number | null> {
  return sql<number | null>`case when jsonb_typeof(goal.entry->${field}) = 'number' then (goal.entry->>${field})::float8 end`;
}

export const goals: Kpi = {
  name: 'goals',
  title: 'Goal attainment',
  by: ['playbook', 'version', 'csm', 'segment'],
  perPlaybook: true,
  columns: [
    { key: 'goal', header: 'GOAL', type: 'text', description: 'The goal’s id' },
    { key: 'text', header: 'TITLE', type: 'text', description: 'The goal’s title' },
    { key: 'target', header: 'TARGET %', type: 'percent', description: 'The goal’s target, as its newest entry in the group gives it' },
    { key: 'met', header: 'MET', type: 'count', description: '`goal-met` entries in the period' },
    { key: 'missed', header: 'MISSED', type: 'count', description: '`goal-missed` entries in the period' },
    { key: 'attainmentPercent', header: 'ATTAINED %', type: 'percent', description: 'met / (met + missed)' },
    { key: 'onTarget', header: 'ON TARGET', type: 'flag', description: 'attainment at or above the target' },
    { key: 'medianTookBusinessMinutes', header: 'MEDIAN TOOK', type: 'minutes', description: 'Median business minutes a met goal took' },
  ],
  async compute(store, query) {
    const { group, from } = goalEntries(query);
    const { rows } = await sql<
      Record<string, unknown> & { goal: string | null; text: string | null; target: number | null; met: number; missed: number; took: number | null }
    >`
      select ${group.select}, goal.entry->>'goal' as goal,
        (array_agg(goal.entry->>'text' order by goal.at desc, goal.seq desc))[1] as text,
        (array_agg(${goalNumber('target')} order by goal.at desc, goal.seq desc))[1] as target,
        count(*) filter (where goal.kind = 'goal-met')::int as met,
        count(*) filter (where goal.kind = 'goal-missed')::int as missed,
        percentile_cont(0.5) within group (order by ${goalNumber('took')}) filter (where goal.kind = 'goal-met') as took
      ${from}
      group by ${group.groupBy}, goal.entry->>'goal'
      order by ${group.groupBy}, goal`.execute(store);
    return rows.map((r): ReportRow => {
      const attainment = percent(r.met, r.met + r.missed);
      return {
        ...groupCells(r, group.keys),
        goal: r.goal,
        text: r.text,
        target: r.target,
        met: r.met,
        missed: r.missed,
        attainmentPercent: attainment,
        onTarget: attainment === null || r.target === null ? null : attainment >= r.target,
        medianTookBusinessMinutes: round(r.took),
      };
    });
  },
};
