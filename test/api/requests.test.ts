/**
 * The API's requests over a real HTTP listener (dev server, worker, API): the end-to-end
 * path from deploy to a completed task, starting runs, controlling them, and every kind of
 * bad request answered with the one error shape. The OpenAPI document describes it all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, eventually } from '../ops/helpers.js';
import { RACE_ROUNDS, startApiForTests, USERS, type ApiTestStack } from './helpers.js';

describe('API requests', () => {
  let api: ApiTestStack;
  const ops = (method: string, route: string, body?: unknown) => api.call(method, route, { token: api.tokens.csops, ...(body !== undefined && { body }) });
  const statusOf = async (playbook: string, accountId: string) => (await ops('GET', `/v1/runs/${playbook}/${accountId}`)).body;

  beforeAll(async () => {
    api = await startApiForTests();
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('runs the whole path: upsert, a signed event starts onboarding, the run is listed, its task is in the inbox and completed', async () => {
    const upsert = await ops('PUT', '/v1/accounts/initech', { name: 'Initech', segment: 'enterprise', csm: USERS.csm });
    expect(upsert).toMatchObject({ status: 200, body: { accountId: 'initech', fields: { name: 'Initech', segment: 'enterprise', csm: USERS.csm } } });
    expect((await ops('GET', '/v1/accounts/initech')).body.data).toEqual({ id: 'initech', name: 'Initech', segment: 'enterprise', csm: USERS.csm });

    const raw = JSON.stringify({ accountId: 'initech', name: 'account.created', eventId: 'crm-1' });
    const event = await api.call('POST', '/v1/events', { token: api.tokens.integration, raw, headers: { 'playbook-signature': api.sign(raw) } });
    expect(event).toMatchObject({ status: 202, body: { accountId: 'initech', name: 'account.created', eventId: 'crm-1' } });

    const listed = await eventually(async () => {
      const runs = (await ops('GET', '/v1/runs?playbook=welcome&accountId=initech&open=true')).body.runs;
      expect(runs).toHaveLength(1);
      return runs[0];
    });
    expect(listed).toMatchObject({ workflowId: 'playbook:welcome:initech', playbook: 'welcome', accountId: 'initech' });

    const status = await eventually(async () => {
      const s = await statusOf('welcome', 'initech');
      expect(s.openTasks).toHaveLength(1);
      // Settled: the run has delivered the task and waits for it, so a second read is the same.
      expect(s.pendingWaits.map((w: { for: string }) => w.for)).toContain('task call');
      return s;
    });
    expect(status).toMatchObject({ playbook: 'welcome', accountId: 'initech', stage: 'call', status: 'running' });
    expect(status.openTasks[0]).toMatchObject({ name: 'call', title: 'Call Initech', assignee: USERS.csm });
    expect(status.timeline.map((e: { kind: string }) => e.kind)).toContain('task');
    // `playbook status --json` prints the very object the API answers with: same keys, same values.
    const printed = await cli(api.configFile, 'status', 'playbook:welcome:initech', '--json');
    expect(JSON.parse(printed.stdout)).toStrictEqual(status);

    const inbox = await eventually(async () => {
      const body = (await api.call('GET', '/v1/tasks', { token: api.tokens.csm })).body;
      expect(body.tasks.map((t: { workflowId: string }) => t.workflowId)).toContain('playbook:welcome:initech');
      return body;
    });
    expect(inbox.assignee).toBe(USERS.csm);
    expect(inbox.tasks.find((t: { workflowId: string }) => t.workflowId === 'playbook:welcome:initech')).toEqual({
      workflowId: 'playbook:welcome:initech',
      playbook: 'welcome',
      accountId: 'initech',
      stage: 'call',
      task: 'call',
      title: 'Call Initech',
      assignee: USERS.csm,
      due: null,
    });
    expect((await api.call('GET', `/v1/tasks?assignee=${USERS.otherCsm}`, { token: api.tokens.csm })).body.tasks).toEqual([]);

    const complete = (token: string, answers: unknown) => api.call('POST', '/v1/runs/welcome/initech/tasks/call/complete', { token, body: { answers } });
    // Bob's book does not hold initech: the run is unknown to him. Cy was granted it: in her book, not her task.
    expect((await complete(api.tokens.otherCsm, { reached: true })).body.error).toMatchObject({ status: 404, code: 'not_found' });
    const notTheirs = await complete(api.tokens.grantedCsm, { reached: true });
    expect(notTheirs.status).toBe(403);
    expect(notTheirs.body.error).toMatchObject({ code: 'not_assignee' });
    expect(notTheirs.body.error.message).toContain(`assigned to ${USERS.csm}`);

    const wrong = await complete(api.tokens.csm, { reached: 'maybe' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({
      code: 'task_refused',
      field: 'answers.reached',
      message: 'cannot complete task call: answer to ask "reached" of task call: expected yes/no (true or false), got "maybe"',
    });
    const unanswered = await complete(api.tokens.csm, {});
    expect(unanswered.status).toBe(400);
    expect(unanswered.body.error).toMatchObject({
      code: 'task_refused',
      field: 'answers.reached',
      message: 'cannot complete task call: task call: answer `reached` is required',
    });

    expect(await complete(api.tokens.csm, { reached: true })).toMatchObject({
      status: 200,
      body: { workflowId: 'playbook:welcome:initech', task: 'call', by: 'api:ann' },
    });
    await eventually(async () => expect((await statusOf('welcome', 'initech')).stage).toBe('demo'));
    const again = await complete(api.tokens.csm, { reached: true });
    expect(again.status).toBe(400);
  });

  it('refuses a csm the task of another even when racing the event that opens it: the run decides', async () => {
    const cy = (method: string, route: string, body: unknown) => api.call(method, route, { token: api.tokens.grantedCsm, body });
    for (let n = 0; n < RACE_ROUNDS; n++) {
      const accountId = `race-${n}`;
      expect((await ops('PUT', `/v1/accounts/${accountId}`, { name: `Race ${n}`, segment: 'enterprise', csm: USERS.csm })).status).toBe(200);
      const complete = () => cy('POST', `/v1/runs/welcome/${accountId}/tasks/call/complete`, { answers: { reached: true } });
      // The event opens ann's task; cy (granted the account, not the assignee) completes it at once.
      const [event, raced] = await Promise.all([cy('POST', '/v1/events', { accountId, name: 'account.created' }), complete()]);
      expect(event.status).toBe(202);
      expect([400, 403, 404], JSON.stringify(raced.body)).toContain(raced.status);
      await eventually(async () => expect((await statusOf('welcome', accountId)).openTasks.map((t: { name: string }) => t.name)).toEqual(['call']));
      const late = await complete();
      expect(late.status).toBe(403);
      expect(late.body.error).toMatchObject({
        code: 'not_assignee',
        message: `task call is assigned to ${USERS.csm}; a csm token completes only tasks assigned to its user (${USERS.grantedCsm})`,
      });
      expect((await ops('POST', `/v1/runs/welcome/${accountId}/cancel`)).status).toBe(200);
    }
  });

  describe('starting runs', () => {
    it('starts a manual playbook (201), refuses a second open run (409) and a playbook without a manual trigger (422)', async () => {
      const started = await api.call('POST', '/v1/playbooks/checkin/runs', { token: api.tokens.csm, body: { accountId: 'acme' } });
      expect(started.status).toBe(201);
      expect(started.body).toEqual({ workflowId: 'playbook:checkin:acme', version: expect.stringMatching(/^\w+$/) });

      const twice = await api.call('POST', '/v1/playbooks/checkin/runs', { token: api.tokens.csm, body: { accountId: 'acme' } });
      expect(twice.status).toBe(409);
      expect(twice.body.error).toMatchObject({ code: 'already_open', workflowId: 'playbook:checkin:acme' });

      const notManual = await ops('POST', '/v1/playbooks/welcome/runs', { accountId: 'globex' });
      expect(notManual.status).toBe(422);
      expect(notManual.body.error.code).toBe('refused');

      expect((await ops('POST', '/v1/playbooks/nope/runs', { accountId: 'acme' })).body.error).toMatchObject({
        status: 404,
        message: 'playbook nope is not deployed',
      });
      expect((await ops('POST', '/v1/playbooks/checkin/runs', { accountId: 'nobody' })).status).toBe(404);
    });

    it('starts for many accounts with one result each', async () => {
      await ops('POST', '/v1/playbooks/checkin/runs', { accountId: 'acme' });
      const bulk = await ops('POST', '/v1/playbooks/checkin/runs', { accountIds: ['globex', 'nobody', 'acme'] });
      expect(bulk.status).toBe(200);
      expect(bulk.body.results).toEqual([
        { accountId: 'globex', status: 'started', workflowId: 'playbook:checkin:globex', version: expect.any(String) },
        { accountId: 'nobody', status: 'notFound', reason: expect.stringContaining('unknown account nobody') },
        { accountId: 'acme', status: 'alreadyOpen', workflowId: 'playbook:checkin:acme' },
      ]);
    });

    it('pauses, resumes and cancels a run', async () => {
      await ops('POST', '/v1/playbooks/checkin/runs', { accountId: 'globex' });
      expect((await ops('POST', '/v1/runs/checkin/globex/pause')).body).toEqual({ workflowId: 'playbook:checkin:globex', action: 'pause' });
      await eventually(async () => expect((await statusOf('checkin', 'globex')).status).toBe('paused'));
      expect((await ops('POST', '/v1/runs/checkin/globex/resume')).status).toBe(200);
      await eventually(async () => expect((await statusOf('checkin', 'globex')).status).toBe('running'));
      expect((await ops('POST', '/v1/runs/checkin/globex/cancel')).status).toBe(200);
      await eventually(async () => {
        const runs = (await ops('GET', '/v1/runs?playbook=checkin&accountId=globex')).body.runs;
        expect(runs[0].execution).toBe('CANCELLED');
      });
      expect((await ops('POST', '/v1/runs/checkin/globex/pause')).status).toBe(404);
    });

    it('reports a cancelled run as cancelled, with no waits left, and answers a repeated cancel with 404', async () => {
      await ops('POST', '/v1/playbooks/checkin/runs', { accountId: 'acme' });
      await eventually(async () => expect((await statusOf('checkin', 'acme')).pendingWaits).toHaveLength(1));
      expect((await ops('POST', '/v1/runs/checkin/acme/cancel')).status).toBe(200);
      await eventually(async () => expect((await statusOf('checkin', 'acme')).status).toBe('cancelled'));
      expect(await statusOf('checkin', 'acme')).toMatchObject({ outcome: 'running', pendingWaits: [], openTasks: [] });
      const again = await ops('POST', '/v1/runs/checkin/acme/cancel');
      expect(again.status).toBe(404);
      expect(again.body.error.message).toBe('no open run with workflow id playbook:checkin:acme');
      expect(
        (await ops('GET', '/v1/runs?status=cancelled&playbook=checkin&accountId=acme')).body.runs.map((r: { workflowId: string }) => r.workflowId),
      ).toEqual(['playbook:checkin:acme']);
    });
  });

  describe('accounts', () => {
    it('names the failing field of an upsert, suggesting the declared one', async () => {
      const badDate = await ops('PUT', '/v1/accounts/acme', { renewal_date: 'next year' });
      expect(badDate.status).toBe(400);
      expect(badDate.body.error).toMatchObject({ code: 'invalid_account', field: 'renewal_date' });
      const unknown = await ops('PUT', '/v1/accounts/acme', { renwal_date: '2027-01-01' });
      expect(unknown.body.error).toMatchObject({ status: 400, field: 'renwal_date' });
      expect(unknown.body.error.message).toContain('renewal_date');
    });

    it('imports nothing when one account of a bulk request is bad, listing each problem by index and field', async () => {
      const bulk = await ops('POST', '/v1/accounts/bulk', {
        accounts: [
          { id: 'bulk-good', name: 'Good' },
          { id: 'bulk-bad-1', segment: 'huge' },
          { id: 'bulk-bad-2', csm: 'not an email' },
        ],
      });
      expect(bulk.status).toBe(400);
      expect(bulk.body.error.issues).toEqual([
        { index: 1, field: 'segment', message: expect.stringContaining('accounts[1]: account.segment') },
        { index: 2, field: 'csm', message: expect.stringContaining('accounts[2]: account.csm') },
      ]);
      expect((await ops('GET', '/v1/accounts/bulk-good')).status).toBe(404);

      const imported = await ops('POST', '/v1/accounts/bulk', { accounts: [{ id: 'bulk-good', name: 'Good' }, { id: 'bulk-good-2' }] });
      expect(imported).toMatchObject({ status: 200, body: { imported: 2 } });
      await eventually(async () => expect((await ops('GET', '/v1/accounts/bulk-good-2')).status).toBe(200));
    });

    it('answers 404 for an unknown account, read or sent an event', async () => {
      const read = await ops('GET', '/v1/accounts/nobody');
      expect(read.status).toBe(404);
      expect(read.body.error).toMatchObject({ code: 'not_found', message: expect.stringContaining('unknown account nobody') });
      expect((await ops('POST', '/v1/events', { accountId: 'nobody', name: 'demo.booked' })).status).toBe(404);
      expect((await ops('GET', '/v1/runs/checkin/nobody')).status).toBe(404);
    });
  });

  describe('bad requests', () => {
    it('answers bad JSON with 400 invalid_json', async () => {
      const response = await api.call('POST', '/v1/events', { token: api.tokens.csops, raw: '{"accountId": "acme",' });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ status: 400, code: 'invalid_json' });
    });

    it('refuses with 422 an event no deployed playbook takes, suggesting the close name, and takes that name', async () => {
      const misspelt = await ops('POST', '/v1/events', { accountId: 'acme', name: 'book.poke' });
      expect(misspelt.status).toBe(422);
      expect(misspelt.body.error).toMatchObject({
        status: 422,
        code: 'unknown_event',
        field: 'name',
        message: 'no deployed playbook waits for event "book.poke"; did you mean `book.poked`?',
      });
      expect((await ops('POST', '/v1/events', { accountId: 'acme', name: 'book.poked' })).status).toBe(202);
    });

    it('answers wrong types with 400 naming the field', async () => {
      const event = await ops('POST', '/v1/events', { accountId: 'acme', name: 42 });
      expect(event.body.error).toMatchObject({ status: 400, code: 'invalid_body', field: 'name' });
      const limit = await ops('GET', '/v1/runs?limit=lots');
      expect(limit.body.error).toMatchObject({ status: 400, code: 'invalid_query', field: 'limit' });
      const nested = await ops('POST', '/v1/accounts/bulk', { accounts: [{ id: 'x' }, { id: 7 }] });
      expect(nested.body.error).toMatchObject({ field: 'accounts.1.id', issues: [{ index: 1, field: 'accounts.1.id', message: expect.any(String) }] });
      const both = await ops('POST', '/v1/playbooks/checkin/runs', { accountId: 'a', accountIds: ['b'] });
      expect(both.body.error.message).toContain('give either accountId');
    });

    it('refuses bodies that are too large (413) or not JSON (415), and unknown routes (404)', async () => {
      const large = await ops('PUT', '/v1/accounts/acme', { name: 'x'.repeat(100 * 1024) });
      expect(large.status).toBe(413);
      expect(large.body.error.code).toBe('body_too_large');
      const text = await api.call('POST', '/v1/events', { token: api.tokens.csops, raw: 'accountId=acme', headers: { 'content-type': 'text/plain' } });
      expect(text.status).toBe(415);
      const route = await ops('GET', '/v1/nothing-here');
      expect(route.status).toBe(404);
      expect(route.body.error).toMatchObject({ code: 'not_found', message: 'no route GET /v1/nothing-here' });
    });

    it('answers a deployment that does not check with 400 and the diagnostics', async () => {
      const response = await ops('POST', '/v1/deployments', {
        files: { 'broken.playbook': 'playbook broken "Broken"\n  owner "x@example.com"\n\n  stage one "One":\n    email account.nobody template "missing"\n' },
      });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('check_failed');
      expect(response.body.error.diagnostics.length).toBeGreaterThan(0);
      expect(response.body.error.diagnostics[0]).toMatchObject({
        file: 'broken.playbook',
        line: expect.any(Number),
        col: expect.any(Number),
        code: expect.stringMatching(/^PB/),
      });
      const misplaced = await ops('POST', '/v1/deployments', { files: { 'welcome.md': 'Subject: Hi\n\nHello' } });
      expect(misplaced.body.error).toMatchObject({ status: 400, field: 'files.welcome.md' });
      const escaping = await ops('POST', '/v1/deployments', { files: { '../x.playbook': '' } });
      expect(escaping.body.error.status).toBe(400);
      // Nothing of them was deployed.
      expect((await ops('GET', '/v1/playbooks')).body.playbooks.map((p: { id: string }) => p.id)).toEqual(['checkin', 'listener', 'welcome']);
    });
  });

  it('lists the deployed playbooks with versions and triggers as written', async () => {
    const { body } = await api.call('GET', '/v1/playbooks', { token: api.tokens.csm });
    expect(body.generation).toBe(1);
    expect(body.fields.segment).toEqual({ type: 'one of', values: ['smb', 'enterprise'] });
    const welcome = body.playbooks.find((p: { id: string }) => p.id === 'welcome');
    expect(welcome).toMatchObject({
      title: 'Welcome',
      version: expect.any(String),
      deployedBy: 'api:ops',
      triggerText: ['on event "account.created" where account.segment = enterprise'],
    });
  });

  it('publishes an OpenAPI 3 document of every route with its security, request and response schemas', async () => {
    const { status, body: doc } = await api.call('GET', '/openapi.json');
    expect(status).toBe(200);
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes.bearerAuth).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    const operations = Object.entries(
      doc.paths as Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown>; requestBody?: unknown }>>,
    ).flatMap(([route, methods]) => Object.entries(methods).map(([method, op]) => ({ key: `${method.toUpperCase()} ${route}`, op })));
    expect(operations.map((o) => o.key).sort()).toEqual(
      [
        'GET /healthz',
        'GET /v1/accounts',
        'GET /v1/accounts/{accountId}',
        'GET /v1/accounts/{accountId}/events',
        'GET /v1/accounts/{accountId}/timeline',
        'GET /v1/accounts/{accountId}/trigger-log',
        'GET /v1/playbooks',
        'GET /v1/playbooks/{playbook}/throttle',
        'GET /v1/reports/coverage',
        'GET /v1/reports/at-risk',
        'GET /v1/reports/escalation-lead-time',
        'GET /v1/reports/first-touch',
        'GET /v1/reports/follow-up',
        'GET /v1/reports/funnel',
        'GET /v1/reports/goal-trend',
        'GET /v1/reports/goals',
        'GET /v1/reports/on-time',
        'GET /v1/reports/outcomes',
        'GET /v1/reports/versions',
        'GET /v1/suppressions',
        'DELETE /v1/suppressions/{address}',
        'POST /v1/suppressions',
        'GET /v1/runs',
        'GET /v1/runs/{playbook}/{accountId}',
        'GET /v1/runs/{playbook}/{accountId}/deliveries',
        'GET /v1/runs/{playbook}/{accountId}/tasks/{task}',
        'GET /v1/tasks',
        'POST /v1/accounts/bulk',
        'POST /v1/deployments',
        'POST /v1/events',
        'POST /v1/playbooks/{playbook}/disable',
        'POST /v1/playbooks/{playbook}/enable',
        'POST /v1/playbooks/{playbook}/runs',
        'POST /v1/runs/{playbook}/{accountId}/cancel',
        'POST /v1/runs/{playbook}/{accountId}/pause',
        'POST /v1/runs/{playbook}/{accountId}/resume',
        'POST /v1/runs/{playbook}/{accountId}/tasks/{task}/close',
        'POST /v1/runs/{playbook}/{accountId}/tasks/{task}/complete',
        'POST /v1/runs/{playbook}/{accountId}/tasks/{task}/reassign',
        'POST /v1/runs/{playbook}/{accountId}/tasks/{task}/snooze',
        'PUT /v1/accounts/{accountId}',
      ].sort(),
    );
    const control = /\/(pause|resume|cancel|enable)$/;
    for (const { key, op } of operations.filter((o) => o.key.includes('/v1/'))) {
      const statuses = Object.keys(op.responses);
      expect(
        statuses.some((s) => s.startsWith('2')),
        key,
      ).toBe(true);
      expect(statuses, key).toEqual(expect.arrayContaining(['400', '401', '403', '500']));
      if (!/^(GET|DELETE) /.test(key) && !control.test(key)) expect(op.requestBody, key).toBeDefined();
    }
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths['/healthz'].get.security).toEqual([]);
    expect(doc.components.schemas.Error).toBeDefined();
    expect(doc.components.schemas.OnTimeReport).toBeDefined();
  });
});
