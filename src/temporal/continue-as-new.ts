/**
 * When a long-lived workflow (a playbook run, an account entity) hands over to a new
 * execution: Temporal suggests it (history length or size near the server's limits), or its
 * history has reached the tests' threshold (`continueAsNewAfterEvents`). A playbook run that
 * may hop while blocked also counts the signals of this execution, which Temporal caps
 * (`history.maximumSignalsPerExecution`), and watches its history size itself. Workflow code only.
 */
import { workflowInfo } from '@temporalio/workflow';
import { DEFAULT_SIGNAL_LIMIT } from './run-limits.js';

/** The share of the signal limit an execution takes before it hands over. */
export const SIGNAL_SHARE = 0.8;
/** Hand over well before Temporal's 50 MB hard limit on history size, should no suggestion come. */
export const HISTORY_BYTES_BEFORE_HANDOVER = 20 * 1024 * 1024;

export interface SignalBudget {
  /** Signals received by this execution so far. */
  received: number;
  /** The server's per-execution signal limit (default `DEFAULT_SIGNAL_LIMIT`). */
  limit?: number;
}

export function continueAsNewDue(afterEvents: number | undefined, signals?: SignalBudget): boolean {
  const info = workflowInfo();
  if (info.continueAsNewSuggested || (afterEvents !== undefined && info.historyLength >= afterEvents)) return true;
  if (signals === undefined) return false;
  return info.historySize >= HISTORY_BYTES_BEFORE_HANDOVER || signals.received >= (signals.limit ?? DEFAULT_SIGNAL_LIMIT) * SIGNAL_SHARE;
}
