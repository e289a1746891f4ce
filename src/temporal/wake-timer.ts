/**
 * The account entity's one timer for its next wake (a planned firing, a midnight, the daily
 * re-read of the triggers), kept across the inputs that come before it while the wake time
 * stays the same: an input then neither cancels a timer nor starts one. Workflow code.
 */
import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';

export class WakeTimer {
  private at: number | null = null;
  private scope: CancellationScope | null = null;
  private rang = false;

  /** Aims the timer at `at` (workflow time, ms), or at nothing: a timer aimed elsewhere is cancelled. */
  aim(at: number | null): void {
    if (at === this.at && !this.rang) return;
    this.scope?.cancel();
    this.scope = null;
    this.at = at;
    this.rang = false;
    if (at === null) return;
    const scope = new CancellationScope();
    this.scope = scope;
    scope
      .run(() => sleep(Math.max(1, at - Date.now())))
      .then(
        () => {
          if (this.scope === scope) this.rang = true;
        },
        (e: unknown) => {
          if (!isCancellation(e)) throw e;
        },
      );
  }

  /** Whether the wake time has come; the next `aim` starts a new timer, even for the same time. */
  hasRung(): boolean {
    return this.rang;
  }
}
