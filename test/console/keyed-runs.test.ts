/**
 * Keyed runs (`one run per account and ticket.id`) over HTTP and in a real browser: two
 * tickets of one account are two runs of one playbook, each addressed with `?key=`; one is
 * read, its task completed, paused and cancelled through the API; the other's task notice
 * links to its task page, which My tasks links to as well, and completing it there moves
 * that run on; the CLI names one with `--playbook … --key …`. A ticket id with `/` and `:` shows the key is one encoded parameter.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxMessage } from '../../src/sinks/outbox.js';
import { cli, eventually } from '../ops/helpers.js';
import { startApiForTests, USERS, type ApiTestStack } from '../api/helpers.js';
import { launchBrowser } from './browser.js';

const WORKSPACE = join(import.meta.dirname, 'keyed-workspace');
const PRINTER = 'T/1:a';
const KEY = `key=${encodeURIComponent(PRINTER)}`;
const CONSOLE = 'https://console.example.com/cs';

describe('keyed runs', () => {
  let api: ApiTestStack;
  let browser: Browser;
  const ops = (method: string, route: string, body?: unknown) => api.call(method, route, { token: api.tokens.csops, ...(body !== undefined && { body }) });
  const outbox = (): OutboxMessage[] => {
    try {
      return readFileSync(join(api.dir, 'data', 'outbox', 'emails.jsonl'), 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as OutboxMessage);
    } catch {
      return [];
    }
  };

  beforeAll(async () => {
    browser = await launchBrowser();
    api = await startApiForTests({
      store: true,
      workspace: WORKSPACE,
      accounts: [{ id: 'acme', name: 'Acme', csm: USERS.csm }],
      sections: { console: { baseUrl: `${CONSOLE}/` } },
    });
    for (const [id, subject] of [
      [PRINTER, 'the printer jam'],
      ['T-2', 'the login loop'],
      ['T-3', 'the slow export'],
    ]) {
      expect((await ops('POST', '/v1/events', { accountId: 'acme', name: 'ticket.opened', payload: { id, subject } })).status).toBe(202);
    }
    await eventually(async () => expect((await api.call('GET', '/v1/tasks', { token: api.tokens.csm })).body.tasks).toHaveLength(3));
  });
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  it('lets the CLI name one run of a ticket with --playbook and --key', async () => {
    const several = await cli(api.configFile, 'complete', 'acme', 'triage');
    expect(several.code).toBe(2);
    expect(several.stderr).toContain('is open in 3 runs');
    expect(several.stderr).toContain('(and --key <value> for a keyed run), or give its workflow id');
    const status = await cli(api.configFile, 'status', 'acme', '--playbook', 'ticket', '--key', 'T-3', '--json');
    expect(JSON.parse(status.stdout)).toMatchObject({ stage: 'triage' });
    const done = await cli(api.configFile, 'complete', 'acme', 'triage', '--playbook', 'ticket', '--key', 'T-3', '--answers', '{"resolved": true}');
    expect(done).toMatchObject({ code: 0, stdout: 'completed task triage of ticket (playbook:ticket:acme:T-3)\n' });
    expect((await cli(api.configFile, 'cancel', 'playbook:ticket:acme:T-3')).stdout).toBe('cancelled playbook:ticket:acme:T-3\n');
    expect((await cli(api.configFile, 'pause', 'acme', '--key', 'T-3')).code).toBe(2);
  });

  it('reads, completes, pauses and cancels one run of a ticket through the API; the unkeyed path names no run', async () => {
    const doc = (await ops('GET', '/openapi.json')).body;
    for (const route of ['/v1/runs/{playbook}/{accountId}', '/v1/runs/{playbook}/{accountId}/tasks/{task}/complete']) {
      const op = doc.paths[route].get ?? doc.paths[route].post;
      expect(op.parameters, route).toContainEqual(expect.objectContaining({ name: 'key', in: 'query' }));
    }
    expect((await ops('GET', '/v1/runs/ticket/acme')).status).toBe(404);
    const status = await ops('GET', '/v1/runs/ticket/acme?key=T-2');
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ stage: 'triage', openTasks: [expect.objectContaining({ name: 'triage', title: 'Triage the login loop' })] });
    const task = await ops('GET', '/v1/runs/ticket/acme/tasks/triage?key=T-2');
    expect(task.body).toMatchObject({ workflowId: 'playbook:ticket:acme:T-2', title: 'Triage the login loop', state: 'open' });

    const done = await api.call('POST', '/v1/runs/ticket/acme/tasks/triage/complete?key=T-2', { token: api.tokens.csm, body: { answers: { resolved: true } } });
    expect(done.status).toBe(200);
    expect(done.body.workflowId).toBe('playbook:ticket:acme:T-2');
    await eventually(async () => expect((await ops('GET', '/v1/runs/ticket/acme?key=T-2')).body.stage).toBe('watch'));
    // The other ticket's run is untouched.
    expect((await ops('GET', `/v1/runs/ticket/acme?${KEY}`)).body.stage).toBe('triage');

    expect((await ops('POST', '/v1/runs/ticket/acme/pause?key=T-2')).body).toEqual({ workflowId: 'playbook:ticket:acme:T-2', action: 'pause' });
    await eventually(async () => expect((await ops('GET', '/v1/runs/ticket/acme?key=T-2')).body.status).toBe('paused'));
    expect((await ops('POST', '/v1/runs/ticket/acme/cancel?key=T-2')).status).toBe(200);
    await eventually(async () => expect((await ops('GET', '/v1/runs/ticket/acme?key=T-2')).body.status).toBe('cancelled'));
  });

  it("links the task notice and My tasks to the keyed run's task page, where completing it moves that run on", async () => {
    // The notice's link is under the configured console address; its path is the console's.
    const path = `/tasks/ticket/acme/triage?${KEY}`;
    await eventually(async () => expect(outbox().some((m) => m.to === USERS.csm && m.text.includes(`${CONSOLE}${path}\n`))).toBe(true));
    const link = `${api.url}${path}`;

    const page = await (await browser.newContext()).newPage();
    await page.goto(`${api.url}/`);
    await page.getByLabel('API token').fill(api.tokens.csm);
    await page.getByLabel('API token').press('Enter');
    await page.waitForURL((url) => url.pathname === '/tasks');
    const card = page.getByRole('link', { name: 'Triage the printer jam' });
    expect(await card.getAttribute('href')).toBe(path);

    // The notice's link opens the task page.
    expect((await page.goto(link))!.status()).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Triage the printer jam');
    await page.goto(`${api.url}/tasks`);
    await card.click();
    await page.waitForURL(link);
    await page.getByRole('radio', { name: 'No' }).check();
    await page.getByRole('button', { name: 'Complete' }).click();
    await page.waitForURL(`${api.url}/runs/ticket/acme?${KEY}&completed=triage`);
    expect(await page.getByRole('status').textContent()).toBe('Task triage completed.');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`ticket for acme, ${PRINTER}`);
    expect(await page.locator('.timeline .entry .kind').allTextContents()).toContain('task-completed');
    expect(await page.locator('.facts').textContent()).toContain('watch');
    const task = await ops('GET', `/v1/runs/ticket/acme/tasks/triage?${KEY}`);
    expect(task.body).toMatchObject({ state: 'completed', answers: { resolved: false } });
  });
});
