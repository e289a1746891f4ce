/**
 * The server's limits a playbook run keeps under, shared by the configuration (operators say
 * what their server enforces) and the workflow (which hands over to a new execution before
 * reaching them): signals per execution, history size, and the 2 MB payload limit on what a
 * run carries into its next execution. Pure and workflow-safe.
 */

/** Temporal's default `history.maximumSignalsPerExecution`; `temporal.maxSignalsPerExecution` defaults to it. */
export const DEFAULT_SIGNAL_LIMIT = 10_000;
/** The share of the signal limit an execution takes before it hands over. */
export const SIGNAL_SHARE = 0.8;
/** Hand over well before Temporal's 50 MB hard limit on history size, should no suggestion come. */
export const HISTORY_BYTES_BEFORE_HANDOVER = 20 * 1024 * 1024;
/**
 * A run hands over once what it would carry (JSON bytes, estimated as it grows) reaches this,
 * well inside Temporal's 2 MB payload limit.
 */
export const CARRY_HOP_BYTES = 1_500_000;

export interface RunBudget {
  /** Signals received by this execution so far. */
  received: number;
  /** The server's per-execution signal limit (default `DEFAULT_SIGNAL_LIMIT`). */
  limit?: number;
  /** What the run would carry into its next execution now, as JSON bytes (an upper estimate). */
  carryBytes: number;
}

/** Whether an execution of `historySize` bytes with `budget` nears a limit no suggestion of Temporal's covers. */
export function runLimitsNear(historySize: number, budget: RunBudget): boolean {
  return (
    historySize >= HISTORY_BYTES_BEFORE_HANDOVER ||
    budget.received >= (budget.limit ?? DEFAULT_SIGNAL_LIMIT) * SIGNAL_SHARE ||
    budget.carryBytes >= CARRY_HOP_BYTES
  );
}
