/** `playbook status` names a delivery being retried (since when, the attempt, the last error) and the store's lag. */
import { expect, it } from 'vitest';
import { formatRunView } from '../../src/ops/format-status.js';
import type { RunStatus } from '../../src/temporal/contract.js';

const status: RunStatus = {
  playbook: 'onboarding',
  version: 'v1',
  accountId: 'acme',
  stage: null,
  status: 'running',
  outcome: 'running',
  outcomeLabel: null,
  timeline: [],
  pendingWaits: [],
  openTasks: [],
  rejected: [],
  scheduled: [],
  deliveries: [{ action: 'email', since: '2026-03-02T15:00:00.000Z', attempt: 4, lastError: 'SMTP server mail:25: 451 try later', nextAttemptAt: null }],
};

it('lists a retried delivery under what happens next', () => {
  const calendar = { id: null, timezone: 'UTC', workingDays: [1, 2, 3, 4, 5], workingHours: null, holidays: [] };
  const text = formatRunView({ workflowId: 'playbook:onboarding:acme', status, calendar });
  expect(text).toContain('what happens next:\n  retrying email since Mon 2026-03-02 15:00 UTC, attempt 4, last error: SMTP server mail:25: 451 try later\n');
});

it('says how many timeline entries the store lacks while it is behind, and nothing once it has them all', () => {
  const calendar = { id: null, timezone: 'UTC', workingDays: [1, 2, 3, 4, 5], workingHours: null, holidays: [] };
  const timeline = [
    { at: '2026-03-02T15:00:00.000Z', kind: 'start' as const, text: 'start', stage: null, line: 1 },
    { at: '2026-03-02T15:00:00.000Z', kind: 'note' as const, text: 'n', stage: null, line: 2 },
  ];
  const view = (pending: number) => formatRunView({ workflowId: 'w', status: { ...status, timeline, stored: { entries: 2 - pending, pending } }, calendar });
  expect(view(1)).toContain('\nstore behind: 1 of 2 timeline entries not written yet (written once the store is reachable)\n');
  expect(view(0)).not.toContain('store behind');
});
