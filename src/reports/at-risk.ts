/**
 * What is about to break (docs/kpis.md): at as-of, the pending goals of running runs with less
 * than 20% of their window left, and the open tasks due within 4 business hours, each in its
 * run's calendar. A pending goal leaves no entry, so its window is found as the run finds it:
 * the first entry of its anchor (`goalPointMatches`, the interpreter's own rule) in the run's
 * timeline, plus its duration, with the goals kept at deploy (`playbook_sources.goals`).
 */
import { sql } from 'kysely';
import { addDuration, businessTimeBetween, type ResolvedCalendar } from '../calendar/index.js';
import type { DurationIr, GoalIr } from '../ir/types.js';
import { goalPointMatches } from '../runtime/goals.js';
import type { TimelineEntry } from '../runtime/timeline.js';
import type { Store } from '../store/connect.js';
import { compareStrings } from '../util/compare-strings.js';
import { businessHours, percent, round } from './figures.js';
import { ACCOUNT_CSM, epochMs, groupCells, groupOf, kindsIn, scopeClause } from './groups.js';
import { GOAL_KINDS } from './goals.js';
import type { Kpi, ReportRow } from './types.js';

/** A pending goal is at risk with less than this share of its window left. */
export const GOAL_LEFT_PERCENT = 20;
/** An open task is at risk when due within this of as-of. */
export const TASK_DUE_WITHIN: DurationIr = { amount: 4, unit: 'business hour' };

/** The kinds of entry a goal can be anchored by, and those that end it. */
const ANCHOR_KINDS = ['start', 'event', 'task', 'stage'] as const;
const DAY_MS = 86_400_000;
/** Further than any 4 business hours reach (a calendar's longest run of days off): the SQL's bound before the exact rule. */
const TASK_HORIZON_MS = 30 * DAY_MS;

/** Time of a goal's window as its duration counts it: business time for business days and hours, elapsed time otherwise. */
function windowTime(from: number, to: number, within: DurationIr, cal: ResolvedCalendar): number {
  return within.unit.startsWith('business') ? businessTimeBetween(from, to, cal) : to - from;
}

/**
 * A pending goal anchored at `since` with duration `within`, at `asOf`: its deadline and the
 * percentage of its window left, and whether that is at risk (under 20%, the deadline not yet
 * passed: then the goal is missed, not at risk).
 */
export function goalWindow(
  since: number,
  within: DurationIr,
  asOf: number,
  cal: ResolvedCalendar,
): { deadline: number; leftPercent: number | null; atRisk: boolean } {
  const deadline = addDuration(since, within, cal);
  const total = windowTime(since, deadline, within, cal);
  const left = asOf >= deadline ? 0 : windowTime(Math.max(asOf, since), deadline, within, cal);
  const leftPercent = percent(left, total);
  return { deadline, leftPercent, atRisk: since <= asOf && asOf < deadline && left * 100 < GOAL_LEFT_PERCENT * total };
}

/** Whether an open task due at `due` is at risk at `asOf`: not yet overdue, and due at or before as-of plus 4 business hours. */
export function taskDueSoon(due: number, asOf: number, cal: ResolvedCalendar): boolean {
  return due >= asOf && due <= addDuration(asOf, TASK_DUE_WITHIN, cal);
}

interface RunRow {
  run_id: string;
  workflow_id: string;
  playbook_id: string;
  playbook_version: string;
  account_id: string;
  account_csm: string | null;
  goals: GoalIr[];
}

