/**
 * The console in a real browser (Debian's Chromium through playwright-core) against a real
 * stack: a Temporal dev server with a worker, the embedded store, and `serve` on a port with
 * the console workspace deployed and two accounts imported (acme for ann, globex for bob),
 * whose `account.created` (sent as the CRM would) starts a review run with a task asking one question of each type.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDeployment } from '../../src/deploy/prepare.js';
import { registerDeployment } from '../../src/temporal/registry-client.js';
import { workspaceFromFiles } from '../../src/api/workspace-files.js';
import { eventually } from '../ops/helpers.js';
import { startApiForTests, USERS, type ApiTestStack } from '../api/helpers.js';
import { launchBrowser, screenshot, seriousViolations, watchCsp } from './browser.js';

const WORKSPACE = path.join(import.meta.dirname, 'fixtures', 'workspace');

describe('the console', () => {
  let api: ApiTestStack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  /** CSP violations reported by each page so far. */
  const csp = new Map<Page, string[]>();

  /** A fresh browser session signed in with a token, by keyboard: type it, press Enter. */
  async function signIn(token: string, viewport = { width: 1200, height: 900 }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    const page = await context.newPage();
    csp.set(page, watchCsp(page));
    await page.goto(`${api.url}/`);
    await expect.poll(() => page.url()).toContain('/sign-in');
    await page.getByLabel('API token').fill(token);
    await page.getByLabel('API token').press('Enter');
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    return page;
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    api = await startApiForTests({ store: true, workspace: WORKSPACE });
    // The CRM tells of the new accounts; the runs their event starts project their tasks to the store, where the inbox reads them.
    for (const accountId of ['acme', 'globex']) {
      const sent = await api.call('POST', '/v1/events', { token: api.tokens.csops, body: { accountId, name: 'account.created' } });
      expect(sent.status).toBe(202);
    }
    for (const token of [api.tokens.csm, api.tokens.otherCsm]) {
      await eventually(async () => expect((await api.call('GET', '/v1/tasks', { token })).body.tasks).toHaveLength(1));
    }
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await api?.stop();
  });

  it('shows a csm the task a run gave them, refuses bad answers beside their fields, and shows the run moving on once answered', async () => {
    const page = await signIn(api.tokens.csm);
    expect(new URL(page.url()).pathname).toBe('/tasks');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'playbook_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(cookie.expires).toBeGreaterThan(Date.now() / 1000);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('My tasks');
    const card = page.getByRole('link', { name: 'Prepare the review for Acme' });
    expect(await card.count()).toBe(1);
    // Due in 2 business days of the office calendar: its group and its text in business time.
    const dueText = await page.locator('.card .due').first().textContent();
    expect(dueText).toMatch(/^due in (\d+ business (day|hour)s?|less than a business hour)$/);
    await screenshot(page, 'tasks');

    await card.click();
    await page.waitForURL(/\/tasks\/review\/acme\/prep$/);
    await page.getByLabel('Seats in use').fill('many');
    await page.getByLabel('Notes').fill('Went well');
    await page.getByRole('button', { name: 'Complete' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#f-seats-error').textContent()).toBe('expected a number, got "many"');
    expect(await page.locator('#f-health-error').textContent()).toBe('an answer is required');
    expect(await page.getByLabel('Seats in use').getAttribute('aria-invalid')).toBe('true');
    // A date ask is a date picker; an optional one is labelled so and may stay empty.
    expect(await page.getByLabel('Next review on').getAttribute('type')).toBe('date');
    expect(await page.locator('label[for="f-next_on"]').textContent()).toContain('(optional)');
    expect(await page.locator('#f-next_on-error').count()).toBe(0);
    // What was typed stays.
    expect(await page.getByLabel('Notes').inputValue()).toBe('Went well');
    await screenshot(page, 'task-errors');

    await page.getByRole('radio', { name: 'Yes' }).check();
    await page.getByLabel('Account health').selectOption('amber');
    await page.getByLabel('Seats in use').fill('42');
    await page.getByLabel('Next review on').fill('2027-03-01');
    await page.getByRole('button', { name: 'Complete' }).click();
    await page.waitForURL(/\/runs\/review\/acme\?completed=prep$/);
    expect(await page.getByRole('status').textContent()).toBe('Task prep completed.');
    const kinds = await page.locator('.timeline .entry .kind').allTextContents();
    expect(kinds).toContain('task-completed');
    // The run went on to the next stage and waits for its event.
    expect(await page.locator('.facts').textContent()).toContain('follow');
    expect(await page.locator('#next + ul').textContent()).toContain('event "followup.done"');
    await page.locator('figure.diagram svg').waitFor();
    expect(await page.locator('figure.diagram svg g.current').count()).toBeGreaterThan(0);
    await screenshot(page, 'run');
    const task = await api.call('GET', '/v1/runs/review/acme/tasks/prep', { token: api.tokens.csm });
    expect(task.body).toMatchObject({ state: 'completed', answers: { held: true, health: 'amber', seats: 42, notes: 'Went well', next_on: '2027-03-01' } });
  });

  it("refuses a csm another CSM's task and the playbooks pages with a 403 page", async () => {
    const page = await signIn(api.tokens.csm);
    const other = await page.goto(`${api.url}/tasks/review/globex/prep`);
    expect(other!.status()).toBe(403);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Not in your book of business');
    await screenshot(page, 'forbidden-task');
    const playbooks = await page.goto(`${api.url}/playbooks`);
    expect(playbooks!.status()).toBe(403);
    expect(await page.getByRole('alert').textContent()).toContain('for CS Ops');
    // The navigation does not offer it either.
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Playbooks' }).count()).toBe(0);
  });

  it('refuses a form post without the session CSRF token, and from another origin', async () => {
    const page = await signIn(api.tokens.otherCsm);
    const form = { 'answer.held': 'true', 'answer.health': 'green', 'answer.seats': '3', 'answer.notes': 'forged' };
    const forged = await page.context().request.post(`${api.url}/tasks/review/globex/prep`, { form });
    expect(forged.status()).toBe(403);
    expect(await forged.text()).toContain('security token');
    const csrf = await page.goto(`${api.url}/tasks/review/globex/prep`).then(() => page.locator('input[name=_csrf]').first().inputValue());
    const crossSite = await page.context().request.post(`${api.url}/tasks/review/globex/prep`, {
      form: { ...form, _csrf: csrf },
      headers: { origin: 'https://evil.example' },
    });
    expect(crossSite.status()).toBe(403);
    expect((await api.call('GET', '/v1/runs/review/globex/tasks/prep', { token: api.tokens.otherCsm })).body.state).toBe('open');
  });

  it('ends the session on sign-out: the page and the old cookie are signed out', async () => {
    const page = await signIn(api.tokens.otherCsm);
    const cookie = (await page.context().cookies()).find((c) => c.name === 'playbook_session')!;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in\?signedOut=1$/);
    expect(await page.getByRole('status').textContent()).toBe('You are signed out.');
    await screenshot(page, 'signed-out');
    await page.goto(`${api.url}/tasks`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    const replayed = await fetch(`${api.url}/tasks`, { headers: { cookie: `playbook_session=${cookie.value}` }, redirect: 'manual' });
    expect(replayed.status).toBe(303);
    expect(replayed.headers.get('location')).toBe('/sign-in?next=%2Ftasks');
  });

  it('does not let an integration token or an unknown token sign in', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    for (const [token, message] of [
      [api.tokens.integration, 'Integration tokens cannot sign in'],
      ['not-a-token', 'Unknown or revoked token'],
    ] as const) {
      await page.goto(`${api.url}/sign-in`);
      await page.getByLabel('API token').fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      expect(await page.getByRole('alert').textContent()).toContain(message);
    }
    expect((await context.cookies()).some((c) => c.name === 'playbook_session')).toBe(false);
  });

  it('lets csops pause and resume a run from its page, each after a confirmation', async () => {
    const page = await signIn(api.tokens.csops);
    expect(new URL(page.url()).pathname).toBe('/runs');
    await page.getByRole('link', { name: 'globex' }).click();
    await page.waitForURL(/\/runs\/review\/globex$/);
    await page.getByRole('button', { name: 'Pause run' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Pause run review for globex?');
    await screenshot(page, 'confirm-pause');
    await page.getByRole('button', { name: 'Yes, pause' }).click();
    await page.waitForURL(/\?done=paused$/);
    expect(await page.locator('.facts .status').textContent()).toBe('paused');
    await page.getByRole('button', { name: 'Resume run' }).click();
    await page.getByRole('button', { name: 'Yes, resume' }).click();
    await page.waitForURL(/\?done=resumed$/);
    expect(await page.locator('.facts .status').textContent()).toBe('running');
    // A csm has no controls.
    const csm = await signIn(api.tokens.otherCsm);
    await csm.goto(`${api.url}/runs/review/globex`);
    expect(await csm.getByRole('button', { name: 'Pause run' }).count()).toBe(0);
  });

  it("starts a manual playbook from the account page and shows it, and shows a refusal's reason", async () => {
    const page = await signIn(api.tokens.csm);
    await page.goto(`${api.url}/accounts/acme`);
    await page.getByRole('region', { name: 'Start a playbook' }).getByRole('combobox').selectOption('checkin');
    await page.getByRole('button', { name: 'Start' }).click();
    expect(await page.getByRole('status').textContent()).toBe('Started checkin.');
    expect(await page.getByRole('region', { name: 'Runs', exact: true }).getByRole('link', { name: 'checkin' }).count()).toBe(1);
    await screenshot(page, 'account');
    await page.getByRole('region', { name: 'Start a playbook' }).getByRole('combobox').selectOption('checkin');
    await page.getByRole('button', { name: 'Start' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('already open');
  });

  it('lets csops disable a playbook with its open runs paused and enable it again, each after a confirmation; a disabled playbook starts nowhere', async () => {
    const ops = await signIn(api.tokens.csops);
    await ops.goto(`${api.url}/playbooks`);
    const row = () => ops.locator('tbody tr', { hasText: 'Check-in' });
    expect(await row().locator('.status-disabled').count()).toBe(0);
    await row().getByRole('button', { name: 'Disable' }).click();
    expect(await ops.getByRole('heading', { level: 1 }).textContent()).toBe('Disable checkin?');
    await screenshot(ops, 'confirm-disable');
    await ops.getByRole('button', { name: 'Yes, disable and pause its open runs' }).click();
    await ops.waitForURL(/\/playbooks\?/);
    expect(await ops.getByRole('status').textContent()).toBe('Playbook checkin disabled; 1 run paused.');
    expect(await row().locator('.status-disabled').textContent()).toBe('disabled');
    expect(await row().textContent()).toContain('by api:ops at ');
    await eventually(async () => expect((await api.call('GET', '/v1/runs/checkin/acme', { token: api.tokens.csops })).body.status).toBe('paused'));

    const csm = await signIn(api.tokens.csm);
    await csm.goto(`${api.url}/accounts/acme`);
    await csm.getByRole('region', { name: 'Start a playbook' }).getByRole('combobox').selectOption('checkin');
    await csm.getByRole('button', { name: 'Start' }).click();
    expect(await csm.getByRole('alert').textContent()).toContain('playbook disabled (by api:ops at ');

    await row().getByRole('button', { name: 'Enable' }).click();
    expect(await ops.getByRole('heading', { level: 1 }).textContent()).toBe('Enable checkin?');
    await ops.getByRole('button', { name: 'Yes, enable' }).click();
    await ops.waitForURL(/\/playbooks\?/);
    expect(await ops.getByRole('status').textContent()).toBe('Playbook checkin enabled; 1 run resumed.');
    expect(await row().locator('.status-disabled').count()).toBe(0);
    await eventually(async () => expect((await api.call('GET', '/v1/runs/checkin/acme', { token: api.tokens.csops })).body.status).toBe('running'));
  });

  it('has no serious accessibility violations on each main page, no CSP violations on pages without a diagram, and fits a phone', async () => {
    const ops = await signIn(api.tokens.csops);
    const csm = await signIn(api.tokens.csm, { width: 390, height: 844 });
    const pages: Array<[Page, string]> = [
      [csm, '/tasks'],
      [csm, '/tasks/review/acme/prep'],
      [csm, '/runs/review/acme'],
      [csm, '/accounts'],
      [csm, '/accounts/acme'],
      [ops, '/runs'],
      [ops, '/playbooks'],
      [ops, '/playbooks/review'],
      [ops, '/runs/review/globex'],
    ];
    for (const [page, route] of pages) {
      const violations = csp.get(page)!;
      violations.length = 0;
      await page.goto(`${api.url}${route}`);
      const diagram = (await page.locator('figure.diagram').count()) > 0;
      if (diagram) await page.locator('figure.diagram svg').waitFor();
      expect({ route, violations: await seriousViolations(page) }).toEqual({ route, violations: [] });
      // Mermaid's text measurement tries inline styles, which the policy blocks (the drawing does not need them); nothing else may.
      if (!diagram) expect({ route, csp: violations }).toEqual({ route, csp: [] });
    }
    await csm.goto(`${api.url}/tasks`);
    expect(await csm.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await screenshot(csm, 'tasks-phone');
    await ops.goto(`${api.url}/playbooks/review`);
    await ops.locator('figure.diagram svg').waitFor();
    await screenshot(ops, 'playbook');
    // Nine pages, each with axe-core: on a loaded CI machine this takes more than the default minute.
  }, 180_000);

  it('snoozes, closes and reassigns a task from its page, each through the API and shown on the run', async () => {
    const bob = await signIn(api.tokens.otherCsm);
    await bob.goto(`${api.url}/tasks/review/globex/prep`);
    await bob.getByLabel('Snooze for').selectOption('3');
    await bob.getByRole('button', { name: 'Snooze' }).click();
    await bob.waitForURL(/\/runs\/review\/globex\?changed=/);
    expect(await bob.getByRole('status').textContent()).toBe('Task prep snoozed.');
    await bob.goto(`${api.url}/tasks`);
    expect(await bob.getByRole('link', { name: 'Prepare the review for Globex' }).count()).toBe(0);

    await bob.goto(`${api.url}/tasks/review/globex/prep`);
    await bob.getByLabel('Reason').fill('The customer asked to skip this quarter');
    await bob.getByRole('button', { name: 'Close without completing' }).click();
    await bob.waitForURL(/\?changed=/);
    expect(await bob.getByRole('status').textContent()).toBe('Task prep closed.');
    const kinds = async () =>
      ((await api.call('GET', '/v1/runs/review/globex', { token: api.tokens.csops })).body.timeline as Array<{ kind: string }>).map((e) => e.kind);
    await eventually(async () => expect(await kinds()).toEqual(expect.arrayContaining(['task-snoozed', 'task-closed'])));

    const ann = await signIn(api.tokens.csm);
    await ann.goto(`${api.url}/tasks/checkin/acme/checkin`);
    await ann.getByLabel('Reassign to').fill(USERS.otherCsm);
    await ann.getByRole('button', { name: 'Reassign' }).click();
    await ann.waitForURL(/\?changed=/);
    expect(await ann.getByRole('status').textContent()).toBe('Task checkin reassigned.');
    await eventually(async () =>
      expect((await api.call('GET', `/v1/tasks?assignee=${USERS.otherCsm}`, { token: api.tokens.csops })).body.tasks).toContainEqual(
        expect.objectContaining({ accountId: 'acme', task: 'checkin' }),
      ),
    );
  });

  it("shows an account's timeline across its runs, a finished one and a running one, from the store", async () => {
    // acme's review run waits for its follow-up event: it ends; its check-in (started above) is still open.
    const sent = await api.call('POST', '/v1/events', { token: api.tokens.csops, body: { accountId: 'acme', name: 'followup.done' } });
    expect(sent.status).toBe(202);
    await eventually(async () =>
      expect((await api.call('GET', '/v1/accounts/acme/timeline', { token: api.tokens.csm })).body.entries).toContainEqual(
        expect.objectContaining({ playbook: 'review', entry: expect.objectContaining({ kind: 'complete' }) }),
      ),
    );
    const page = await signIn(api.tokens.csm);
    await page.goto(`${api.url}/accounts/acme`);
    const timeline = page.getByRole('region', { name: /^Timeline/ });
    const entries = timeline.locator('.timeline .entry');
    const texts = await entries.allTextContents();
    const stored = (await api.call('GET', '/v1/accounts/acme/timeline', { token: api.tokens.csm })).body.entries as unknown[];
    expect(texts).toHaveLength(stored.length);
    // Newest first: the finished review's end, its completed task, and the running check-in's task.
    const kinds = await entries.locator('.kind').allTextContents();
    const runs = await entries.locator('.what a').allTextContents();
    const of = (playbook: string) => kinds.filter((_, i) => runs[i] === playbook);
    expect(of('review')).toEqual(expect.arrayContaining(['complete', 'task-completed', 'start']));
    expect(of('checkin')).toEqual(expect.arrayContaining(['start', 'task']));
    expect(kinds.indexOf('complete')).toBeLessThan(kinds.lastIndexOf('task-completed'));
    expect(await timeline.getByRole('link', { name: 'checkin' }).first().getAttribute('href')).toBe('/runs/checkin/acme');
    await screenshot(page, 'account-timeline');
  });

  it("shows a playbook's source with highlighting, and says so for a version whose source was not kept", async () => {
    const ops = await signIn(api.tokens.csops);
    await ops.goto(`${api.url}/playbooks/review`);
    const source = ops.getByRole('region', { name: 'Source of review' });
    // The playbook's own lines, numbered as in its file, keywords and strings classed for the stylesheet.
    const lines = await source.locator('.line').allTextContents();
    expect(lines[0]).toBe('playbook review "Quarterly review"');
    expect(await source.locator('.line').first().getAttribute('data-n')).toBe('14');
    expect(lines).toContain('  stage follow "Follow-up":');
    expect(lines.some((l) => l.startsWith('playbook checkin'))).toBe(false);
    expect(await source.locator('.hl-keyword').allTextContents()).toEqual(expect.arrayContaining(['owner', 'trigger', 'stage', 'task', 'ask', 'wait']));
    expect(await source.locator('.hl-declaration').first().textContent()).toBe('playbook');
    expect(await source.locator('.hl-string').first().textContent()).toBe('"Quarterly review"');
    // Coloured by the stylesheet (the CSP allows no inline style): a keyword is not the text's colour.
    type Styled = { getComputedStyle(element: unknown): { color: string } };
    const colour = (selector: string) =>
      source
        .locator(selector)
        .first()
        .evaluate((e) => (globalThis as unknown as Styled).getComputedStyle(e).color);
    expect(await colour('.hl-keyword')).not.toBe(await colour('.line'));
    expect(await ops.locator('section[aria-labelledby=source]').textContent()).toContain('console.playbook, from line 14');
    await source.scrollIntoViewIfNeeded();
    await screenshot(ops, 'playbook-source');

    // A version registered without keeping its source, as deploys did before they kept it.
    const files = { 'console.playbook': readFileSync(path.join(WORKSPACE, 'console.playbook'), 'utf8').replace('"Check-in"', '"Check-in call"') };
    const prepared = prepareDeployment(workspaceFromFiles(files), 'an older deploy');
    if (!prepared.ok) throw new Error('the changed workspace does not check');
    const result = await registerDeployment(api.client, 'api-tests', prepared.request);
    expect(result.changed.map((c) => c.id)).toEqual(['checkin']);
    await ops.goto(`${api.url}/playbooks/checkin`);
    expect(await ops.locator('section[aria-labelledby=source]').textContent()).toContain('Source not kept for this version');
    // Its earlier deployment kept it: the deployments list opens it.
    await ops.getByRole('region', { name: 'Deployments' }).getByRole('link').nth(1).click();
    await ops.waitForURL(/\/playbooks\/checkin\?version=/);
    expect(await ops.getByRole('region', { name: 'Source of checkin' }).locator('.line').first().textContent()).toBe('playbook checkin "Check-in"');
  });
});
