/**
 * The built-in reports (src/reports/, docs/kpis.md) on a PostgreSQL server started from the
 * machine's binaries, filled with BENCH_REPORT_RUNS synthetic runs (default 100,000) of 20
 * timeline entries each (2 million by default) spread over 2026, with their tasks, escalations,
 * accounts and kept calendars, bulk-inserted (multi-row inserts of unnested arrays, not
 * `projectRun` one by one), and the renewal coverage of docs/kpis.md over every account (renewal
 * dates spread over 2026). Each report is timed for a quarter (Q2 2026), as `playbook report`
 * computes it: median of 3 after a warm-up; target under 2 s. Runs are written in the order they
 * start, as a store fills, so one period's rows lie together.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { addDuration, type ResolvedCalendar } from '../src/calendar/index.js';
import { resolveCalendar } from '../src/calendar/resolve.js';
import type { CalendarIr, CoverageIr, GoalIr } from '../src/ir/types.js';
import { runReport } from '../src/reports/index.js';
import { KPI_NAMES } from '../src/reports/types.js';
import type { TimelineEntry } from '../src/runtime/timeline.js';
import { startPostgresServer } from '../src/servers/postgres-server.js';
import { openStore, type Store } from '../src/store/connect.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { keepCoverages } from '../src/store/coverages.js';
import { keepPlaybookSources } from '../src/store/playbook-sources.js';
import { mulberry32 } from '../test/support/prng.js';
import { program } from '../test/scenarios/fixtures.js';
import { median, ms, seconds, type Row, type Suite } from './harness.js';

const RUNS = positive('BENCH_REPORT_RUNS', 100_000);
const ENTRIES_PER_RUN = 20;
const ACCOUNTS = Math.max(1, Math.round(RUNS / 5));
const CSMS = 50;
const PLAYBOOKS = ['onboarding', 'renewal', 'support', 'trial'];
const VERSIONS = ['1'.repeat(64), '2'.repeat(64)];
const ZONES = ['America/New_York', 'America/Chicago', 'Europe/Berlin', 'Asia/Tokyo'];
const SEGMENTS = ['smb', 'mid-market', 'enterprise'];
/** Rows per insert statement: each column is one array parameter. */
const BATCH = 10_000;
const QUARTER = { from: new Date('2026-04-01T00:00:00Z'), to: new Date('2026-07-01T00:00:00Z'), asOf: new Date('2027-01-01T00:00:00Z') };
const TARGET_MS = 2_000;
const HOUR = 3_600_000;
const YEAR_START = Date.parse('2026-01-01T00:00:00Z');
/** The reference workspace's renewal coverage, on the bench's `renewal` playbook. */
const COVERAGE: CoverageIr = {
  id: 'renewal-coverage',
  title: 'Renewal readiness within 90 days',
  target: 95,
  population: {
    op: 'and',
    left: {
      op: 'compare',
      cmp: '<=',
      left: { op: 'daysUntil', operand: { op: 'field', field: 'renewal_date' } },
      right: { op: 'lit', type: 'number', value: 90 },
    },
    right: { op: 'compare', cmp: '=', left: { op: 'field', field: 'status' }, right: { op: 'lit', type: 'text', value: 'active' } },
  },
  playbook: 'renewal',
  calendar: null,
  since: [{ field: 'renewal_date', days: -90 }],
  file: 'coverage.playbook',
  line: 1,
};

/** Monday to Friday 09:00–17:00 in the account's zone, US holidays. */
const CALENDAR: CalendarIr = program.calendars['us-business']!;
/** Every version's goal, pending in each running run (none has an entry of it; `run_goals` holds it, anchored at the start): what at-risk looks through. */
const GOAL: GoalIr = {
  id: 'settled',
  title: 'Settled within 10 business days',
  target: 90,
  milestone: { kind: 'stage', stage: 'settled' },
  within: { amount: 10, unit: 'business day' },
  anchor: { kind: 'start' },
  line: 1,
};

