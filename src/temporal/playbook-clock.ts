/**
 * The run's playbook time inside the workflow. Like the simulator's virtual clock it moves
 * only when something happens: a timer reaching its instant, or an input taking effect. So
 * entries carry exact instants (never the few milliseconds a workflow task takes to be
 * picked up), and both clocks give identical timelines.
 *
 * Playbook time is server time plus a fixed `offset` (zero unless the run was started at
 * another instant, see `PlaybookRunOptions.startAt`). Workflow code only: it reads the
 * workflow's deterministic `Date.now()`.
 */
export class PlaybookClock {
  constructor(
    readonly offset: number,
    private current: number,
  ) {}

  /** A clock at server time, or starting at `startAt`. */
  static start(startAt: number | undefined): PlaybookClock {
    const server = Date.now();
    return new PlaybookClock(startAt === undefined ? 0 : startAt - server, startAt ?? server);
  }

  /** The playbook instant of the last thing that happened. */
  now(): number {
    return this.current;
  }

  /** The server's current time in playbook time. */
  serverNow(): number {
    return Date.now() + this.offset;
  }

  /** Moves to `t`; never back. */
  advanceTo(t: number): void {
    if (t > this.current) this.current = t;
  }

  /** Milliseconds of server time until playbook instant `t`; at least 1 (a timer of 0 is none). */
  msUntil(t: number): number {
    return Math.max(1, t - this.serverNow());
  }
}
