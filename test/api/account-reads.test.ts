/**
 * Accounts read from the store over HTTP (dev server, worker, API, embedded store): the
 * entity's upserts, events and trigger firings reach the store through its projection, and
 * the account list, trigger log, events and timeline endpoints answer from it, a csm within
 * its book. The entity's history, journal and all, replays against the current code.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountWorkflowId } from '../../src/temporal/account-client.js';
import { cli, eventually } from '../ops/helpers.js';
import { replay } from '../temporal/account-stack.js';
import { SAMPLE_ACCOUNTS, startApiForTests, USERS, type ApiTestStack } from './helpers.js';

describe('account reads from the store over HTTP', () => {
  let api: ApiTestStack;
  const as = (token: keyof ApiTestStack['tokens'], route: string) => api.call('GET', route, { token: api.tokens[token] });
  const ops = (method: string, route: string, body?: unknown) => api.call(method, route, { token: api.tokens.csops, ...(body !== undefined && { body }) });

  beforeAll(async () => {
    api = await startApiForTests({ store: true });
    for (const { id, ...fields } of SAMPLE_ACCOUNTS) expect((await ops('PUT', `/v1/accounts/${id}`, fields)).status).toBe(200);
    expect((await ops('POST', '/v1/events', { accountId: 'acme', name: 'account.created', eventId: 'crm-1', payload: { source: 'crm' } })).status).toBe(202);
    expect((await ops('POST', '/v1/events', { accountId: 'acme', name: 'account.created', eventId: 'crm-1', payload: { source: 'crm' } })).status).toBe(202);
    // After the event's start, so the log's order is known.
    await eventually(async () => expect((await ops('GET', '/v1/runs?playbook=welcome&accountId=acme')).body.runs).toHaveLength(1));
    expect((await ops('POST', '/v1/playbooks/checkin/runs', { accountId: 'acme' })).status).toBe(201);
  });
  afterAll(async () => {
    await api?.stop();
  });

  it("keeps the account's trigger log: which trigger fired, and the run it started", async () => {
    const log = await eventually(async () => {
      const res = await as('csops', '/v1/accounts/acme/trigger-log');
      expect(res.status).toBe(200);
      expect(res.body.triggers).toHaveLength(2);
      return res.body;
    });
    expect(log.triggers).toEqual([
      expect.objectContaining({
        playbook: 'checkin',
        kind: 'manual',
        detail: expect.stringMatching(/^manual by /),
        outcome: 'started',
        workflowId: 'playbook:checkin:acme',
      }),
      expect.objectContaining({ playbook: 'welcome', kind: 'event', outcome: 'started', workflowId: 'playbook:welcome:acme', eventSeq: expect.any(Number) }),
    ]);
    const paged = await as('csops', '/v1/accounts/acme/trigger-log?limit=1');
    expect(paged.body.triggers).toEqual([log.triggers[0]]);
    expect((await as('csops', `/v1/accounts/acme/trigger-log?limit=1&cursor=${paged.body.next}`)).body).toEqual({
      accountId: 'acme',
      triggers: [log.triggers[1]],
      next: null,
    });
  });

  it('keeps the events received: payload, source, the triggers they fired, and a repeat as a duplicate', async () => {
    const { body } = await eventually(async () => {
      const res = await as('csops', '/v1/accounts/acme/events');
      expect(res.body.events).toHaveLength(2);
      return res;
    });
    const log = (await as('csops', '/v1/accounts/acme/trigger-log')).body.triggers;
    expect(body.events).toEqual([
      expect.objectContaining({ name: 'account.created', eventId: 'crm-1', outcome: 'duplicate', triggers: [] }),
      {
        seq: log[1].eventSeq,
        eventId: 'crm-1',
        name: 'account.created',
        payload: { source: 'crm' },
        source: expect.stringMatching(/^api:/),
        receivedAt: expect.any(String),
        outcome: 'applied',
        reachedRuns: [],
        error: null,
        triggers: [{ seq: log[1].seq, playbook: 'welcome', outcome: 'started', workflowId: 'playbook:welcome:acme' }],
      },
    ]);
  });

  it('lists accounts with name, segment, CSM, renewal date and open runs; searches and filters; a csm sees its book', async () => {
    const acme = await eventually(async () => {
      const res = await as('csops', '/v1/accounts?segment=enterprise');
      expect(res.body.accounts).toEqual([expect.objectContaining({ accountId: 'acme', openRuns: 2 })]);
      return res.body.accounts[0];
    });
    expect(acme).toEqual({
      accountId: 'acme',
      name: 'Acme',
      segment: 'enterprise',
      csm: USERS.csm,
      renewalDate: '2027-03-01',
      openRuns: 2,
      updatedAt: expect.any(String),
    });
    expect((await as('csops', '/v1/accounts?q=GLO')).body.accounts.map((a: { accountId: string }) => a.accountId)).toEqual(['globex']);
    expect((await as('csops', `/v1/accounts?csm=${USERS.otherCsm}`)).body.accounts.map((a: { accountId: string }) => a.accountId)).toEqual(['globex']);
    const first = await as('csops', '/v1/accounts?limit=1');
    expect(first.body.accounts.map((a: { accountId: string }) => a.accountId)).toEqual(['acme']);
    expect((await as('csops', `/v1/accounts?limit=1&cursor=${first.body.next}`)).body).toEqual({
      accounts: [expect.objectContaining({ accountId: 'globex' })],
      next: null,
    });
    expect((await as('csops', '/v1/accounts?cursor=not-ours')).status).toBe(400);
    expect((await as('csm', '/v1/accounts')).body.accounts.map((a: { accountId: string }) => a.accountId)).toEqual(['acme']);
    expect((await as('otherCsm', '/v1/accounts?q=acme')).body.accounts).toEqual([]);
  });

  it("gives an account's timeline across its runs, and 404 outside a csm's book or for an unknown account", async () => {
    const { body } = await eventually(async () => {
      const res = await as('csm', '/v1/accounts/acme/timeline');
      expect(new Set(res.body.entries.map((e: { playbook: string }) => e.playbook))).toEqual(new Set(['welcome', 'checkin']));
      return res;
    });
    expect(
      body.entries
        .filter((e: { entry: { kind: string } }) => e.entry.kind === 'start')
        .map((e: { workflowId: string }) => e.workflowId)
        .sort(),
    ).toEqual(['playbook:checkin:acme', 'playbook:welcome:acme']);
    for (const route of ['timeline', 'events', 'trigger-log']) {
      expect((await as('otherCsm', `/v1/accounts/acme/${route}`)).status).toBe(404);
      expect((await as('csops', `/v1/accounts/nobody/${route}`)).status).toBe(404);
    }
  });

  it("adds the store's record to the account's live state", async () => {
    const { body } = await as('csm', '/v1/accounts/acme');
    expect(body.record).toEqual({
      accountId: 'acme',
      data: { id: 'acme', name: 'Acme', segment: 'enterprise', csm: USERS.csm, renewal_date: '2027-03-01' },
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      updatedBy: expect.stringMatching(/^api:/),
      openRuns: expect.arrayContaining(['playbook:welcome:acme', 'playbook:checkin:acme']),
    });
  });

  it('shows the trigger log and the recent events from the store in `playbook accounts show`', async () => {
    // The CLI finds the store through the configuration, as an operator's would name it.
    const configFile = path.join(api.dir, 'cli.config.json');
    writeFileSync(configFile, JSON.stringify({ ...JSON.parse(readFileSync(api.configFile, 'utf8')), store: { url: api.storeUrl } }));
    const shown = await cli(configFile, 'accounts', 'show', 'acme');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/recent triggers \(from the store\):\n(.*\n)*.*welcome\s+event\s.*started\s+playbook:welcome:acme\n.*checkin\s+manual\s/);
    expect(shown.stdout).toMatch(
      /recent events \(from the store\):\n.*\n.*account\.created\s+api:\S+\s+applied\s+-\s+welcome started\n.*account\.created\s+api:\S+\s+duplicate/,
    );
    const json = JSON.parse((await cli(configFile, 'accounts', 'show', 'acme', '--json')).stdout);
    expect(json.stored.events.map((e: { outcome: string }) => e.outcome)).toEqual(['duplicate', 'applied']);
  });

  it("replays the entity's history, its store flushes included", async () => {
    const workflowId = accountWorkflowId('acme');
    const history = await api.client.workflow.getHandle(workflowId).fetchHistory();
    const flushes = history.events?.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'projectAccount') ?? [];
    expect(flushes.length).toBeGreaterThan(0);
    expect(await replay([{ workflowId, history }])).toEqual([[workflowId, null]]);
  });
});
