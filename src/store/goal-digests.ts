/**
 * The goal digests' and attainment alerts' queries (migration 018): the goals the digests
 * speak of (`run_goals`, kept by the runs' flushes), each digest written before it is sent
 * and settled after (`goal_digests`), and each goal's alert state (`goal_alerts`). The
 * digest's composition and sending live in src/ops/goal-digest.ts.
 */
import { sql } from 'kysely';
import type { Store } from './connect.js';
import type { GoalAlertsTable, GoalDigestsTable } from './schema.js';
import type { Selectable } from 'kysely';

/** A run with goals that a digest may speak of, with what its calendar needs. */
export interface DigestRun {
  runId: string;
  playbook: string;
  version: string;
  accountId: string;
}

/** The runs with a goal still pending, or missed since `missedSince`: whose calendars the digests go out in. */
export async function runsWithGoals(store: Store, missedSince: Date): Promise<DigestRun[]> {
  const rows = await store
    .selectFrom('run_goals')
    .innerJoin('runs', 'runs.run_id', 'run_goals.run_id')
    .select(['runs.run_id', 'runs.playbook_id', 'runs.playbook_version', 'runs.account_id'])
    .where((eb) =>
      eb.or([eb('run_goals.state', '=', 'pending'), eb.and([eb('run_goals.state', '=', 'missed'), eb('run_goals.settled_at', '>=', missedSince)])]),
    )
    .distinct()
    .orderBy('runs.run_id')
    .execute();
  return rows.map((r) => ({ runId: r.run_id, playbook: r.playbook_id, version: r.playbook_version, accountId: r.account_id }));
}

/** A goal of a run (a `run_goals` row), as the digests and the at-risk report name it. */
export interface RunGoal {
  runId: string;
  workflowId: string;
  playbook: string;
  /** The run's playbook version (content hash). */
  version: string;
  accountId: string;
  goal: string;
  text: string;
  target: number;
}

export interface MissedGoal extends RunGoal {
  /** Epoch ms. */
  missedAt: number;
}

/** Goals missed in `[from, to)`, in the order they were missed. */
export async function goalsMissedBetween(store: Store, from: Date, to: Date): Promise<MissedGoal[]> {
  const rows = await store
    .selectFrom('run_goals')
    .innerJoin('runs', 'runs.run_id', 'run_goals.run_id')
    .select([
      'run_goals.run_id',
      'run_goals.workflow_id',
      'run_goals.playbook_id',
      'runs.playbook_version',
      'run_goals.account_id',
      'run_goals.goal',
      'run_goals.text',
      'run_goals.target',
      'run_goals.settled_at',
    ])
    .where('run_goals.state', '=', 'missed')
    .where('run_goals.settled_at', '>=', from)
    .where('run_goals.settled_at', '<', to)
    .orderBy('run_goals.settled_at')
    .orderBy('run_goals.run_id')
    .orderBy('run_goals.goal')
    .execute();
  return rows.map((r) => ({
    runId: r.run_id,
    workflowId: r.workflow_id,
    playbook: r.playbook_id,
    version: r.playbook_version,
    accountId: r.account_id,
    goal: r.goal,
    text: r.text,
    target: r.target,
    missedAt: r.settled_at!.getTime(),
  }));
}

/** Each account's data, by id. */
export async function accountData(store: Store, ids: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
  if (ids.length === 0) return new Map();
  const rows = await store
    .selectFrom('accounts')
    .select(['account_id', 'data'])
    .where('account_id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.account_id, r.data]));
}

export type GoalDigestRow = Selectable<GoalDigestsTable>;

/** Writes each digest unless one for its recipient, calendar and day exists (that one stays as it was). */
export async function keepDigests(
  store: Store,
  digests: ReadonlyArray<Pick<GoalDigestRow, 'calendar' | 'day' | 'recipient' | 'at' | 'subject' | 'body'>>,
  now: Date,
): Promise<void> {
  if (digests.length === 0) return;
  await store
    .insertInto('goal_digests')
    .values(digests.map((d) => ({ ...d, state: 'pending' as const, created_at: now })))
    .onConflict((oc) => oc.columns(['calendar', 'day', 'recipient']).doNothing())
    .execute();
}

/** The digests of a calendar's day not yet sent or given up. */
export function pendingDigests(store: Store, calendar: string, day: string): Promise<GoalDigestRow[]> {
  return store
    .selectFrom('goal_digests')
    .selectAll()
    .where('calendar', '=', calendar)
    .where('day', '=', day)
    .where('state', '=', 'pending')
    .orderBy('recipient')
    .execute();
}

/** A digest went out (`sent`), or cannot (`failed`, with why). */
export async function digestSettled(
  store: Store,
  digest: Pick<GoalDigestRow, 'calendar' | 'day' | 'recipient'>,
  outcome: { sentAt: Date } | { error: string },
): Promise<void> {
  await store
    .updateTable('goal_digests')
    .set('sentAt' in outcome ? { state: 'sent', sent_at: outcome.sentAt, error: null } : { state: 'failed', error: outcome.error })
    .where('calendar', '=', digest.calendar)
    .where('day', '=', digest.day)
    .where('recipient', '=', digest.recipient)
    .where('state', '=', 'pending')
    .execute();
}

/** A transient failure: the digest stays pending (the next attempt sends it), with the error for people to read. */
export async function digestAttemptFailed(store: Store, digest: Pick<GoalDigestRow, 'calendar' | 'day' | 'recipient'>, error: string): Promise<void> {
  await store
    .updateTable('goal_digests')
    .set({ error })
    .where('calendar', '=', digest.calendar)
    .where('day', '=', digest.day)
    .where('recipient', '=', digest.recipient)
    .where('state', '=', 'pending')
    .execute();
}

export type GoalAlertRow = Selectable<GoalAlertsTable>;

/**
 * Records a goal's attainment: falling below its target (first seen below, or below again
 * after it recovered) counts one more drop; recovering clears `below`. Returns the row.
 */
export async function recordAttainment(
  store: Store,
  goal: { playbook: string; goal: string; attainment: number; target: number },
  at: Date,
): Promise<GoalAlertRow> {
  const below = goal.attainment < goal.target;
  const { rows } = await sql<GoalAlertRow>`
    insert into goal_alerts (playbook_id, goal, below, drops, notified, attainment, target, changed_at)
    values (${goal.playbook}, ${goal.goal}, ${below}, ${below ? 1 : 0}, 0, ${goal.attainment}, ${goal.target}, ${at})
    on conflict (playbook_id, goal) do update set
      drops = goal_alerts.drops + case when excluded.below and not goal_alerts.below then 1 else 0 end,
      changed_at = case when excluded.below <> goal_alerts.below then excluded.changed_at else goal_alerts.changed_at end,
      below = excluded.below, attainment = excluded.attainment, target = excluded.target
    returning *`.execute(store);
  return rows[0]!;
}

/** The owner was told of drop number `drops`. */
export async function alertNotified(store: Store, alert: Pick<GoalAlertRow, 'playbook_id' | 'goal'>, drops: number): Promise<void> {
  await store
    .updateTable('goal_alerts')
    .set({ notified: drops })
    .where('playbook_id', '=', alert.playbook_id)
    .where('goal', '=', alert.goal)
    .where('notified', '<', drops)
    .execute();
}

/** The owner of a playbook as its newest run's goals name it; null when none does. */
export async function goalOwner(store: Store, playbook: string): Promise<string | null> {
  const row = await store
    .selectFrom('run_goals')
    .select('owner')
    .where('playbook_id', '=', playbook)
    .where('owner', 'is not', null)
    .orderBy('updated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.owner ?? null;
}