export const reportsSuite: Suite = {
  name: `Reports (PostgreSQL, ${RUNS.toLocaleString('en-US')} runs, ${(RUNS * ENTRIES_PER_RUN).toLocaleString('en-US')} timeline entries; one quarter each)`,
  async run() {
    const server = await startPostgresServer();
    const store = openStore(server.url, { maxConnections: 4 });
    try {
      await migrateToLatest(store);
      const loaded = performance.now();
      await fill(store);
      await sql`analyze`.execute(store);
      const rows: Row[] = [{ label: 'bulk load + analyze', figures: [seconds(performance.now() - loaded)] }];
      for (const kpi of KPI_NAMES) {
        let count = 0;
        const once = async () => {
          const started = performance.now();
          count = (await runReport(store, kpi, QUARTER)).rows.length;
          return performance.now() - started;
        };
        await once();
        const times = [await once(), await once(), await once()];
        const t = median(times);
        rows.push({ label: kpi, figures: [ms(t), `${count} rows`, t < TARGET_MS ? 'under 2 s' : 'OVER 2 s'] });
      }
      return rows;
    } finally {
      await store.destroy();
      await server.stop();
    }
  },
};

async function fill(store: Store): Promise<void> {
  const random = mulberry32(17);
  for (const playbook of PLAYBOOKS) {
    for (const [i, version] of VERSIONS.entries()) {
      await keepPlaybookSources(
        store,
        [{ playbook, version, file: 'bench.playbook', line: 1, text: `playbook ${playbook}`, calendar: CALENDAR, goals: [GOAL] }],
        'bench',
        new Date(YEAR_START + i * 90 * 24 * HOUR),
      );
    }
  }
  await keepCoverages(store, [{ ...COVERAGE, calendar: CALENDAR }], 'bench', new Date(YEAR_START));
  for (let from = 0; from < ACCOUNTS; from += BATCH) {
    const ids = Array.from({ length: Math.min(BATCH, ACCOUNTS - from) }, (_, j) => from + j);
    await sql`insert into accounts (account_id, data, created_at, updated_at, updated_by)
      select id, data, '2026-01-01', '2026-01-01', 'bench' from unnest(${ids.map(accountId)}::text[], ${ids.map((n) =>
        JSON.stringify({
          id: accountId(n),
          name: `Account ${n}`,
          segment: SEGMENTS[n % SEGMENTS.length],
          csm: csmOf(n),
          timezone: ZONES[n % ZONES.length],
          status: 'active',
          renewal_date: renewalOf(n),
        }),
      )}::jsonb[]) as a(id, data)`.execute(store);
  }
  for (let from = 0; from < RUNS; from += BATCH) {
    const runs = Array.from({ length: Math.min(BATCH, RUNS - from) }, (_, j) => syntheticRun(from + j, random));
    await sql`insert into runs (run_id, workflow_id, playbook_id, playbook_version, account_id, status, outcome, outcome_label, stage, started_at, ended_at, entries, updated_at)
      select r.*, ${ENTRIES_PER_RUN}, now() from unnest(
        ${runs.map((r) => r.runId)}::text[], ${runs.map((r) => r.workflowId)}::text[], ${runs.map((r) => r.playbook)}::text[],
        ${runs.map((r) => r.version)}::text[], ${runs.map((r) => r.account)}::text[], ${runs.map((r) => r.status)}::text[],
        ${runs.map((r) => r.outcome)}::text[], ${runs.map((r) => r.label)}::text[], ${runs.map((r) => r.stage)}::text[],
        ${runs.map((r) => r.entries[0]!.at)}::timestamptz[], ${runs.map((r) => r.endedAt)}::timestamptz[]) as r`.execute(store);
    // Each running run's goal as its flushes keep it: anchored at the start, its deadline as the run adds it in the account's calendar.
    const live = runs.filter((r) => r.endedAt === null);
    await sql`insert into run_goals (run_id, goal, workflow_id, playbook_id, account_id, text, target, state, since, deadline, updated_at)
      select g.run_id, ${GOAL.id}, g.workflow_id, g.playbook_id, g.account_id, ${GOAL.title!}, ${GOAL.target}, 'pending', g.since, g.deadline, now() from unnest(
        ${live.map((r) => r.runId)}::text[], ${live.map((r) => r.workflowId)}::text[], ${live.map((r) => r.playbook)}::text[],
        ${live.map((r) => r.account)}::text[], ${live.map((r) => r.entries[0]!.at)}::timestamptz[],
        ${live.map((r) => new Date(addDuration(Date.parse(r.entries[0]!.at), GOAL.within, calendarIn(r.zone))).toISOString())}::timestamptz[])
        as g(run_id, workflow_id, playbook_id, account_id, since, deadline)`.execute(store);
    const entries = runs.flatMap((r) => r.entries.map((e, seq) => ({ r, e, seq })));
    for (let i = 0; i < entries.length; i += BATCH * 2) {
      const chunk = entries.slice(i, i + BATCH * 2);
      await sql`insert into timeline_entries (run_id, workflow_id, seq, at, kind, stage, entry)
        select * from unnest(${chunk.map((x) => x.r.runId)}::text[], ${chunk.map((x) => x.r.workflowId)}::text[], ${chunk.map((x) => x.seq)}::int[],
          ${chunk.map((x) => x.e.at)}::timestamptz[], ${chunk.map((x) => x.e.kind)}::text[], ${chunk.map((x) => x.e.stage)}::text[],
          ${chunk.map((x) => JSON.stringify(x.e))}::jsonb[])`.execute(store);
    }
    const tasks = entries.filter((x) => x.e.kind === 'task');
    const closing = (x: (typeof tasks)[number]) => x.r.entries.find((e, seq) => seq > x.seq && e.kind === 'task-completed' && e.task === x.e.task) ?? null;
    await sql`insert into tasks (run_id, workflow_id, seq, account_id, playbook_id, name, title, assignee, due_at, questions, state, created_at, closed_at)
      select t.run_id, t.workflow_id, t.seq, t.account_id, t.playbook_id, t.name, t.title, t.assignee, t.due_at,
        '[]'::jsonb, case when t.closed is null then 'open' else 'completed' end, t.created, t.closed from unnest(
        ${tasks.map((x) => x.r.runId)}::text[], ${tasks.map((x) => x.r.workflowId)}::text[], ${tasks.map((x) => x.seq)}::int[],
        ${tasks.map((x) => x.r.account)}::text[], ${tasks.map((x) => x.r.playbook)}::text[], ${tasks.map((x) => x.e.task!)}::text[],
        ${tasks.map((x) => x.e.text!)}::text[], ${tasks.map((x) => x.e.to!)}::text[], ${tasks.map((x) => x.e.due!)}::timestamptz[],
        ${tasks.map((x) => x.e.at)}::timestamptz[], ${tasks.map((x) => closing(x)?.at ?? null)}::timestamptz[])
        as t(run_id, workflow_id, seq, account_id, playbook_id, name, title, assignee, due_at, created, closed)`.execute(store);
    const escalations = entries.filter((x) => x.e.kind === 'escalate');
    await sql`insert into escalations (run_id, seq, workflow_id, account_id, playbook_id, at, recipient, severity, text, stage, line)
      select e.run_id, e.seq, e.workflow_id, e.account_id, e.playbook_id, e.at, e.recipient, null, 'Risk', e.stage, 1 from unnest(
        ${escalations.map((x) => x.r.runId)}::text[], ${escalations.map((x) => x.seq)}::int[], ${escalations.map((x) => x.r.workflowId)}::text[],
        ${escalations.map((x) => x.r.account)}::text[], ${escalations.map((x) => x.r.playbook)}::text[], ${escalations.map((x) => x.e.at)}::timestamptz[],
        ${escalations.map((x) => x.e.to!)}::text[], ${escalations.map((x) => x.e.stage)}::text[]) as e(run_id, seq, workflow_id, account_id, playbook_id, at, recipient, stage)`.execute(
      store,
    );
  }
}

