/**
 * The console's dashboard in Debian's Chromium against a real stack (Temporal dev server,
 * worker, `serve` on a port) reading a PostgreSQL store that holds the report fixture's runs
 * (test/reports/fixture.ts, answers worked out by hand): the numbers each panel's table shows
 * are the API's `/v1/reports/...` figures and `playbook report`'s for the same period, and the
 * hand-computed ones; each chart is drawn from its table; the at-risk list links to the keyed
 * run and its task; a csm sees its book's figures only; the playbook filter narrows every panel.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PANELS } from '../../src/console/pages/dashboard.js';
import { fillCoverageFixture } from '../reports/coverage-fixture.js';
import type { Report, ReportRow } from '../../src/reports/types.js';
import { startPostgresServer, type PostgresServer } from '../../src/servers/postgres-server.js';
import { openStore, type Store } from '../../src/store/connect.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { startApiForTests, USERS, type ApiTestStack } from '../api/helpers.js';
import { cli } from '../ops/helpers.js';
import { fillReportFixture } from '../reports/fixture.js';
import { launchBrowser, screenshot, seriousViolations, watchCsp } from './browser.js';

const PERIOD = { from: '2026-01-01', to: '2026-04-01', asOf: '2026-03-10T14:00:00Z' };
const QUERY = `from=${PERIOD.from}&to=${PERIOD.to}&asOf=${encodeURIComponent(PERIOD.asOf)}`;
const FLAGS = ['--from', PERIOD.from, '--to', PERIOD.to, '--as-of', PERIOD.asOf];

/** Each panel's table as rows of its cells' values (`data-value`), keyed by column. */
async function panelRows(page: Page, report: string): Promise<ReportRow[]> {
  return (await page.evaluate(`[...document.querySelectorAll('#panel-${report} tbody tr')].map((tr) =>
    Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [td.dataset.key, JSON.parse(td.dataset.value)])))`)) as ReportRow[];
}

