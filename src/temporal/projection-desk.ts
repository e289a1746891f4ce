/**
 * The run's projection to the store, workflow side: how many of its timeline entries the
 * store has, and one `projectRun` flush at a time with those it has not. The workflow calls
 * `settle()` wherever the run blocks (a timer, a wait) and after each input: a flush starts
 * there if something is not stored and none is in flight, and the run goes on without
 * waiting for it. A flush that lands starts the next one if more came meanwhile, so an entry
 * reaches the store within one activity round trip on a quiet system. Retries are the
 * activity's (without limit, backing off to a minute): a store outage delays the projection,
 * never the run, until the run ends: `finish` waits for the last flush, so the final entries,
 * status and closed tasks land, and a run whose store is down at its very end closes once the
 * store is back (its status query already shows the outcome, and `stored.pending` the lag).
 * Runs started with `storeWrites: 'local'` flush by a local activity (one marker
 * event, see `projectionLocalActivityOptions`), so the store costs a run a few history events
 * rather than six per flush. A flush carries the run's goals when they changed since the last
 * one landed (an activity input of its own: no command changes, so histories replay). Workflow code only.
 */
import { ActivityFailure, proxyActivities, proxyLocalActivities, type CancellationScope } from '@temporalio/workflow';
import type { AskIr, IrProgram } from '../ir/types.js';
import type { GoalStatus } from '../runtime/goals.js';
import { taskSteps } from '../runtime/ir-walk.js';
import type { RunOutcome, TimelineEntry } from '../runtime/timeline.js';
import { projectionActivityOptions, projectionLocalActivityOptions, type ProjectionActivities, type RunFlush } from './activities/projection-options.js';
import type { ProjectionCarry, StoredEntries, TaskCaller } from './contract.js';

const activities = proxyActivities<ProjectionActivities>(projectionActivityOptions);
const localActivities = proxyLocalActivities<ProjectionActivities>(projectionLocalActivityOptions);

/** The run's row as it is now, besides what never changes. */
export type RunSummary = Pick<RunFlush['run'], 'status' | 'stage' | 'outcome' | 'outcomeLabel'>;

export interface ProjectionSource {
  workflowId: string;
  /** The first execution's run id (continue-as-new keeps it): the run's key in the store. */
  runId: string;
  program: IrProgram;
  identity: Pick<RunFlush['run'], 'playbook' | 'version' | 'accountId'>;
  /** The run's whole timeline (carried across continue-as-new); only ever appended to. */
  timeline: readonly TimelineEntry[];
  summary(): RunSummary;
  /** Never cancelled: a flush outlives a cancelled branch and a cancelled run. */
  shielded: CancellationScope;
  /** Flush by a local activity (one marker event each) rather than an activity (`storeWrites: 'local'`). */
  locally: boolean;
  /**
   * The owner of a playbook, when a task's assignee is told of it by the store's task-notice
   * outbox (`storeWrites: 'local'`): the flush names each `task` and `task-reassigned`
   * entry for it. Null: the run tells them by an activity of its own.
   */
  noticeOwner: ((playbook: string) => string | null) | null;
  /** The entry playbook's goals as they are now (undefined without goals) and its owner, for `run_goals`. */
  goals(): GoalStatus[] | undefined;
  owner: string | null;
}

/** The reason the tasks a run leaves open are closed with, by how it ended. */
const ENDED_BY: Record<RunOutcome, string> = { completed: 'complete', stopped: 'stop', exited: 'exit' };

export class ProjectionDesk {
  private stored: number;
  private readonly completedBy: Record<string, string>;
  /** Who sent a completion whose entry is not in the timeline yet, by update id. */
  private readonly callers = new Map<string, string>();
  private inFlight: Promise<boolean> | null = null;
  /** The summary the store last confirmed (null: none in this execution yet). */
  private storedSummary: string | null = null;
  /** The goals the store last confirmed, as JSON (null: none in this execution yet). */
  private storedGoals: string | null = null;
  private end: { reason: string; at: string; summary: RunSummary | null } | null = null;
  private asks: Map<string, AskIr[]> | null = null;

  constructor(
    private readonly source: ProjectionSource,
    carried: ProjectionCarry | undefined,
  ) {
    this.stored = carried?.stored ?? 0;
    this.completedBy = { ...carried?.completedBy };
  }

