/**
 * Accounts and runs for the coverage report, with answers worked out by hand, on the
 * reference workspace's `renewal-coverage` (playbooks/coverage.playbook): active accounts
 * renewing within 90 days of their local date (the us-business calendar's zone: the account's
 * `timezone`, else New York) that have run renewal-readiness since 90 days before renewal.
 *
 * As of 2026-03-01T20:00Z (15:00 in New York, 05:00 on 2026-03-02 in Tokyo):
 *   r01–r16  New York, renew 2026-04-15 (45 days), a run started 2026-01-20 (on or after
 *            2026-01-15, 90 days before): covered, completed or still running.
 *   r17      the same, but its renewal moves to 2027-04-15 on 2026-03-05 (after the as-of).
 *   r18      Tokyo, renews 2026-05-31: 90 days from its local 2026-03-02, 91 from the UTC
 *            date; its run started 2026-03-01T16:00Z, already 2026-03-02 in Tokyo, the first day
 *            that counts: covered.
 *   r19      a run started 2025-12-01, before the 90 days, still running: covered.
 *   r20      a run of last year's renewal (2025-01-10, completed) and one started 2026-03-05,
 *            after the as-of: not covered.
 *   → 20 renewing, 19 covered: 95%, on the 95% target; r20 listed. Ann's book (r01–r10): 10 of
 *     10; Bob's (r11–r20): 9 of 10 = 90%.
 *   Out: `far` (renews 2026-09-01), `churned` (status churned), `ny-91` (New York, renews
 *   2026-05-31: 91 days from its local 2026-03-01).
 * As of 2026-03-10T14:00Z: r17 renews in 2027 (out), r20's 2026-03-05 run counts, ny-91 is 82
 *   days from renewal (in) without a run: 19 of 20, ny-91 listed.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareDeployment } from '../../src/deploy/prepare.js';
import { projectAccount } from '../../src/store/account-projection.js';
import type { Store } from '../../src/store/connect.js';
import { keepCoverages } from '../../src/store/coverages.js';
import { projectRun } from '../../src/store/projection.js';
import { loadWorkspace } from '../../src/workspace/load.js';

export const COVERAGE_AS_OF = new Date('2026-03-01T20:00:00Z');
export const COVERAGE_LATER = new Date('2026-03-10T14:00:00Z');
export const COVERAGE_ANN = 'ann@example.com';
export const COVERAGE_BOB = 'bob@example.com';

const REFERENCE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'playbooks');

interface AccountSpec {
  id: string;
  renewal: string;
  csm: string;
  timezone?: string;
  status?: string;
  /** A later upsert: the renewal date it sets, and when. */
  moved?: { at: string; renewal: string };
}

interface RunSpec {
  account: string;
  started: string;
  ended?: string;
}

function accounts(): AccountSpec[] {
  const renewing = Array.from({ length: 20 }, (_, i): AccountSpec => {
    const id = `r${String(i + 1).padStart(2, '0')}`;
    return { id, renewal: '2026-04-15', csm: i < 10 ? COVERAGE_ANN : COVERAGE_BOB };
  });
  renewing[16]!.moved = { at: '2026-03-05T12:00:00Z', renewal: '2027-04-15' };
  renewing[17] = { ...renewing[17]!, timezone: 'Asia/Tokyo', renewal: '2026-05-31' };
  return [
    ...renewing,
    { id: 'far', renewal: '2026-09-01', csm: COVERAGE_BOB },
    { id: 'churned', renewal: '2026-04-15', csm: COVERAGE_BOB, status: 'churned' },
    { id: 'ny-91', renewal: '2026-05-31', csm: COVERAGE_BOB, timezone: 'America/New_York' },
  ];
}

function runs(): RunSpec[] {
  const regular = Array.from({ length: 17 }, (_, i): RunSpec => {
    const account = `r${String(i + 1).padStart(2, '0')}`;
    // Every other one still running: a run of any status covers.
    return { account, started: '2026-01-20T15:00:00Z', ...(i % 2 === 0 && { ended: '2026-02-10T15:00:00Z' }) };
  });
  return [
    ...regular,
    { account: 'r18', started: '2026-03-01T16:00:00Z' },
    { account: 'r19', started: '2025-12-01T15:00:00Z' },
    { account: 'r20', started: '2025-01-10T15:00:00Z', ended: '2025-02-01T15:00:00Z' },
    { account: 'r20', started: '2026-03-05T15:00:00Z' },
    // Runs of another playbook cover nothing.
    { account: 'far', started: '2026-02-01T15:00:00Z' },
  ];
}

export async function fillCoverageFixture(store: Store): Promise<void> {
  const prepared = prepareDeployment(await loadWorkspace(REFERENCE), 'test');
  if (!prepared.ok) throw new Error('the reference workspace does not check');
  await keepCoverages(store, prepared.coverages, 'test', new Date('2026-01-01T00:00:00Z'));
  for (const a of accounts()) {
    const fields = { name: `Account ${a.id}`, csm: a.csm, renewal_date: a.renewal, status: a.status ?? 'active', ...(a.timezone && { timezone: a.timezone }) };
    const entries = [{ kind: 'upsert' as const, at: '2026-01-01T12:00:00Z', by: 'import:crm.csv', fields }];
    if (a.moved) entries.push({ kind: 'upsert', at: a.moved.at, by: 'api:crm', fields: { renewal_date: a.moved.renewal } as typeof fields });
    const data = { ...fields, ...(a.moved && { renewal_date: a.moved.renewal }) };
    await projectAccount(store, { accountId: a.id, data, from: 0, entries });
  }
  for (const [n, r] of runs().entries()) {
    const playbook = r.account === 'far' ? 'qbr-cadence' : 'renewal-readiness';
    await projectRun(store, {
      workflowId: `playbook:${playbook}:${r.account}:${n}`,
      runId: `coverage-run-${n}`,
      run: {
        playbook,
        version: '3'.repeat(64),
        accountId: r.account,
        status: r.ended === undefined ? 'running' : 'completed',
        stage: 'readiness',
        outcome: r.ended === undefined ? null : 'completed',
        outcomeLabel: null,
        startedAt: r.started,
        endedAt: r.ended ?? null,
      },
      from: 0,
      entries: [{ at: r.started, kind: 'stage', stage: 'readiness', line: 1 }],
      questions: {},
      completedBy: {},
      ended: r.ended === undefined ? null : 'complete',
    });
  }
}
