/**
 * Goals at risk (docs/kpis.md, "Goals at risk"): the one selection of pending goals with less
 * than 20% of their window left, shared by the `at-risk` report (at-risk.ts, the console's
 * dashboard) and the goal digest (src/ops/goal-digest.ts). Pending goals leave no timeline
 * entry, so they are read from `run_goals`, which each run's flushes keep with its window
 * (`since`, `deadline`) exactly as the run computed it; the unit their window is counted in is
 * the goal's duration's, from the version's kept goals (`playbook_sources.goals`).
 */
import { sql } from 'kysely';
import { businessTimeBetween, type ResolvedCalendar } from '../calendar/index.js';
import type { DurationUnit } from '../ir/types.js';
import type { Store } from '../store/connect.js';
import type { RunGoal } from '../store/goal-digests.js';
import { storeCalendars } from './calendars.js';
import { epochMs, scopeClause } from './groups.js';
import type { CalendarSource, ReportQuery } from './types.js';

/** A pending goal is at risk with less than this percentage of its window left. */
const GOAL_LEFT_PERCENT = 20;

/**
 * The share of a pending goal's window `[since, deadline)` left at `asOf`, and whether it is at
 * risk (under 20%, anchored and the deadline still ahead: past it the goal is missed). The time
 * is counted as the goal's duration counts it: business time for business days and hours,
 * elapsed time for plain minutes, hours, days and weeks; business time when the unit is unknown
 * (`null`: the version kept no goals), elapsed time when the window holds no business time.
 */
export function goalLeft(since: number, deadline: number, asOf: number, unit: DurationUnit | null, cal: ResolvedCalendar): { left: number; atRisk: boolean } {
  const business = unit === null || unit.startsWith('business');
  const inBusiness = business && businessTimeBetween(since, deadline, cal) > 0;
  const time = (from: number, to: number) => (inBusiness ? businessTimeBetween(from, to, cal) : Math.max(0, to - from));
  const total = time(since, deadline);
  const remaining = asOf >= deadline ? 0 : time(Math.max(asOf, since), deadline);
  const left = total > 0 ? remaining / total : 0;
  return { left, atRisk: since <= asOf && asOf < deadline && remaining * 100 < GOAL_LEFT_PERCENT * total };
}

export interface AtRiskGoal extends RunGoal {
  /** Epoch ms: when its time started and when it is missed unless met first. */
  since: number;
  deadline: number;
  /** The share of its window left at `asOf`, 0–1. */
  left: number;
}

/** Which goals: every run's, or a report's book and playbook (`--playbook`, a csm's accounts). */
export type GoalScope = Pick<ReportQuery, 'book' | 'playbook'>;

interface PendingRow {
  run_id: string;
  workflow_id: string;
  playbook_id: string;
  playbook_version: string;
  account_id: string;
  goal: string;
  text: string;
  target: number;
  since_ms: number;
  deadline_ms: number;
  unit: DurationUnit | null;
}

/** The goals at risk at `asOf` in `scope`, soonest deadline first, in each run's calendar from `calendars` (the store's by default). */
export async function goalsAtRisk(store: Store, asOf: Date, calendars?: CalendarSource, scope: GoalScope = {}): Promise<AtRiskGoal[]> {
  // The partial index on pending goals' deadlines (migration 018) bounds the scan; the unit is one probe per row.
  const { rows } = await sql<PendingRow>`
    select run_goals.run_id, run_goals.workflow_id, run_goals.playbook_id, runs.playbook_version, run_goals.account_id,
      run_goals.goal, run_goals.text, run_goals.target,
      ${epochMs(sql`run_goals.since`)} as since_ms, ${epochMs(sql`run_goals.deadline`)} as deadline_ms,
      (select g->'within'->>'unit' from playbook_sources src, jsonb_array_elements(src.goals) g
        where src.playbook_id = runs.playbook_id and src.version = runs.playbook_version and g->>'id' = run_goals.goal limit 1) as unit
    from run_goals
    join runs on runs.run_id = run_goals.run_id
    left join accounts on accounts.account_id = run_goals.account_id
    where run_goals.state = 'pending' and run_goals.since <= ${asOf} and run_goals.deadline > ${asOf} ${scopeClause(scope)}
    order by run_goals.deadline, run_goals.run_id, run_goals.goal`.execute(store);
  const lookup = await (calendars ?? storeCalendars(store, asOf, asOf))(rows);
  const now = asOf.getTime();
  return rows.flatMap((r): AtRiskGoal[] => {
    const { left, atRisk } = goalLeft(r.since_ms, r.deadline_ms, now, r.unit, lookup.of(r));
    if (!atRisk) return [];
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
        since: r.since_ms,
        deadline: r.deadline_ms,
        left,
      },
    ];
  });
}
