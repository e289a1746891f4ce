/**
 * Compare versions (docs/kpis.md): per playbook version, the runs started in the period, how
 * those that ended ended, and the goals they met and missed (up to the report's "now"), with
 * when the version was deployed, so a change to a playbook is judged by its results. All SQL.
 */
import { sql } from 'kysely';
import { percent } from './figures.js';
import { GOAL_KINDS } from './goals.js';
import { scopeClause, kindsIn } from './groups.js';
import type { Kpi, ReportRow } from './types.js';

export const versions: Kpi = {
  name: 'versions',
  title: 'Playbook versions compared',
  by: ['version'],
  perPlaybook: true,
  columns: [
    { key: 'deployedAt', header: 'DEPLOYED', type: 'text', description: 'When the version was first deployed (null: before sources were kept)' },
    { key: 'runs', header: 'RUNS', type: 'count', description: 'Runs of the version started in the period' },
    { key: 'ended', header: 'ENDED', type: 'count', description: 'Those that have ended' },
    { key: 'completedPercent', header: 'COMPLETED %', type: 'percent', description: 'Of the ended: completed' },
    { key: 'stoppedPercent', header: 'STOPPED %', type: 'percent', description: 'Of the ended: stopped' },
    { key: 'exitedPercent', header: 'EXITED %', type: 'percent', description: 'Of the ended: exited' },
    { key: 'otherEndPercent', header: 'OTHER %', type: 'percent', description: 'Of the ended: cancelled, terminated, failed or timed out' },
    { key: 'goalsMet', header: 'GOALS MET', type: 'count', description: 'Their `goal-met` entries' },
    { key: 'goalsMissed', header: 'GOALS MISSED', type: 'count', description: 'Their `goal-missed` entries' },
    { key: 'attainmentPercent', header: 'ATTAINED %', type: 'percent', description: 'goalsMet / (goalsMet + goalsMissed)' },
  ],
  async compute(store, query) {
    const { rows } = await sql<{
      playbook: string;
      version: string;
      deployed_at: Date | null;
      runs: number;
      ended: number;
      completed: number;
      stopped: number;
      exited: number;
      goals_met: number;
      goals_missed: number;
    }>`
      with cohort as (
        select runs.run_id, runs.playbook_id, runs.playbook_version, runs.ended_at, coalesce(runs.outcome, runs.status) as ending
        from runs left join accounts on accounts.account_id = runs.account_id
        where runs.started_at >= ${query.from} and runs.started_at < ${query.to} ${scopeClause(query)}
      )
      select cohort.playbook_id as playbook, cohort.playbook_version as version, min(sources.deployed_at) as deployed_at,
        count(*)::int as runs,
        count(*) filter (where cohort.ended_at is not null)::int as ended,
        count(*) filter (where cohort.ended_at is not null and cohort.ending = 'completed')::int as completed,
        count(*) filter (where cohort.ended_at is not null and cohort.ending = 'stopped')::int as stopped,
        count(*) filter (where cohort.ended_at is not null and cohort.ending = 'exited')::int as exited,
        coalesce(sum(goals.met), 0)::int as goals_met,
        coalesce(sum(goals.missed), 0)::int as goals_missed
      from cohort
      -- Per run, one probe of the goal index (an aggregate keeps the subquery a per-run probe).
      left join lateral (
        select count(*) filter (where goal.kind = 'goal-met') as met, count(*) filter (where goal.kind = 'goal-missed') as missed
        from timeline_entries goal
        where goal.run_id = cohort.run_id and goal.kind in (${kindsIn(GOAL_KINDS)}) and goal.at < ${query.asOf}
      ) goals on true
      left join playbook_sources sources on sources.playbook_id = cohort.playbook_id and sources.version = cohort.playbook_version
      group by cohort.playbook_id, cohort.playbook_version
      order by cohort.playbook_id, min(sources.deployed_at) nulls first, cohort.playbook_version`.execute(store);
    return rows.map((r): ReportRow => ({
      playbook: r.playbook,
      version: r.version,
      deployedAt: r.deployed_at?.toISOString() ?? null,
      runs: r.runs,
      ended: r.ended,
      completedPercent: percent(r.completed, r.ended),
      stoppedPercent: percent(r.stopped, r.ended),
      exitedPercent: percent(r.exited, r.ended),
      otherEndPercent: percent(r.ended - r.completed - r.stopped - r.exited, r.ended),
      goalsMet: r.goals_met,
      goalsMissed: r.goals_missed,
      attainmentPercent: percent(r.goals_met, r.goals_met + r.goals_missed),
    }));
  },
};
