/**
 * Trigger evaluation for the account entity: which deployed playbooks an event starts, which
 * `when` conditions became true, when each date trigger fires, and when the entity must wake
 * up next. Pure and workflow-safe: time comes in as `now`, holidays come resolved in each
 * playbook's calendar.
 */
import { addDuration, dateToInstant, isDateUnit, localDate, shiftDate, type ResolvedCalendar } from '../calendar/index.js';
import { describeCadence, describeTrigger } from '../ir/describe-trigger.js';
import type { AccountData, DurationIr, ExprIr, TriggerGuardsIr, TriggerIr } from '../ir/types.js';
import { evaluate, isTrue } from '../runtime/expr.js';
import { dueOccurrence, occurrence, periodAt } from './cadence.js';

/** A deployed playbook's triggers, with its calendar resolved for the account. */
export interface DeployedTriggers {
  playbook: string;
  version: string;
  triggers: TriggerIr[];
  calendar: ResolvedCalendar;
  /** Present while `playbook disable` holds the playbook off: who switched it off when (UTC ISO-8601). */
  disabled?: { by: string; at: string };
  /**
   * `start at most N per day`, with the zone whose days are counted: the one the playbook's
   * calendar names for no account in particular, the same for every account. Absent: none.
   */
  throttle?: { perDay: number; timezone: string };
}

export interface TriggerContext {
  /** The registry generation the triggers were read from. */
  generation: number;
  playbooks: DeployedTriggers[];
}

/** A date trigger's or a cadence's planned firing. */
export interface PlannedFiring {
  playbook: string;
  /** Index of the trigger in the playbook's `triggers`. */
  trigger: number;
  /** The date field; for a cadence, the cadence (`every quarter on first business day`). */
  field: string;
  /** The field's value the plan was made from (`YYYY-MM-DD`); for a cadence, the local date it fires on. */
  date: string;
  /** A cadence's firing: it fires once per period (`every …`). Absent for date triggers. */
  cadence?: true;
  /** UTC ISO-8601. */
  fireAt: string;
}

/** Payloads of events bound with `as`, by name: what a run starts with (`RunStateData.bindings`). */
export type Bindings = Record<string, Record<string, unknown>>;

/** One trigger that fired: the playbook to start and a readable account of why. */
export interface Firing {
  playbook: string;
  kind: 'event' | 'date' | 'when' | 'cadence';
  detail: string;
  /** The triggering event under its `as` name; absent for triggers that bind nothing. */
  bindings?: Bindings;
  /** The trigger's `unless running` / `at most once per`; absent without either. */
  guards?: TriggerGuardsIr;
  /** The playbook's enrollment throttle (`DeployedTriggers.throttle`); absent without one. */
  throttle?: DeployedTriggers['throttle'];
}

const DAY_MS = 86_400_000;

function holds(condition: ExprIr | null, account: AccountData, now: number, calendar: ResolvedCalendar, bindings: Bindings = {}): boolean {
  if (condition === null) return true;
  return isTrue(evaluate(condition, { account, binding: (name) => bindings[name], answer: () => undefined, now, calendar }));
}

/** The guards a trigger gives, or undefined: a firing carries them only when there are any. */
function guardsOf(t: Exclude<TriggerIr, { kind: 'manual' }>): TriggerGuardsIr | undefined {
  if (t.unlessRunning === undefined && t.atMostOncePer === undefined) return undefined;
  return { ...(t.unlessRunning !== undefined && { unlessRunning: t.unlessRunning }), ...(t.atMostOncePer !== undefined && { atMostOncePer: t.atMostOncePer }) };
}

/**
 * The first `on event "<name>" [as x] where …` trigger of a playbook that matches the event
 * now (its `where` reads the payload under the `as` name), with what the run starts bound to.
 */
export function matchEventTrigger(
  triggers: TriggerIr[],
  name: string,
  payload: Record<string, unknown>,
  account: AccountData,
  now: number,
  calendar: ResolvedCalendar,
): { bindings?: Bindings; guards?: TriggerGuardsIr } | null {
  for (const t of triggers) {
    if (t.kind !== 'event' || t.name !== name) continue;
    const bindings: Bindings | undefined = t.as === undefined ? undefined : { [t.as]: payload };
    if (!holds(t.where, account, now, calendar, bindings)) continue;
    const guards = guardsOf(t);
    return { ...(bindings && { bindings }), ...(guards && { guards }) };
  }
  return null;
}

