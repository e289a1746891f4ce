/**
 * Warnings before a promise breaks, on the time-skipping server with a real SMTP server and
 * the store (PGlite and PostgreSQL): the goal digest workflow sends a Berlin account's digest
 * at 09:00 Berlin and a New York account's at 09:00 New York, to each account's manager
 * (`csm_manager`) and to CS Ops (`delivery.alertTo`), every business day and not on Saturday,
 * Sunday or the Berlin calendar's holiday; a goal missed since the calendar's previous digest
 * (across that holiday) is in the next one only. A retried send sends nothing twice; with the
 * SMTP server down the digests wait, are retried and go out once it is back, the workflow
 * still running. The attainment alert tells the owner once when a goal's 30-day attainment
 * falls from 90% to 80% against a target of 85%, not again the next day, and again after it
 * recovered and fell. A worker with a store starts the workflow, once however many start.
 * With RECORD_GOAL_DIGEST_HISTORIES=1 the workflow's history is written
 * to test/replay.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { DateTime } from 'luxon';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import type { PlaybookConfig } from '../../src/config/types.js';
import type { CalendarIr } from '../../src/ir/types.js';
import { createGoalDigestActivities } from '../../src/ops/goal-digest.js';
import { connectWorkerActivities } from '../../src/ops/worker-activities.js';
import type { GoalStatus } from '../../src/runtime/goals.js';
import type { TimelineEntry } from '../../src/runtime/timeline.js';
import { createTestEnv } from '../../src/servers/test-env.js';
import type { Store } from '../../src/store/connect.js';
import { StoreDeliveryLedger } from '../../src/store/delivery-ledger.js';
import { keepPlaybookSources } from '../../src/store/playbook-sources.js';
import { projectRun } from '../../src/store/projection.js';
import { emailSenderOf } from '../../src/temporal/activities/index.js';
import { bundlePlaybookWorkflows } from '../../src/temporal/bundle.js';
import { GOAL_DIGEST_WORKFLOW_ID, GOAL_DIGEST_WORKFLOW_TYPE, type GoalDigestActivities } from '../../src/temporal/goal-digest-contract.js';
import { startSmtp, type ReceivedMail } from '../activities/servers.js';
import { BACKENDS, useMigratedStore } from '../store/backends.js';
import { historiesOf } from './drive.js';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const MIA = 'mia.manager@example.com';
const NED = 'ned.manager@example.com';
const CS_OPS = 'cs-ops@example.com';
const OWNER = 'owner@example.com';
const V1 = 'a'.repeat(64);
const MINUTE = 60_000;
const DAY = 86_400_000;

const calendar = (id: string, zone: string, holidays: string[]): CalendarIr => ({
  id,
  title: null,
  timezone: [{ zone }],
  workingDays: [1, 2, 3, 4, 5],
  workingHours: { from: '09:00', to: '17:00' },
  holidayCountries: [],
  holidays: holidays.map((date) => ({ date, name: 'Test holiday' })),
});

/** `date` (YYYY-MM-DD) at `time` in `zone`, epoch ms. */
const local = (date: string, time: string, zone: string): number => DateTime.fromISO(`${date}T${time}`, { zone }).toMillis();
const plusDays = (date: string, n: number): string => DateTime.fromISO(date, { zone: 'UTC' }).plus({ days: n }).toISODate()!;
const iso = (t: number) => new Date(t).toISOString();

function digestConfig(smtpPort: number): PlaybookConfig {
  const config = defaultConfig(mkdtempSync(path.join(tmpdir(), 'playbook-goal-digest-')));
  config.email = { kind: 'smtp', host: '127.0.0.1', port: smtpPort, secure: false, auth: null, from: 'playbooks@vendor.example' };
  config.delivery = { ...config.delivery, alertTo: CS_OPS };
  config.console = { baseUrl: 'https://console.example' };
  return config;
}

async function addAccount(store: Store, id: string, data: Record<string, unknown>): Promise<void> {
  await store
    .insertInto('accounts')
    .values({ account_id: id, data: JSON.stringify({ id, ...data }), created_at: new Date(), updated_at: new Date() })
    .execute();
}

/** A run of `playbook` for `account` whose flush carries `goals` (and `entries`, a `start` entry first). */
async function runWithGoals(store: Store, n: string, playbook: string, account: string, started: number, goals: GoalStatus[], entries: TimelineEntry[] = []) {
  await projectRun(store, {
    workflowId: `playbook:${playbook}:${account}`,
    runId: `run-${n}`,
    run: {
      playbook,
      version: V1,
      accountId: account,
      status: 'running',
      stage: null,
      outcome: null,
      outcomeLabel: null,
      startedAt: iso(started),
      endedAt: null,
    },
    from: 0,
    entries: [{ at: iso(started), kind: 'start', stage: null, line: 1 }, ...entries],
    questions: {},
    completedBy: {},
    ended: null,
    goals: { owner: OWNER, goals },
  });
}

