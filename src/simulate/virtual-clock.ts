/**
 * `Effects` on a virtual clock: a discrete-event scheduler with no server and no real time.
 *
 * Quiescence without macrotask polling: the clock counts the branches that may still be
 * running (`active`). A branch stops counting while it is blocked in a sleep, a condition
 * wait, an action or a join, and counts again the moment the clock wakes it; a scope's branch
 * stops counting when its function settles. When the count reaches zero every branch is
 * blocked on the clock, so the driver may advance it (`settle`).
 *
 * Order at one instant, mirroring a Temporal activation: conditions are re-evaluated first
 * (registration order), then completed actions are delivered (in the order they started),
 * and only then does time move; timers due at the same instant fire one at a time in
 * creation order, each followed by quiescence. The driver (simulate.ts) delivers inputs due
 * at an instant before the timers of that instant.
 */
import { Cancelled, type Action, type ActionResult, type BlockedHop, type Effects, type Scope } from '../runtime/effects.js';
import type { TimelineEntry } from '../runtime/timeline.js';

/** A branch blocked in `sleepUntil` or `waitFor`. */
interface Waiter {
  /** Wake-up instant, or null for a condition wait without deadline. */
  at: number | null;
  seq: number;
  cond: (() => boolean) | null;
  resolve: (satisfied: boolean) => void;
  reject: (error: Cancelled) => void;
  scope: SimScope;
  done: boolean;
}

interface SimScope {
  cancelled: boolean;
  /** The outcome of its actions: its root's (`start`), else the clock's hook. */
  perform: ((action: Action) => ActionResult) | undefined;
  children: Set<SimScope>;
  waiters: Set<Waiter>;
}

export interface VirtualClockHooks {
  /** Outcome of a performed action; default: every action succeeds. */
  perform?: (action: Action) => ActionResult;
  shouldContinueAsNew?: () => boolean;
  /** Continue-as-new from a blocking point of the main branch (see `Effects.blockedHop`), at the clock's instant. */
  blockedHop?: { due(now: number): boolean; begin(now: number): void };
  emit: (entry: TimelineEntry) => void;
}

export class VirtualClock {
  private active = 0;
  private seq = 0;
  private onIdle: (() => void) | null = null;
  /** Pending timers, ordered by (at, seq); entries are dropped lazily once done. */
  private timers: Waiter[] = [];
  /** Pending condition waits in registration order; dropped lazily once done. */
  private conditions: Waiter[] = [];
  private performed: Array<{ action: Action; scope: SimScope; resolve: (result: ActionResult) => void }> = [];

  constructor(
    public now: number,
    private readonly hooks: VirtualClockHooks,
  ) {
    const hop = hooks.blockedHop;
    this.blockedHop = hop ? { due: () => hop.due(this.now), begin: () => hop.begin(this.now) } : null;
  }

  private readonly blockedHop: BlockedHop | null;

  /**
   * Starts `fn` as a root branch; `isSettled` tells the driver when it has finished. Several
   * roots share the clock (the runs of one simulation); `perform` gives the outcome of the
   * actions of this one (default: the clock's hook).
   */
  start<T>(fn: (fx: Effects) => Promise<T>, perform?: (action: Action) => ActionResult): { result: Promise<T>; isSettled: () => boolean } {
    const scope = this.newScope(null);
    scope.perform = perform;
    let settled = false;
    this.active++;
    const result = fn(this.effects(scope));
    result.then(
      () => this.branchSettled(() => (settled = true)),
      () => this.branchSettled(() => (settled = true)),
    );
    return { result, isSettled: () => settled };
  }

  /** Resolves once every branch is blocked on the clock (or finished); nothing when they already are. */
  settle(): Promise<void> | undefined {
    if (this.active === 0) return undefined;
    return new Promise<void>((resolve) => (this.onIdle = resolve)).then(() => this.settle());
  }

  /** Wakes the condition waits whose condition now holds; true if any woke. */
  wakeConditions(): boolean {
    let woke = false;
    let finished = 0;
    for (const w of this.conditions) {
      if (!w.done && w.cond!()) {
        this.wake(w, true);
        woke = true;
      }
      if (w.done) finished++;
    }
    if (finished > 0) this.conditions = this.conditions.filter((w) => !w.done);
    return woke;
  }

