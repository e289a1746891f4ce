/**
 * Runs on Temporal write their timelines to a real store (PGlite and PostgreSQL): the rows
 * equal the run's timeline, once each, whether activity attempts are retried, the history is
 * replayed, or the store is down for a while; and the projection's history cost is measured
 * against the same run without it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFile } from '../../src/compile/compile.js';
import type { AccountData } from '../../src/ir/types.js';
import { addSearchAttributes } from '../../src/servers/search-attributes.js';
import { startDevServer, type DevServer } from '../../src/servers/dev-server.js';
import { createDevServerTestEnv, createTestEnv } from '../../src/servers/test-env.js';
import { openStore, type Store } from '../../src/store/connect.js';
import { startEmbeddedStore, type EmbeddedStore } from '../../src/store/embedded.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { getStoredRun } from '../../src/store/reads.js';
import type { PlaybookActivities } from '../../src/temporal/activities/options.js';
import { createProjectionActivities } from '../../src/temporal/activities/projection.js';
import type { ProjectionActivities } from '../../src/temporal/activities/projection-options.js';
import { bundlePlaybookWorkflows } from '../../src/temporal/bundle.js';
import { getStatus, startNewRun } from '../../src/temporal/client.js';
import { accountUpdatedSignal, completeTaskUpdate, eventSignal, SEARCH_ATTRIBUTE_SCHEMA, type RunStatus } from '../../src/temporal/contract.js';
import { createWorker } from '../../src/temporal/worker.js';
import { BACKENDS, startBackend, type Backend } from '../store/backends.js';
import { RecordingActivities } from './harness.js';

const ONBOARDING = path.resolve('playbooks/onboarding-enterprise.playbook');
const ACME = JSON.parse(readFileSync(path.resolve('playbooks/accounts/acme-enterprise.json'), 'utf8')) as AccountData;
const WEEKLY = path.resolve('test/temporal/fixtures/weekly-check.playbook');
const TASK_QUEUE = 'store-projection';

/** The reference onboarding's main path (bench/temporal-history.ts), as (time to let pass, input). */
const MAIN_PATH: Array<[string, (h: WorkflowHandle) => Promise<unknown>]> = [
  ['1 day', (h) => h.signal(eventSignal, { name: 'kickoff.held', payload: { attendees: 'Dana Whitfield, Jordan Lee' } })],
  [
    '1 day',
    (h) =>
      h.executeUpdate(completeTaskUpdate, {
        args: [
          { task: 'sponsor', answers: { still_in_role: true, engagement: 'engaged', new_sponsor: '' }, by: { role: 'csm', user: 'jordan.lee@example.com' } },
        ],
      }),
  ],
  [
    '2 days',
    (h) =>
      h.executeUpdate(completeTaskUpdate, {
        args: [{ task: 'welcome_call', answers: { admins_named: true, success_criteria: 'weekly active admins', sso_required: false } }],
      }),
  ],
  ['3 days', (h) => h.executeUpdate(completeTaskUpdate, { args: [{ task: 'training', answers: { admins_trained: 4, ready_for_rollout: true } }] })],
  ['10 days', (h) => h.signal(accountUpdatedSignal, { fields: { activation_rate: 65 } })],
];

/** `projectRun` whose every other call writes and then fails, as if its completion were lost: Temporal retries it. */
function losingEveryOtherCompletion(store: Store): Pick<ProjectionActivities, 'projectRun'> & { calls: number } {
  const { projectRun } = createProjectionActivities(store);
  const activity = {
    calls: 0,
    async projectRun(flush: Parameters<ProjectionActivities['projectRun']>[0]) {
      await projectRun(flush);
      if (activity.calls++ % 2 === 0) throw new Error('the completion of this attempt was lost');
    },
  };
  return activity;
}

/** In-memory actions and the given `projectRun`. */
function withProjection(project: ProjectionActivities['projectRun']): PlaybookActivities & Pick<ProjectionActivities, 'projectRun'> {
  return { ...new RecordingActivities().activities, projectRun: project };
}

