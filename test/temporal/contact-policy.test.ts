/**
 * Differential, across runs: the two playbooks of test/outreach/contact-policy-fixture.ts run
 * side by side on the time-skipping server (one worker, its contact decisions shared as a
 * store's would be) and in one simulation; under a cap of 2 emails per 5 business days, with
 * `defer` and with `skip`, both runs' timelines must be identical. The decisions are in the
 * runs' histories, in the email activities that asked them. The same for the fixture's v2
 * email (a list of contacts with a cc), whose every `to` message is decided alone.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { versionOf } from '../../src/ir/canonical.js';
import { MemoryContactLedger } from '../../src/outreach/contact-ledger.js';
import { simulateAll } from '../../src/simulate/simulate.js';
import { getStatus, startNewRun } from '../../src/temporal/client.js';
import { resolveProgramCalendars } from '../../src/calendar/resolve.js';
import { ACCOUNT, calendarsOf, PARTIES_ACCOUNT, partiesProgram, policyPrograms, START } from '../outreach/contact-policy-fixture.js';
import { endIfOpen, historiesOf, sleepUntilServer } from './drive.js';
import { startHarness, TASK_QUEUE, type Harness } from './harness.js';

const UNTIL = START + 21 * 86_400_000;

/** The action an activity was scheduled with (its input's one JSON payload). */
const activityAction = (data: Uint8Array | null | undefined): Record<string, unknown> =>
  (JSON.parse(Buffer.from(data ?? []).toString('utf8')) as { action: Record<string, unknown> }).action;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(async () => {
  await h?.teardown();
});

describe.each(['defer', 'skip'] as const)('when capped %s', (whenCapped) => {
  test('both runs give the simulator’s timelines on Temporal', async () => {
    const programs = policyPrograms(whenCapped);
    const sims = await simulateAll(
      programs.map((program) => ({ program, account: ACCOUNT, calendars: calendarsOf(program), start: START, inputs: [], until: { instant: UNTIL } })),
    );
    h.recorded.contacts = new MemoryContactLedger();
    const offset = START - (await h.env.currentTimeMs());
    const started = [];
    for (const program of programs) {
      started.push(
        await startNewRun(h.env.client, { program, version: versionOf(program), account: ACCOUNT, taskQueue: TASK_QUEUE, roles: {}, startAt: START }),
      );
    }
    try {
      await sleepUntilServer(h, UNTIL - offset + 1_000);
      for (const [i, { workflowId, runId }] of started.entries()) {
        const status = await getStatus(h.env.client, workflowId);
        expect({ playbook: programs[i]!.entry, timeline: status.timeline }).toEqual({ playbook: programs[i]!.entry, timeline: sims[i]!.timeline });
        const history = (await historiesOf(h.env.client, workflowId, runId)).flatMap((x) => x.events ?? []);
        const scheduled = history.flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes] : []));
        // Each email's own activity carries its decision (the `contact-in-email` patch).
        expect(scheduled.filter((a) => a.activityType?.name === 'decideContact')).toEqual([]);
        const asking = scheduled.filter((a) => a.activityType?.name === 'sendEmail' && activityAction(a.input?.payloads?.[0]?.data).contact !== undefined);
        expect(asking).toHaveLength(2);
      }
    } finally {
      for (const { workflowId } of started) await endIfOpen(h, workflowId);
    }
  }, 120_000);
});

describe.each(['defer', 'skip'] as const)('a v2 email to a list with cc, when capped %s', (whenCapped) => {
  test('each message is decided alone, with the simulator’s timeline on Temporal', async () => {
    const program = partiesProgram(whenCapped);
    const [sim] = await simulateAll([
      {
        program,
        account: PARTIES_ACCOUNT,
        calendars: resolveProgramCalendars(program, PARTIES_ACCOUNT, START),
        start: START,
        inputs: [],
        until: { instant: UNTIL },
      },
    ]);
    h.recorded.contacts = new MemoryContactLedger();
    const offset = START - (await h.env.currentTimeMs());
    const { workflowId, runId } = await startNewRun(h.env.client, {
      program,
      version: versionOf(program),
      account: PARTIES_ACCOUNT,
      taskQueue: TASK_QUEUE,
      roles: {},
      startAt: START,
    });
    try {
      await sleepUntilServer(h, UNTIL - offset + 1_000);
      const status = await getStatus(h.env.client, workflowId);
      expect(status.timeline).toEqual(sim!.timeline);
      expect(status.timeline.filter((e) => e.kind === 'suppressed')).toHaveLength(whenCapped === 'skip' ? 1 : 0);
      const history = (await historiesOf(h.env.client, workflowId, runId)).flatMap((x) => x.events ?? []);
      const asking = history.flatMap((e) =>
        e.activityTaskScheduledEventAttributes?.activityType?.name === 'sendEmail' &&
        activityAction(e.activityTaskScheduledEventAttributes.input?.payloads?.[0]?.data).contact !== undefined
          ? [e]
          : [],
      );
      // pat, then pat and kim as the list's two messages (each once: a deferred one asks again only when it is sent).
      expect(asking.length).toBeGreaterThanOrEqual(3);
    } finally {
      await endIfOpen(h, workflowId);
    }
  }, 120_000);
});