  /** Delivers the results of all actions started so far; true if there were any. */
  completeActions(): boolean {
    if (this.performed.length === 0) return false;
    const batch = this.performed;
    this.performed = [];
    for (const { action, scope, resolve } of batch) {
      this.active++;
      resolve((scope.perform ?? this.hooks.perform)?.(action) ?? { ok: true });
    }
    return true;
  }

  /** The instant of the next pending timer, or null. */
  nextTimerAt(): number | null {
    while (this.timers.length > 0 && this.timers[0]!.done) this.timers.shift();
    return this.timers[0]?.at ?? null;
  }

  /** Advances the clock to the next timer and fires it (one timer, even if others share its instant). */
  fireNextTimer(): void {
    const at = this.nextTimerAt();
    if (at === null) return;
    const w = this.timers.shift()!;
    this.now = at;
    // A condition wait that reaches its deadline resolves false.
    this.wake(w, false);
  }

  // -------------------------------------------------------------------------------------

  private effects(scope: SimScope): Effects {
    return {
      now: () => this.now,
      sleepUntil: (t) => {
        if (scope.cancelled) return Promise.reject(new Cancelled());
        return t <= this.now ? Promise.resolve() : this.block(scope, t, null).then(ignore);
      },
      waitFor: (cond, deadline) => {
        if (scope.cancelled) return Promise.reject(new Cancelled());
        if (cond()) return Promise.resolve(true);
        if (deadline !== null && deadline <= this.now) return Promise.resolve(false);
        return this.block(scope, deadline, cond);
      },
      perform: (action) => {
        if (scope.cancelled) return Promise.reject(new Cancelled());
        return new Promise<ActionResult>((resolve) => {
          this.performed.push({ action, scope, resolve });
          this.blocked();
        });
      },
      emit: (entry) => this.hooks.emit(entry),
      scope: (fn) => this.spawn(scope, fn),
      shouldContinueAsNew: () => this.hooks.shouldContinueAsNew?.() ?? false,
      blockedHop: this.blockedHop,
    };
  }

  private spawn<T>(parent: SimScope, fn: (fx: Effects) => Promise<T>): Scope<T> {
    const scope = this.newScope(parent);
    let settled = false;
    const joiners: Array<() => void> = [];
    this.active++;
    const result = fn(this.effects(scope));
    const done = () =>
      this.branchSettled(() => {
        settled = true;
        parent.children.delete(scope);
        this.active += joiners.length;
        for (const wakeJoiner of joiners) wakeJoiner();
      });
    result.then(done, done);
    return {
      cancel: () => this.cancel(scope),
      join: () => {
        if (settled) return result;
        return new Promise<void>((resolve) => {
          joiners.push(resolve);
          this.blocked();
        }).then(() => result);
      },
    };
  }

  private block(scope: SimScope, at: number | null, cond: (() => boolean) | null): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      const w: Waiter = { at, seq: this.seq++, cond, resolve, reject, scope, done: false };
      scope.waiters.add(w);
      if (at !== null) this.insertTimer(w);
      if (cond !== null) this.conditions.push(w);
      this.blocked();
    });
  }

  private wake(w: Waiter, satisfied: boolean): void {
    if (w.done) return;
    w.done = true;
    w.scope.waiters.delete(w);
    this.active++;
    w.resolve(satisfied);
  }

  private cancel(scope: SimScope): void {
    if (scope.cancelled) return;
    scope.cancelled = true;
    for (const w of scope.waiters) {
      w.done = true;
      this.active++;
      w.reject(new Cancelled());
    }
    scope.waiters.clear();
    for (const child of scope.children) this.cancel(child);
  }

  private insertTimer(w: Waiter): void {
    // Few timers are pending at once, so a linear scan from the end beats a heap.
    let i = this.timers.length;
    while (i > 0 && this.timers[i - 1]!.at! > w.at!) i--;
    this.timers.splice(i, 0, w);
  }

  private newScope(parent: SimScope | null): SimScope {
    const scope: SimScope = { cancelled: parent?.cancelled ?? false, perform: parent?.perform, children: new Set(), waiters: new Set() };
    parent?.children.add(scope);
    return scope;
  }

  private blocked(): void {
    this.active--;
    this.notifyIfIdle();
  }

  private branchSettled(record: () => void): void {
    record();
    this.active--;
    this.notifyIfIdle();
  }

  private notifyIfIdle(): void {
    if (this.active === 0 && this.onIdle) {
      const resolve = this.onIdle;
      this.onIdle = null;
      resolve();
    }
  }
}

function ignore(): void {}
