/**
 * The stage funnel (docs/kpis.md): of the runs started in the period, per playbook, how many
 * reached each of its stages (its own `stage` entries; a child playbook's are not its), where
 * they are now or how they ended in it, counted by SQL in one pass over the visits; and the
 * median business days a visit of the stage lasted (to the run's next stage, or its end),
 * computed from the ended visits it returns.
 */
import { sql } from 'kysely';
import { businessDays, median, percent, round } from './figures.js';
import { ACCOUNT_CSM, bookClause, epochMs, groupCells, groupOf } from './groups.js';
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
      where runs.started_at >= ${query.from} and runs.started_at < ${query.to} ${bookClause(query)}`;
    const groupCols = sql.join(group.keys.map((k) => sql.ref(`v.${k}`)));
    // The visits that ended (to the next stage, or at the run's end) come back as parallel
    // arrays in one order, for their business days: the visits are read once.
    const done = sql`where v.stage is not null and coalesce(v.left_at, v.ended_at) is not null`;
    const inOrder = sql`order by v.run_id, v.visit_no`;
    const { rows } = await sql<
      Record<string, unknown> & {
        playbook: string;
        reached: number;
        started: number;
        in_stage: number;
        completed: number;
        stopped: number;
        exited: number;
        other_end: number;
        at_ms: number[] | null;
        until_ms: number[] | null;
        versions: string[] | null;
        accounts: string[] | null;
      }
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
        avg(v.visit_no) as mean_visit_no,
        array_agg(${epochMs(sql`v.at`)} ${inOrder}) filter (${done}) as at_ms,
        array_agg(${epochMs(sql`coalesce(v.left_at, v.ended_at)`)} ${inOrder}) filter (${done}) as until_ms,
        array_agg(v.playbook_version ${inOrder}) filter (${done}) as versions,
        array_agg(v.account_id ${inOrder}) filter (${done}) as accounts
      from v
      join (select ${groupCols}, count(distinct v.run_id) as n from v group by ${groupCols}) started
        on ${sql.join(
          group.keys.map((k) => sql`started.${sql.ref(k)} is not distinct from v.${sql.ref(k)}`),
          sql` and `,
        )}
      group by ${groupCols}, v.stage
      order by ${groupCols}, v.stage is not null, mean_visit_no, v.stage`.execute(store);
    const runOf = (r: (typeof rows)[number], i: number) => ({ playbook_id: r.playbook, playbook_version: r.versions![i]!, account_id: r.accounts![i]! });
    const lookup = await calendars(rows.flatMap((r) => (r.versions ?? []).map((_, i) => runOf(r, i))));
    return rows.map((r): ReportRow => ({
      ...groupCells(r, keys),
      reached: r.reached,
      reachedPercent: percent(r.reached, r.started),
      medianBusinessDays: round(median((r.at_ms ?? []).map((at, i) => businessDays(at, r.until_ms![i]!, lookup.of(runOf(r, i)))))),
      inStage: r.in_stage,
      completed: r.completed,
      stopped: r.stopped,
      exited: r.exited,
      otherEnd: r.other_end,
    }));
  },
};
