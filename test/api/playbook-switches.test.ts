/**
 * Per-playbook switches over a real HTTP listener and the CLI (dev server, worker, embedded
 * store): a disabled playbook starts nothing, neither by its event trigger (the trigger log
 * records the firing as refused, "playbook disabled") nor by hand (409); `deployed` and
 * `GET /v1/playbooks` show the switch; `--pause-runs` pauses the open runs, which enable resumes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRuns } from '../../src/temporal/client.js';
import { cli, eventually } from '../ops/helpers.js';
import { FIXTURE_WORKSPACE, SAMPLE_ACCOUNTS, startApiForTests, USERS, type ApiTestStack } from './helpers.js';

describe('playbook disable and enable', () => {
  let api: ApiTestStack;
  const ops = (method: string, route: string, body?: unknown) => api.call(method, route, { token: api.tokens.csops, ...(body !== undefined && { body }) });
  const deployedOf = async (id: string) => (await ops('GET', '/v1/playbooks')).body.playbooks.find((p: { id: string }) => p.id === id);
  const statusOf = async (playbook: string, accountId: string) => (await ops('GET', `/v1/runs/${playbook}/${accountId}`)).body;

  let accountFile: string;
  /** The API's configuration naming the embedded store the stack hosts, for the CLI. */
  let cliConfig: string;
  const playbook = (...args: string[]) => cli(cliConfig, ...args);

  beforeAll(async () => {
    api = await startApiForTests({ store: true });
    accountFile = path.join(api.dir, 'acme.json');
    writeFileSync(accountFile, JSON.stringify(SAMPLE_ACCOUNTS[0]));
    cliConfig = path.join(api.dir, 'cli.config.json');
    writeFileSync(cliConfig, JSON.stringify({ ...JSON.parse(readFileSync(api.configFile, 'utf8')), store: { url: api.storeUrl } }));
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('lets only csops switch a playbook, and refuses one that is not deployed', async () => {
    const byCsm = await api.call('POST', '/v1/playbooks/welcome/disable', { token: api.tokens.csm, body: {} });
    expect(byCsm.status).toBe(403);
    expect(byCsm.body.error.requiredRoles).toEqual(['csops']);
    const unknown = await ops('POST', '/v1/playbooks/nosuch/disable', {});
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe('playbook nosuch is not deployed');
    expect(await deployedOf('welcome')).toMatchObject({ enabled: true, switchedBy: null, switchedAt: null });
  });

  it("starts nothing from a disabled playbook's event trigger, records the refusal, and starts again once enabled", async () => {
    const disabled = await ops('POST', '/v1/playbooks/welcome/disable', {});
    expect(disabled).toMatchObject({ status: 200, body: { playbook: 'welcome', enabled: false, changed: true, by: 'api:ops', runs: [] } });
    expect(await deployedOf('welcome')).toMatchObject({ enabled: false, switchedBy: 'api:ops', switchedAt: disabled.body.at });
    // Disabling it again changes nothing.
    expect((await ops('POST', '/v1/playbooks/welcome/disable', {})).body).toMatchObject({ changed: false, by: 'api:ops', at: disabled.body.at });

    expect((await ops('PUT', '/v1/accounts/hooli', { name: 'Hooli', segment: 'enterprise', csm: USERS.csm })).status).toBe(200);
    expect((await ops('POST', '/v1/events', { accountId: 'hooli', name: 'account.created' })).status).toBe(202);
    const refused = await eventually(async () => {
      const log = (await ops('GET', '/v1/accounts/hooli/trigger-log')).body.triggers;
      expect(log.length).toBeGreaterThan(0);
      return log;
    });
    expect(refused[0]).toMatchObject({
      playbook: 'welcome',
      kind: 'event',
      outcome: 'refused',
      error: expect.stringMatching(/^playbook disabled \(by api:ops at /),
    });
    expect((await ops('GET', '/v1/runs/welcome/hooli')).status).toBe(404);

    const enabled = await ops('POST', '/v1/playbooks/welcome/enable');
    expect(enabled).toMatchObject({ status: 200, body: { enabled: true, changed: true, runs: [] } });
    expect((await ops('POST', '/v1/events', { accountId: 'hooli', name: 'account.created' })).status).toBe(202);
    await eventually(async () => expect((await statusOf('welcome', 'hooli')).status).toBe('running'));
  });

  it('refuses a manual start of a disabled playbook with 409, from the API and the CLI', async () => {
    const off = await playbook('disable', 'checkin', '--as', 'ann');
    expect(off.code, off.stderr).toBe(0);
    expect(off.stdout).toMatch(/^disabled checkin \(by cli:ann at .+\)\naccount entities told to re-read their triggers/);
    const deployed = await playbook('deployed');
    expect(deployed.stdout).toContain('checkin "Check-in"  [disabled]');
    expect(deployed.stdout).toMatch(/ {2}disabled by cli:ann at .+: no new runs start \(`playbook enable checkin`\)/);
    expect(JSON.parse((await playbook('deployed', '--json')).stdout).playbooks.find((p: { id: string }) => p.id === 'checkin')).toMatchObject({
      enabled: false,
      switchedBy: 'cli:ann',
    });

    const started = await ops('POST', '/v1/playbooks/checkin/runs', { accountId: 'acme' });
    expect(started.status).toBe(409);
    expect(started.body.error).toMatchObject({
      code: 'playbook_disabled',
      message: expect.stringContaining('checkin is disabled: playbook disabled (by cli:ann at '),
    });
    const bulk = await ops('POST', '/v1/playbooks/checkin/runs', { accountIds: ['acme', 'globex'] });
    expect(bulk.body.results.map((r: { status: string }) => r.status)).toEqual(['refused', 'refused']);
    const byCli = await playbook('start', path.join(FIXTURE_WORKSPACE, 'api.playbook'), '--playbook', 'checkin', '--account', accountFile);
    expect(byCli.code).not.toBe(0);
    expect(byCli.stderr).toContain('playbook disabled (by cli:ann at ');
    expect(byCli.stderr).not.toMatch(/\n\s+at /);

    const on = await playbook('enable', 'checkin');
    expect(on.code, on.stderr).toBe(0);
    expect(on.stdout).toMatch(/^enabled checkin \(by cli:/);
    expect((await playbook('enable', 'checkin')).stdout).toBe('checkin is enabled already: nothing changed\n');
    expect((await ops('POST', '/v1/playbooks/checkin/runs', { accountId: 'acme' })).status).toBe(201);
  });

  it('pauses the open runs with --pause-runs and resumes exactly those on enable', async () => {
    expect((await ops('POST', '/v1/playbooks/checkin/runs', { accountId: 'globex' })).status).toBe(201);
    // A run paused by hand before the disable is not the disable's to resume.
    expect((await ops('POST', '/v1/runs/checkin/globex/pause')).status).toBe(200);
    await eventually(async () => {
      const open = await listRuns(api.client, { playbook: 'checkin', openOnly: true });
      expect(open.map((r) => [r.workflowId, r.status]).sort()).toEqual([
        ['playbook:checkin:acme', 'running'],
        ['playbook:checkin:globex', 'paused'],
      ]);
    });

    const off = await playbook('disable', 'checkin', '--pause-runs', '--as', 'ann');
    expect(off.code, off.stderr).toBe(0);
    expect(off.stdout).toContain('  paused 1 run: playbook:checkin:acme\n');
    await eventually(async () => expect((await statusOf('checkin', 'acme')).status).toBe('paused'));
    expect((await statusOf('checkin', 'acme')).timeline.at(-1)).toMatchObject({ kind: 'pause', by: 'ann' });

    const on = await ops('POST', '/v1/playbooks/checkin/enable');
    expect(on.body).toMatchObject({ enabled: true, changed: true, runs: ['playbook:checkin:acme'] });
    await eventually(async () => expect((await statusOf('checkin', 'acme')).status).toBe('running'));
    expect((await statusOf('checkin', 'globex')).status).toBe('paused');
  });
});