async function storedTimeline(store: Store, workflowId: string): Promise<unknown[]> {
  const rows = await store.selectFrom('timeline_entries').select(['seq', 'entry']).where('workflow_id', '=', workflowId).orderBy('seq').execute();
  expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i));
  return rows.map((r) => r.entry);
}

async function storedTimelineOfRun(store: Store, runId: string): Promise<unknown[]> {
  const rows = await store.selectFrom('timeline_entries').select(['seq', 'entry']).where('run_id', '=', runId).orderBy('seq').execute();
  expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i));
  return rows.map((r) => r.entry);
}

async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await get().catch(() => undefined);
    if (value !== undefined && ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms (last: ${JSON.stringify(value)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(BACKENDS)('runs projected to the store on %s (time-skipping server)', (name) => {
  let backend: Backend;
  let store: Store;
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  let bundleCode: string;
  const flaky = { activity: null as (Pick<ProjectionActivities, 'projectRun'> & { calls: number }) | null };

  beforeAll(async () => {
    backend = await startBackend(name);
    ({ store } = await backend.freshDatabase());
    await migrateToLatest(store);
    const [testEnv, bundle] = await Promise.all([createTestEnv(), bundlePlaybookWorkflows()]);
    env = testEnv;
    bundleCode = bundle.code;
    await addSearchAttributes(env.connection, 'default', SEARCH_ATTRIBUTE_SCHEMA);
    flaky.activity = losingEveryOtherCompletion(store);
    worker = await createWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue: TASK_QUEUE,
      activities: withProjection((flush) => flaky.activity!.projectRun(flush)),
      workflowBundle: { code: bundleCode },
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await backend?.stop();
  });

  it('stores the reference onboarding run once per entry, with retried attempts and a replay, at a measured history cost', { timeout: 120_000 }, async () => {
    const { program, version } = await compileFile(ONBOARDING);
    const accounts = [ACME, { ...ACME, id: `${ACME.id}-plain` }];
    const started = await Promise.all(
      accounts.map((account, i) => startNewRun(env.client, { program, version, account, taskQueue: TASK_QUEUE, projectToStore: i === 0 })),
    );
    const handles = started.map((s) => env.client.workflow.getHandle(s.workflowId));
    for (const [wait, input] of MAIN_PATH) {
      await env.sleep(wait);
      await Promise.all(handles.map(input));
    }
    const events: number[] = [];
    for (const handle of handles) {
      expect(((await handle.result()) as { outcome: string }).outcome).toBe('completed');
      events.push((await handle.fetchHistory()).events?.length ?? 0);
    }
    const [projected, plain] = await Promise.all(handles.map((h) => getStatus(env.client, h.workflowId)));
    console.info(
      `history events of the reference onboarding run: ${events[0]} with projection, ${events[1]} without (${(events[0]! / events[1]!).toFixed(2)}×)`,
    );
    expect(plain!.stored).toBeUndefined();
    expect(projected!.stored).toEqual({ entries: projected!.timeline.length, pending: 0 });
    expect(flaky.activity!.calls).toBeGreaterThan(2);

    const workflowId = started[0]!.workflowId;
    expect(await storedTimeline(store, workflowId)).toEqual(projected!.timeline);
    expect(await store.selectFrom('timeline_entries').where('workflow_id', '=', started[1]!.workflowId).selectAll().execute()).toEqual([]);
    const run = await store.selectFrom('runs').selectAll().where('workflow_id', '=', workflowId).executeTakeFirstOrThrow();
    expect(run).toMatchObject({
      status: 'completed',
      outcome: 'completed',
      playbook_id: program.entry,
      playbook_version: version,
      account_id: ACME.id,
      entries: projected!.timeline.length,
    });
    const tasks = await store
      .selectFrom('tasks')
      .select(['name', 'state', 'closed_by', 'questions'])
      .where('workflow_id', '=', workflowId)
      .orderBy('seq')
      .execute();
    expect(tasks.length).toBe(projected!.timeline.filter((e) => e.kind === 'task').length);
    expect(tasks.find((t) => t.name === 'sponsor')).toMatchObject({ state: 'completed', closed_by: 'jordan.lee@example.com' });
    expect((tasks.find((t) => t.name === 'sponsor')!.questions as Array<{ name: string }>).map((q) => q.name)).toEqual([
      'still_in_role',
      'engagement',
      'new_sponsor',
    ]);

    // The recorded history replays with the same commands and writes nothing again.
    const before = await store
      .selectFrom('timeline_entries')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    await Worker.runReplayHistory({ workflowBundle: { code: bundleCode } }, await handles[0]!.fetchHistory(), workflowId);
    expect(
      await store
        .selectFrom('timeline_entries')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow(),
    ).toEqual(before);
  });

  it(
    'stores a second run of a playbook for the same account whole beside the first; a lookup by workflow id finds the newest',
    { timeout: 120_000 },
    async () => {
      const { program, version } = await compileFile(WEEKLY);
      const account = { id: 'again', name: 'Again Inc', csm: 'ann@example.com', status: 'active' } as AccountData;
      const runs: Array<{ runId: string; timeline: unknown[] }> = [];
      for (let i = 0; i < 2; i++) {
        // Continuing as new keeps the run's key (its first execution's run id).
        const { workflowId, runId } = await startNewRun(env.client, {
          program,
          version,
          account,
          taskQueue: TASK_QUEUE,
          projectToStore: true,
          continueAsNewAfterEvents: 60,
        });
        const handle = env.client.workflow.getHandle(workflowId);
        expect(((await handle.result()) as { outcome: string }).outcome).toBe('completed');
        expect((await handle.describe()).runId).not.toBe(runId);
        runs.push({ runId, timeline: (await getStatus(env.client, workflowId)).timeline });
      }
      const workflowId = `playbook:${program.entry}:${account.id}`;
      const stored = await store
        .selectFrom('runs')
        .select(['run_id', 'entries', 'status'])
        .where('workflow_id', '=', workflowId)
        .orderBy('started_at')
        .execute();
      expect(stored).toEqual(runs.map((r) => ({ run_id: r.runId, entries: r.timeline.length, status: 'completed' })));
      for (const { runId, timeline } of runs) expect(await storedTimelineOfRun(store, runId)).toEqual(timeline);
      expect((await getStoredRun(store, workflowId))?.runId).toBe(runs[1]!.runId);
    },
  );
});

describe('a run whose embedded store is down for a while, then up on the same data folder and port', () => {
  let dir: string;
  let embedded: EmbeddedStore | null = null;
  let store: Store;
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'playbook-outage-'));
    embedded = await startEmbeddedStore({ dataDir: path.join(dir, 'store') });
    store = openStore(embedded.url);
    await migrateToLatest(store);
    const [testEnv, bundle] = await Promise.all([createTestEnv(), bundlePlaybookWorkflows()]);
    env = testEnv;
    await addSearchAttributes(env.connection, 'default', SEARCH_ATTRIBUTE_SCHEMA);
    worker = await createWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue: TASK_QUEUE,
      activities: withProjection(createProjectionActivities(store).projectRun),
      workflowBundle: { code: bundle.code },
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await store?.destroy();
    await embedded?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses and doubles no entry, and the run never fails', { timeout: 120_000 }, async () => {
    const { program, version } = await compileFile(WEEKLY);
    const account = { id: 'outage', name: 'Outage Inc', csm: 'ann@example.com', status: 'active' } as AccountData;
    const { workflowId } = await startNewRun(env.client, { program, version, account, taskQueue: TASK_QUEUE, projectToStore: true });
    await until(
      'the first entries stored',
      () => storedTimeline(store, workflowId),
      (t) => t.length > 0,
      10_000,
    );
    const port = Number(new URL(embedded!.url).port);
    await embedded!.stop();
    embedded = null;

    // The run goes on without its store (no time skipped: every retry of the flush would run).
    const handle = env.client.workflow.getHandle(workflowId);
    await handle.executeUpdate(completeTaskUpdate, { args: [{ task: 'checkin', answers: { mood: 'happy' } }] });
    await handle.signal(eventSignal, { name: 'checkin.done' });
    const during = await until(
      'the run to go on',
      () => getStatus(env.client, workflowId),
      (s) => s.timeline.some((e) => e.kind === 'event'),
      10_000,
    );
    await new Promise((r) => setTimeout(r, 3_000));
    expect(during.status).toBe('running');
    expect(during.stored!.pending).toBeGreaterThan(0);
    expect(during.stored!.entries + during.stored!.pending).toBe(during.timeline.length);
    expect((await getStatus(env.client, workflowId)).stored!.pending).toBeGreaterThan(0);

    embedded = await startEmbeddedStore({ dataDir: path.join(dir, 'store'), port });
    await env.sleep('11 weeks');
    expect(((await handle.result()) as { outcome: string }).outcome).toBe('completed');
    const after = (await getStatus(env.client, workflowId)) as RunStatus;
    expect(await storedTimeline(store, workflowId)).toEqual(after.timeline);
    expect(after.stored).toEqual({ entries: after.timeline.length, pending: 0 });
    const tasks = await store.selectFrom('tasks').select(['state', 'close_reason']).where('workflow_id', '=', workflowId).orderBy('seq').execute();
    expect(tasks).toHaveLength(after.timeline.filter((e) => e.kind === 'task').length);
    expect(tasks.map((t) => [t.state, t.close_reason])).toEqual([['completed', null], ...tasks.slice(1).map(() => ['closed', 'complete'])]);
  });
});

