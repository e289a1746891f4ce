/**
 * Continue-as-new on a real run: a long cadence in the main branch switches executions at
 * round boundaries (with a low test threshold), carrying its timeline, state and inputs; the
 * final timeline equals the simulator's, and no input sent around a switch is lost.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { compileFile } from '../../src/compile/compile.js';
import type { AccountData, IrProgram } from '../../src/ir/types.js';
import { getStatus, sendEvent, startNewRun } from '../../src/temporal/client.js';
import { drive, endIfOpen, historiesOf, simulateRun, sleepUntilServer, type DriveRequest } from './drive.js';
import { startHarness, TASK_QUEUE, type Harness } from './harness.js';

const START = Date.parse('2026-03-02T15:00:00Z');
const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** Low enough that a run switches after every round or two. */
const THRESHOLD = 40;

let h: Harness;
let weekly: { program: IrProgram; version: string };
const account: AccountData = { id: 'acct-weekly', name: 'Initech', csm: 'sam.ortiz@example.com', status: 'active' };

beforeAll(async () => {
  [h, weekly] = await Promise.all([startHarness(), compileFile('test/temporal/fixtures/weekly-check.playbook')]);
}, 120_000);
afterAll(async () => {
  await h?.teardown();
});

test('a cadence continues as new with scheduled inputs carried across and the simulator timeline', async () => {
  const inputs: DriveRequest['inputs'] = [];
  for (let week = 0; week < 10; week++) {
    const roundStart = START + week * WEEK;
    if (week % 3 !== 2)
      inputs.push({ at: { instant: roundStart + DAY }, kind: 'complete', task: 'checkin', answers: { mood: week % 2 ? 'happy' : 'neutral' } });
    if (week % 2 === 0) inputs.push({ at: { instant: roundStart + 2 * DAY }, kind: 'event', name: 'checkin.done', payload: { week } });
  }
  inputs.push({ at: { instant: START + 4 * WEEK + 5 * DAY }, kind: 'set', field: 'name', value: 'Initech Global' });
  const run = await drive(h, { ...weekly, account, start: START, inputs, until: { instant: START + 12 * WEEK }, continueAsNewAfterEvents: THRESHOLD });

  expect(run.status.timeline).toEqual(run.sim.timeline);
  expect(run.status.outcome).toBe('completed');
  expect(run.sim.outcome).toBe('completed');
  expect(run.status.timeline.filter((e) => e.kind === 'notify')).toHaveLength(10);
  expect(run.status.timeline.filter((e) => e.kind === 'event')).toHaveLength(5);
  expect((await historiesOf(h.env.client, run.workflowId, run.firstRunId)).length).toBeGreaterThan(2);
}, 120_000);

test('inputs sent at the start for instants weeks ahead are carried across every switch and applied at their instants', async () => {
  const req = { ...weekly, account: { ...account, id: 'acct-ahead' }, start: START };
  const offset = START - (await h.env.currentTimeMs());
  const { workflowId, runId } = await startNewRun(h.env.client, { ...req, taskQueue: TASK_QUEUE, startAt: START, continueAsNewAfterEvents: THRESHOLD });
  // One right at a round's 3-day deadline (a switch point), one in the middle of a later week.
  const sent: DriveRequest['inputs'] = [
    { at: { instant: START + 3 * WEEK + 3 * DAY }, kind: 'event', name: 'checkin.done', payload: { on: 'deadline' } },
    { at: { instant: START + 6 * WEEK + DAY }, kind: 'event', name: 'checkin.done', payload: { on: 'weekday' } },
  ];
  try {
    for (const input of sent) {
      if (input.kind !== 'event' || !('instant' in input.at)) continue;
      await sendEvent(h.env.client, workflowId, { name: input.name, payload: input.payload, at: input.at.instant });
    }
    expect((await getStatus(h.env.client, workflowId)).scheduled).toHaveLength(2);
    await sleepUntilServer(h, START + 12 * WEEK - offset);
    const status = await getStatus(h.env.client, workflowId);
    const sim = await simulateRun({ ...req, inputs: sent, until: { instant: START + 12 * WEEK } });
    expect(status.timeline).toEqual(sim.timeline);
    expect(status.timeline.filter((e) => e.kind === 'event').map((e) => e.at)).toEqual(['2026-03-26T15:00:00.000Z', '2026-04-14T15:00:00.000Z']);
    expect((await historiesOf(h.env.client, workflowId, runId)).length).toBeGreaterThan(2);
  } finally {
    await endIfOpen(h, workflowId);
  }
}, 120_000);
