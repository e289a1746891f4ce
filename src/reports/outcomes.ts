/**
 * Outcome distribution (docs/kpis.md): the runs that ended in the period by how they ended
 * (completed, stopped with its label, exited, or how the execution closed otherwise:
 * cancelled, terminated, failed, timedOut), each with its share of its group. All SQL.
 */
import { sql } from 'kysely';
import { round } from './figures.js';
import { ACCOUNT_CSM, scopeClause, groupCells, groupOf } from './groups.js';
import type { Kpi, ReportRow } from './types.js';

export const outcomes: Kpi = {
  name: 'outcomes',
  title: 'Outcome distribution',
  by: ['playbook', 'version', 'stage', 'csm', 'segment'],
  perPlaybook: false,
  columns: [
    { key: 'outcome', header: 'OUTCOME', type: 'text', description: 'completed, stopped, exited, cancelled, terminated, failed or timedOut' },
    { key: 'label', header: 'LABEL', type: 'text', description: "A stopped run's `stop with outcome` label" },
    { key: 'runs', header: 'RUNS', type: 'count', description: 'Runs that ended in the period so' },
    { key: 'percent', header: '%', type: 'percent', description: "Of the group's runs that ended in the period" },
  ],
  async compute(store, query) {
    // A run's stage here is the one it ended in.
    const group = groupOf(query.by, false, { playbook: sql`runs.playbook_id`, stage: sql`runs.stage`, csm: ACCOUNT_CSM });
    const { rows } = await sql<Record<string, unknown> & { outcome: string; label: string | null; runs: number; share: number }>`
      select ${group.select}, coalesce(runs.outcome, runs.status) as outcome, runs.outcome_label as label, count(*)::int as runs,
        100.0 * count(*) / sum(count(*)) over (partition by ${group.groupBy}) as share
      from runs
      left join accounts on accounts.account_id = runs.account_id
      where runs.ended_at >= ${query.from} and runs.ended_at < ${query.to} ${scopeClause(query)}
      group by ${group.groupBy}, coalesce(runs.outcome, runs.status), runs.outcome_label
      order by ${group.groupBy}, runs desc, outcome, label`.execute(store);
    return rows.map((r): ReportRow => ({ ...groupCells(r, group.keys), outcome: r.outcome, label: r.label, runs: r.runs, percent: round(Number(r.share), 1) }));
  },
};
