import { describe, expect, it } from 'vitest';
import type { ResolvedCalendar } from '../../src/calendar/index.js';
import { alignColumns, formatSimulation } from '../../src/simulate/format.js';
import type { SimulateResult } from '../../src/simulate/simulate.js';

const calendar: ResolvedCalendar = {
  id: 'us-business',
  timezone: 'America/New_York',
  workingDays: [1, 2, 3, 4, 5],
  workingHours: { from: '09:00', to: '17:00' },
  holidays: [],
};

const result: SimulateResult = {
  outcome: 'stopped',
  outcomeLabel: 'stalled',
  timeline: [
    { at: '2026-01-05T14:00:00.000Z', kind: 'start', stage: null, text: 'Onboarding', line: 1 },
    { at: '2026-01-05T14:00:00.000Z', kind: 'email', stage: 'kickoff', to: 'pat@acme.example', text: 'Welcome, Acme', line: 6 },
    // A summer instant: the zone abbreviation follows daylight saving time.
    { at: '2026-07-08T13:30:00.000Z', kind: 'escalate', stage: 'kickoff', to: 'lee@example.com', text: 'Overdue', line: 11 },
  ],
  rejected: [
    {
      input: { at: { offset: { amount: 1, unit: 'business day' } }, kind: 'complete', task: 'training', answers: {} },
      reason: 'task training has not been created yet',
    },
  ],
};

describe('formatSimulation', () => {
  it('prints a header, an aligned timeline in local and UTC time, the outcome and rejected inputs', () => {
    const text = formatSimulation({ playbook: 'onboarding', version: '0123456789abcdef', accountId: 'acme', calendar }, result);
    expect(text).toBe(
      [
        'onboarding  version 0123456789ab  account acme  calendar us-business (America/New_York)',
        '',
        'LOCAL                     UTC                STAGE    KIND      LINE  TO                TEXT',
        'Mon 2026-01-05 09:00 EST  2026-01-05 14:00Z  -        start     1                       Onboarding',
        'Mon 2026-01-05 09:00 EST  2026-01-05 14:00Z  kickoff  email     6     pat@acme.example  Welcome, Acme',
        'Wed 2026-07-08 09:30 EDT  2026-07-08 13:30Z  kickoff  escalate  11    lee@example.com   Overdue',
        '',
        'outcome: stopped "stalled"',
        'rejected inputs:',
        '  completion of task training at +1 business day: task training has not been created yet',
        '',
      ].join('\n'),
    );
  });

  it('adds a PLAYBOOK column when a child run interleaves its entries', () => {
    const child = {
      at: '2026-01-06T14:00:00.000Z',
      kind: 'task' as const,
      stage: 'kickoff',
      to: 'sam@example.com',
      text: 'Confirm sponsor',
      line: 12,
      playbook: 'sponsor-check',
    };
    const text = formatSimulation(
      { playbook: 'onboarding', version: 'v', accountId: 'acme', calendar },
      { ...result, timeline: [result.timeline[1]!, child], rejected: [] },
    );
    expect(text.split('\n').slice(2, 5)).toEqual([
      'LOCAL                     UTC                PLAYBOOK       STAGE    KIND   LINE  TO                TEXT',
      'Mon 2026-01-05 09:00 EST  2026-01-05 14:00Z  onboarding     kickoff  email  6     pat@acme.example  Welcome, Acme',
      'Tue 2026-01-06 09:00 EST  2026-01-06 14:00Z  sponsor-check  kickoff  task   12    sam@example.com   Confirm sponsor',
    ]);
  });

  it('names the default calendar when the playbook has none', () => {
    const text = formatSimulation(
      { playbook: 'p', version: 'v', accountId: 'a', calendar: { ...calendar, id: null, timezone: 'UTC' } },
      { ...result, outcome: 'completed', outcomeLabel: null, rejected: [] },
    );
    expect(text.split('\n')[0]).toBe('p  version v  account a  default calendar (UTC)');
    expect(text).toMatch(/\noutcome: completed\n$/);
  });
});

describe('alignColumns', () => {
  it('pads every column but the last to its widest cell, without trailing blanks', () => {
    expect(
      alignColumns([
        ['a', 'bbb', 'c'],
        ['dddd', '', ''],
        ['e', 'f', 'long last cell'],
      ]),
    ).toEqual(['a     bbb  c', 'dddd', 'e     f    long last cell']);
  });
});