/** Playbooks whose `on event "<name>" where …` matches the event now. */
export function eventFirings(ctx: TriggerContext, name: string, payload: Record<string, unknown>, account: AccountData, now: number): Firing[] {
  return ctx.playbooks.flatMap(({ playbook, triggers, calendar, throttle }) => {
    const match = matchEventTrigger(triggers, name, payload, account, now, calendar);
    return match === null ? [] : [{ playbook, kind: 'event' as const, detail: `event ${JSON.stringify(name)}`, ...match, ...(throttle && { throttle }) }];
  });
}

/** `<playbook>#<trigger index>`: the key of a `when` condition's last value. */
export function conditionKey(playbook: string, index: number): string {
  return `${playbook}#${index}`;
}

/**
 * Evaluates every `when` trigger: a condition fires when it holds now and did not hold (or
 * was never evaluated) before; it cannot fire again until it has been false.
 */
export function whenFirings(
  ctx: TriggerContext,
  account: AccountData,
  now: number,
  previous: Record<string, boolean>,
): { conditions: Record<string, boolean>; firings: Firing[] } {
  const conditions: Record<string, boolean> = {};
  const firings: Firing[] = [];
  for (const { playbook, triggers, calendar, throttle } of ctx.playbooks) {
    triggers.forEach((t, index) => {
      if (t.kind !== 'when') return;
      const key = conditionKey(playbook, index);
      const value = holds(t.condition, account, now, calendar);
      conditions[key] = value;
      const guards = guardsOf(t);
      if (value && previous[key] !== true)
        firings.push({ playbook, kind: 'when', detail: describeTrigger(t), ...(guards && { guards }), ...(throttle && { throttle }) });
    });
  }
  return { conditions, firings };
}

/**
 * `<playbook>#<trigger index>#<date>`: a date trigger fires once per value of its field;
 * `<playbook>#<trigger index>#every:<date>`: a cadence once per occurrence.
 */
export function firingKey(f: Pick<PlannedFiring, 'playbook' | 'trigger' | 'date' | 'cadence'>): string {
  return `${f.playbook}#${f.trigger}#${f.cadence ? 'every:' : ''}${f.date}`;
}

/**
 * The cadences' firings to come or due now (see `dueOccurrence`): the current period's
 * occurrence until it has fired — once, at once, when it passed while the entity was not
 * there to fire it (down, or the cadence deployed mid-period) — then the next period's.
 * `fired` holds the occurrences that fired (`firingKey`); `spent` are those of earlier
 * periods, no longer needed to fire once (a cadence no longer deployed keeps none).
 */
export function planCadences(ctx: TriggerContext, now: number, fired: ReadonlySet<string>): { planned: PlannedFiring[]; spent: string[] } {
  const planned: PlannedFiring[] = [];
  const current = new Map<string, string>();
  for (const { playbook, triggers, calendar } of ctx.playbooks) {
    triggers.forEach((t, trigger) => {
      if (t.kind !== 'every') return;
      const key = (date: string) => firingKey({ playbook, trigger, date, cadence: true });
      current.set(key(''), occurrence(periodAt(now, t.period, calendar), t.period, t.on, calendar).date);
      const due = dueOccurrence(now, t.period, t.on, calendar, (date) => fired.has(key(date)));
      planned.push({ playbook, trigger, field: describeCadence(t.period, t.on), date: due.date, fireAt: new Date(due.fireAt).toISOString(), cadence: true });
    });
  }
  const spent = [...fired].filter((key) => {
    const at = key.lastIndexOf('#every:') + '#every:'.length;
    if (at < '#every:'.length) return false;
    const date = current.get(key.slice(0, at));
    return date === undefined || key.slice(at) < date;
  });
  return { planned, spent };
}

