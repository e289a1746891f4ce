/**
 * The contact-policy decision, pure: given the instants of the emails already reserved for a
 * contact (sent, or deferred to a later instant) by every run of the account, may one more go
 * out at `at`, and if not, when? The store's activity (serialised per contact) and the
 * simulator (which knows every run of its simulation) both call `decideContact`, so they
 * answer alike.
 *
 * Counting: a cap of N calendar days holds the emails on the local date of the send and the
 * N-1 dates before it; a cap of N business days holds those since the start of the N-th
 * working day counted back from the send's date (the send's date counts when it is a working
 * day), weekends and holidays between them included. Dates are local dates of the sending
 * run's calendar (the account's time zone and holidays, as its playbook's `calendar` resolves
 * them). A window holds at most `count` emails, and a new email may not push any window over
 * its cap, also not the window of an email already deferred to a later instant.
 *
 * Deferring: the first instant the caps allow is the start of working hours (or midnight) of
 * a later local date, moved to the send window's next opening when the playbook has one.
 */
import { dateToInstant, isWorkingDay, nextWindowOpening, type ResolvedCalendar } from '../calendar/index.js';
import { formatDate } from '../calendar/civil-date.js';
import { fromLocal, toLocal } from '../calendar/zone-time.js';
import type { ContactCapIr } from '../ir/contact-policy.js';
import type { ContactDecision, ContactRequest } from '../runtime/effects.js';

/** How far ahead a deferral looks before it gives up (and skips): a year of dates. */
const MAX_DEFER_DAYS = 366;

/**
 * What becomes of the email `request` describes, given the instants already reserved for its
 * contact (any order; those before `lookbackFrom(request)` do not matter).
 */
export function decideContact(request: ContactRequest, reserved: readonly number[]): ContactDecision {
  const { policy, calendar, at } = request;
  const zone = calendar.timezone;
  const sorted = [...reserved].sort((a, b) => a - b);
  const days = sorted.map((r) => toLocal(r, zone).day);
  const startDay = (x: number, cap: ContactCapIr): number => windowStartDay(toLocal(x, zone).day, cap, calendar);
  const allows = (c: number): ContactCapIr | null => {
    for (const cap of policy.caps) {
      // The new email's own window, and the window of every email reserved after it.
      for (const x of [c, ...sorted.filter((r) => r > c)]) {
        const from = startDay(x, cap);
        let count = toLocal(c, zone).day >= from && c <= x ? 1 : 0;
        for (let i = 0; i < sorted.length; i++) if (sorted[i]! <= x && days[i]! >= from) count++;
        if (count > cap.count) return cap;
      }
    }
    return null;
  };
  const capped = allows(at);
  if (capped === null) return { kind: 'send', at };
  if (policy.whenCapped === 'skip') return { kind: 'skip', reason: `contact policy: ${describeCap(capped)}` };
  const today = toLocal(at, zone).day;
  for (let day = today + 1; day <= today + MAX_DEFER_DAYS; day++) {
    const c = opening(day, request);
    if (c > at && allows(c) === null) return { kind: 'defer', until: c };
  }
  return { kind: 'skip', reason: `contact policy: ${describeCap(capped)}, and no day in the next year allows it` };
}

/** The earliest instant whose reservation can matter to a decision about `request`. */
export function lookbackFrom(request: ContactRequest): number {
  const today = toLocal(request.at, request.calendar.timezone).day;
  const from = Math.min(...request.policy.caps.map((cap) => windowStartDay(today, cap, request.calendar)));
  // A day earlier, so a zone offset never cuts a reservation of the window's first date.
  return fromLocal(from - 1, 0, request.calendar.timezone);
}

/** `at most 2 emails per contact per 5 business days`. */
export function describeCap(cap: ContactCapIr): string {
  const emails = cap.count === 1 ? 'email' : 'emails';
  const unit = cap.business ? 'business day' : 'day';
  const period = cap.days === 1 ? unit : `${cap.days} ${unit}s`;
  return `at most ${cap.count} ${emails} per contact per ${period}`;
}

/** The first local day (day number) of the window of `cap` that ends on `day`. */
function windowStartDay(day: number, cap: ContactCapIr, calendar: ResolvedCalendar): number {
  if (!cap.business) return day - (cap.days - 1);
  let found = 0;
  for (let d = day; d > day - 10 * cap.days - 400; d--) {
    if (isWorkingDay(formatDate(d), calendar)) found++;
    if (found === cap.days) return d;
  }
  // A calendar without working days (rejected by its checks): count calendar days.
  return day - (cap.days - 1);
}

/** The instant an email deferred to local day `day` goes out: working hours' start (or midnight), then the send window. */
function opening(day: number, request: ContactRequest): number {
  const start = dateToInstant(formatDate(day), request.calendar);
  return request.sendWindow ? nextWindowOpening(start, request.sendWindow, request.calendar) : start;
}