describe('the dashboard', () => {
  let server: PostgresServer;
  let store: Store;
  let api: ApiTestStack;
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startPostgresServer();
    store = openStore(server.url);
    await migrateToLatest(store);
    await fillReportFixture(store);
    api = await startApiForTests({ storeUrl: server.url });
    // After the stack's deploy, which replaces the store's coverages with its workspace's (none).
    await fillCoverageFixture(store);
  });
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    await store?.destroy();
    await server?.stop();
  });

  const signIn = async (token: string): Promise<{ page: Page; csp: string[] }> => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const csp = watchCsp(page);
    await page.goto(`${api.url}/sign-in`);
    await page.getByLabel('API token').fill(token);
    await page.getByLabel('API token').press('Enter');
    await page.waitForURL((url) => url.pathname !== '/sign-in');
    return { page, csp };
  };
  const open = async (page: Page, query: string) => {
    await page.goto(`${api.url}/dashboard?${query}`);
    await page.locator('figure.chart[data-drawn="true"]').first().waitFor();
  };

  it("shows the API's and the CLI's figures in every panel, the hand-computed ones, with a chart drawn from each table", async () => {
    const { page, csp } = await signIn(api.tokens.csops);
    await open(page, QUERY);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Dashboard');
    for (const panel of PANELS) {
      const by = panel.by === undefined ? '' : `&by=${panel.by}`;
      const fromApi = await api.call('GET', `/v1/reports/${panel.report}?${QUERY}${by}`, { token: api.tokens.csops });
      expect(fromApi.status).toBe(200);
      const fromCli = await cli(api.configFile, 'report', panel.report, ...FLAGS, ...(panel.by === undefined ? [] : ['--by', panel.by]), '--format', 'json');
      expect(fromCli.code).toBe(0);
      const report = fromApi.body as Report;
      expect(JSON.parse(fromCli.stdout)).toEqual(report);
      const full = report.rows.map((r) => Object.fromEntries(report.columns.map((c) => [c.key, r[c.key] ?? null])));
      expect(await panelRows(page, panel.report), panel.report).toEqual(full);
    }
    const pick = (rows: ReportRow[], ...keys: string[]) => rows.map((r) => keys.map((k) => r[k]));
    // By hand (test/reports/fixture.ts): Ann 4 of 6 tasks on time, Bob 4 of 4.
    expect(pick(await panelRows(page, 'on-time'), 'csm', 'tasks', 'onTimePercent')).toEqual([
      [USERS.csm, 6, 66.7],
      [USERS.otherCsm, 4, 100],
    ]);
    // Trial's goal: 3 met, 2 missed (one a minute after its deadline) against 90%.
    expect(pick(await panelRows(page, 'goals'), 'goal', 'met', 'missed', 'attainmentPercent', 'target')).toEqual([['converted', 3, 2, 60, 90]]);
    expect(pick(await panelRows(page, 'goal-trend'), 'week', 'attainmentPercent')).toEqual([
      ['2026-02-02', 100],
      ['2026-02-09', 50],
      ['2026-03-09', 50],
    ]);
    expect(
      pick(
        (await panelRows(page, 'funnel')).filter((r) => r.playbook === 'trial'),
        'stage',
        'reached',
        'reachedPercent',
      ),
    ).toEqual([
      ['review', 6, 100],
      ['prepare', 2, 33.3],
    ]);
    expect(pick(await panelRows(page, 'at-risk'), 'kind', 'item', 'leftPercent', 'leftBusinessHours')).toEqual([
      ['task', 'r5', null, 3],
      ['goal', 'checked', 12.5, 7],
    ]);
    // The table reads as the CLI's does; the fixture's runs are keyed (`…:2`), so the links carry their key.
    const atRisk = page.locator('#panel-at-risk tbody tr');
    expect(await atRisk.first().locator('td[data-key="leftBusinessHours"]').textContent()).toBe('3 bh');
    expect(await atRisk.nth(0).getByRole('link', { name: 'r5' }).getAttribute('href')).toBe('/tasks/renewal/k-smb-ann/r5?key=2');
    expect(await atRisk.nth(1).getByRole('link', { name: 'checked' }).getAttribute('href')).toBe('/runs/renewal/k-smb-ann?key=2');
    // As of the period's end, 19 of the coverage fixture's 20 renewing accounts have their readiness run.
    expect(pick(await panelRows(page, 'coverage'), 'coverage', 'population', 'covered', 'coveragePercent', 'target')).toEqual([
      ['renewal-coverage', 20, 19, 95, 95],
    ]);
    // Five charts drawn by Chart.js, served by `serve` itself.
    expect(await page.locator('figure.chart[data-drawn="true"] canvas').count()).toBe(5);
    const asset = await fetch(`${api.url}/assets/chart.umd.min.js`);
    expect(asset.status).toBe(200);
    expect(await asset.text()).toContain('Chart.js v4');
    expect(csp).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard');
  });

  it("gives a csm its book's figures only", async () => {
    const { page } = await signIn(api.tokens.otherCsm);
    await open(page, QUERY);
    expect(await panelRows(page, 'on-time')).toEqual([expect.objectContaining({ csm: USERS.otherCsm, tasks: 4 })]);
    expect(await page.locator('#panel-at-risk .empty').textContent()).toContain('Nothing at risk');
    const ann = await signIn(api.tokens.csm);
    await open(ann.page, QUERY);
    expect((await panelRows(ann.page, 'at-risk')).map((r) => r.item)).toEqual(['r5', 'checked']);
  });

  it('narrows every panel to one playbook and a period', async () => {
    const { page } = await signIn(api.tokens.csops);
    await open(page, `${QUERY}&playbook=renewal`);
    expect(await page.locator('select[name="playbook"]').inputValue()).toBe('renewal');
    expect(await panelRows(page, 'on-time')).toEqual([expect.objectContaining({ csm: USERS.csm, tasks: 2, onTimePercent: 50 })]);
    expect((await panelRows(page, 'funnel')).map((r) => r.playbook)).toEqual(['renewal']);
    expect(await page.locator('#panel-goals .empty').textContent()).toContain('No goal');
    // The form keeps the period: February alone holds two weeks of the trial's goal.
    await page.goto(`${api.url}/dashboard?from=2026-02-01&to=2026-03-01&asOf=${encodeURIComponent(PERIOD.asOf)}`);
    expect(await page.locator('input[name="from"]').inputValue()).toBe('2026-02-01');
    expect((await panelRows(page, 'goal-trend')).map((r) => r.week)).toEqual(['2026-02-02', '2026-02-09']);
  });
});
