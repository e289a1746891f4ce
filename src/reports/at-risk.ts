/**
 * What is about to break (docs/kpis.md): at as-of, the pending goals of runs with less than 20%
 * of their window left (`goalsAtRisk`, the one selection the goal digest uses too) and the open
 * tasks due within 4 business hours, each in its run's calendar.
 */
import { sql } from 'kysely';
import { addDuration, type ResolvedCalendar } from '../calendar/index.js';
import type { DurationIr } from '../ir/types.js';
import { compareStrings } from '../util/compare-strings.js';
import { businessHours, round } from './figures.js';
import { goalsAtRisk, type AtRiskGoal } from './goals-at-risk.js';
import { ACCOUNT_CSM, epochMs, groupCells, groupOf, scopeClause } from './groups.js';
import type { Kpi, ReportRow } from './types.js';

/** An open task is at risk when due within this of as-of. */
export const TASK_DUE_WITHIN: DurationIr = { amount: 4, unit: 'business hour' };

const DAY_MS = 86_400_000;
/** Further than any 4 business hours reach (a calendar's longest run of days off): the SQL's bound before the exact rule. */
const TASK_HORIZON_MS = 30 * DAY_MS;

/** Whether an open task due at `due` is at risk at `asOf`: not yet overdue, and due at or before as-of plus 4 business hours. */
export function taskDueSoon(due: number, asOf: number, cal: ResolvedCalendar): boolean {
  return due >= asOf && due <= addDuration(asOf, TASK_DUE_WITHIN, cal);
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
    { key: 'due', header: 'DUE', type: 'instant', description: 'The goal’s deadline or the task’s due (UTC ISO-8601; a table shows it to the minute)' },
    { key: 'leftPercent', header: 'LEFT %', type: 'percent', description: 'A goal: the share of its window left at as-of; a task: null' },
    { key: 'leftBusinessHours', header: 'LEFT', type: 'hours', description: 'Business hours from as-of to the deadline or due' },
  ],
  async compute(store, query, calendars) {
    const asOf = query.asOf.getTime();
    // A task counts in the run it belongs to (a child playbook's too), as the link to it does.
    const group = groupOf(query.by, true, { playbook: sql`runs.playbook_id`, csm: ACCOUNT_CSM });
    const [goals, tasks] = await Promise.all([
      goalsAtRisk(store, query.asOf, calendars, query),
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
    // The goals' group cells and the CSM, by run: the selection is the digest's too, and knows no groups.
    const { rows: cells } = await sql<Record<string, unknown> & { run_id: string; account_csm: string | null }>`
      select runs.run_id, ${group.select}, ${ACCOUNT_CSM} as account_csm
      from runs left join accounts on accounts.account_id = runs.account_id
      where runs.run_id = any(${[...new Set(goals.map((g) => g.runId))]}::text[])`.execute(store);
    const cellsOf = new Map(cells.map((c) => [c.run_id, c]));
    const runOf = (g: AtRiskGoal) => ({ playbook_id: g.playbook, playbook_version: g.version, account_id: g.accountId });
    const lookup = await calendars([...goals.map(runOf), ...tasks.rows]);
    const rows: ReportRow[] = [];
    for (const goal of goals) {
      const run = cellsOf.get(goal.runId);
      rows.push({
        ...groupCells(run ?? {}, group.keys),
        kind: 'goal',
        account: goal.accountId,
        run: goal.workflowId,
        item: goal.goal,
        text: goal.text,
        owner: run?.account_csm ?? null,
        due: new Date(goal.deadline).toISOString(),
        leftPercent: round(goal.left * 100, 1),
        leftBusinessHours: round(businessHours(asOf, goal.deadline, lookup.of(runOf(goal)))),
      });
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
