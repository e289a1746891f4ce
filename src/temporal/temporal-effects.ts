/**
 * `Effects` on Temporal, one to one (see src/runtime/effects.ts): timers are `sleep`, waits
 * are `condition`, branches are `CancellationScope`s, actions are activities run by the
 * workflow. Time is the run's `PlaybookClock`: a timer moves it to the timer's instant, after
 * the inputs due by then have taken effect (inputs before timers, as in the simulator), and
 * branches resume in the simulator's order (see `ResumeOrder`). Workflow code only.
 */
import { CancellationScope, condition, isCancellation, sleep } from '@temporalio/workflow';
import { Cancelled, type Action, type ActionResult, type BlockedHop, type Effects, type Scope } from '../runtime/effects.js';
import type { TimelineEntry } from '../runtime/timeline.js';
import type { PlaybookClock } from './playbook-clock.js';
import type { ResumeOrder } from './resume-order.js';

/** What every branch's effects share. */
export interface EffectsRuntime {
  clock: PlaybookClock;
  /** Applies the inputs due by playbook instant `t` (before a timer at `t` resumes its branch). */
  applyInputsDue(t: number): void;
  perform(action: Action): Promise<ActionResult>;
  /** A scope that is never cancelled, shared by all branches. */
  shielded: CancellationScope;
  emit(entry: TimelineEntry): void;
  shouldContinueAsNew(): boolean;
  /** Null in executions that never continue as new from a blocking point (histories from before they could). */
  blockedHop: BlockedHop | null;
  /** The waits the run is blocked in right now, for status. */
  waits: Set<BlockedWait>;
  /** Called as a branch blocks on a timer or wait: where the run flushes its timeline to the store. */
  blocking(): void;
  order: ResumeOrder;
}

export interface BlockedWait {
  for: string;
  /** Playbook instant of the next wake-up by time, or null. */
  until: number | null;
  /** Playbook instant the wait gives up at, when `until` is a reminder before it; else `until`. */
  deadline: number | null;
}

export class TemporalEffects implements Effects {
  constructor(
    private readonly rt: EffectsRuntime,
    /** The branch's scope: every timer and wait of the branch belongs to it. */
    private readonly branch: CancellationScope,
  ) {}

  now(): number {
    return this.rt.clock.now();
  }

  async sleepUntil(t: number): Promise<void> {
    this.throwIfCancelled();
    if (t <= this.rt.clock.now()) return;
    const ticket = this.rt.order.timer(t);
    try {
      await this.blocked({ for: 'time', until: t, deadline: t }, async () => {
        await sleep(this.rt.clock.msUntil(t));
        await this.rt.order.turn(ticket);
      });
    } finally {
      this.rt.order.done(ticket);
    }
    this.reached(t);
  }

  async waitFor(cond: () => boolean, deadline: number | null, what = 'condition', waitDeadline: number | null = deadline): Promise<boolean> {
    this.throwIfCancelled();
    if (cond()) return true;
    if (deadline === null) {
      await this.blocked({ for: what, until: null, deadline: waitDeadline }, () => condition(cond));
      return true;
    }
    if (deadline <= this.rt.clock.now()) return false;
    const ticket = this.rt.order.timer(deadline);
    try {
      const satisfied = await this.blocked({ for: what, until: deadline, deadline: waitDeadline }, async () => {
        if (await condition(cond, this.rt.clock.msUntil(deadline))) return true;
        await this.rt.order.turn(ticket);
        return false;
      });
      if (satisfied) return true;
    } finally {
      this.rt.order.done(ticket);
    }
    this.reached(deadline);
    // An input due at the deadline comes before it, so it may still satisfy the wait.
    return cond();
  }

  async perform(action: Action): Promise<ActionResult> {
    this.throwIfCancelled();
    const ticket = this.rt.order.action();
    try {
      const result = await this.rt.perform(action);
      // Like the action itself, waiting for its turn is not cut short by a cancelled branch.
      await this.rt.shielded.run(() => this.rt.order.turn(ticket));
      return result;
    } finally {
      this.rt.order.done(ticket);
    }
  }

  emit(entry: TimelineEntry): void {
    this.rt.emit(entry);
  }

  scope<T>(fn: (fx: Effects) => Promise<T>): Scope<T> {
    const scope = new CancellationScope({ cancellable: true, parent: this.branch });
    const result = scope
      .run(() => fn(new TemporalEffects(this.rt, scope)))
      .catch((e: unknown) => {
        throw isCancellation(e) ? new Cancelled() : e;
      });
    // Whoever joins sees the outcome; until then a rejection is not "unhandled".
    result.catch(() => {});
    return { cancel: () => scope.cancel(), join: () => result };
  }

  shouldContinueAsNew(): boolean {
    return this.rt.shouldContinueAsNew();
  }

  get blockedHop(): BlockedHop | null {
    return this.rt.blockedHop;
  }

  /** Runs a timer or wait in this branch's scope, listed in `waits` while it lasts. */
  private async blocked<T>(wait: BlockedWait, start: () => Promise<T>): Promise<T> {
    this.rt.waits.add(wait);
    this.rt.blocking();
    try {
      return await this.branch.run(start);
    } catch (e) {
      throw isCancellation(e) ? new Cancelled() : e;
    } finally {
      this.rt.waits.delete(wait);
    }
  }

  /** A timer reached playbook instant `t`: inputs due by then first, then the clock moves. */
  private reached(t: number): void {
    this.rt.applyInputsDue(t);
    this.rt.clock.advanceTo(t);
    // An input just applied may have ended what this branch belongs to (`exit when`).
    this.throwIfCancelled();
  }

  private throwIfCancelled(): void {
    if (this.branch.consideredCancelled) throw new Cancelled();
  }
}