const pending = (goal: string, since: number, deadline: number): GoalStatus => ({
  goal,
  text: `Goal ${goal}`,
  target: 90,
  state: 'pending',
  since: iso(since),
  deadline: iso(deadline),
  at: null,
});

interface Parsed {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Every mail the SMTP server took, parsed. */
const parsed = (mails: ReceivedMail[]): Promise<Parsed[]> =>
  Promise.all(
    mails.map(async (m) => {
      const mail = await simpleParser(m.raw);
      return { to: m.to.join(','), subject: mail.subject ?? '', text: mail.text ?? '', html: typeof mail.html === 'string' ? mail.html : '' };
    }),
  );

/** Who got which digest: `<recipient> <weekday> <date> <zone>` per mail, in order. */
const digestsOf = async (mails: ReceivedMail[]) =>
  (await parsed(mails))
    .filter((m) => m.subject.startsWith('Goals:'))
    .map((m) => `${m.to} ${/\((\w{3} [\d-]+), ([\w/]+)\)/.exec(m.subject)?.slice(1).join(' ')}`);

describe.each(BACKENDS)('goal digests on the time-skipping server, store on %s', (backend) => {
  let store: Store;
  useMigratedStore(backend, (s) => (store = s));
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let activities: GoalDigestActivities;
  const taskQueue = `goal-digest-${backend}`;
  const workflowId = `goal-digest-${backend}`;

  beforeAll(async () => {
    let bundle;
    [env, bundle, smtp] = await Promise.all([createTestEnv(), bundlePlaybookWorkflows(), startSmtp()]);
    const config = digestConfig(smtp.port);
    activities = createGoalDigestActivities({ config, store, ledger: new StoreDeliveryLedger(store), email: emailSenderOf(config), log: () => {} });
    worker = await Worker.create({ connection: env.nativeConnection, namespace: 'default', taskQueue, activities, workflowBundle: { code: bundle.code } });
    running = worker.run();
  }, 180_000);

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await smtp?.close();
    await env?.teardown();
  });

