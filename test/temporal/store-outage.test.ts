/**
 * A real PostgreSQL store down for 20 seconds under a running run, then up on the same data
 * folder and port (time-skipping server, the product's projection retries): the run goes on
 * and never fails, its status and `playbook status` show the lag all the while, and once the
 * store is back every timeline entry is in it exactly once. The embedded store's outage is in
 * store-projection.test.ts.
 *
 * 20 seconds is enough for what the outage shows: the flush's retries back off from 1 s
 * (projection-options.ts), so its fifth attempt starts 15 s in, and the status is sampled more
 * than ten times meanwhile; a longer outage only repeats the same retries.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { compileFile } from '../../src/compile/compile.js';
import type { AccountData } from '../../src/ir/types.js';
import { formatRunView } from '../../src/ops/format-status.js';
import { startPostgresServer, type PostgresServer } from '../../src/servers/postgres-server.js';
import { addSearchAttributes } from '../../src/servers/search-attributes.js';
import { createTestEnv } from '../../src/servers/test-env.js';
import { openStore, type Store } from '../../src/store/connect.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import type { PlaybookActivities } from '../../src/temporal/activities/options.js';
import { createProjectionActivities } from '../../src/temporal/activities/projection.js';
import type { ProjectionActivities } from '../../src/temporal/activities/projection-options.js';
import { bundlePlaybookWorkflows } from '../../src/temporal/bundle.js';
import { getStatus, startNewRun } from '../../src/temporal/client.js';
import { completeTaskUpdate, eventSignal, SEARCH_ATTRIBUTE_SCHEMA } from '../../src/temporal/contract.js';
import { createWorker } from '../../src/temporal/worker.js';
import { RecordingActivities } from './harness.js';

const WEEKLY = path.resolve('test/temporal/fixtures/weekly-check.playbook');
const TASK_QUEUE = 'store-outage';
const OUTAGE_MS = 20_000;
/** How often the status is read while the store is down (at least 11 times). */
const SAMPLE_MS = 1_500;
/** Calls of `projectRun`: a run's flushes are local activities, whose failed attempts leave no event of their own. */
let flushAttempts = 0;
const CALENDAR = { id: null, timezone: 'UTC', workingDays: [1, 2, 3, 4, 5], workingHours: null, holidays: [] };

describe('a run whose PostgreSQL store is down for 20 seconds', () => {
  let postgres: PostgresServer;
  let store: Store;
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  beforeAll(async () => {
    const [pg, testEnv, bundle] = await Promise.all([startPostgresServer(), createTestEnv(), bundlePlaybookWorkflows()]);
    [postgres, env] = [pg, testEnv];
    store = openStore(postgres.url);
    await migrateToLatest(store);
    await addSearchAttributes(env.connection, 'default', SEARCH_ATTRIBUTE_SCHEMA);
    // The worker's own `projectRun`, batches and all.
    const { projectRun } = createProjectionActivities(store);
    const activities: PlaybookActivities & ProjectionActivities = {
      ...new RecordingActivities().activities,
      projectRun: (flush) => {
        flushAttempts++;
        return projectRun(flush);
      },
      projectAccount: async () => {},
    };
    worker = await createWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue: TASK_QUEUE,
      activities,
      workflowBundle: { code: bundle.code },
    });
    running = worker.run();
  }, 120_000);
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await store?.destroy();
    await postgres?.stop();
  });

  const storedEntries = async (workflowId: string) =>
    (await store.selectFrom('timeline_entries').select(['seq', 'entry']).where('workflow_id', '=', workflowId).orderBy('seq').execute()).map((r) => ({
      seq: r.seq,
      entry: r.entry,
    }));

  it('loses and doubles no entry, never fails the run, and shows the lag while it is down', { timeout: 180_000 }, async () => {
    const { program, version } = await compileFile(WEEKLY);
    const account = { id: 'pg-outage', name: 'Outage Inc', csm: 'ann@example.com', status: 'active' } as AccountData;
    const { workflowId } = await startNewRun(env.client, { program, version, account, taskQueue: TASK_QUEUE, projectToStore: true });
    const handle = env.client.workflow.getHandle(workflowId);
    const deadline = Date.now() + 30_000;
    while ((await storedEntries(workflowId)).length === 0) {
      if (Date.now() > deadline) throw new Error('the first entries were not stored within 30 s');
      await new Promise((r) => setTimeout(r, 50));
    }

    await postgres.halt();
    const downSince = Date.now();
    const attemptsBefore = flushAttempts;
    // The run goes on without its store (no time skipped meanwhile: every retry of the flush runs).
    await handle.executeUpdate(completeTaskUpdate, { args: [{ task: 'checkin', answers: { mood: 'happy' } }] });
    await handle.signal(eventSignal, { name: 'checkin.done' });
    const lags: number[] = [];
    while (Date.now() - downSince < OUTAGE_MS || lags.length <= 10) {
      const status = await getStatus(env.client, workflowId);
      expect(status.status).toBe('running');
      expect(status.stored!.entries + status.stored!.pending).toBe(status.timeline.length);
      lags.push(status.stored!.pending);
      if (status.stored!.pending > 0)
        expect(formatRunView({ workflowId, status, calendar: CALENDAR })).toMatch(/\nstore behind: \d+ of \d+ timeline entries not written yet/);
      await new Promise((r) => setTimeout(r, SAMPLE_MS));
    }
    // The completion's entries came after the store went down: the lag shows until it is back.
    expect(lags.length).toBeGreaterThan(10);
    expect(lags.every((n) => n > 0)).toBe(true);
    expect((await getStatus(env.client, workflowId)).timeline.some((e) => e.kind === 'event')).toBe(true);

    await postgres.restart();
    await env.sleep('11 weeks');
    expect(((await handle.result()) as { outcome: string }).outcome).toBe('completed');
    const after = await getStatus(env.client, workflowId);
    expect(after.stored).toEqual({ entries: after.timeline.length, pending: 0 });
    expect(await storedEntries(workflowId)).toEqual(after.timeline.map((entry, seq) => ({ seq, entry })));
    const history = await handle.fetchHistory();
    expect((history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes != null || e.workflowExecutionFailedEventAttributes != null)).toEqual([]);
    // The flush retried through the outage.
    expect(flushAttempts - attemptsBefore).toBeGreaterThan(3);
  });
});
