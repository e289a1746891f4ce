/**
 * How the reports turn counts and durations into figures, the same for every KPI: percentages
 * to one decimal, business hours and days to two, medians of the values themselves. Business
 * time is the calendar module's (`businessTimeBetween`, in a working day's length for days).
 */
import { businessTimeBetween, workingDayLength, type ResolvedCalendar } from '../calendar/index.js';

const HOUR_MS = 3_600_000;

/** `part / whole` as a percentage to one decimal; null when there is nothing to divide. */
export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : round((part / whole) * 100, 1);
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function max(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => (b > a ? b : a));
}

export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

export function round(value: number | null, decimals = 2): number | null {
  if (value === null) return null;
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/** Working hours of `cal` between two instants (epoch ms). */
export function businessHours(from: number, to: number, cal: ResolvedCalendar): number {
  return businessTimeBetween(from, to, cal) / HOUR_MS;
}

/** Working days of `cal` between two instants: its working time in working days' lengths. */
export function businessDays(from: number, to: number, cal: ResolvedCalendar): number {
  return businessTimeBetween(from, to, cal) / workingDayLength(cal);
}

/** Values of `rows` collected per key, in the order keys first appear. */
export function collect<R, V>(rows: readonly R[], keyOf: (row: R) => string, valueOf: (row: R) => V): Map<string, { first: R; values: V[] }> {
  const groups = new Map<string, { first: R; values: V[] }>();
  for (const row of rows) {
    const key = keyOf(row);
    let group = groups.get(key);
    if (group === undefined) {
      group = { first: row, values: [] };
      groups.set(key, group);
    }
    group.values.push(valueOf(row));
  }
  return groups;
}
