/**
 * Goals at risk (docs/kpis.md, "Goals at risk"): pending goals of runs, anchored, whose
 * deadline is still ahead with less than 20% of their window left, counted in business time
 * of the run's calendar (a window without business time in it: in wall-clock time). Read from
 * `run_goals`, which each run's flushes keep; the goal digest (src/ops/goal-digest.ts) and
 * the dashboard's at-risk list share this one selection.
 */
import { businessTimeBetween } from '../calendar/index.js';
import type { Store } from '../store/connect.js';
import { storeCalendars } from './calendars.js';
import type { CalendarLookup } from './types.js';

/** A goal is at risk below this share of its window left. */
export const AT_RISK_SHARE = 0.2;

export interface AtRiskGoal {
  runId: string;
  workflowId: string;
  playbook: string;
  /** The run's playbook version (content hash). */
  version: string;
  accountId: string;
  goal: string;
  text: string;
  target: number;
  /** Epoch ms: when its time started and when it is missed unless met first. */
  since: number;
  deadline: number;
  /** The share of its window left at `asOf`, 0–1. */
  left: number;
}

/** The goals at risk at `asOf`, soonest deadline first; `calendars` when the caller has them loaded. */
export async function goalsAtRisk(store: Store, asOf: Date, calendars?: CalendarLookup): Promise<AtRiskGoal[]> {
  const rows = await store
    .selectFrom('run_goals')
    .innerJoin('runs', 'runs.run_id', 'run_goals.run_id')
    .select([
      'run_goals.run_id',
      'run_goals.workflow_id',
      'run_goals.playbook_id',
      'run_goals.account_id',
      'run_goals.goal',
      'run_goals.text',
      'run_goals.target',
      'run_goals.since',
      'run_goals.deadline',
      'runs.playbook_version',
    ])
    .where('run_goals.state', '=', 'pending')
    .where('run_goals.since', 'is not', null)
    .where('run_goals.deadline', '>', asOf)
    .orderBy('run_goals.deadline')
    .orderBy('run_goals.run_id')
    .orderBy('run_goals.goal')
    .execute();
  const runs = rows.map((r) => ({ playbook_id: r.playbook_id, playbook_version: r.playbook_version, account_id: r.account_id }));
  const lookup = calendars ?? (await storeCalendars(store, asOf, asOf)(runs));
  const now = asOf.getTime();
  return rows.flatMap((r, i): AtRiskGoal[] => {
    const since = r.since!.getTime();
    const deadline = r.deadline!.getTime();
    const calendar = lookup.of(runs[i]!);
    const window = businessTimeBetween(since, deadline, calendar);
    const left = window > 0 ? businessTimeBetween(Math.max(now, since), deadline, calendar) / window : (deadline - now) / Math.max(1, deadline - since);
    if (left >= AT_RISK_SHARE) return [];
    return [
      {
        runId: r.run_id,
        workflowId: r.workflow_id,
        playbook: r.playbook_id,
        version: r.playbook_version,
        accountId: r.account_id,
        goal: r.goal,
        text: r.text,
        target: r.target,
        since,
        deadline,
        left,
      },
    ];
  });
}
