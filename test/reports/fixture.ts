/**
 * Synthetic executions with hand-computed answers for the report tests, written through the
 * projection (`projectRun`) as the runs would write them, in the US business calendar of
 * New York (09:00–17:00, Monday to Friday, US holidays): across Martin Luther King Day
 * (2026-01-19), Presidents' Day (2026-02-16) and the start of daylight-saving time (2026-03-08).
 * The answers are worked out next to the entries; the tests assert them.
 */
import type { CalendarIr, GoalIr } from '../../src/ir/types.js';
import type { GoalStatus } from '../../src/runtime/goals.js';
import type { TimelineEntry } from '../../src/runtime/timeline.js';
import type { Store } from '../../src/store/connect.js';
import { keepPlaybookSources } from '../../src/store/playbook-sources.js';
import { projectRun } from '../../src/store/projection.js';
import { program } from '../scenarios/fixtures.js';

export const ANN = 'ann@example.com';
export const BOB = 'bob@example.com';
export const V1 = '1'.repeat(64);
export const V2 = '2'.repeat(64);
/** The reports' period (Q1 2026) and "now" (Tuesday 2026-03-10 10:00 New York, after the DST change). */
export const PERIOD = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z'), asOf: new Date('2026-03-10T14:00:00Z') };

/** Monday to Friday 09:00–17:00 in the account's zone (New York when it has none), US holidays. */
export const US_BUSINESS: CalendarIr = program.calendars['us-business']!;

/** New York local time written with its offset (EST -05:00 until 2026-03-08, EDT -04:00 after), as UTC ISO-8601. */
const at = (local: string): string => new Date(local).toISOString();

/** Renewal's goal, pending in the runs below (no goal entry; their flushes keep it in `run_goals`): checked within 7 business days of the start. */
export const CHECKED: GoalIr = {
  id: 'checked',
  title: 'Checked within 7 business days',
  target: 90,
  milestone: { kind: 'stage', stage: 'decide' },
  within: { amount: 7, unit: 'business day' },
  anchor: { kind: 'start' },
  line: 2,
};
/** Trial's goal in version 2, as its entries below name it. */
const CONVERTED: GoalIr = {
  id: 'converted',
  title: 'Converted within 5 business days',
  target: 90,
  milestone: { kind: 'stage', stage: 'prepare' },
  within: { amount: 5, unit: 'business day' },
  anchor: { kind: 'stage', stage: 'review' },
  line: 2,
};

type Extra = Partial<TimelineEntry>;
const entry = (local: string, kind: TimelineEntry['kind'], stage: string | null, extra: Extra = {}): TimelineEntry => ({
  at: at(local),
  kind,
  stage,
  line: 1,
  ...extra,
});

interface RunSpec {
  playbook: string;
  version?: string;
  account: string;
  entries: TimelineEntry[];
  /** How it ended: the last entry's instant; absent: still running. */
  ended?: { outcome: 'completed' | 'stopped' | 'exited'; label?: string };
  /** Its goals as its last flush told them (`run_goals`): where the at-risk goals come from. */
  goals?: GoalStatus[];
}

async function project(store: Store, n: number, spec: RunSpec): Promise<void> {
  const workflowId = `playbook:${spec.playbook}:${spec.account}:${n}`;
  const last = spec.entries.at(-1)!;
  const stages = spec.entries.filter((e) => e.kind === 'stage');
  await projectRun(store, {
    workflowId,
    runId: `run-${n}`,
    run: {
      playbook: spec.playbook,
      version: spec.version ?? V1,
      accountId: spec.account,
      status: spec.ended?.outcome ?? 'running',
      stage: stages.at(-1)?.stage ?? null,
      outcome: spec.ended?.outcome ?? null,
      outcomeLabel: spec.ended?.label ?? null,
      startedAt: spec.entries[0]!.at,
      endedAt: spec.ended === undefined ? null : last.at,
    },
    from: 0,
    entries: spec.entries,
    questions: {},
    completedBy: {},
    ended: spec.ended === undefined ? null : { completed: 'complete', stopped: 'stop', exited: 'exit' }[spec.ended.outcome],
    ...(spec.goals && { goals: { owner: null, goals: spec.goals } }),
  });
}

/** A goal pending since `sinceLocal` with its deadline, as the run computed them. */
const pending = (goal: GoalIr, sinceLocal: string, deadlineLocal: string): GoalStatus => ({
  goal: goal.id,
  text: goal.title ?? goal.id,
  target: goal.target,
  state: 'pending',
  since: at(sinceLocal),
  deadline: at(deadlineLocal),
  at: null,
});

