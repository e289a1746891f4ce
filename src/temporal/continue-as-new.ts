/**
 * When a long-lived workflow (a playbook run, an account entity) hands over to a new
 * execution: Temporal suggests it, or its history has reached the tests' threshold
 * (`continueAsNewAfterEvents`). Workflow code only.
 */
import { workflowInfo } from '@temporalio/workflow';

export function continueAsNewDue(afterEvents: number | undefined): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || (afterEvents !== undefined && info.historyLength >= afterEvents);
}
