/**
 * The enrollment throttle's state and rules (see throttle-contract.ts), apart from Temporal so
 * they run in unit tests: one playbook's starts by triggers counted per local day of its
 * calendar's zone, the excess queued in the order the firings asked, and released — the
 * queue first, up to N — when a new day begins. Days roll when time says so: at the first ask
 * or hand-back of a day, or at the local midnight the workflow sleeps until while the queue
 * is not empty. Pure and workflow-safe: time comes in as `now`.
 */
import { localDate, type ResolvedCalendar } from '../calendar/index.js';
import { nextLocalMidnight } from '../triggers/evaluate.js';
import { jsonBytes } from './event-limits.js';
import {
  THROTTLE_QUEUE_BYTES,
  THROTTLE_QUEUE_LIMIT,
  type Admission,
  type AdmitRequest,
  type QueuedStart,
  type ThrottleCarry,
  type ThrottleDroppedSignal,
  type ThrottleView,
} from './throttle-contract.js';

/** Tickets remembered as decided: asks are retried within minutes, never thousands of firings later. */
const DECIDED_LIMIT = 1_000;

/** Whole days in `timezone`: all the day counting needs of a calendar. */
export function zoneDays(timezone: string): ResolvedCalendar {
  return { id: null, timezone, workingDays: [1, 2, 3, 4, 5, 6, 7], workingHours: null, holidays: [] };
}

export class ThrottleGate {
  private perDay: number;
  private timezone: string;
  private day: string | null;
  private started: number;
  private readonly queue: QueuedStart[];
  private queueBytes = 0;
  private readonly decided: Map<string, boolean>;
  private readonly releasing: Array<QueuedStart & { day: string }>;

  constructor(
    readonly playbook: string,
    carried?: ThrottleCarry,
  ) {
    this.perDay = carried?.perDay ?? 1;
    this.timezone = carried?.timezone ?? 'UTC';
    this.day = carried?.day ?? null;
    this.started = carried?.started ?? 0;
    this.queue = [...(carried?.queue ?? [])];
    for (const q of this.queue) this.queueBytes += jsonBytes(q);
    this.decided = new Map(carried?.decided ?? []);
    this.releasing = [...(carried?.releasing ?? [])];
  }

  /** A firing asks to start: at once while the day has room and nobody waits, else at the queue's end. */
  admit(request: AdmitRequest, now: number): Admission {
    this.perDay = request.perDay;
    this.timezone = request.timezone;
    this.roll(now);
    const { ticket } = request;
    const waiting = this.queue.findIndex((q) => q.ticket === ticket);
    if (waiting >= 0) return { status: 'queued', position: waiting + 1, perDay: this.perDay };
    const before = this.decided.get(ticket);
    // Asked again after it was released: the release is on its way, so it waits no longer.
    if (before !== undefined) return before ? { status: 'admitted', day: this.day! } : { status: 'queued', position: 0, perDay: this.perDay };
    if (this.queue.length === 0 && this.started < this.perDay) {
      this.started++;
      this.decide(ticket, true);
      return { status: 'admitted', day: this.day! };
    }
    const entry: QueuedStart = { ticket, accountId: request.accountId, firedAt: request.firedAt, trigger: request.trigger };
    const bytes = jsonBytes(entry);
    if (this.queue.length >= THROTTLE_QUEUE_LIMIT || this.queueBytes + bytes > THROTTLE_QUEUE_BYTES) return { status: 'full', waiting: this.queue.length };
    this.queue.push(entry);
    this.queueBytes += bytes;
    this.decide(ticket, false);
    return { status: 'queued', position: this.queue.length, perDay: this.perDay };
  }

  /** A start counted on `day` did not happen: today, its place goes to the next in the queue. */
  dropped({ day }: ThrottleDroppedSignal, now: number): void {
    this.roll(now);
    if (day !== this.day || this.started === 0) return;
    this.started--;
    this.release();
  }

  /** At a new local day the count starts again and the queue goes first. */
  roll(now: number): void {
    const today = localDate(now, zoneDays(this.timezone));
    if (today === this.day) return;
    this.day = today;
    this.started = 0;
    this.release();
  }

  /** The releases decided and not yet sent to their entities, in queue order; they count as sent once taken. */
  takeReleases(): Array<QueuedStart & { day: string }> {
    return this.releasing.splice(0, this.releasing.length);
  }

  hasReleases(): boolean {
    return this.releasing.length > 0;
  }

  /** When the gate must wake to roll the day: the next local midnight while firings wait, else null. */
  nextWake(now: number): number | null {
    return this.queue.length === 0 ? null : nextLocalMidnight(now, zoneDays(this.timezone));
  }

  view(now: number): ThrottleView {
    const seen = this.day !== null;
    const today = seen ? localDate(now, zoneDays(this.timezone)) : null;
    const wake = this.nextWake(now);
    return {
      playbook: this.playbook,
      perDay: seen ? this.perDay : null,
      timezone: seen ? this.timezone : null,
      day: today,
      // A day not rolled yet has started nothing.
      startedToday: today === this.day ? this.started : 0,
      nextRelease: wake === null ? null : new Date(wake).toISOString(),
      queue: this.queue.map((q, i) => ({ ...q, position: i + 1 })),
    };
  }

  carry(): ThrottleCarry {
    return {
      perDay: this.perDay,
      timezone: this.timezone,
      day: this.day,
      started: this.started,
      queue: [...this.queue],
      decided: [...this.decided],
      releasing: [...this.releasing],
    };
  }

  /** Moves firings from the queue's front to the releases while the day has room. */
  private release(): void {
    while (this.queue.length > 0 && this.started < this.perDay) {
      const next = this.queue.shift()!;
      this.queueBytes -= jsonBytes(next);
      this.started++;
      this.releasing.push({ ...next, day: this.day! });
    }
  }

  private decide(ticket: string, admitted: boolean): void {
    this.decided.set(ticket, admitted);
    if (this.decided.size > DECIDED_LIMIT) this.decided.delete(this.decided.keys().next().value!);
  }
}
