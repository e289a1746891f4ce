/**
 * The enrollment throttle over a real HTTP listener and the CLI (dev server, worker, embedded
 * store): five accounts sign up on one day for the throttle fixture's `welcome` (`start at most
 * 2 per day`); two start and three queue, which the stored trigger log notes with their
 * positions, `GET /v1/playbooks/{playbook}/throttle` and `playbook throttle list` list in
 * firing order, and `GET /v1/playbooks`, `playbook deployed` and the console's playbooks page
 * count. The next days' releases are the time-skipping test's (test/temporal/throttle.test.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextLocalMidnight } from '../../src/triggers/evaluate.js';
import { zoneDays } from '../../src/temporal/throttle-gate.js';
import { throttleCell } from '../../src/console/pages/playbooks.js';
import { cli, eventually } from '../ops/helpers.js';
import { startApiForTests, type ApiTestStack } from './helpers.js';

const WORKSPACE = path.join(import.meta.dirname, '..', 'temporal', 'throttle-fixtures');
const ACCOUNTS = ['s1', 's2', 's3', 's4', 's5'].map((id) => ({ id, name: `Signup ${id}`, csm: 'ann@example.com', timezone: 'Asia/Tokyo' }));

describe('the enrollment throttle over the API and the CLI', () => {
  let api: ApiTestStack;
  let cliConfig: string;
  const ops = (method: string, route: string, body?: unknown) => api.call(method, route, { token: api.tokens.csops, ...(body !== undefined && { body }) });
  const playbook = (...args: string[]) => cli(cliConfig, ...args);

  beforeAll(async () => {
    api = await startApiForTests({ workspace: WORKSPACE, accounts: ACCOUNTS, store: true });
    cliConfig = path.join(api.dir, 'cli.config.json');
    writeFileSync(cliConfig, JSON.stringify({ ...JSON.parse(readFileSync(api.configFile, 'utf8')), store: { url: api.storeUrl } }));
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('queues the firings past 2 a day in order, and lists and counts the queue', async () => {
    // The five firings must share one Berlin day: a run a moment before its midnight waits for it.
    const toMidnight = nextLocalMidnight(Date.now(), zoneDays('Europe/Berlin')) - Date.now();
    if (toMidnight < 120_000) await new Promise((resolve) => setTimeout(resolve, toMidnight + 1_000));
    for (const { id } of ACCOUNTS) {
      expect((await ops('POST', '/v1/events', { accountId: id, name: 'signed.up', payload: { plan: 'pro' } })).status).toBe(202);
      await eventually(async () => expect((await ops('GET', `/v1/accounts/${id}/trigger-log`)).body.triggers).toHaveLength(1));
    }
    const fired = await Promise.all(ACCOUNTS.map(async ({ id }) => (await ops('GET', `/v1/accounts/${id}/trigger-log`)).body.triggers[0]));
    expect(fired.map((t) => [t.outcome, t.note])).toEqual([
      ['started', null],
      ['started', null],
      ['queued', 'by the enrollment throttle (2 per day), position 1'],
      ['queued', 'by the enrollment throttle (2 per day), position 2'],
      ['queued', 'by the enrollment throttle (2 per day), position 3'],
    ]);

    const queue = await ops('GET', '/v1/playbooks/welcome/throttle');
    expect(queue.status).toBe(200);
    expect(queue.body).toMatchObject({ playbook: 'welcome', perDay: 2, timezone: 'Europe/Berlin', startedToday: 2, nextRelease: expect.any(String) });
    expect(queue.body.queue.map((q: { position: number; accountId: string; firedAt: string }) => [q.position, q.accountId, q.firedAt])).toEqual(
      fired.slice(2).map((t, i) => [i + 1, ACCOUNTS[i + 2]!.id, t.at]),
    );
    expect((await api.call('GET', '/v1/playbooks/welcome/throttle', { token: api.tokens.csm })).body.error.requiredRoles).toEqual(['csops']);
    expect((await ops('GET', '/v1/playbooks/nosuch/throttle')).body.error.message).toBe('playbook nosuch is not deployed');
    const deployed = (await ops('GET', '/v1/playbooks')).body.playbooks.find((p: { id: string }) => p.id === 'welcome');
    expect(deployed.throttle).toEqual({ perDay: 2, queued: 3 });
    expect(String(throttleCell(deployed))).toContain('3 queued');

    const listed = await playbook('throttle', 'list', 'welcome');
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(
      /^welcome: start at most 2 per day \(days in Europe\/Berlin\); 2 started on \d{4}-\d\d-\d\d; 3 queued\nnext starts from the queue at /,
    );
    expect(listed.stdout).toMatch(/POSITION +ACCOUNT +FIRED +TRIGGER\n +1 +s3 .+ event\n +2 +s4 .+ event\n +3 +s5 .+ event\n$/);
    expect(JSON.parse((await playbook('throttle', 'list', 'welcome', '--json')).stdout)).toEqual(queue.body);
    const unknown = await playbook('throttle', 'list', 'nosuch');
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toContain('playbook nosuch is not deployed');
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
    expect((await playbook('deployed')).stdout).toContain('  throttle start at most 2 per day; 3 queued (`playbook throttle list welcome`)');
  });
});
