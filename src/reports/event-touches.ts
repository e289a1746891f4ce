/**
 * What follow-up and first touch (docs/kpis.md) both read: each `event` entry of the period
 * with the first `email`, `notify` or `task` entry after it in its run (one index probe per
 * event), and the calendar of its run. An event's name is its entry's text.
 */
import { sql } from 'kysely';
import { addDuration, type ResolvedCalendar } from '../calendar/index.js';
import { ACCOUNT_CSM, scopeClause, epochMs, groupOf, kindsIn, type Group } from './groups.js';
import type { CalendarSource, ReportQuery } from './types.js';
import type { Store } from '../store/connect.js';

/** Entry kinds that reach the customer or the team: a touch. */
export const TOUCH_KINDS = ['email', 'notify', 'task'] as const;

export interface EventTouch {
  row: Record<string, unknown>;
  /** Epoch ms. */
  at: number;
  touchAt: number | null;
  calendar: ResolvedCalendar;
}

/** Whether an event was touched by its instant plus `within` (as `up to N <unit>` counts it): late also when untouched past it, pending while the window is open. */
export function touchVerdict(t: EventTouch, within: number, unit: 'business hour' | 'business day', asOf: number): 'in time' | 'late' | 'pending' {
  const deadline = addDuration(t.at, { amount: within, unit }, t.calendar);
  if (t.touchAt !== null) return t.touchAt <= deadline ? 'in time' : 'late';
  return deadline < asOf ? 'late' : 'pending';
}

export async function eventTouches(store: Store, query: ReportQuery, calendars: CalendarSource): Promise<{ group: Group; touches: EventTouch[] }> {
  const group = groupOf(query.by, false, { playbook: sql`coalesce(ev.entry->>'playbook', runs.playbook_id)`, stage: sql`ev.stage`, csm: ACCOUNT_CSM });
  const { rows } = await sql<
    Record<string, unknown> & { playbook_id: string; playbook_version: string; account_id: string; at_ms: number; touch_ms: number | null }
  >`
    select ${group.select}, ev.entry->>'text' as event, runs.playbook_id, runs.playbook_version, runs.account_id, ${epochMs(sql`ev.at`)} as at_ms, ${epochMs(sql`touch.at`)} as touch_ms
    from timeline_entries ev
    join runs on runs.run_id = ev.run_id
    left join accounts on accounts.account_id = runs.account_id
    left join lateral (
      select t.at from timeline_entries t
      where t.run_id = ev.run_id and t.seq > ev.seq and t.kind in (${kindsIn(TOUCH_KINDS)})
      order by t.seq limit 1
    ) touch on true
    where ev.kind = 'event' and ev.at >= ${query.from} and ev.at < ${query.to} ${scopeClause(query)}
    order by ${group.groupBy}, event`.execute(store);
  const lookup = await calendars(rows);
  return {
    group,
    touches: rows.map((row) => ({ row, at: row.at_ms, touchAt: row.touch_ms, calendar: lookup.of(row) })),
  };
}

/** The key columns of both KPIs: the group's, then the event's name. */
export const EVENT_COLUMN = { key: 'event', header: 'EVENT', type: 'text', description: 'The event' } as const;
