/**
 * Escalation lead time (docs/kpis.md): for each escalation of the period, the business days of
 * the run's calendar since its signal, the nearest `set`, `task-completed` or `event` entry
 * before it in its run (the engine records no other link between an escalation and what
 * caused it). SQL finds each escalation's signal (one index probe per escalation); the
 * business days are computed from the pairs.
 */
import { sql } from 'kysely';
import { businessDays, collect, max, mean, median, percent, round } from './figures.js';
import { ACCOUNT_CSM, scopeClause, epochMs, groupCells, groupKeyOf, groupOf, kindsIn } from './groups.js';
import type { Kpi, ReportRow } from './types.js';

/** Entry kinds that record a condition or rating a playbook can escalate on. */
export const SIGNAL_KINDS = ['set', 'task-completed', 'event'] as const;

export const escalationLeadTime: Kpi = {
  name: 'escalation-lead-time',
  title: 'Escalation lead time',
  by: ['playbook', 'version', 'stage', 'csm', 'segment'],
  perPlaybook: false,
  within: { unit: 'business day', default: 5 },
  columns: [
    { key: 'escalations', header: 'ESCALATIONS', type: 'count', description: 'Escalations in the period' },
    { key: 'measured', header: 'MEASURED', type: 'count', description: 'Those with a signal before them in their run' },
    { key: 'meanBusinessDays', header: 'MEAN', type: 'days', description: 'Mean business days from signal to escalation' },
    { key: 'medianBusinessDays', header: 'MEDIAN', type: 'days', description: 'Median business days from signal to escalation' },
    { key: 'maxBusinessDays', header: 'MAX', type: 'days', description: 'The longest, in business days' },
    { key: 'withinPercent', header: 'WITHIN %', type: 'percent', description: 'Measured escalations at most `within` business days after their signal' },
  ],
  async compute(store, query, calendars) {
    const group = groupOf(query.by, false, { playbook: sql`escalations.playbook_id`, stage: sql`escalations.stage`, csm: ACCOUNT_CSM });
    const { rows } = await sql<
      Record<string, unknown> & { playbook_id: string; playbook_version: string; account_id: string; at_ms: number; signal_ms: number | null }
    >`
      select ${group.select}, runs.playbook_id, runs.playbook_version, runs.account_id, ${epochMs(sql`escalations.at`)} as at_ms, ${epochMs(sql`signal.at`)} as signal_ms
      from escalations
      join runs on runs.run_id = escalations.run_id
      left join accounts on accounts.account_id = escalations.account_id
      left join lateral (
        select e.at from timeline_entries e
        where e.run_id = escalations.run_id and e.seq < escalations.seq and e.kind in (${kindsIn(SIGNAL_KINDS)})
        order by e.seq desc limit 1
      ) signal on true
      where escalations.at >= ${query.from} and escalations.at < ${query.to} ${scopeClause(query)}
      order by ${group.groupBy}`.execute(store);
    const lookup = await calendars(rows);
    const groups = collect(
      rows,
      (r) => groupKeyOf(r, group.keys),
      (r) => (r.signal_ms === null ? null : businessDays(r.signal_ms, r.at_ms, lookup.of(r))),
    );
    return [...groups.values()].map(({ first, values }): ReportRow => {
      const days = values.filter((d): d is number => d !== null);
      return {
        ...groupCells(first, group.keys),
        escalations: values.length,
        measured: days.length,
        meanBusinessDays: round(mean(days)),
        medianBusinessDays: round(median(days)),
        maxBusinessDays: round(max(days)),
        withinPercent: percent(days.filter((d) => d <= query.within).length, days.length),
      };
    });
  },
};