  /** Starts a flush if the store lacks something and none is in flight; never waits for it. */
  settle(): void {
    if (this.inFlight !== null || this.end !== null || !this.behind()) return;
    const flight = this.flush();
    this.inFlight = flight;
    void flight.then((landed) => {
      this.inFlight = null;
      // A failed flush (not a store outage: those are retried) waits for the next blocking point.
      if (landed) this.settle();
    });
  }

  /** A completion sent by `by` is about to be applied. */
  completing(updateId: string, by: TaskCaller | undefined): void {
    if (by !== undefined) this.callers.set(updateId, by.user ?? by.role);
  }

  /** The completion's `task-completed` entry is the timeline's last one. */
  completed(updateId: string): void {
    const by = this.callers.get(updateId);
    if (by === undefined) return;
    this.callers.delete(updateId);
    this.completedBy[String(this.source.timeline.length - 1)] = by;
  }

  /**
   * The run ended (`cancelled` when the client cancelled it): waits until the store has every
   * entry, the final status and the open tasks closed, or a flush failed for good.
   */
  async finish(how: RunOutcome | 'cancelled', at: string): Promise<void> {
    const summary = how === 'cancelled' ? { ...this.source.summary(), status: 'cancelled' } : null;
    this.end = { reason: how === 'cancelled' ? 'cancel' : ENDED_BY[how], at, summary };
    if (this.inFlight !== null) await this.inFlight;
    while (this.behind()) if (!(await this.flush())) return;
  }

  /** For the status query: entries the store has, and those it has not yet. */
  lag(): StoredEntries {
    return { entries: this.stored, pending: this.source.timeline.length - this.stored };
  }

  carry(): ProjectionCarry {
    return { stored: this.stored, completedBy: this.completedBy };
  }

  private summary(): RunSummary {
    return this.end?.summary ?? this.source.summary();
  }

  private behind(): boolean {
    // Before its `start` entry a run has nothing to show (and no start instant for its row).
    if (this.source.timeline.length === 0) return false;
    return this.source.timeline.length > this.stored || JSON.stringify(this.summary()) !== this.storedSummary;
  }

  /** One `projectRun` activity with what the store lacks; true when it landed. */
  private async flush(): Promise<boolean> {
    const { timeline } = this.source;
    const from = this.stored;
    const upTo = timeline.length;
    const summary = this.summary();
    const entries = timeline.slice(from, upTo);
    const goals = this.source.goals();
    const goalsJson = goals === undefined ? null : JSON.stringify(goals);
    const goalsChanged = goalsJson !== null && goalsJson !== this.storedGoals;
    const questions: Record<string, AskIr[]> = {};
    const completedBy: Record<string, string> = {};
    const notices: NonNullable<RunFlush['notices']> = {};
    const { noticeOwner } = this.source;
    entries.forEach((entry, i) => {
      const seq = String(from + i);
      if (entry.kind === 'task' && entry.task !== undefined) questions[seq] = this.asksOf(entry.task);
      if (noticeOwner !== null && (entry.kind === 'task' || entry.kind === 'task-reassigned') && entry.to !== undefined)
        notices[seq] = { owner: noticeOwner(entry.playbook ?? this.source.identity.playbook) };
      const by = this.completedBy[seq];
      if (by !== undefined) completedBy[seq] = by;
    });
    const flush: RunFlush = {
      workflowId: this.source.workflowId,
      runId: this.source.runId,
      run: { ...this.source.identity, ...summary, startedAt: timeline[0]!.at, endedAt: this.end?.at ?? null },
      from,
      entries,
      questions,
      completedBy,
      ended: this.end?.reason ?? null,
      ...(noticeOwner !== null && { notices }),
      ...(goalsChanged && { goals: { owner: this.source.owner, goals: goals! } }),
    };
    const { projectRun } = this.source.locally ? localActivities : activities;
    try {
      await this.source.shielded.run(() => projectRun(flush));
    } catch (e) {
      if (e instanceof ActivityFailure) return false;
      throw e;
    }
    this.stored = Math.max(this.stored, upTo);
    this.storedSummary = JSON.stringify(summary);
    if (goalsChanged) this.storedGoals = goalsJson;
    for (const seq of Object.keys(completedBy)) delete this.completedBy[seq];
    return true;
  }

  private asksOf(task: string): AskIr[] {
    this.asks ??= new Map([...taskSteps(this.source.program)].map(([name, step]) => [name, step.asks]));
    return this.asks.get(task) ?? [];
  }
}
