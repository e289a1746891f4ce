/**
 * A task's lifecycle over HTTP, against a real dev server and worker with the store on PGlite
 * and on PostgreSQL: a new task tells its assignee with a link to it in the console; it is
 * snoozed (out of the inbox until then), reassigned (to someone who is told), closed with a
 * reason (the run's wait takes its timeout path and the run completes); pause and cancel name
 * who sent them; the store records all of it, and the tasks a cancelled run leaves open.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/connect.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import type { OutboxMessage } from '../../src/sinks/outbox.js';
import { eventually } from '../ops/helpers.js';
import { BACKENDS, startBackend, type Backend } from '../store/backends.js';
import { SAMPLE_ACCOUNTS, startApiForTests, USERS, type ApiTestStack } from './helpers.js';

const CONSOLE = 'https://console.example.com/cs';

describe.each(BACKENDS)('task lifecycle over the API, store on %s', (backendName) => {
  let backend: Backend;
  let store: Store;
  let api: ApiTestStack;
  const call = (token: keyof ApiTestStack['tokens'], method: string, route: string, body?: unknown) =>
    api.call(method, route, { token: api.tokens[token], ...(body !== undefined && { body }) });
  const outbox = (): OutboxMessage[] => {
    const file = path.join(api.dir, 'data', 'outbox', 'emails.jsonl');
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as OutboxMessage);
  };
  const task = (workflowId: string) =>
    store
      .selectFrom('tasks')
      .select(['assignee', 'state', 'snoozed_until', 'closed_by', 'close_reason'])
      .where('workflow_id', '=', workflowId)
      .executeTakeFirstOrThrow();
  const kindsAndBy = async (playbook: string, accountId: string) =>
    ((await call('csops', 'GET', `/v1/runs/${playbook}/${accountId}`)).body.timeline as Array<{ kind: string; by?: string }>).map((e) =>
      e.by === undefined ? e.kind : `${e.kind} by ${e.by}`,
    );

  beforeAll(async () => {
    backend = await startBackend(backendName);
    const fresh = await backend.freshDatabase();
    store = fresh.store;
    await migrateToLatest(store);
    api = await startApiForTests({
      storeUrl: fresh.url,
      sections: { console: { baseUrl: `${CONSOLE}/` } },
      accounts: [...SAMPLE_ACCOUNTS, { id: 'hooli', name: 'Hooli', segment: 'smb', csm: USERS.csm, renewal_date: '2027-01-01' }],
    });
  });
  afterAll(async () => {
    await api?.stop();
    await backend?.stop();
  });

  it('tells the assignee of a new task with its link; snoozes, reassigns and closes it; the run takes its timeout path', async () => {
    expect((await call('csm', 'POST', '/v1/playbooks/checkin/runs', { accountId: 'acme' })).status).toBe(201);
    const workflowId = 'playbook:checkin:acme';
    const link = `${CONSOLE}/tasks/checkin/acme/checkin`;
    const told = await eventually(async () => {
      const message = outbox().find((m) => m.to === USERS.csm && m.text.includes(link));
      expect(message).toBeDefined();
      return message!;
    });
    expect(told.subject).toBe('A new task for you: Check in with Acme');
    await eventually(async () => expect(await task(workflowId)).toMatchObject({ state: 'open', assignee: USERS.csm }));

    // Snoozed: out of the inbox until then, both from the store and in the run's status.
    const until = new Date(Date.now() + 3_600_000).toISOString();
    expect((await call('csm', 'POST', '/v1/runs/checkin/acme/tasks/checkin/snooze', { until: 'tomorrow' })).status).toBe(400);
    const past = await call('csm', 'POST', '/v1/runs/checkin/acme/tasks/checkin/snooze', { until: '2020-01-01T00:00:00Z' });
    expect(past).toMatchObject({ status: 400, body: { error: { code: 'task_refused' } } });
    const snoozed = await call('csm', 'POST', '/v1/runs/checkin/acme/tasks/checkin/snooze', { until });
    expect(snoozed).toMatchObject({ status: 200, body: { workflowId, task: 'checkin', action: 'snooze', by: USERS.csm } });
    await eventually(async () => expect((await task(workflowId)).snoozed_until?.toISOString()).toBe(until));
    expect((await call('csm', 'GET', '/v1/tasks')).body.tasks).toEqual([]);
    expect((await call('csm', 'GET', '/v1/runs/checkin/acme/tasks/checkin')).body).toMatchObject({ state: 'open', snoozedUntil: until });
    expect((await call('csops', 'GET', '/v1/runs/checkin/acme')).body.openTasks).toEqual([expect.objectContaining({ name: 'checkin', snoozedUntil: until })]);

    // Reassigned: the new assignee has it (and the snooze is over) and is told; the old one may no longer touch it.
    expect((await call('csm', 'POST', '/v1/runs/checkin/acme/tasks/checkin/reassign', { to: 'not an address' })).status).toBe(400);
    const reassigned = await call('csm', 'POST', '/v1/runs/checkin/acme/tasks/checkin/reassign', { to: USERS.otherCsm });
    expect(reassigned).toMatchObject({ status: 200, body: { action: 'reassign', by: USERS.csm } });
    await eventually(async () => expect(await task(workflowId)).toMatchObject({ assignee: USERS.otherCsm, snoozed_until: null }));
    await eventually(async () =>
      expect(outbox().some((m) => m.to === USERS.otherCsm && m.text.includes(link) && m.subject.startsWith('A task was reassigned to you'))).toBe(true),
    );
    expect((await call('otherCsm', 'GET', '/v1/tasks')).body.tasks).toEqual([]); // acme is not in bob's book
    expect((await call('csops', 'GET', `/v1/tasks?assignee=${USERS.otherCsm}`)).body.tasks.map((t: { task: string }) => t.task)).toEqual(['checkin']);
    const notHers = await call('csm', 'POST', '/v1/runs/checkin/acme/tasks/checkin/close', { reason: 'done elsewhere' });
    expect(notHers).toMatchObject({ status: 403, body: { error: { code: 'not_assignee' } } });

    // Closed with a reason: the wait for it ends on its timeout path, and the run goes on to its end.
    expect((await call('csops', 'POST', '/v1/runs/checkin/acme/tasks/checkin/close', { reason: '' })).status).toBe(400);
    const closed = await call('csops', 'POST', '/v1/runs/checkin/acme/tasks/checkin/close', { reason: 'customer asked to wait' });
    expect(closed).toMatchObject({ status: 200, body: { action: 'close', by: 'csops' } });
    await eventually(async () => expect((await call('csops', 'GET', '/v1/runs/checkin/acme')).body.status).toBe('completed'));
    expect(await kindsAndBy('checkin', 'acme')).toEqual([
      'start',
      'stage',
      'task',
      `task-snoozed by ${USERS.csm}`,
      `task-reassigned by ${USERS.csm}`,
      'task-closed by csops',
      'timeout',
      'complete',
    ]);
    await eventually(async () =>
      expect(await task(workflowId)).toMatchObject({ state: 'closed', closed_by: 'csops', close_reason: 'customer asked to wait', assignee: USERS.otherCsm }),
    );
  });

  it('names who paused and cancelled a run on its timeline, and the store records who cancelled it and closes its task', async () => {
    expect((await call('csm', 'POST', '/v1/playbooks/checkin/runs', { accountId: 'hooli' })).status).toBe(201);
    const workflowId = 'playbook:checkin:hooli';
    await eventually(async () => expect(await task(workflowId)).toMatchObject({ state: 'open' }));
    expect((await call('csops', 'POST', '/v1/runs/checkin/hooli/pause')).status).toBe(200);
    expect((await call('csops', 'POST', '/v1/runs/checkin/hooli/resume')).status).toBe(200);
    expect((await call('csops', 'POST', '/v1/runs/checkin/hooli/cancel')).status).toBe(200);
    await eventually(async () =>
      expect(await store.selectFrom('runs').select(['status', 'ended_by']).where('workflow_id', '=', workflowId).executeTakeFirst()).toEqual({
        status: 'cancelled',
        ended_by: 'csops',
      }),
    );
    expect((await kindsAndBy('checkin', 'hooli')).slice(3)).toEqual(['pause by csops', 'resume by csops', 'cancel by csops']);
    expect(await task(workflowId)).toMatchObject({ state: 'closed', closed_by: 'csops', close_reason: 'cancel' });
  });
});