/**
 * The date triggers' firings still to come (or due now): the shifted date at the start of the
 * calendar's working hours (local midnight without hours). An instant already past is kept —
 * it fires at once — only while it was missed by less than the trigger's own offset, so
 * `90 days before account.renewal_date` still starts for an account imported 60 days before
 * renewal, but not once the renewal date itself has passed. Firings in `fired` are done.
 */
export function planDates(ctx: TriggerContext, account: AccountData, now: number, fired: ReadonlySet<string>): PlannedFiring[] {
  const planned: PlannedFiring[] = [];
  for (const { playbook, triggers, calendar } of ctx.playbooks) {
    triggers.forEach((t, trigger) => {
      if (t.kind !== 'relative') return;
      const date = account[t.field];
      if (typeof date !== 'string') return;
      const unit = t.offset.unit;
      if (!isDateUnit(unit)) return;
      const fireAt = dateToInstant(shiftDate(date, { amount: t.offset.amount, unit }, t.direction, calendar), calendar);
      const firing = { playbook, trigger, field: t.field, date, fireAt: new Date(fireAt).toISOString() };
      if (fired.has(firingKey(firing))) return;
      if (now - fireAt >= Math.max(spanMs(t.offset, date, fireAt, calendar), DAY_MS)) return;
      planned.push(firing);
    });
  }
  return planned.sort((a, b) => a.fireAt.localeCompare(b.fireAt));
}

/** The firings of `planned` due at `now`, with their `where` evaluated then. */
export function dueDateFirings(ctx: TriggerContext, planned: PlannedFiring[], account: AccountData, now: number): { due: PlannedFiring[]; firings: Firing[] } {
  const due = planned.filter((p) => Date.parse(p.fireAt) <= now);
  const firings = due.flatMap((p) => {
    const deployed = ctx.playbooks.find((d) => d.playbook === p.playbook);
    const t = deployed?.triggers[p.trigger];
    if (deployed === undefined || t === undefined || (t.kind !== 'relative' && t.kind !== 'every')) return [];
    if (!holds(t.where, account, now, deployed.calendar)) return [];
    const guards = guardsOf(t);
    const kind = t.kind === 'every' ? ('cadence' as const) : ('date' as const);
    const { throttle } = deployed;
    return [{ playbook: p.playbook, kind, detail: `${describeTrigger(t)} (${p.date})`, ...(guards && { guards }), ...(throttle && { throttle }) }];
  });
  return { due, firings };
}

/**
 * When the entity must wake up by itself: the next planned firing, or the next local midnight
 * of a playbook with a `when` trigger (`today` and `days since` move on their own).
 */
export function nextWake(ctx: TriggerContext, planned: PlannedFiring[], now: number): number | null {
  const candidates = planned.map((p) => Date.parse(p.fireAt));
  for (const { triggers, calendar } of ctx.playbooks) {
    if (triggers.some((t) => t.kind === 'when')) candidates.push(nextLocalMidnight(now, calendar));
  }
  return candidates.length === 0 ? null : Math.max(now, Math.min(...candidates));
}

/**
 * Whether `at most once per <duration>` holds a firing back at `now`: the playbook's last
 * start by a trigger (ISO) was less than the duration ago, counted in its calendar.
 */
export function inCooldown(guards: TriggerGuardsIr | undefined, lastStart: string | undefined, now: number, calendar: ResolvedCalendar): boolean {
  if (guards?.atMostOncePer === undefined || lastStart === undefined) return false;
  return addDuration(Date.parse(lastStart), guards.atMostOncePer, calendar) > now;
}

export function nextLocalMidnight(now: number, calendar: ResolvedCalendar): number {
  const wholeDays = { ...calendar, workingHours: null };
  return dateToInstant(shiftDate(localDate(now, calendar), { amount: 1, unit: 'day' }, 'after', wholeDays), wholeDays);
}

function spanMs(offset: DurationIr, date: string, fireAt: number, calendar: ResolvedCalendar): number {
  // Months, quarters and years vary in length: their span is the one between the two dates.
  if (offset.unit === 'month' || offset.unit === 'quarter' || offset.unit === 'year') return Math.abs(dateToInstant(date, calendar) - fireAt);
  const days = offset.unit === 'week' ? 7 * offset.amount : offset.amount;
  return days * DAY_MS;
}
