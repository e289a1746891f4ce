/**
 * When a long-lived workflow (a playbook run, an account entity) hands over to a new
 * execution: Temporal suggests it (history length or size near the server's limits), or its
 * history has reached the tests' threshold (`continueAsNewAfterEvents`). A playbook run that
 * may hop while blocked, and an account entity, also count the signals of this execution,
 * which Temporal caps (`history.maximumSignalsPerExecution`), and watch their history size
 * themselves; a run also the size of what it would carry (see run-limits.ts). Workflow code only.
 */
import { workflowInfo } from '@temporalio/workflow';
import { runLimitsNear, type RunBudget } from './run-limits.js';

export function continueAsNewDue(afterEvents: number | undefined, budget?: RunBudget): boolean {
  const info = workflowInfo();
  if (info.continueAsNewSuggested || (afterEvents !== undefined && info.historyLength >= afterEvents)) return true;
  return budget !== undefined && runLimitsNear(info.historySize, budget);
}
