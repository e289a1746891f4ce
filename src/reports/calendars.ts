/**
 * The calendar each run's business time is counted in, from the store alone: its version's
 * entry-playbook calendar as kept at deploy (`playbook_sources.calendar`), resolved for the
 * account's current data with the holidays of the report's years. A version kept without one
 * (the playbook has no calendar, or it was deployed before calendars were kept) reads in the
 * default calendar; account data that no longer resolves (a holiday field holding something
 * else now) reads in the calendar's own fallbacks (docs/kpis.md, "Business time").
 */
import { defaultCalendar, type ResolvedCalendar } from '../calendar/index.js';
import { resolveCalendar } from '../calendar/resolve.js';
import type { AccountData, CalendarIr } from '../ir/types.js';
import { sql } from 'kysely';
import type { Store } from '../store/connect.js';
import type { CalendarLookup, CalendarSource } from './types.js';

/** The years a report's business time may touch: those of its period and its "now", and one either side. */
function horizon(from: Date, until: Date): { from: number; to: number } {
  return { from: from.getUTCFullYear() - 1, to: until.getUTCFullYear() + 1 };
}

/** A `CalendarSource` for a report whose times lie between `from` and `until`. */
export function storeCalendars(store: Store, from: Date, until: Date): CalendarSource {
  const years = horizon(from, until);
  return async (rows) => {
    const kept = await store.selectFrom('playbook_sources').select(['playbook_id', 'version', 'calendar']).where('calendar', 'is not', null).execute();
    const byVersion = new Map(kept.map((k) => [`${k.playbook_id} ${k.version}`, k.calendar!]));
    const fields = [...new Set([...byVersion.values()].flatMap(accountFieldsOf))];
    const accounts = new Map<string, AccountData>();
    const ids = [...new Set(rows.map((r) => r.account_id))];
    if (fields.length > 0 && ids.length > 0) {
      // Only the fields the calendars read, and the ids as one array parameter (a quarter can name more accounts than a statement takes parameters).
      const picked = sql.join(fields.map((f) => sql`${f}::text, data->${f}`));
      const { rows: found } = await sql<{ account_id: string; fields: Record<string, AccountData[string]> }>`
        select account_id, jsonb_build_object(${picked}) as fields from accounts where account_id = any(${ids}::text[])`.execute(store);
      for (const a of found) accounts.set(a.account_id, { ...stripNulls(a.fields), id: a.account_id });
    }
    const resolved = new Map<string, ResolvedCalendar>();
    const lookup: CalendarLookup = {
      of({ playbook_id, playbook_version, account_id }) {
        const cal = byVersion.get(`${playbook_id} ${playbook_version}`);
        if (cal === undefined) return defaultCalendar;
        const key = `${playbook_id} ${playbook_version} ${account_id}`;
        let calendar = resolved.get(key);
        if (calendar === undefined) {
          calendar = resolveFor(cal, accounts.get(account_id) ?? { id: account_id }, years);
          resolved.set(key, calendar);
        }
        return calendar;
      },
    };
    return lookup;
  };
}

function stripNulls(fields: Record<string, AccountData[string]>): Record<string, AccountData[string]> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null));
}

/** `cal` for `account`; in the calendar's own fallbacks when the account's data no longer resolves. */
export function resolveFor(cal: CalendarIr, account: AccountData, years: { from: number; to: number }): ResolvedCalendar {
  try {
    return resolveCalendar(cal, account, years);
  } catch {
    // The account's data no longer names a zone or holiday code the calendar can use.
    return resolveCalendar(cal, { id: account.id }, years);
  }
}

/** The account fields a calendar reads: its time zone's and its holiday lines'. */
export function accountFieldsOf(cal: CalendarIr): string[] {
  const sources = [...cal.timezone, ...(cal.holidaySources ?? []).flat()];
  return sources.flatMap((s) => ('field' in s ? [s.field] : []));
}
