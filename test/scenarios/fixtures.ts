/**
 * A small compiled program for tests that must not depend on the front end: an onboarding
 * playbook on a US business calendar that emails, waits for a kickoff with escalation rungs
 * and a timeout, then asks for a training task.
 */
import type { AccountData, IrProgram } from '../../src/ir/types.js';

export const program: IrProgram = {
  irVersion: 1,
  entry: 'onboarding',
  calendars: {
    'us-business': {
      id: 'us-business',
      title: null,
      timezone: [{ field: 'timezone' }, { zone: 'America/New_York' }],
      workingDays: [1, 2, 3, 4, 5],
      workingHours: { from: '09:00', to: '17:00' },
      holidayCountries: ['US'],
      holidays: [],
    },
  },
  fields: {
    name: { type: 'text' },
    timezone: { type: 'timezone' },
    csm: { type: 'user' },
    csm_manager: { type: 'user' },
    primary_contact: { type: 'contact' },
    status: { type: 'one of', values: ['active', 'churned'] },
  },
  templates: { welcome: { subject: ['Welcome, ', { op: 'field', field: 'name' }], body: ['Hello'] } },
  playbooks: {
    onboarding: {
      id: 'onboarding',
      title: 'Onboarding',
      file: 'onboarding.playbook',
      line: 1,
      owner: null,
      description: null,
      triggers: [{ kind: 'manual' }],
      calendar: 'us-business',
      sendWindow: { from: '09:00', to: '17:00' },
      exitWhen: [{ op: 'compare', cmp: '=', left: { op: 'field', field: 'status' }, right: { op: 'lit', type: 'text', value: 'churned' } }],
      body: [
        {
          id: '0',
          line: 5,
          kind: 'stage',
          stage: 'kickoff',
          title: 'Kickoff',
          body: [
            { id: '0.0', line: 6, kind: 'email', to: { kind: 'field', field: 'primary_contact' }, template: 'welcome' },
            {
              id: '0.1',
              line: 7,
              kind: 'waitFor',
              target: { kind: 'event', name: 'kickoff.held', as: null },
              upTo: { amount: 10, unit: 'business day' },
              rungs: [
                {
                  after: { amount: 3, unit: 'business day' },
                  line: 8,
                  body: [{ id: '0.1.r0.0', line: 9, kind: 'notify', to: { kind: 'field', field: 'csm' }, text: ['Kickoff not held yet'] }],
                },
              ],
              onTimeout: [
                {
                  id: '0.1.timeout.0',
                  line: 11,
                  kind: 'escalate',
                  to: { kind: 'field', field: 'csm_manager' },
                  severity: 'high',
                  text: ['No kickoff with ', { op: 'field', field: 'name' }],
                },
                { id: '0.1.timeout.1', line: 12, kind: 'stop', outcome: 'stalled' },
              ],
            },
          ],
        },
        {
          id: '1',
          line: 14,
          kind: 'stage',
          stage: 'training',
          title: 'Training',
          body: [
            {
              id: '1.0',
              line: 15,
              kind: 'task',
              task: 'training',
              title: ['Run training'],
              assignee: { kind: 'field', field: 'csm' },
              due: { amount: 5, unit: 'business day' },
              asks: [{ name: 'rating', question: 'How did it go?', type: { type: 'number' } }],
            },
            { id: '1.1', line: 17, kind: 'waitFor', target: { kind: 'task', task: 'training' }, upTo: null, rungs: [], onTimeout: null },
          ],
        },
      ],
    },
  },
};

export const account: AccountData = {
  id: 'acme',
  name: 'Acme',
  timezone: 'America/New_York',
  csm: 'sam@example.com',
  csm_manager: 'lee@example.com',
  primary_contact: 'pat@acme.example',
  status: 'active',
};

/** Mon 2026-01-05 09:00 EST */
export const START = Date.parse('2026-01-05T14:00:00Z');
