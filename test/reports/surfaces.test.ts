/**
 * `playbook report` and `GET /v1/reports/<kpi>` (a real HTTP listener: dev server, worker, API)
 * show the same figures for every KPI, computed from one PostgreSQL store holding the report
 * fixture's runs; a csm's token counts its book only; bad requests are refused with the choices.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KPIS } from '../../src/reports/index.js';
import { KPI_NAMES } from '../../src/reports/types.js';
import { startPostgresServer, type PostgresServer } from '../../src/servers/postgres-server.js';
import { openStore, type Store } from '../../src/store/connect.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { startApiForTests, USERS, type ApiTestStack } from '../api/helpers.js';
import { cli } from '../ops/helpers.js';
import { fillCoverageFixture } from './coverage-fixture.js';
import { fillReportFixture } from './fixture.js';

const PERIOD = { from: '2026-01-01', to: '2026-04-01', asOf: '2026-03-10T14:00:00Z' };
const QUERY = `from=${PERIOD.from}&to=${PERIOD.to}&asOf=${encodeURIComponent(PERIOD.asOf)}`;
const FLAGS = ['--from', PERIOD.from, '--to', PERIOD.to, '--as-of', PERIOD.asOf];

describe('reports in the CLI and the API', () => {
  let server: PostgresServer;
  let store: Store;
  let api: ApiTestStack;

  beforeAll(async () => {
    server = await startPostgresServer();
    store = openStore(server.url);
    await migrateToLatest(store);
    await fillReportFixture(store);
    api = await startApiForTests({ storeUrl: server.url });
    // After the stack's deploy, which replaces the store's coverages with its workspace's (none).
    await fillCoverageFixture(store);
  });
  afterAll(async () => {
    await api?.stop();
    await store?.destroy();
    await server?.stop();
  });

  const viaApi = async (path: string, token = api.tokens.csops) => api.call('GET', path, { token });
  const viaCli = async (...args: string[]) => cli(api.configFile, 'report', ...args);

  it.each(KPI_NAMES)('%s: the same report from both', async (kpi) => {
    // By version where the report takes it (coverage is by playbook only).
    const by = KPIS[kpi].by.includes('version') ? 'version' : KPIS[kpi].by[0]!;
    const fromApi = await viaApi(`/v1/reports/${kpi}?${QUERY}&by=${by}`);
    expect(fromApi.status, JSON.stringify(fromApi.body)).toBe(200);
    const fromCli = await viaCli(kpi, ...FLAGS, '--by', by, '--format', 'json');
    expect(fromCli.stderr).toBe('');
    expect(fromCli.code).toBe(0);
    expect(JSON.parse(fromCli.stdout)).toEqual(fromApi.body);
    expect(fromApi.body.rows.length).toBeGreaterThan(0);
  });

  it('shows 7 of 8 tasks on time as 87.5% in the API, the table and the CSV', async () => {
    const fromApi = await viaApi(`/v1/reports/on-time?${QUERY}`);
    expect(fromApi.body.rows[0]).toMatchObject({ playbook: 'onboarding', tasks: 8, onTime: 7, onTimePercent: 87.5, medianLateBusinessHours: 8 });
    const table = await viaCli('on-time', ...FLAGS);
    expect(table.stdout.split('\n').slice(0, 3)).toEqual([
      'Tasks done on time, 2026-01-01T00:00:00.000Z to 2026-04-01T00:00:00.000Z, by playbook',
      'PLAYBOOK    TASKS  ON TIME  LATE  ON TIME %  MEDIAN LATE  MAX LATE',
      'onboarding  8      7        1     87.5%      8 bh         8 bh',
    ]);
    const csv = await viaCli('on-time', ...FLAGS, '--format', 'csv');
    expect(csv.stdout.split('\n').slice(0, 2)).toEqual([
      'playbook,tasks,onTime,late,onTimePercent,medianLateBusinessHours,maxLateBusinessHours',
      'onboarding,8,7,1,87.5,8,8',
    ]);
  });

  it('shows coverage of 19 of 20 renewing accounts as 95% with the one not covered, in the API and the table', async () => {
    // As of 2026-03-10 (coverage-fixture.ts): ny-91 has entered the 90 days without a run.
    const fromApi = await viaApi(`/v1/reports/coverage?${QUERY}`);
    expect(fromApi.body.rows).toEqual([
      expect.objectContaining({ coverage: 'renewal-coverage', population: 20, covered: 19, coveragePercent: 95, onTarget: true }),
    ]);
    expect(fromApi.body.uncovered).toEqual([{ coverage: 'renewal-coverage', account: 'ny-91', name: 'Account ny-91', csm: 'bob@example.com' }]);
    const table = await viaCli('coverage', ...FLAGS);
    expect(table.stdout.split('\n')).toEqual([
      'Coverage, as of 2026-03-10T14:00:00.000Z, by playbook',
      'PLAYBOOK           COVERAGE          TITLE                             TARGET %  ACCOUNTS  COVERED  NOT COVERED  COVERED %  ON TARGET',
      'renewal-readiness  renewal-coverage  Renewal readiness within 90 days  95%       20        19       1            95%        yes',
      '',
      'not covered:',
      'COVERAGE          ACCOUNT  NAME           CSM',
      'renewal-coverage  ny-91    Account ny-91  bob@example.com',
      '',
    ]);
  });

  it("gives a csm its book's figures only", async () => {
    const ann = await viaApi(`/v1/reports/on-time?${QUERY}&by=csm`, api.tokens.csm);
    expect(ann.body.rows.map((r: { csm: string; tasks: number }) => [r.csm, r.tasks])).toEqual([[USERS.csm, 6]]);
    const bob = await viaApi(`/v1/reports/on-time?${QUERY}&by=csm`, api.tokens.otherCsm);
    expect(bob.body.rows.map((r: { csm: string; tasks: number }) => [r.csm, r.tasks])).toEqual([[USERS.otherCsm, 4]]);
    expect((await viaApi(`/v1/reports/on-time?${QUERY}&by=csm`, api.tokens.integration)).status).toBe(403);
  });

  it('refuses a bad request clearly: 400 from the API, exit 2 and one line from the CLI', async () => {
    const byStage = await viaApi(`/v1/reports/funnel?${QUERY}&by=stage`);
    expect(byStage.status).toBe(400);
    const badDate = await viaApi('/v1/reports/goals?from=yesterday');
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.message).toContain('from');
    expect((await api.call('GET', '/v1/reports/nope', { token: api.tokens.csops })).status).toBe(404);
    const unknown = await viaCli('nope');
    expect([unknown.code, unknown.stderr.trim()]).toEqual([2, expect.stringContaining('unknown report "nope"; the reports are on-time, escalation-lead-time')]);
    expect(unknown.stderr).not.toContain('    at ');
    expect((await viaCli('funnel', '--by', 'stage')).stderr).toContain('funnel is reported by playbook, version, csm, segment; not by stage');
    expect((await viaCli('on-time', '--from', 'yesterday')).code).toBe(2);
    expect((await viaCli('on-time', '--format', 'xml')).code).toBe(2);
    expect((await viaCli('first-touch', '--within', 'soon')).code).toBe(2);
  });
});
