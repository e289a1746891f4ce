/**
 * Continue-as-new from wherever the main branch is blocked: a run that hops at every blocking
 * point it reaches (a wait, a wait until, the send window, a pause, a wait for event with
 * rungs and a deadline, for a task, for a condition, between rounds) gives the timeline and
 * actions of the run that never hops.
 */
import { describe, expect, it } from 'vitest';
import type { IrProgram } from '../../src/ir/types.js';
import { simulateWith, type SimulatedInput } from '../../src/simulate/simulate.js';
import {
  after,
  dur,
  email,
  eq,
  field,
  note,
  notify,
  options,
  playbook,
  program,
  repeat,
  runPlaybook,
  stage,
  step,
  task,
  text,
  to,
  wait,
  waitForCondition,
  waitForEvent,
  waitForTask,
} from './ir-builders.js';

const child = playbook('child', [waitForEvent(30, 'sponsor.confirmed', { upTo: dur(2, 'day'), onTimeout: [note(31, 'no sponsor')] })]);
const main = playbook(
  'blocked',
  [
    stage(2, 'welcome', [email(3, to('pat@acme.example'), 'welcome'), wait(4, dur(1, 'day')), step(5, 'waitUntil', { at: field('renewal') })]),
    stage(6, 'kickoff', [
      waitForEvent(7, 'kickoff.held', {
        upTo: dur(5, 'day'),
        rungs: [
          { after: dur(1, 'day'), body: [notify(8, to('csm@example.com'), 'no kickoff yet')] },
          { after: dur(3, 'day'), body: [notify(9, to('manager@example.com'), 'still no kickoff')] },
        ],
      }),
      task(10, 'review'),
      waitForTask(11, 'review', dur(10, 'day')),
      waitForCondition(12, eq(field('status'), text('churned')), dur(4, 'day')),
      runPlaybook(13, 'child'),
      repeat(14, dur(1, 'day'), [note(15, 'daily')], { atMost: 3 }),
      note(16, 'done'),
    ]),
  ],
  { sendWindow: { from: '10:00', to: '16:00' } },
);
const prog: IrProgram = { ...program(main, child), fields: { ...program(main).fields, renewal: { type: 'date' } } };
const inputs: SimulatedInput[] = [
  { at: after(2, 'hour'), kind: 'pause' },
  { at: after(30, 'hour'), kind: 'resume' },
  { at: after(12, 'day'), kind: 'event', name: 'kickoff.held', payload: { attendees: 3 } },
  { at: after(14, 'day'), kind: 'complete', task: 'review', answers: {} },
  { at: after(16, 'day'), kind: 'set', field: 'status', value: 'churned' },
];

function run(hop: boolean) {
  const actions: string[] = [];
  let hops = 0;
  let last = -Infinity;
  return simulateWith({
    ...options(prog, [], {
      account: { id: 'acme', name: 'Acme', csm: 'csm@example.com', primary_contact: 'pat@acme.example', status: 'active', health: 40, renewal: '2026-01-08' },
      performAction: (a) => (actions.push(a.key), { ok: true }),
      // Once at every instant the main branch is blocked: each execution hops at its first blocking point after the last hop.
      ...(hop && { continueAsNewWhileBlocked: { due: (now: number) => now > last, begin: (now: number) => ((last = now), hops++) } }),
    }),
    inputs,
  }).then((result) => ({ result, actions, hops }));
}

describe('continue-as-new while blocked', () => {
  it('hops at every kind of blocking point and gives the timeline and actions of a run that never hops', async () => {
    const plain = await run(false);
    const hopped = await run(true);
    expect(hopped.result).toEqual(plain.result);
    expect(hopped.actions).toEqual(plain.actions);
    expect(plain.result.outcome).toBe('completed');
    expect(plain.result.timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(['email', 'notify', 'task', 'event', 'task-completed', 'set', 'timeout']));
    expect(hopped.hops).toBeGreaterThan(10);
  });
});
