/** A run that blocks in every way a main branch can, with the inputs that end each wait. */
import type { IrProgram } from '../../src/ir/types.js';
import type { SimulatedInput } from '../../src/simulate/simulate.js';
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
} from '../runtime/ir-builders.js';

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
      step(17, 'waitFor', {
        target: {
          kind: 'anyOf',
          of: [
            { kind: 'event', name: 'renewal.signed', as: 'signed' },
            { kind: 'condition', condition: eq(field('status'), text('active')) },
          ],
        },
        upTo: dur(3, 'day'),
        rungs: [{ after: dur(12, 'hour'), line: 18, body: [notify(18, to('csm@example.com'), 'renewal not signed yet')] }],
        onTimeout: null,
      }),
      runPlaybook(13, 'child'),
      repeat(14, dur(1, 'day'), [note(15, 'daily')], { atMost: 3 }),
      note(16, 'done'),
    ]),
  ],
  { sendWindow: { from: '10:00', to: '16:00' } },
);
export const prog: IrProgram = { ...program(main, child), fields: { ...program(main).fields, renewal: { type: 'date' } } };
export const inputs: SimulatedInput[] = [
  { at: after(2, 'hour'), kind: 'pause' },
  { at: after(30, 'hour'), kind: 'resume' },
  { at: after(12, 'day'), kind: 'event', name: 'kickoff.held', payload: { attendees: 3 } },
  { at: after(14, 'day'), kind: 'complete', task: 'review', answers: {} },
  { at: after(16, 'day'), kind: 'set', field: 'status', value: 'churned' },
  { at: after(17, 'day'), kind: 'event', name: 'renewal.signed', payload: { seats: 20 } },
];

export const blockedAccount = {
  id: 'acme',
  name: 'Acme',
  csm: 'csm@example.com',
  primary_contact: 'pat@acme.example',
  status: 'active',
  health: 40,
  renewal: '2026-01-08',
};
