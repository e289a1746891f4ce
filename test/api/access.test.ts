/**
 * Access control over a real HTTP listener (dev server, worker, API): every endpoint group
 * refuses a missing or unknown token (401) and the wrong role (403, naming the roles that
 * may), and lets the right roles through; a csm sees and acts on its book of business only;
 * integrations sign every write; tokens revoked by the CLI stop working at once; every write
 * is in the audit log, no token ever is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../ops/helpers.js';
import { eventually } from '../ops/helpers.js';
import { startApiForTests, workspaceFiles, FIXTURE_WORKSPACE, USERS, type ApiTestStack, type CallOptions, type TokenName } from './helpers.js';

interface Endpoint {
  group: string;
  method: string;
  route: string;
  body?: unknown;
  allowed: TokenName[];
}

const ALL: TokenName[] = ['csm', 'csops', 'integration'];

const ENDPOINTS: Endpoint[] = [
  { group: 'read an account', method: 'GET', route: '/v1/accounts/acme', allowed: ALL },
  { group: 'upsert an account', method: 'PUT', route: '/v1/accounts/matrix-1', body: { name: 'Matrix' }, allowed: ['csops', 'integration'] },
  {
    group: 'import accounts',
    method: 'POST',
    route: '/v1/accounts/bulk',
    body: { accounts: [{ id: 'matrix-2', name: 'Matrix 2' }] },
    allowed: ['csops', 'integration'],
  },
  { group: 'send an event', method: 'POST', route: '/v1/events', body: { accountId: 'globex', name: 'matrix.poked' }, allowed: ALL },
  { group: 'start a run', method: 'POST', route: '/v1/playbooks/checkin/runs', body: { accountId: 'globex' }, allowed: ['csm', 'csops'] },
  { group: 'list runs', method: 'GET', route: '/v1/runs?playbook=checkin', allowed: ['csm', 'csops'] },
  { group: "read a run's status", method: 'GET', route: '/v1/runs/checkin/globex', allowed: ['csm', 'csops'] },
  { group: 'pause a run', method: 'POST', route: '/v1/runs/checkin/nobody/pause', allowed: ['csops'] },
  { group: 'resume a run', method: 'POST', route: '/v1/runs/checkin/nobody/resume', allowed: ['csops'] },
  { group: 'cancel a run', method: 'POST', route: '/v1/runs/checkin/nobody/cancel', allowed: ['csops'] },
  { group: 'read a task inbox', method: 'GET', route: '/v1/tasks?assignee=ann@example.com', allowed: ['csm', 'csops'] },
  { group: "read a task's details", method: 'GET', route: '/v1/runs/checkin/nobody/tasks/checkin', allowed: ['csm', 'csops'] },
  { group: 'complete a task', method: 'POST', route: '/v1/runs/checkin/nobody/tasks/checkin/complete', body: {}, allowed: ['csm', 'csops'] },
  {
    group: 'reassign a task',
    method: 'POST',
    route: '/v1/runs/checkin/nobody/tasks/checkin/reassign',
    body: { to: 'bob@example.com' },
    allowed: ['csm', 'csops'],
  },
  {
    group: 'snooze a task',
    method: 'POST',
    route: '/v1/runs/checkin/nobody/tasks/checkin/snooze',
    body: { until: '2030-01-01T00:00:00Z' },
    allowed: ['csm', 'csops'],
  },
  { group: 'close a task', method: 'POST', route: '/v1/runs/checkin/nobody/tasks/checkin/close', body: { reason: 'duplicate' }, allowed: ['csm', 'csops'] },
  { group: 'list deployed playbooks', method: 'GET', route: '/v1/playbooks', allowed: ['csm', 'csops'] },
  { group: 'disable a playbook', method: 'POST', route: '/v1/playbooks/listener/disable', body: {}, allowed: ['csops'] },
  { group: 'enable a playbook', method: 'POST', route: '/v1/playbooks/listener/enable', allowed: ['csops'] },
  { group: "read a playbook's throttle queue", method: 'GET', route: '/v1/playbooks/listener/throttle', allowed: ['csops'] },
  { group: 'read a report', method: 'GET', route: '/v1/reports/on-time', allowed: ['csm', 'csops'] },
  { group: 'deploy', method: 'POST', route: '/v1/deployments', body: { files: workspaceFiles(FIXTURE_WORKSPACE), dryRun: true }, allowed: ['csops'] },
];

describe('API access control', () => {
  let api: ApiTestStack;
  /** Calls the endpoint as `token`, signing the body when an integration writes. */
  const request = (endpoint: Endpoint, token: string | undefined, as?: TokenName) => {
    const options: CallOptions = { ...(token !== undefined && { token }) };
    if (endpoint.body !== undefined) options.raw = JSON.stringify(endpoint.body);
    if (as === 'integration' && endpoint.method !== 'GET') options.headers = { 'playbook-signature': api.sign(options.raw ?? '') };
    return api.call(endpoint.method, endpoint.route, options);
  };

  beforeAll(async () => {
    api = await startApiForTests();
  });
  afterAll(async () => {
    await api?.stop();
  });

  describe.each(ENDPOINTS)('$group ($method $route)', (endpoint) => {
    it('refuses a request without a token or with an unknown one (401)', async () => {
      const missing = await request(endpoint, undefined);
      expect(missing.status).toBe(401);
      expect(missing.body.error).toMatchObject({ status: 401, code: 'unauthorized' });
      expect(missing.headers.get('www-authenticate')).toBe('Bearer');
      const unknown = await request(endpoint, 'pbk_not-a-real-token');
      expect(unknown.status).toBe(401);
      expect(unknown.body.error.message).toBe('unknown or revoked token');
    });

    it.each(ALL)('as %s', async (role) => {
      const response = await request(endpoint, api.tokens[role], role);
      if (endpoint.allowed.includes(role)) {
        expect(response.status, JSON.stringify(response.body)).not.toBe(401);
        expect(response.status, JSON.stringify(response.body)).not.toBe(403);
        expect(response.status, JSON.stringify(response.body)).toBeLessThan(500);
      } else {
        expect(response.status).toBe(403);
        expect(response.body.error).toMatchObject({ code: 'forbidden', requiredRoles: endpoint.allowed });
        expect(response.body.error.message).toContain(`has role ${role}`);
      }
    });
  });

  it('needs no token for the health check and the OpenAPI document', async () => {
    expect((await api.call('GET', '/healthz')).body).toEqual({ status: 'ok', temporal: 'up' });
    expect((await api.call('GET', '/openapi.json')).status).toBe(200);
  });

  describe("a csm's book of business: the accounts whose user fields name it, plus its grants", () => {
    const as = (token: TokenName, method: string, route: string, body?: unknown) =>
      api.call(method, route, { token: api.tokens[token], ...(body !== undefined && { body }) });
    const unknownAccount = (id: string) => ({ status: 404, code: 'not_found', message: `unknown account ${id}: import it or upsert it first` });

    it('reads, sends events to and starts runs for its accounts; any other is unknown to it, as a missing one is', async () => {
      expect((await as('csm', 'GET', '/v1/accounts/acme')).status).toBe(200);
      expect((await as('csm', 'GET', '/v1/accounts/globex')).body.error).toMatchObject(unknownAccount('globex'));
      expect((await as('csm', 'GET', '/v1/accounts/nobody')).body.error).toMatchObject(unknownAccount('nobody'));
      expect((await as('csm', 'POST', '/v1/events', { accountId: 'acme', name: 'book.poked' })).status).toBe(202);
      expect((await as('csm', 'POST', '/v1/events', { accountId: 'globex', name: 'book.poked' })).body.error).toMatchObject(unknownAccount('globex'));
      expect((await as('csm', 'POST', '/v1/playbooks/checkin/runs', { accountId: 'globex' })).body.error).toMatchObject(unknownAccount('globex'));
      const bulk = await as('csm', 'POST', '/v1/playbooks/checkin/runs', { accountIds: ['globex'] });
      expect(bulk.body.results).toEqual([{ accountId: 'globex', status: 'notFound', reason: unknownAccount('globex').message }]);
      // A grant adds an account to the book; csops is not scoped.
      expect((await as('grantedCsm', 'GET', '/v1/accounts/globex')).status).toBe(200);
      expect((await as('grantedCsm', 'GET', '/v1/accounts/acme')).body.error).toMatchObject(unknownAccount('acme'));
      expect((await as('csops', 'GET', '/v1/accounts/globex')).status).toBe(200);
    });

    it('lists and reads only the runs and tasks of its book', async () => {
      for (const accountId of ['acme', 'globex']) {
        expect([201, 409]).toContain((await as('csops', 'POST', '/v1/playbooks/checkin/runs', { accountId })).status);
      }
      await eventually(async () => {
        const runs = (await as('csops', 'GET', '/v1/runs?playbook=checkin&open=true')).body.runs.map((r: { accountId: string }) => r.accountId);
        expect(runs).toEqual(expect.arrayContaining(['acme', 'globex']));
        expect((await as('csops', 'GET', `/v1/tasks?assignee=${USERS.otherCsm}`)).body.tasks).not.toEqual([]);
      });
      const annRuns = (await as('csm', 'GET', '/v1/runs?playbook=checkin&open=true')).body.runs.map((r: { accountId: string }) => r.accountId);
      expect(annRuns).toContain('acme');
      expect(annRuns).not.toContain('globex');
      expect((await as('csm', 'GET', '/v1/runs/checkin/globex')).body.error).toMatchObject({
        status: 404,
        message: 'no run with workflow id playbook:checkin:globex',
      });
      expect((await as('csm', 'GET', `/v1/tasks?assignee=${USERS.otherCsm}`)).body.tasks).toEqual([]);
      const complete = await as('csm', 'POST', '/v1/runs/checkin/globex/tasks/checkin/complete', {});
      expect(complete.body.error).toMatchObject({ status: 404, message: 'no open run with workflow id playbook:checkin:globex' });

      expect((await as('grantedCsm', 'GET', '/v1/runs/checkin/globex')).status).toBe(200);
      const granted = (await as('grantedCsm', 'GET', `/v1/tasks?assignee=${USERS.otherCsm}`)).body.tasks.map((t: { accountId: string }) => t.accountId);
      expect(granted).toContain('globex');
    });
  });

  describe('signed writes from integrations', () => {
    it('refuses an account upsert or import without a signature, and accepts a signed one', async () => {
      const upsert = JSON.stringify({ name: 'Signed' });
      const bulk = JSON.stringify({ accounts: [{ id: 'signed-2', name: 'Signed 2' }] });
      const write = (method: string, route: string, raw: string, headers: Record<string, string> = {}) =>
        api.call(method, route, { token: api.tokens.integration, raw, headers });
      expect((await write('PUT', '/v1/accounts/signed-1', upsert)).body.error).toMatchObject({ status: 401, code: 'signature_required' });
      expect((await write('POST', '/v1/accounts/bulk', bulk)).body.error).toMatchObject({ status: 401, code: 'signature_required' });
      expect((await write('PUT', '/v1/accounts/signed-1', upsert, { 'playbook-signature': api.sign(`${upsert} `) })).body.error).toMatchObject({
        code: 'bad_signature',
      });
      expect((await write('PUT', '/v1/accounts/signed-1', upsert, { 'playbook-signature': api.sign(upsert) })).status).toBe(200);
      expect((await write('POST', '/v1/accounts/bulk', bulk, { 'playbook-signature': api.sign(bulk) })).status).toBe(200);
      // Other roles write unsigned.
      expect((await api.call('PUT', '/v1/accounts/signed-1', { token: api.tokens.csops, raw: upsert })).status).toBe(200);
    });
  });

  describe('signed events from integrations', () => {
    const body = JSON.stringify({ accountId: 'acme', name: 'signature.checked' });
    const send = (headers: Record<string, string>, token = api.tokens.integration, raw = body) => api.call('POST', '/v1/events', { token, raw, headers });

    it('accepts a good signature once and refuses it replayed', async () => {
      const signature = api.sign(body);
      expect((await send({ 'playbook-signature': signature })).status).toBe(202);
      const replayed = await send({ 'playbook-signature': signature });
      expect(replayed.status).toBe(401);
      expect(replayed.body.error.code).toBe('signature_replayed');
    });

    it('refuses a missing, bad or expired signature', async () => {
      expect((await send({})).body.error).toMatchObject({ status: 401, code: 'signature_required' });
      expect((await send({ 'playbook-signature': api.sign(`${body} `) })).body.error).toMatchObject({ status: 401, code: 'bad_signature' });
      expect((await send({ 'playbook-signature': 'v1=abc' })).body.error).toMatchObject({ status: 401, code: 'bad_signature' });
      const expired = await send({ 'playbook-signature': api.sign(body, Math.floor(Date.now() / 1000) - 301) });
      expect(expired.body.error).toMatchObject({ status: 401, code: 'signature_expired' });
    });

    it('verifies the bytes as sent: whitespace the JSON parser ignores still counts', async () => {
      const spaced = JSON.stringify({ accountId: 'acme', name: 'signature.spaced' }, null, 2);
      expect((await send({ 'playbook-signature': api.sign(spaced) }, api.tokens.integration, spaced)).status).toBe(202);
      const compact = JSON.stringify(JSON.parse(spaced));
      expect((await send({ 'playbook-signature': api.sign(compact) }, api.tokens.integration, spaced)).status).toBe(401);
    });

    it('refuses in a second API process of the host a signature the first accepted', async () => {
      const second = await api.anotherApi();
      try {
        const raw = JSON.stringify({ accountId: 'acme', name: 'signature.shared' });
        const headers = { 'content-type': 'application/json', authorization: `Bearer ${api.tokens.integration}`, 'playbook-signature': api.sign(raw) };
        expect((await send({ 'playbook-signature': headers['playbook-signature'] }, api.tokens.integration, raw)).status).toBe(202);
        const replayed = await fetch(`${second.url}/v1/events`, { method: 'POST', headers, body: raw });
        expect(replayed.status).toBe(401);
        expect(((await replayed.json()) as { error: { code: string } }).error.code).toBe('signature_replayed');
      } finally {
        await second.close();
      }
    });

    it('lets CSM and CSOps tokens send events unsigned', async () => {
      expect((await send({}, api.tokens.csm)).status).toBe(202);
      expect((await send({}, api.tokens.csops)).status).toBe(202);
    });
  });

  it('accepts a token made by `playbook tokens create` and refuses it once `tokens revoke` removed it', async () => {
    const created = await cli(api.configFile, 'tokens', 'create', '--name', 'temp-ops', '--role', 'csops');
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim();
    expect((await api.call('GET', '/v1/playbooks', { token })).status).toBe(200);

    const listed = await cli(api.configFile, 'tokens', 'list', '--json');
    expect(JSON.parse(listed.stdout)).toContainEqual(expect.objectContaining({ name: 'temp-ops', role: 'csops' }));
    expect(listed.stdout).not.toContain(token);

    expect((await cli(api.configFile, 'tokens', 'revoke', 'temp-ops')).code).toBe(0);
    expect((await api.call('GET', '/v1/playbooks', { token })).status).toBe(401);
  });

  it('gives a csm token made with `--grant-account` those accounts besides its book', async () => {
    const created = await cli(
      api.configFile,
      'tokens',
      'create',
      '--name',
      'temp-dee',
      '--role',
      'csm',
      '--user',
      'dee@example.com',
      '--grant-account',
      'globex',
    );
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim();
    expect((await api.call('GET', '/v1/accounts/globex', { token })).status).toBe(200);
    expect((await api.call('GET', '/v1/accounts/acme', { token })).status).toBe(404);
    expect(JSON.parse((await cli(api.configFile, 'tokens', 'list', '--json')).stdout)).toContainEqual(
      expect.objectContaining({ name: 'temp-dee', grants: ['globex'] }),
    );
  });

  it('logs every write with the token name, role, target and outcome, and never a token', async () => {
    const raw = JSON.stringify({ name: 'Audited' });
    const put = await api.call('PUT', '/v1/accounts/audited', { token: api.tokens.integration, raw, headers: { 'playbook-signature': api.sign(raw) } });
    expect(put.status).toBe(200);
    await api.call('POST', '/v1/runs/checkin/audited/cancel', { token: api.tokens.csm });
    const audit = api.logLines().flatMap((line) => (line.audit === undefined ? [] : [line.audit as Record<string, unknown>]));
    expect(audit).toContainEqual(
      expect.objectContaining({
        token: 'crm-sync',
        role: 'integration',
        method: 'PUT',
        route: '/v1/accounts/:accountId',
        accountId: 'audited',
        status: 200,
        outcome: 'ok',
      }),
    );
    expect(audit).toContainEqual(
      expect.objectContaining({
        token: 'ann',
        role: 'csm',
        method: 'POST',
        route: '/v1/runs/:playbook/:accountId/cancel',
        playbook: 'checkin',
        accountId: 'audited',
        status: 403,
        outcome: 'forbidden',
      }),
    );
    expect(audit.some((a) => a.method === 'GET')).toBe(false);
    const log = JSON.stringify(api.logLines());
    for (const token of Object.values(api.tokens)) expect(log).not.toContain(token);
  });
});
