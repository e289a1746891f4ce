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

it('lists pending goals with their deadlines under what happens next, and the goal entries with their target and time taken', () => {
  const calendar = { id: null, timezone: 'UTC', workingDays: [1, 2, 3, 4, 5], workingHours: null, holidays: [] };
  const timeline = [
    { at: '2026-03-02T15:00:00.000Z', kind: 'goal-met' as const, text: 'Kickoff soon', stage: null, line: 2, goal: 'kickoff', target: 90, took: 200 },
  ];
  const goals = [
    {
      goal: 'kickoff',
      text: 'Kickoff soon',
      target: 90,
      state: 'met' as const,
      since: '2026-03-02T09:00:00.000Z',
      deadline: '2026-03-04T09:00:00.000Z',
      at: timeline[0]!.at,
      took: 200,
    },
    {
      goal: 'training',
      text: 'Trained soon',
      target: 85,
      state: 'pending' as const,
      since: '2026-03-02T09:00:00.000Z',
      deadline: '2026-03-09T09:00:00.000Z',
      at: null,
    },
    { goal: 'review', text: 'Reviewed', target: 80, state: 'pending' as const, since: null, deadline: null, at: null },
  ];
  const text = formatRunView({ workflowId: 'w', status: { ...status, deliveries: [], timeline, goals }, calendar });
  expect(text).toContain('goal-met  2         "Kickoff soon" (goal kickoff, target 90%, took 3h 20m)');
  expect(text).toContain('goals: kickoff met\n');
  expect(text).toContain(
    'what happens next:\n  goal training "Trained soon" (target 85%) due by Mon 2026-03-09 09:00 UTC\n  goal review "Reviewed" (target 80%) not started yet\n',
  );
});
