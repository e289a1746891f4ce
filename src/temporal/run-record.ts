/**
 * What a running workflow shows of itself: its timeline, the status query's answer and the
 * search attributes that change as it goes (stage, status, open task assignees). Workflow
 * code only.
 */
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { upsertSearchAttributes } from '@temporalio/workflow';
import { goalStatuses, isGoalWatch } from '../runtime/goals.js';
import type { RunState } from '../runtime/run-state.js';
import { isoInstant, type TimelineEntry } from '../runtime/timeline.js';
import { searchAttributes, type OpenTask, type PendingWait, type PlaybookWorkflowResult, type RunStatusName, type WorkflowRunStatus } from './contract.js';
import type { InputDesk } from './input-desk.js';
import type { RunSummary } from './projection-desk.js';
import type { BlockedWait } from './temporal-effects.js';

export interface RunIdentity {
  playbook: string;
  version: string;
  accountId: string;
}

/** Who a task went to (its latest `task` or `task-reassigned` entry) and when it is due (its latest `task` entry). */
interface TaskAssignment {
  to: string | null;
  due: string | null;
}

export class RunRecord {
  private readonly assignments = new Map<string, TaskAssignment>();
  private outcome: PlaybookWorkflowResult | null = null;
  /** The values last written to the search attributes, to upsert only what changed. */
  private shown: { stage: string | null; status: RunStatusName; assignees: string } | null = null;

  constructor(
    private readonly identity: RunIdentity,
    readonly timeline: TimelineEntry[],
  ) {
    for (const entry of timeline) this.track(entry);
  }

  /** Appends an entry; the search attributes follow on the next `publish`. */
  add(entry: TimelineEntry): void {
    this.timeline.push(entry);
    this.track(entry);
  }

  ended(result: PlaybookWorkflowResult): void {
    this.outcome = result;
  }

  status(state: RunState, desk: InputDesk, waits: Iterable<BlockedWait>): WorkflowRunStatus {
    const goals = goalStatuses(state);
    return {
      ...this.identity,
      stage: state.data.stage,
      status: this.statusName(state),
      outcome: this.outcome?.outcome ?? 'running',
      outcomeLabel: this.outcome?.outcomeLabel ?? null,
      timeline: this.timeline,
      // A goal's watch holds nothing up: the goals show it.
      pendingWaits: this.outcome ? [] : [...waits].filter((w) => !isGoalWatch(w.for)).map(pendingWait),
      openTasks: this.openTasks(state),
      ...(goals && { goals }),
      rejected: desk.rejected,
      scheduled: desk.scheduled().map((s) => ({ at: isoInstant(s.at), kind: s.input.kind })),
    };
  }

  /** What the store's row of the run shows (see projection-desk.ts). */
  summary(state: RunState): RunSummary {
    return {
      status: this.statusName(state),
      stage: state.data.stage,
      outcome: this.outcome?.outcome ?? null,
      outcomeLabel: this.outcome?.outcomeLabel ?? null,
    };
  }

  /** Upserts the search attributes that changed since the last call. */
  publish(state: RunState): void {
    const now = {
      stage: state.data.stage,
      status: this.statusName(state),
      assignees: JSON.stringify([...new Set(this.openTasks(state).flatMap((t) => (t.assignee === null ? [] : [t.assignee])))].sort()),
    };
    const updates: SearchAttributeUpdatePair[] = [];
    if (now.stage !== this.shown?.stage) updates.push({ key: searchAttributes.stage, value: now.stage });
    if (now.status !== this.shown?.status) updates.push({ key: searchAttributes.status, value: now.status });
    if (now.assignees !== this.shown?.assignees) updates.push({ key: searchAttributes.openTaskAssignees, value: JSON.parse(now.assignees) as string[] });
    this.shown = now;
    if (updates.length > 0) upsertSearchAttributes(updates);
  }

  private statusName(state: RunState): RunStatusName {
    if (this.outcome) return this.outcome.outcome;
    return state.data.paused ? 'paused' : 'running';
  }

  openTask(state: RunState, name: string): OpenTask | undefined {
    return this.openTasks(state).find((t) => t.name === name);
  }

  private openTasks(state: RunState): OpenTask[] {
    if (this.outcome) return [];
    return Object.entries(state.data.tasks)
      .filter(([, task]) => !task.done && task.closed === undefined)
      .map(([name, task]) => {
        const assigned = this.assignments.get(name);
        const open: OpenTask = { name, title: task.title, assignee: assigned?.to ?? null, due: assigned?.due ?? null };
        if (task.playbook !== undefined) open.playbook = task.playbook;
        if (task.snoozedUntil !== undefined) open.snoozedUntil = isoInstant(task.snoozedUntil);
        return open;
      });
  }

  private track(entry: TimelineEntry): void {
    if (entry.task === undefined) return;
    if (entry.kind === 'task') this.assignments.set(entry.task, { to: entry.to ?? null, due: entry.due ?? null });
    if (entry.kind === 'task-reassigned') this.assignments.set(entry.task, { to: entry.to ?? null, due: this.assignments.get(entry.task)?.due ?? null });
  }
}

/** A wait as status shows it: its deadline, and its next reminder when it wakes before the deadline for one. */
function pendingWait(w: BlockedWait): PendingWait {
  const iso = (t: number | null) => (t === null ? null : isoInstant(t));
  return { for: w.for, until: iso(w.until), deadline: iso(w.deadline), nextReminder: w.until !== w.deadline ? iso(w.until) : null };
}
