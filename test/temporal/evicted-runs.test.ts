/**
 * Many waiting runs on a worker whose cache holds a small share of them (the worker's cache
 * bounds its memory, not what its runs do): every run is evicted while it waits and replayed
 * from its history when it wakes, half of them by their event and half at their deadline, and
 * each ends as it would have with every run cached, with its own event's data. On a real dev
 * server (the time-skipping server stalls with this many runs on a loaded machine), so the
 * deadline is minutes rather than days: what wakes an evicted run is the same timer.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { compileFile } from '../../src/compile/compile.js';
import type { IrProgram } from '../../src/ir/types.js';
import { startDevServer, type DevServer } from '../../src/servers/dev-server.js';
import { bundlePlaybookWorkflows } from '../../src/temporal/bundle.js';
import { getStatus, sendEvent, startNewRun } from '../../src/temporal/client.js';
import { SEARCH_ATTRIBUTE_SCHEMA } from '../../src/temporal/contract.js';
import { createWorker } from '../../src/temporal/worker.js';
import { mapLimit } from '../../src/util/map-limit.js';
import { RecordingActivities } from './harness.js';

const TASK_QUEUE = 'evicted-runs';
/** 1,000 runs take minutes on 2 busy cores; 200 against a cache of 10 evict every run as surely (the same 20:1). */
const RUNS = 200;
const CACHE = 10;
const IN_FLIGHT = 20;

let server: DevServer;
let client: Client;
let worker: Worker;
let running: Promise<void>;
const recorded = new RecordingActivities();
let compiled: { program: IrProgram; version: string };

beforeAll(async () => {
  let bundle;
  [server, bundle, compiled] = await Promise.all([
    startDevServer({ uiPort: false, searchAttributes: SEARCH_ATTRIBUTE_SCHEMA }),
    bundlePlaybookWorkflows(),
    compileFile('test/temporal/evicted-fixtures/wake-up.playbook'),
  ]);
  client = new Client({ connection: await Connection.connect({ address: server.address }), namespace: server.namespace });
  worker = await createWorker({
    connection: await NativeConnection.connect({ address: server.address }),
    namespace: server.namespace,
    taskQueue: TASK_QUEUE,
    activities: recorded.activities,
    workflowBundle: { code: bundle.code },
    maxCachedWorkflows: CACHE,
  });
  running = worker.run();
}, 180_000);
afterAll(async () => {
  if (worker?.getState() === 'RUNNING') worker.shutdown();
  await running;
  await client?.connection.close();
  await server?.stop();
});

const accountId = (i: number) => `wake-${i}`;
const byEvent = (i: number) => i % 2 === 0;

test(`${RUNS} waiting runs on a cache of ${CACHE}: each resumes by its event or at its deadline, replayed from history`, { timeout: 900_000 }, async () => {
  const ids = await mapLimit([...Array(RUNS).keys()], IN_FLIGHT, async (i) => {
    const account = { id: accountId(i), name: `Account ${i}`, csm: 'csm@example.com' };
    return (await startNewRun(client, { ...compiled, account, taskQueue: TASK_QUEUE })).workflowId;
  });
  // Every run waits (its first workflow task is done); a query of an evicted run replays it.
  await mapLimit(ids, IN_FLIGHT, async (id) => {
    await expect.poll(async () => (await getStatus(client, id)).pendingWaits.length, { timeout: 120_000 }).toBe(1);
  });
  expect(worker.options.maxCachedWorkflows).toBe(CACHE);
  expect(worker.getStatus().numCachedWorkflows).toBeLessThanOrEqual(CACHE);
  expect(recorded.performed).toEqual([]);

  const woken = [...ids.keys()].filter(byEvent);
  await mapLimit(woken, IN_FLIGHT, (i) => sendEvent(client, ids[i]!, { name: 'renewal.signed', payload: { plan: `plan-${i}` } }));
  // The other half reach their deadline.
  await mapLimit(ids, IN_FLIGHT, (id) => client.workflow.getHandle(id).result());

  const statuses = await mapLimit(ids, IN_FLIGHT, (id) => getStatus(client, id));
  statuses.forEach((status, i) => {
    const name = `Account ${i}`;
    const expected = byEvent(i)
      ? { label: 'renewed', kinds: ['start', 'event', 'notify', 'stop'], text: `Renewal from ${name}: plan-${i}` }
      : { label: 'no-renewal', kinds: ['start', 'timeout', 'notify', 'stop'], text: `No renewal from ${name}` };
    expect({ id: ids[i], outcome: status.outcome, label: status.outcomeLabel, kinds: status.timeline.map((e) => e.kind) }).toEqual({
      id: ids[i],
      outcome: 'stopped',
      label: expected.label,
      kinds: expected.kinds,
    });
    const notes = recorded.performed.filter((p) => p.run === ids[i]).map((p) => p.action);
    expect(notes).toEqual([expect.objectContaining({ kind: 'notify', to: 'csm@example.com', text: expected.text })]);
  });
  expect(recorded.performed).toHaveLength(RUNS);
  // The runs woke on a worker that had evicted them: those cached now are a sliver of them.
  expect(worker.getStatus().numCachedWorkflows).toBeLessThanOrEqual(CACHE);
});
