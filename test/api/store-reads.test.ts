/**
 * The API reads from the store when one is configured: the run list, the inbox, task details
 * with their questions, and a finished run whose workflow Temporal no longer has (its history
 * deleted, as retention does). The rows are written by the test in the projection's shape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/connect.js';
import { getStatus } from '../../src/temporal/client.js';
import { eventually } from '../ops/helpers.js';
import { insertEntries, insertRun, insertTask } from '../store/fixtures.js';
import { startApiForTests, USERS, type ApiTestStack } from './helpers.js';

const WORKFLOW_ID = 'playbook:checkin:acme';
const QUESTIONS = [
  { name: 'reached', question: 'Did you reach them?', type: { type: 'yes/no' } },
  { name: 'call_on', question: 'When is the call?', type: { type: 'date' }, optional: true },
  { name: 'seats', question: 'How many seats?', type: { type: 'number' }, default: 10 },
];

describe('API reads from the store', () => {
  let api: ApiTestStack;
  let store: Store;
  const as = (token: keyof ApiTestStack['tokens'], route: string) => api.call('GET', route, { token: api.tokens[token] });

  beforeAll(async () => {
    api = await startApiForTests({ store: true });
    store = openStore(api.storeUrl!);
    const started = await api.call('POST', '/v1/playbooks/checkin/runs', { token: api.tokens.csops, body: { accountId: 'acme' } });
    expect(started.status).toBe(201);
    // The run projects itself; once it stored all it has, the test's rows stand in for its own, under its run id.
    await eventually(async () => expect((await getStatus(api.client, WORKFLOW_ID)).stored).toMatchObject({ pending: 0 }));
    const { run_id: projected } = await store.selectFrom('runs').select('run_id').where('workflow_id', '=', WORKFLOW_ID).executeTakeFirstOrThrow();
    await store.deleteFrom('runs').where('run_id', '=', projected).execute();
    await insertRun(store, {
      run_id: projected,
      workflow_id: WORKFLOW_ID,
      playbook_version: started.body.version,
      stage: 'checkin',
      started_at: new Date().toISOString(),
    });
    await insertEntries(
      store,
      WORKFLOW_ID,
      [
        { at: '2026-01-05T09:00:00.000Z', kind: 'stage', stage: 'checkin', line: 25, text: 'Check-in' },
        { at: '2026-01-05T09:00:00.000Z', kind: 'task', stage: 'checkin', line: 26, task: 'checkin', to: USERS.csm, text: 'Check in with Acme' },
      ],
      projected,
    );
    await insertTask(store, {
      run_id: projected,
      workflow_id: WORKFLOW_ID,
      seq: 1,
      name: 'checkin',
      title: 'Check in with Acme',
      assignee: USERS.csm,
      due_at: '2026-01-09T00:00:00.000Z',
      questions: QUESTIONS,
    });
    // A run the store has and Temporal never had, in another csm's book.
    await insertRun(store, { workflow_id: 'playbook:checkin:globex', started_at: '2026-01-01T00:00:00.000Z' });
    await insertTask(store, { workflow_id: 'playbook:checkin:globex', seq: 1, name: 'checkin', assignee: USERS.csm });
  });
  afterAll(async () => {
    await store?.destroy();
    await api?.stop();
  });

  it('lists runs from the store, newest first, paged, and a csm only those of its book', async () => {
    const all = await as('csops', '/v1/runs?playbook=checkin');
    expect(all.status).toBe(200);
    expect(all.body.runs.map((r: { workflowId: string }) => r.workflowId)).toEqual([WORKFLOW_ID, 'playbook:checkin:globex']);
    expect(all.body.runs[0]).toMatchObject({ runId: null, status: 'running', execution: 'RUNNING', openTaskAssignees: [USERS.csm], stage: 'checkin' });
    const first = await as('csops', '/v1/runs?playbook=checkin&limit=1');
    expect(first.body.runs).toHaveLength(1);
    const second = await as('csops', `/v1/runs?playbook=checkin&limit=1&after=${first.body.next}`);
    expect(second.body).toEqual({ runs: [expect.objectContaining({ workflowId: 'playbook:checkin:globex' })], next: null });
    expect((await as('csm', '/v1/runs?playbook=checkin')).body.runs.map((r: { workflowId: string }) => r.workflowId)).toEqual([WORKFLOW_ID]);
    expect((await as('csops', '/v1/runs?after=not-a-cursor')).status).toBe(400);
  });

  it("gives a csm's inbox from the store, within its book", async () => {
    const inbox = await as('csops', `/v1/tasks?assignee=${USERS.csm}`);
    expect(inbox.body.tasks.map((t: { workflowId: string }) => t.workflowId)).toEqual([WORKFLOW_ID, 'playbook:checkin:globex']);
    expect(inbox.body.tasks[0]).toEqual({
      workflowId: WORKFLOW_ID,
      playbook: 'checkin',
      accountId: 'acme',
      stage: 'checkin',
      task: 'checkin',
      title: 'Check in with Acme',
      assignee: USERS.csm,
      due: '2026-01-09T00:00:00.000Z',
    });
    const own = await as('csm', '/v1/tasks');
    expect(own.body).toEqual({ assignee: USERS.csm, tasks: [inbox.body.tasks[0]], next: null });
  });

  it("gives a task's details with its questions and their types", async () => {
    const details = await as('csm', '/v1/runs/checkin/acme/tasks/checkin');
    expect(details.status).toBe(200);
    expect(details.body).toMatchObject({ workflowId: WORKFLOW_ID, task: 'checkin', state: 'open', assignee: USERS.csm, questions: QUESTIONS, answers: null });
    expect((await as('csm', '/v1/runs/checkin/acme/tasks/nope')).status).toBe(404);
    // Outside the csm's book: as if it did not exist.
    expect((await as('csm', '/v1/runs/checkin/globex/tasks/checkin')).status).toBe(404);
  });

  it('reads a finished run that Temporal no longer has from the store: its timeline and final status', async () => {
    // As after the namespace's retention deleted its history: the store has the run, Temporal
    // has no workflow of that id. (The dev server deletes a history asynchronously, so the
    // test does not wait on `deleteWorkflowExecution`.)
    const gone = 'playbook:checkin:acme-2025';
    await insertRun(store, { workflow_id: gone, status: 'cancelled', stage: 'checkin', ended_at: '2026-01-06T10:00:00.000Z' });
    await insertEntries(store, gone, [
      { at: '2026-01-05T09:00:00.000Z', kind: 'stage', stage: 'checkin', line: 25, text: 'Check-in' },
      { at: '2026-01-05T09:00:00.000Z', kind: 'task', stage: 'checkin', line: 26, task: 'checkin', to: USERS.csm, text: 'Check in with Acme' },
    ]);
    await expect(api.client.workflow.getHandle(gone).describe()).rejects.toThrow();
    const status = await as('csops', '/v1/runs/checkin/acme-2025');
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ playbook: 'checkin', accountId: 'acme-2025', status: 'cancelled', pendingWaits: [], openTasks: [] });
    expect(status.body.timeline.map((e: { kind: string }) => e.kind)).toEqual(['stage', 'task']);
    expect((await as('csops', '/v1/runs/checkin/nobody')).status).toBe(404);
  });
});