/** The bench calendar resolved in each zone, as a run of an account there counts in it. */
const calendars = new Map<string, ResolvedCalendar>();
function calendarIn(zone: string): ResolvedCalendar {
  let cal = calendars.get(zone);
  if (cal === undefined) calendars.set(zone, (cal = resolveCalendar(CALENDAR, { id: 'bench', timezone: zone }, { from: 2025, to: 2028 })));
  return cal;
}

interface SyntheticRun {
  runId: string;
  workflowId: string;
  playbook: string;
  version: string;
  account: string;
  /** The account's timezone. */
  zone: string;
  status: string;
  outcome: string | null;
  label: string | null;
  stage: string;
  endedAt: string | null;
  entries: TimelineEntry[];
}

/** One run of 20 entries: three stages, two tasks with dues, events and the touches after them, a signal, an escalation or a note, a goal, its end. */
function syntheticRun(n: number, random: () => number): SyntheticRun {
  const account = accountId(n % ACCOUNTS);
  const playbook = PLAYBOOKS[n % PLAYBOOKS.length]!;
  const csm = csmOf(n % ACCOUNTS);
  // Runs are numbered in the order they start (within a day), as a store fills: entries of one period lie together.
  let t = YEAR_START + Math.floor((n / RUNS) * 365 * 24 + random() * 24) * HOUR;
  const at = () => {
    t += Math.floor(1 + random() * 30) * HOUR;
    return new Date(t).toISOString();
  };
  const e = (kind: TimelineEntry['kind'], stage: string | null, extra: Partial<TimelineEntry> = {}): TimelineEntry => ({
    at: at(),
    kind,
    stage,
    line: 1,
    ...extra,
  });
  const due = (hours: number) => new Date(t + hours * HOUR).toISOString();
  const ending = n % 4;
  const met = random() < 0.8;
  const entries: TimelineEntry[] = [
    e('start', null),
    e('stage', 'first'),
    e('task', 'first', { task: 'a', to: csm, text: 'Do a', due: due(48) }),
    e('email', 'first', { to: 'x@example.com', text: 'Hello', template: 'hello' }),
    e('event', 'first', { text: 'kickoff.held' }),
    e('notify', 'first', { to: csm, text: 'Kickoff held' }),
    e('task-completed', 'first', { task: 'a', data: {} }),
    e('set', 'first', { field: 'risk', data: 'high' }),
    e('stage', 'second'),
    e('task', 'second', { task: 'b', to: csm, text: 'Do b', due: due(72) }),
    e('event', 'second', { text: 'ticket.resolved' }),
    e('email', 'second', { to: 'x@example.com', text: 'Resolved', template: 'resolved' }),
    e('task-completed', 'second', { task: 'b', data: {} }),
    n % 5 === 0 ? e('escalate', 'second', { to: 'lead@example.com', text: 'Risk' }) : e('note', 'second', { text: 'ok' }),
    e(met ? 'goal-met' : 'goal-missed', 'second', {
      goal: 'onboarded',
      text: 'Onboarded in time',
      target: 80,
      ...(met && { took: Math.floor(random() * 4800) }),
    }),
    e('stage', 'third'),
    e('notify', 'third', { to: csm, text: 'Third' }),
    e('event', 'third', { text: 'usage.dropped' }),
    e('email', 'third', { to: 'x@example.com', text: 'Check-in', template: 'checkin' }),
    ending === 0
      ? e('note', 'third', { text: 'still going' })
      : e(ending === 1 ? 'complete' : ending === 2 ? 'stop' : 'exit', 'third', ending === 2 ? { text: 'done' } : {}),
  ];
  const outcome = ending === 0 ? null : ending === 1 ? 'completed' : ending === 2 ? 'stopped' : 'exited';
  return {
    runId: `run-${n}`,
    workflowId: `playbook:${playbook}:${account}`,
    playbook,
    version: VERSIONS[n % VERSIONS.length]!,
    account,
    zone: ZONES[(n % ACCOUNTS) % ZONES.length]!,
    status: outcome ?? 'running',
    outcome,
    label: ending === 2 ? 'done' : null,
    stage: 'third',
    endedAt: outcome === null ? null : entries.at(-1)!.at,
    entries,
  };
}

function accountId(n: number): string {
  return `acct-${n}`;
}

function csmOf(account: number): string {
  return `csm-${account % CSMS}@example.com`;
}

function positive(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1, got ${JSON.stringify(text)}`);
  return value;
}

/** A renewal date in 2026, one account a day around the year. */
function renewalOf(n: number): string {
  return new Date(YEAR_START + (n % 365) * 24 * HOUR).toISOString().slice(0, 10);
}