const task = (local: string, stage: string, name: string, to: string, dueLocal: string | null): TimelineEntry =>
  entry(local, 'task', stage, { task: name, to, text: `Do ${name}`, ...(dueLocal !== null && { due: at(dueLocal) }) });
const done = (local: string, stage: string, name: string, data: Record<string, unknown> = {}): TimelineEntry =>
  entry(local, 'task-completed', stage, { task: name, data });

export async function fillReportFixture(store: Store): Promise<void> {
  const accounts = [
    { id: 'k-ent-ann', segment: 'enterprise', csm: ANN },
    { id: 'k-ent-bob', segment: 'enterprise', csm: BOB },
    { id: 'k-smb-ann', segment: 'smb', csm: ANN },
  ];
  await store
    .insertInto('accounts')
    .values(
      accounts.map((a) => ({
        account_id: a.id,
        data: JSON.stringify({ ...a, name: a.id, timezone: 'America/New_York' }),
        created_at: '2026-01-01T00:00:00Z',
        updated_at: '2026-01-01T00:00:00Z',
        updated_by: 'test',
      })),
    )
    .execute();
  const source = (playbook: string, version: string, deployedAt: string, goals?: GoalIr[]) =>
    keepPlaybookSources(
      store,
      [{ playbook, version, file: `${playbook}.playbook`, line: 1, text: `playbook ${playbook}`, calendar: US_BUSINESS, ...(goals && { goals }) }],
      'test',
      new Date(deployedAt),
    );
  for (const playbook of ['onboarding', 'support', 'trial']) await source(playbook, V1, '2026-01-01T00:00:00Z');
  await source('renewal', V1, '2026-01-01T00:00:00Z', [CHECKED]);
  await source('trial', V2, '2026-02-20T00:00:00Z', [CONVERTED]);

  let n = 0;
  const run = (spec: RunSpec) => project(store, n++, spec);

  // On time, onboarding: 8 tasks due in the period, 7 completed by their due. Ann's t4 was due
  // Friday 2026-01-16 17:00 and completed Tuesday 17:00 after MLK Day: 8 business hours late.
  // A task without a due is not counted.
  for (const [account, to] of [
    ['k-ent-ann', ANN],
    ['k-ent-bob', BOB],
  ] as const) {
    const late = to === ANN;
    await run({
      playbook: 'onboarding',
      account,
      entries: [
        entry('2026-01-12T09:00:00-05:00', 'start', null),
        entry('2026-01-12T09:00:00-05:00', 'stage', 'kickoff', { text: 'Kickoff' }),
        task('2026-01-12T09:00:00-05:00', 'kickoff', 't1', to, '2026-01-14T17:00:00-05:00'),
        task('2026-01-12T09:00:00-05:00', 'kickoff', 't2', to, '2026-01-15T17:00:00-05:00'),
        task('2026-01-12T09:00:00-05:00', 'kickoff', 't3', to, '2026-01-16T17:00:00-05:00'),
        task('2026-01-12T09:00:00-05:00', 'kickoff', 't4', to, '2026-01-16T17:00:00-05:00'),
        task('2026-01-12T09:00:00-05:00', 'kickoff', 'nodue', to, null),
        done('2026-01-13T10:00:00-05:00', 'kickoff', 't1'),
        done('2026-01-15T17:00:00-05:00', 'kickoff', 't2'), // exactly at its due: on time
        done('2026-01-16T12:00:00-05:00', 'kickoff', 't3'),
        done(late ? '2026-01-20T17:00:00-05:00' : '2026-01-16T16:59:00-05:00', 'kickoff', 't4'),
        done('2026-01-20T17:00:00-05:00', 'kickoff', 'nodue'),
      ],
    });
  }

  // On time, renewal (smb, Ann): r1 completed on time; r2 still open, due Thursday 2026-03-05
  // 17:00 EST: at "now" (Tuesday 2026-03-10 10:00 EDT) it is 17 business hours late (Friday 8,
  // Monday 8, Tuesday 1, across the DST change); r3 is due after "now" (not counted yet); r4
  // was closed before its due (not counted).
  // Escalation lead time: the rating (a task without a due) completed red Thursday 2026-03-05
  // 10:00 EST; the escalation Tuesday 2026-03-10 10:00 EDT: 3 business days (7 + 8 + 8 + 1
  // hours) across a weekend and the DST change. A second escalation at the instant of a `set`:
  // 0 days. A third with no signal before it in its run: not measured.
  // At risk at "now": r5, open, due Tuesday 2026-03-10 13:00 EDT, 3 business hours ahead; the
  // goal `checked`, anchored at the start (Monday 2026-03-02 09:00 EST), deadline Wednesday
  // 2026-03-11 09:00 EDT: 7 of its 56 business hours left (12.5%). The two runs after it
  // started in February: their goal's deadline (Wednesday 02-11 09:00 EST) passed (missed, not
  // at risk). Each run's pending goal is in `run_goals` with that window, as its flush keeps it.
  await run({
    playbook: 'renewal',
    account: 'k-smb-ann',
    entries: [
      entry('2026-03-02T09:00:00-05:00', 'start', null),
      entry('2026-03-02T09:00:00-05:00', 'stage', 'check', { text: 'Check' }),
      task('2026-03-02T09:00:00-05:00', 'check', 'r1', ANN, '2026-03-04T17:00:00-05:00'),
      task('2026-03-02T09:00:00-05:00', 'check', 'r2', ANN, '2026-03-05T17:00:00-05:00'),
      task('2026-03-02T09:00:00-05:00', 'check', 'r3', ANN, '2026-03-20T17:00:00-04:00'),
      task('2026-03-02T09:00:00-05:00', 'check', 'r4', ANN, '2026-03-25T17:00:00-04:00'),
      task('2026-03-02T09:00:00-05:00', 'check', 'rating', ANN, null),
      task('2026-03-02T09:00:00-05:00', 'check', 'r5', ANN, '2026-03-10T13:00:00-04:00'),
      done('2026-03-03T11:00:00-05:00', 'check', 'r1'),
      entry('2026-03-03T12:00:00-05:00', 'task-closed', 'check', { task: 'r4', text: 'not needed' }),
      done('2026-03-05T10:00:00-05:00', 'check', 'rating', { rating: 'red' }),
      entry('2026-03-10T10:00:00-04:00', 'escalate', 'check', { to: BOB, text: 'Red rating' }),
    ],
    goals: [pending(CHECKED, '2026-03-02T09:00:00-05:00', '2026-03-11T09:00:00-04:00')],
  });
  await run({
    playbook: 'renewal',
    account: 'k-smb-ann',
    entries: [
      entry('2026-02-02T09:00:00-05:00', 'start', null),
      entry('2026-02-02T09:00:00-05:00', 'stage', 'check', { text: 'Check' }),
      entry('2026-02-03T11:00:00-05:00', 'set', 'check', { field: 'risk', data: 'high' }),
      entry('2026-02-03T11:00:00-05:00', 'escalate', 'check', { to: BOB, text: 'High risk' }),
    ],
    goals: [pending(CHECKED, '2026-02-02T09:00:00-05:00', '2026-02-11T09:00:00-05:00')],
  });
  await run({
    playbook: 'renewal',
    account: 'k-smb-ann',
    entries: [
      entry('2026-02-02T09:00:00-05:00', 'start', null),
      entry('2026-02-02T09:00:00-05:00', 'stage', 'check', { text: 'Check' }),
      entry('2026-02-16T09:00:00-05:00', 'escalate', 'check', { to: BOB, text: 'No check' }),
    ],
    goals: [pending(CHECKED, '2026-02-02T09:00:00-05:00', '2026-02-11T09:00:00-05:00')],
  });

  // Follow-up and first touch, support (enterprise, Ann), event `ticket.resolved`:
  // - Friday 2026-01-16 16:00, emailed Tuesday 10:00 after MLK Day: within 2 business days
  //   (by Wednesday 16:00); 2 business hours (Friday 1, Tuesday 1); within 4 (by Tuesday 12:00).
  // - Wednesday 2026-02-11 10:00, emailed Tuesday 2026-02-17 11:00 after Presidents' Day: not
  //   within 2 business days (Friday 10:00); 25 business hours (7 + 8 + 8 + 2).
  // - Monday 2026-03-02 10:00, never touched: not followed up, not within 4 business hours.
  // - Tuesday 2026-03-10 09:00 EDT, an hour before "now", not touched yet: pending for both.
  const resolved = (local: string) => entry(local, 'event', 'care', { text: 'ticket.resolved' });
  const email = (local: string) => entry(local, 'email', 'care', { to: 'x@example.com', text: 'How did we do?', template: 'csat' });
  await run({
    playbook: 'support',
    account: 'k-ent-ann',
    entries: [
      entry('2026-01-05T09:00:00-05:00', 'start', null),
      entry('2026-01-05T09:00:00-05:00', 'stage', 'care', { text: 'Care' }),
      resolved('2026-01-16T16:00:00-05:00'),
      email('2026-01-20T10:00:00-05:00'),
      resolved('2026-02-11T10:00:00-05:00'),
      email('2026-02-17T11:00:00-05:00'),
      resolved('2026-03-02T10:00:00-05:00'),
      resolved('2026-03-10T09:00:00-04:00'),
    ],
  });

  // Outcomes, funnel, goals and versions, trial (smb, Ann). Stages review → prepare; goal
  // `converted`, target 90%.
  // V1: t1 review Mon 02-02 10:00 (2 bd) → prepare Wed 02-04 10:00 (1 bd) → stopped
  //     "subscribed" Thu 02-05 10:00; goal met (960 business minutes).
  //     t2 review Mon 02-09 10:00 → stopped "subscribed" Tue 02-10 14:00 (1.5 bd); goal met (1200).
  //     t3 review Fri 02-13 10:00 → exited Tue 02-17 10:00 (1 bd: 7 + 1 hours, Presidents' Day); goal missed
  //     Sunday 02-15 23:30 EST (Monday 04:30 UTC: the week of 02-09 in New York).
  // V2: t4 review Mon 03-02 10:00 (3 bd) → prepare Thu 03-05 10:00 (3 bd across the DST
  //     change) → completed Tue 03-10 10:00 EDT; goal met exactly at its deadline, Mon 03-09
  //     10:00 EDT (5 business days: 2400 minutes).
  //     t5 review Mon 03-02 10:00 → stopped "subscribed" Mon 03-09 10:01 EDT, a minute after the
  //     goal's deadline: goal missed at the deadline (5.0021 bd in review: 40 hours 1 minute).
  //     t6 review Mon 03-09 10:00 EDT, still in it: its goal pending with 32 of 40 business
  //     hours left at "now" (80%: not at risk).
  const goal = (local: string, met: boolean, took?: number): TimelineEntry =>
    entry(local, met ? 'goal-met' : 'goal-missed', 'review', {
      goal: 'converted',
      text: 'Converted within 5 business days',
      target: 90,
      ...(took !== undefined && { took }),
    });
  const stage = (local: string, id: string) => entry(local, 'stage', id, { text: id });
  const trial = (version: string, entries: TimelineEntry[], ended?: RunSpec['ended'], goals?: GoalStatus[]) =>
    run({
      playbook: 'trial',
      version,
      account: 'k-smb-ann',
      entries: [entry(entries[0]!.at, 'start', null), ...entries],
      ...(ended && { ended }),
      ...(goals && { goals }),
    });
  await trial(
    V1,
    [
      stage('2026-02-02T10:00:00-05:00', 'review'),
      stage('2026-02-04T10:00:00-05:00', 'prepare'),
      goal('2026-02-04T10:00:00-05:00', true, 960),
      entry('2026-02-05T10:00:00-05:00', 'stop', 'prepare', { text: 'subscribed' }),
    ],
    { outcome: 'stopped', label: 'subscribed' },
  );
  await trial(
    V1,
    [
      stage('2026-02-09T10:00:00-05:00', 'review'),
      goal('2026-02-10T14:00:00-05:00', true, 1200),
      entry('2026-02-10T14:00:00-05:00', 'stop', 'review', { text: 'subscribed' }),
    ],
    { outcome: 'stopped', label: 'subscribed' },
  );
  await trial(
    V1,
    [stage('2026-02-13T10:00:00-05:00', 'review'), goal('2026-02-15T23:30:00-05:00', false), entry('2026-02-17T10:00:00-05:00', 'exit', 'review')],
    {
      outcome: 'exited',
    },
  );
  await trial(
    V2,
    [
      stage('2026-03-02T10:00:00-05:00', 'review'),
      stage('2026-03-05T10:00:00-05:00', 'prepare'),
      goal('2026-03-09T10:00:00-04:00', true, 2400),
      entry('2026-03-10T10:00:00-04:00', 'complete', 'prepare'),
    ],
    { outcome: 'completed' },
  );
  await trial(
    V2,
    [
      stage('2026-03-02T10:00:00-05:00', 'review'),
      goal('2026-03-09T10:00:00-04:00', false),
      entry('2026-03-09T10:01:00-04:00', 'stop', 'review', { text: 'subscribed' }),
    ],
    { outcome: 'stopped', label: 'subscribed' },
  );
  await trial(V2, [stage('2026-03-09T10:00:00-04:00', 'review')], undefined, [pending(CONVERTED, '2026-03-09T10:00:00-04:00', '2026-03-16T10:00:00-04:00')]);
}
