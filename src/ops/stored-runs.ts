/**
 * Runs read from the store in the shapes the live path gives them (`RunSummary` of a list,
 * `RunStatus` of one run), so that a caller shows a stored run like a live one. A stored
 * run's live facts (waits, open tasks, scheduled inputs) are left empty: they come from the
 * run's query while it runs. Pure.
 */
import { goalsOfTimeline } from '../runtime/goals.js';
import type { TimelineEntry } from '../runtime/timeline.js';
import type { StoredRun } from '../store/reads.js';
import type { RunSummary } from '../temporal/client.js';
import type { RunStatus, RunStatusName } from '../temporal/contract.js';

/** Temporal's execution status of a run in this status, as visibility names it. */
const EXECUTION_OF: Record<RunStatusName, string> = {
  running: 'RUNNING',
  paused: 'RUNNING',
  completed: 'COMPLETED',
  stopped: 'COMPLETED',
  exited: 'COMPLETED',
  cancelled: 'CANCELLED',
  terminated: 'TERMINATED',
  failed: 'FAILED',
  timedOut: 'TIMED_OUT',
};

export function summaryOfStoredRun(run: StoredRun): RunSummary {
  return {
    workflowId: run.workflowId,
    runId: null,
    playbook: run.playbook,
    version: run.version,
    accountId: run.accountId,
    stage: run.stage,
    status: run.status,
    openTaskAssignees: run.openTaskAssignees,
    execution: EXECUTION_OF[run.status as RunStatusName] ?? 'RUNNING',
    startTime: run.startedAt,
    closeTime: run.endedAt,
  };
}

export function statusOfStoredRun(run: StoredRun, timeline: TimelineEntry[]): RunStatus {
  const goals = goalsOfTimeline(timeline);
  return {
    playbook: run.playbook,
    version: run.version,
    accountId: run.accountId,
    stage: run.stage,
    status: run.status as RunStatusName,
    outcome: run.outcome,
    outcomeLabel: run.outcomeLabel,
    timeline,
    pendingWaits: [],
    openTasks: [],
    ...(goals && { goals }),
    rejected: [],
    scheduled: [],
    deliveries: [],
  };
}
