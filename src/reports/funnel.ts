/**
 * The stage funnel (docs/kpis.md): of the runs started in the period, per playbook, how many
 * reached each of its stages (its own `stage` entries; a child playbook's are not its), where
 * they are now or how they ended in it, counted by SQL; and the median business days a visit
 * of the stage lasted (to the run's next stage, or its end), computed from the visits.
 */
import { sql } from 'kysely';
import { businessDays, collect, median, percent, round } from './figures.js';
import { ACCOUNT_CSM, scopeClause, epochMs, groupCells, groupKeyOf, groupOf } from './groups.js';
import type { Kpi, ReportRow } from './types.js';

export const funnel: Kpi = {
  name: 'funnel',
  title: 'Stage funnel',
  by: ['playbook', 'version', 'csm', 'segment'],
  perPlaybook: true,
  columns: [
    { key: 'stage', header: 'STAGE', type: 'text', description: 'The stage; null for runs that ended before their first' },
    { key: 'reached', header: 'REACHED', type: 'count', description: 'Runs started in the period that reached it' },
    { key: 'reachedPercent', header: 'REACHED %', type: 'percent', description: "Of the group's runs started in the period" },
    {
      key: 'medianBusinessDays',
      header: 'MEDIAN DAYS',
      type: 'days',
      description: 'Median business days of a visit that ended (next stage, or the run’s end)',
    },
    { key: 'inStage', header: 'IN IT NOW', type: 'count', description: 'Runs still in it (not ended)' },
    { key: 'completed', header: 'COMPLETED', type: 'count', description: 'Runs that completed in it' },
    { key: 'stopped', header: 'STOPPED', type: 'count', description: 'Runs that stopped in it (`stop with outcome`)' },
    { key: 'exited', header: 'EXITED', type: 'count', description: 'Runs that exited in it (`exit when`)' },
    { key: 'otherEnd', header: 'OTHER END', type: 'count', description: 'Runs cancelled, terminated, failed or timed out in it' },
  ],
  async compute(store, query, calendars) {
    const group = groupOf(query.by, true, { playbook: sql`runs.playbook_id`, csm: ACCOUNT_CSM });
    const keys = [...group.keys, 'stage'];
    // Each run's visits of its own stages, in order; a run without any is one visit of stage
    // null. The lateral subquery is ordered, so it stays a per-run probe of the stage index
    // (the planner would otherwise read every stage entry of the store, misjudging the filter on
    // the entry's JSON).
    const visits = sql`
      select ${group.select}, runs.run_id, runs.playbook_id, runs.playbook_version, runs.account_id, runs.ended_at,
        coalesce(runs.outcome, runs.status) as ending, visit.stage, visit.at, visit.visit_no, visit.left_at, visit.last
      from runs
      left join accounts on accounts.account_id = runs.account_id
      left join lateral (
        select e.stage, e.at,
          row_number() over (order by e.seq) as visit_no,
          lead(e.at) over (order by e.seq) as left_at,
          lead(e.seq) over (order by e.seq) is null as last
        from timeline_entries e
        where e.run_id = runs.run_id and e.kind = 'stage' and e.entry->>'playbook' is null
        order by e.seq
      ) visit on true
      where runs.started_at >= ${query.from} and runs.started_at < ${query.to} ${scopeClause(query)}`;
    const groupCols = sql.join(group.keys.map((k) => sql.ref(`v.${k}`)));
    const [stages, ended] = await Promise.all([
      sql<
        Record<string, unknown> & { reached: number; started: number; in_stage: number; completed: number; stopped: number; exited: number; other_end: number }
      >`
        with v as (${visits})
        select ${groupCols}, v.stage,
          count(distinct v.run_id)::int as reached,
          max(started.n)::int as started,
          count(*) filter (where v.last is not false and v.ended_at is null)::int as in_stage,
          count(*) filter (where v.last is not false and v.ended_at is not null and v.ending = 'completed')::int as completed,
          count(*) filter (where v.last is not false and v.ended_at is not null and v.ending = 'stopped')::int as stopped,
          count(*) filter (where v.last is not false and v.ended_at is not null and v.ending = 'exited')::int as exited,
          count(*) filter (where v.last is not false and v.ended_at is not null and v.ending not in ('completed', 'stopped', 'exited'))::int as other_end,
          avg(v.visit_no) as mean_visit_no
        from v
        join (select ${groupCols}, count(distinct v.run_id) as n from v group by ${groupCols}) started
          on ${sql.join(
            group.keys.map((k) => sql`started.${sql.ref(k)} is not distinct from v.${sql.ref(k)}`),
            sql` and `,
          )}
        group by ${groupCols}, v.stage
        order by ${groupCols}, v.stage is not null, mean_visit_no, v.stage`.execute(store),
      // Visits that ended: to the next stage, or at the run's end.
      sql<Record<string, unknown> & { playbook_id: string; playbook_version: string; account_id: string; at_ms: number; until_ms: number }>`
        with v as (${visits})
        select ${groupCols}, v.stage, v.playbook_id, v.playbook_version, v.account_id, ${epochMs(sql`v.at`)} as at_ms, ${epochMs(sql`coalesce(v.left_at, v.ended_at)`)} as until_ms
        from v where v.stage is not null and coalesce(v.left_at, v.ended_at) is not null`.execute(store),
    ]);
    const lookup = await calendars(ended.rows);
    const durations = collect(
      ended.rows,
      (r) => groupKeyOf(r, keys),
      (r) => businessDays(r.at_ms, r.until_ms, lookup.of(r)),
    );
    return stages.rows.map((r): ReportRow => ({
      ...groupCells(r, keys),
      reached: r.reached,
      reachedPercent: percent(r.reached, r.started),
      medianBusinessDays: round(median(durations.get(groupKeyOf(r, keys))?.values ?? [])),
      inStage: r.in_stage,
      completed: r.completed,
      stopped: r.stopped,
      exited: r.exited,
      otherEnd: r.other_end,
    }));
  },
};
