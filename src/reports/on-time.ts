/**
 * Tasks done on time (docs/kpis.md): of the tasks due in the period, those completed by their
 * due against those completed after it, closed after it without being completed, or still
 * open past it; counted by SQL. How late the late ones were, in business hours of the run's
 * calendar, is computed from their rows.
 */
import { sql } from 'kysely';
import { businessHours, collect, max, median, percent, round } from './figures.js';
import { scopeClause, epochMs, groupCells, groupKeyOf, groupOf } from './groups.js';
import type { Kpi, ReportRow } from './types.js';

export const onTime: Kpi = {
  name: 'on-time',
  title: 'Tasks done on time',
  by: ['playbook', 'version', 'stage', 'csm', 'segment'],
  perPlaybook: false,
  columns: [
    { key: 'tasks', header: 'TASKS', type: 'count', description: 'Tasks due in the period that were done or are late: on time + late' },
    { key: 'onTime', header: 'ON TIME', type: 'count', description: 'Completed at or before their due' },
    { key: 'late', header: 'LATE', type: 'count', description: 'Completed or closed after their due, or still open past it' },
    { key: 'onTimePercent', header: 'ON TIME %', type: 'percent', description: 'onTime / tasks' },
    {
      key: 'medianLateBusinessHours',
      header: 'MEDIAN LATE',
      type: 'hours',
      description: 'Of the late tasks: business hours from the due to completion (or to as-of while open)',
    },
    { key: 'maxLateBusinessHours', header: 'MAX LATE', type: 'hours', description: 'Of the late tasks: the latest, in business hours' },
  ],
  async compute(store, query, calendars) {
    // A task's stage is its `task` entry's; its CSM is its assignee.
    const group = groupOf(query.by, false, {
      playbook: sql`tasks.playbook_id`,
      stage: sql`task_entry.stage`,
      csm: sql`tasks.assignee`,
    });
    const late = sql`(tasks.closed_at > tasks.due_at or (tasks.state = 'open' and tasks.due_at < ${query.asOf}))`;
    const counted = sql`(tasks.state = 'completed' or ${late})`;
    const from = sql`
      from tasks
      join runs on runs.run_id = tasks.run_id
      left join accounts on accounts.account_id = tasks.account_id
      left join timeline_entries task_entry on task_entry.run_id = tasks.run_id and task_entry.seq = tasks.seq
      where tasks.due_at >= ${query.from} and tasks.due_at < ${query.to} and ${counted} ${scopeClause(query)}`;
    const [counts, lateRows] = await Promise.all([
      sql<Record<string, unknown> & { on_time: number; late: number }>`
        select ${group.select},
          count(*) filter (where not ${late})::int as on_time,
          count(*) filter (where ${late})::int as late
        ${from}
        group by ${group.groupBy}
        order by ${group.groupBy}`.execute(store),
      sql<Record<string, unknown> & { playbook_id: string; playbook_version: string; account_id: string; due_ms: number; until_ms: number }>`
        select ${group.select}, runs.playbook_id, runs.playbook_version, runs.account_id, ${epochMs(sql`tasks.due_at`)} as due_ms,
          ${epochMs(sql`coalesce(tasks.closed_at, ${query.asOf})`)} as until_ms
        ${from} and ${late}`.execute(store),
    ]);
    const lookup = await calendars(lateRows.rows);
    const lateness = collect(
      lateRows.rows,
      (r) => groupKeyOf(r, group.keys),
      (r) => businessHours(r.due_ms, r.until_ms, lookup.of(r)),
    );
    return counts.rows.map((r): ReportRow => {
      const hours = lateness.get(groupKeyOf(r, group.keys))?.values ?? [];
      return {
        ...groupCells(r, group.keys),
        tasks: r.on_time + r.late,
        onTime: r.on_time,
        late: r.late,
        onTimePercent: percent(r.on_time, r.on_time + r.late),
        medianLateBusinessHours: round(median(hours)),
        maxLateBusinessHours: round(max(hours)),
      };
    });
  },
};