export const atRisk: Kpi = {
  name: 'at-risk',
  title: 'At risk',
  by: ['playbook', 'version', 'csm', 'segment'],
  perPlaybook: true,
  columns: [
    { key: 'kind', header: 'KIND', type: 'text', description: '`goal` (pending, under 20% of its window left) or `task` (open, due within 4 business hours)' },
    { key: 'account', header: 'ACCOUNT', type: 'text', description: 'The run’s account' },
    { key: 'run', header: 'RUN', type: 'text', description: 'The run’s workflow id (a keyed run’s holds its key)' },
    { key: 'item', header: 'ITEM', type: 'text', description: 'The goal’s id or the task’s name' },
    { key: 'text', header: 'TITLE', type: 'text', description: 'The goal’s or the task’s title' },
    { key: 'owner', header: 'OWNER', type: 'text', description: 'The task’s assignee; for a goal the account’s CSM' },
    { key: 'due', header: 'DUE', type: 'text', description: 'The goal’s deadline or the task’s due, UTC ISO-8601' },
    { key: 'leftPercent', header: 'LEFT %', type: 'percent', description: 'A goal: the share of its window left at as-of; a task: null' },
    { key: 'leftBusinessHours', header: 'LEFT', type: 'hours', description: 'Business hours from as-of to the deadline or due' },
  ],
  async compute(store, query, calendars) {
    const asOf = query.asOf.getTime();
    // A task counts in the run it belongs to (a child playbook's too), as the link to it does.
    const group = groupOf(query.by, true, { playbook: sql`runs.playbook_id`, csm: ACCOUNT_CSM });
    const [runs, tasks] = await Promise.all([
      sql<RunRow & Record<string, unknown>>`
        select ${group.select}, runs.run_id, runs.workflow_id, runs.playbook_id, runs.playbook_version, runs.account_id, ${ACCOUNT_CSM} as account_csm, src.goals
        from runs
        join playbook_sources src on src.playbook_id = runs.playbook_id and src.version = runs.playbook_version
        left join accounts on accounts.account_id = runs.account_id
        where runs.ended_at is null and src.goals is not null and runs.started_at <= ${query.asOf} ${scopeClause(query)}`.execute(store),
      sql<
        Record<string, unknown> & {
          workflow_id: string;
          playbook_id: string;
          playbook_version: string;
          account_id: string;
          name: string;
          title: string;
          assignee: string | null;
          due_ms: number;
        }
      >`
        select ${group.select}, runs.workflow_id, runs.playbook_id, runs.playbook_version, runs.account_id, tasks.name, tasks.title, tasks.assignee, ${epochMs(sql`tasks.due_at`)} as due_ms
        from tasks
        join runs on runs.run_id = tasks.run_id
        left join accounts on accounts.account_id = tasks.account_id
        where tasks.state = 'open' and tasks.due_at >= ${query.asOf} and tasks.due_at < ${new Date(asOf + TASK_HORIZON_MS)} ${scopeClause(query)}`.execute(
        store,
      ),
    ]);
    const entries = await runEntries(
      store,
      runs.rows.map((r) => r.run_id),
    );
    const lookup = await calendars([...runs.rows, ...tasks.rows]);
    const rows: ReportRow[] = [];
    for (const run of runs.rows) {
      const cal = lookup.of(run);
      const timeline = entries.get(run.run_id) ?? [];
      const ended = new Set(timeline.filter((e) => e.kind === 'goal-met' || e.kind === 'goal-missed').map((e) => e.goal));
      for (const goal of run.goals) {
        if (ended.has(goal.id)) continue;
        const anchor = timeline.find((e) => goalPointMatches(goal.anchor, e));
        if (anchor === undefined) continue;
        const window = goalWindow(Date.parse(anchor.at), goal.within, asOf, cal);
        if (!window.atRisk) continue;
        rows.push({
          ...groupCells(run, group.keys),
          kind: 'goal',
          account: run.account_id,
          run: run.workflow_id,
          item: goal.id,
          text: goal.title ?? goal.id,
          owner: run.account_csm,
          due: new Date(window.deadline).toISOString(),
          leftPercent: window.leftPercent,
          leftBusinessHours: round(businessHours(asOf, window.deadline, cal)),
        });
      }
    }
    for (const task of tasks.rows) {
      const cal = lookup.of(task);
      if (!taskDueSoon(task.due_ms, asOf, cal)) continue;
      rows.push({
        ...groupCells(task, group.keys),
        kind: 'task',
        account: task.account_id,
        run: task.workflow_id,
        item: task.name,
        text: task.title,
        owner: task.assignee,
        due: new Date(task.due_ms).toISOString(),
        leftPercent: null,
        leftBusinessHours: round(businessHours(asOf, task.due_ms, cal)),
      });
    }
    // Soonest first within each group.
    const order = [...group.keys, 'due', 'run', 'item'];
    return rows.sort((a, b) => order.reduce((c, k) => c || compareStrings(String(a[k] ?? ''), String(b[k] ?? '')), 0));
  },
};

/** The entries of these runs that anchor or end a goal, per run in order. */
async function runEntries(store: Store, runIds: string[]): Promise<Map<string, TimelineEntry[]>> {
  const byRun = new Map<string, TimelineEntry[]>();
  if (runIds.length === 0) return byRun;
  const { rows } = await sql<{ run_id: string; entry: TimelineEntry }>`
    select run_id, entry from timeline_entries
    where run_id = any(${runIds}::text[]) and kind in (${kindsIn([...ANCHOR_KINDS, ...GOAL_KINDS])})
    order by run_id, seq`.execute(store);
  for (const { run_id, entry } of rows) {
    let list = byRun.get(run_id);
    if (list === undefined) byRun.set(run_id, (list = []));
    list.push(entry);
  }
  return byRun;
}