describe('on a quiet dev server', () => {
  let server: DevServer;
  let env: TestWorkflowEnvironment;
  const backends: Backend[] = [];
  beforeAll(async () => {
    server = await startDevServer({ uiPort: false, searchAttributes: SEARCH_ATTRIBUTE_SCHEMA });
    env = await createDevServerTestEnv(server);
  }, 120_000);
  afterAll(async () => {
    await env?.teardown();
    await server?.stop();
    for (const b of backends) await b.stop();
  });

  it.each(BACKENDS)('an entry is in the store on %s within 2 s of being emitted', { timeout: 120_000 }, async (name) => {
    const backend = await startBackend(name);
    backends.push(backend);
    const { store } = await backend.freshDatabase();
    await migrateToLatest(store);
    const taskQueue = `latency-${name}`;
    const worker = await createWorker({
      connection: env.nativeConnection,
      namespace: server.namespace,
      taskQueue,
      activities: withProjection(createProjectionActivities(store).projectRun),
      workflowBundle: { code: (await bundlePlaybookWorkflows()).code },
    });
    await worker.runUntil(async () => {
      const { program, version } = await compileFile(WEEKLY);
      const account = { id: `latency-${name}`, name: 'Quiet Inc', csm: 'ann@example.com', status: 'active' } as AccountData;
      // Warm up: the first run's workflow task and activity pay for the worker's start.
      const { workflowId } = await startNewRun(env.client, { program, version, account, taskQueue, projectToStore: true });
      await until(
        'the first entries stored',
        () => storedTimeline(store, workflowId),
        (t) => t.length >= 3,
        30_000,
      );
      const sent = Date.now();
      await env.client.workflow.getHandle(workflowId).signal(eventSignal, { name: 'checkin.done' });
      const stored = await until(
        'the event entry stored',
        () => storedTimeline(store, workflowId),
        (t) => t.some((e) => (e as { kind: string }).kind === 'event'),
        2_000,
      );
      console.info(`${name}: the event entry was stored ${Date.now() - sent} ms after the signal was sent`);
      expect(stored).toEqual((await getStatus(env.client, workflowId)).timeline.slice(0, stored.length));
      await env.client.workflow.getHandle(workflowId).cancel();
    });
  });
});
