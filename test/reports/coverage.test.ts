/**
 * The coverage report on the real store (PGlite and a PostgreSQL server), from the reference
 * workspace's `renewal-coverage` and accounts and runs with answers worked out by hand
 * (coverage-fixture.ts): 19 of 20 renewing accounts covered, membership and the runs that count
 * decided on each account's local date, account data read as of the report's "now".
 */
import { describe, expect, it } from 'vitest';
import { runReport, type ReportRequest } from '../../src/reports/index.js';
import type { Report } from '../../src/reports/types.js';
import type { Store } from '../../src/store/connect.js';
import { BACKENDS, useMigratedStore } from '../store/backends.js';
import { COVERAGE_ANN, COVERAGE_AS_OF, COVERAGE_BOB, COVERAGE_LATER, fillCoverageFixture } from './coverage-fixture.js';

describe.each(BACKENDS)('the coverage report on %s', (name) => {
  let store: Store;
  useMigratedStore(name, (opened) => (store = opened));
  let filled: Promise<void> | undefined;
  const report = async (request: ReportRequest = {}): Promise<Report> => {
    filled ??= fillCoverageFixture(store);
    await filled;
    return runReport(store, 'coverage', { asOf: COVERAGE_AS_OF, ...request });
  };

  it('covers 19 of 20 renewing accounts: 95%, on its 95% target, listing the one not covered', async () => {
    const { rows, uncovered, columns } = await report();
    expect(rows).toEqual([
      {
        playbook: 'renewal-readiness',
        coverage: 'renewal-coverage',
        text: 'Renewal readiness within 90 days',
        target: 95,
        population: 20,
        covered: 19,
        notCovered: 1,
        coveragePercent: 95,
        onTarget: true,
      },
    ]);
    expect(uncovered).toEqual([{ coverage: 'renewal-coverage', account: 'r20', name: 'Account r20', csm: COVERAGE_BOB }]);
    expect(columns.map((c) => c.key)).toEqual(['playbook', 'coverage', 'text', 'target', 'population', 'covered', 'notCovered', 'coveragePercent', 'onTarget']);
  });

  it("decides membership and the runs that count on the account's local date, not the UTC date", async () => {
    // r18 (Tokyo) is 90 days from renewal on its local date and counts; ny-91 is 91 and does not.
    const tokyoOnly = await report({ book: { user: null, userFields: [], grants: ['r18', 'ny-91'] } });
    expect(tokyoOnly.rows.map((r) => [r.population, r.covered])).toEqual([[1, 1]]);
    // One minute before midnight in Tokyo it is still 2026-03-01 there: 91 days, out.
    const before = await report({ asOf: new Date('2026-03-01T14:59:00Z'), book: { user: null, userFields: [], grants: ['r18'] } });
    expect(before.rows.map((r) => r.population)).toEqual([0]);
  });

  it('reads the accounts as they stood at the as-of instant, and counts the runs started by then', async () => {
    // r17's renewal moved to 2027 on 2026-03-05 (out); r20's run of 2026-03-05 has started (covered); ny-91 is 82 days from renewal (in, no run).
    const later = await report({ asOf: COVERAGE_LATER });
    expect(later.rows.map((r) => [r.population, r.covered, r.coveragePercent])).toEqual([[20, 19, 95]]);
    expect(later.uncovered?.map((u) => u.account)).toEqual(['ny-91']);
  });

  it("gives a csm its book's coverage only", async () => {
    const ann = await report({ book: { user: COVERAGE_ANN, userFields: ['csm'], grants: [] } });
    expect(ann.rows.map((r) => [r.population, r.covered, r.coveragePercent, r.onTarget])).toEqual([[10, 10, 100, true]]);
    expect(ann.uncovered).toEqual([]);
    const bob = await report({ book: { user: COVERAGE_BOB, userFields: ['csm'], grants: [] } });
    expect(bob.rows.map((r) => [r.population, r.covered, r.coveragePercent, r.onTarget])).toEqual([[10, 9, 90, false]]);
    expect(bob.uncovered?.map((u) => u.account)).toEqual(['r20']);
  });
});