  it('sends each calendar its digest at its own 09:00, business days only, to managers and CS Ops, once each, through an SMTP outage', async () => {
    const t0 = await env.currentTimeMs();
    // The Sunday at least a day ahead, 12:00 UTC: the week after it is the test's.
    const start = DateTime.fromMillis(t0 + DAY, { zone: 'UTC' });
    const sunday = start.plus({ days: (7 - start.weekday) % 7 }).toISODate()!;
    const day = (n: number) => plusDays(sunday, n);
    const [monday, tuesday, wednesday, thursday, friday, nextMonday] = [1, 2, 3, 4, 5, 8].map(day) as [string, string, string, string, string, string];
    await env.sleep(local(sunday, '12:00', 'UTC') - t0);

    await keepPlaybookSources(
      store,
      [
        {
          playbook: 'onboarding-eu',
          version: V1,
          file: 'eu.playbook',
          line: 1,
          text: 'playbook onboarding-eu',
          calendar: calendar('eu-business', BERLIN, [wednesday]),
        },
        {
          playbook: 'onboarding-us',
          version: V1,
          file: 'us.playbook',
          line: 1,
          text: 'playbook onboarding-us',
          calendar: calendar('us-business', NEW_YORK, []),
        },
      ],
      'test',
      new Date(),
    );
    await addAccount(store, 'berlin-gmbh', { name: 'Berlin GmbH', csm_manager: MIA });
    await addAccount(store, 'ny-inc', { name: 'NY Inc', csm_manager: NED });
    const since = local(sunday, '12:00', 'UTC') - 90 * DAY;
    // Due at the end of the Monday after the test's week: a few business days left of 90 days, at risk all week.
    await runWithGoals(store, 'b1', 'onboarding-eu', 'berlin-gmbh', since, [pending('kickoff', since, local(nextMonday, '17:00', BERLIN))]);
    await runWithGoals(store, 'n1', 'onboarding-us', 'ny-inc', since, [pending('kickoff', since, local(nextMonday, '17:00', NEW_YORK))]);
    // Missed on Tuesday at noon Berlin: news in Thursday's Berlin digest (Wednesday is its holiday), in no other.
    const missedAt = local(tuesday, '12:00', BERLIN);
    await runWithGoals(store, 'b2', 'onboarding-eu', 'berlin-gmbh', since, [
      { goal: 'training', text: 'Admins trained', target: 80, state: 'missed', since: iso(since), deadline: iso(missedAt), at: iso(missedAt) },
    ]);

    const handle = await env.client.workflow.start(GOAL_DIGEST_WORKFLOW_TYPE, { workflowId, taskQueue, args: [{}] });
    const sleepUntil = async (t: number) => env.sleep(Math.max(1, t - (await env.currentTimeMs())));
    const expected: string[] = [];
    const digestAt = async (date: string, zone: string, recipients: string[]) => {
      const at = local(date, '09:00', zone);
      await sleepUntil(at - MINUTE);
      expect(await digestsOf(smtp.mails)).toEqual(expected);
      await sleepUntil(at + 2 * MINUTE);
      const weekday = DateTime.fromISO(date).toFormat('ccc');
      expected.push(...recipients.map((r) => `${r} ${weekday} ${date} ${zone}`).sort());
      expect(await digestsOf(smtp.mails)).toEqual(expected);
      const rows = await store
        .selectFrom('goal_digests')
        .select(['recipient', 'at', 'state'])
        .where('day', '=', date)
        .where('calendar', 'like', `%@${zone}#%`)
        .execute();
      expect(rows.map((r) => [r.recipient, r.at.getTime(), r.state]).sort()).toEqual(recipients.map((r) => [r, at, 'sent']).sort());
    };

    for (const date of [monday, tuesday, wednesday, thursday, friday]) {
      await digestAt(date, BERLIN, date === wednesday ? [] : [MIA, CS_OPS]);
      await digestAt(date, NEW_YORK, [NED, CS_OPS]);
    }
    // The weekend: nothing until Monday.
    await sleepUntil(local(nextMonday, '08:00', BERLIN));
    expect(await digestsOf(smtp.mails)).toEqual(expected);
    const weekend = await store
      .selectFrom('goal_digests')
      .select(['day', 'calendar'])
      .where('day', 'in', [day(6), day(7), wednesday])
      .execute();
    expect(weekend.filter((r) => r.day !== wednesday || r.calendar.includes(BERLIN))).toEqual([]);

    const all = await parsed(smtp.mails);
    const mail = (recipient: string, date: string, zone: string) =>
      all.find((m) => m.to === recipient && m.subject.includes(date) && m.subject.includes(zone))!;
    const body = (recipient: string, date: string, zone: string) => mail(recipient, date, zone).text;
    // What a digest says: the goal, the account, the deadline in local time, a link to the run.
    const mondayBerlin = body(MIA, monday, BERLIN);
    expect(mondayBerlin).toContain('Goal kickoff');
    expect(mondayBerlin).toContain('Berlin GmbH (berlin-gmbh)');
    expect(mondayBerlin).toContain(`due ${DateTime.fromMillis(local(nextMonday, '17:00', BERLIN), { zone: BERLIN }).toFormat('ccc yyyy-MM-dd HH:mm')}`);
    expect(mondayBerlin).toContain('https://console.example/runs/onboarding-eu/berlin-gmbh');
    expect(mondayBerlin).not.toContain('NY Inc');
    expect(mail(MIA, monday, BERLIN).html).toContain('<a href="https://console.example/runs/onboarding-eu/berlin-gmbh">');
    expect(body(NED, monday, NEW_YORK)).not.toContain('Berlin GmbH');
    // The missed goal: in Thursday's Berlin digests only.
    for (const date of [monday, tuesday, friday]) expect(body(MIA, date, BERLIN)).not.toContain('Admins trained');
    expect(body(MIA, thursday, BERLIN)).toContain('Admins trained');
    expect(body(CS_OPS, thursday, BERLIN)).toContain('Admins trained');
    expect(body(CS_OPS, thursday, NEW_YORK)).not.toContain('Admins trained');

    // A retried send (same plan again) sends nothing twice.
    const sent = smtp.mails.length;
    await activities.sendGoalDigests({
      at: local(thursday, '09:00', BERLIN),
      calendars: (await activities.planGoalDigests({ after: local(wednesday, '09:00', BERLIN) }))!.calendars,
    });
    expect(smtp.mails.length).toBe(sent);

    // The SMTP server down over Monday 09:00 Berlin: the digests wait and are retried, then go out once.
    await smtp.close();
    await sleepUntil(local(nextMonday, '09:30', BERLIN));
    expect(await digestsOf(smtp.mails)).toEqual(expected);
    const waiting = await store.selectFrom('goal_digests').select(['state', 'error']).where('day', '=', nextMonday).execute();
    expect(waiting.map((r) => r.state)).toEqual(['pending', 'pending']);
    expect(waiting[0]!.error).toMatch(/ECONNREFUSED|connect/i);
    const mails = smtp.mails;
    smtp = await startSmtp({}, smtp.port);
    await sleepUntil(local(nextMonday, '10:30', BERLIN));
    expect((await handle.describe()).status.name).toBe('RUNNING');
    expected.push(`${CS_OPS} Mon ${nextMonday} ${BERLIN}`, `${MIA} Mon ${nextMonday} ${BERLIN}`);
    expect([...(await digestsOf(mails)), ...(await digestsOf(smtp.mails))]).toEqual(expected);
    expected.splice(0, expected.length, ...(await digestsOf(smtp.mails)));
    await digestAt(nextMonday, NEW_YORK, [NED, CS_OPS]);

    if (process.env['RECORD_GOAL_DIGEST_HISTORIES'] === '1' && backend === 'pglite') {
      const { runId } = await handle.describe();
      const histories = await historiesOf(env.client, workflowId, runId);
      writeFileSync(
        'test/replay/goal-digest-berlin-and-new-york-digests-over-a-week-a-holiday-and-an-smtp-outage.json',
        `${JSON.stringify({ workflowId, histories })}\n`,
      );
    }
    await handle.terminate('test over');
  }, 600_000);

  it('tells the owner once when a goal’s 30-day attainment falls from 90% to 80% against 85%, again only after it recovered and fell', async () => {
    const base = local('2030-06-03', '09:00', BERLIN);
    const entry = (t: number, met: boolean): TimelineEntry => ({
      at: iso(t),
      kind: met ? 'goal-met' : 'goal-missed',
      stage: null,
      line: 2,
      goal: 'review',
      text: 'Review held',
      target: 85,
    });
    let n = 0;
    const results = async (at: number, met: number, missed: number) => {
      const outcomes = [...Array<boolean>(met).fill(true), ...Array<boolean>(missed).fill(false)];
      for (const m of outcomes) {
        n++;
        const t = at - DAY + n * MINUTE;
        await runWithGoals(store, `att-${n}`, 'trial', 'att-account', t - MINUTE, [], [entry(t, m)]);
      }
    };
    const toOwner = async () => (await parsed(smtp.mails)).filter((m) => m.to === OWNER);
    await addAccount(store, 'att-account', { name: 'Attained' });
    await runWithGoals(store, 'att-owner', 'trial', 'att-account', base - 40 * DAY, [pending('review', base - 40 * DAY, base + 400 * DAY)]);

    await results(base, 9, 1); // 9 of 10: 90%
    await activities.checkGoalAttainment({ at: base });
    expect(await toOwner()).toHaveLength(0);
    await results(base + DAY, 3, 2); // 12 of 15: 80%
    await activities.checkGoalAttainment({ at: base + DAY });
    expect(await toOwner()).toHaveLength(1);
    expect((await toOwner())[0]!.subject).toBe('Goal "Review held" of trial is below its target: 80% over the last 30 days, target 85%');
    expect((await toOwner())[0]!.text).toContain('80% over the last 30 days, target 85%');
    await activities.checkGoalAttainment({ at: base + 2 * DAY }); // still 80%
    await activities.checkGoalAttainment({ at: base + 2 * DAY }); // and retried
    expect(await toOwner()).toHaveLength(1);
    await results(base + 3 * DAY, 5, 0); // 17 of 20: 85%, on target
    await activities.checkGoalAttainment({ at: base + 3 * DAY });
    expect(await toOwner()).toHaveLength(1);
    await results(base + 4 * DAY, 0, 2); // 17 of 22: 77.3%
    await activities.checkGoalAttainment({ at: base + 4 * DAY });
    expect(await toOwner()).toHaveLength(2);
  }, 120_000);
});

describe('a worker with a store', () => {
  let store: Store;
  let url: string;
  useMigratedStore('pglite', (s, u) => {
    store = s;
    url = u;
  });

  it('starts the goal-digest workflow once, whichever worker comes first, and serves its activities', async () => {
    const env = await createTestEnv();
    try {
      const config = digestConfig(1);
      config.temporal = { ...config.temporal, address: env.address, taskQueue: 'goal-digest-start' };
      config.store = { url };
      const first = await connectWorkerActivities(config);
      const second = await connectWorkerActivities(config);
      try {
        expect(typeof first.activities.planGoalDigests).toBe('function');
        const description = await env.client.workflow.getHandle(GOAL_DIGEST_WORKFLOW_ID).describe();
        expect([description.type, description.taskQueue, description.status.name]).toEqual([GOAL_DIGEST_WORKFLOW_TYPE, 'goal-digest-start', 'RUNNING']);
        // The second worker found it running: still its first execution.
        const { executions } = await env.client.workflowService.listOpenWorkflowExecutions({ namespace: 'default' });
        expect(executions.filter((e) => e.execution?.workflowId === GOAL_DIGEST_WORKFLOW_ID)).toHaveLength(1);
        expect(await store.selectFrom('goal_digests').selectAll().execute()).toEqual([]);
      } finally {
        await Promise.all([first.close(), second.close()]);
      }
    } finally {
      await env.teardown();
    }
  }, 120_000);
});
