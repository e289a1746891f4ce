/** The console's pure parts: HTML escaping, task answers read from a form, and due times in business time. */
import { describe, expect, it } from 'vitest';
import { formatDue, type ResolvedCalendar } from '../../src/calendar/index.js';
import { readAnswers } from '../../src/console/answers.js';
import { html, pathOf } from '../../src/console/html.js';

const OFFICE: ResolvedCalendar = {
  id: 'office',
  timezone: 'America/New_York',
  workingDays: [1, 2, 3, 4, 5],
  workingHours: { from: '09:00', to: '17:00' },
  holidays: ['2026-12-25'],
};

describe('html', () => {
  it('escapes interpolated text and keeps nested html', () => {
    const name = `<script>alert("x")</script> & 'co'`;
    expect(html`<p title="${name}">${name}${html`<b>${'ok'}</b>`}${[1, null, false, 'a']}</p>`.text).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;<b>ok</b>1a</p>',
    );
  });

  it('percent-encodes path segments', () => {
    expect(pathOf('/runs', 'welcome', 'a/b?c')).toBe('/runs/welcome/a%2Fb%3Fc');
  });
});

describe('readAnswers', () => {
  const questions = [
    { name: 'held', question: 'Held?', type: { type: 'yes/no' } },
    { name: 'health', question: 'Health', type: { type: 'one of', values: ['green', 'red'] } },
    { name: 'seats', question: 'Seats', type: { type: 'number' } },
    { name: 'notes', question: 'Notes', type: { type: 'text' }, optional: true },
    { name: 'start_on', question: 'Starts on', type: { type: 'date' }, default: '2026-07-01' },
  ];

  it('reads each field as its type', () => {
    expect(readAnswers(questions, { 'answer.held': 'false', 'answer.health': 'red', 'answer.seats': ' 12.5 ', 'answer.notes': '' })).toEqual({
      answers: { held: false, health: 'red', seats: 12.5 },
      problems: {},
      entered: { held: 'false', health: 'red', seats: '12.5', notes: '', start_on: '' },
    });
    expect(readAnswers(questions, { 'answer.held': 'true', 'answer.health': 'red', 'answer.seats': '1', 'answer.start_on': '2026-08-03' }).answers).toEqual({
      held: true,
      health: 'red',
      seats: 1,
      start_on: '2026-08-03',
    });
  });

  it("says beside each field what is wrong, in the run's words", () => {
    expect(readAnswers(questions, { 'answer.health': 'blue', 'answer.seats': '12 seats', 'answer.start_on': '2026-02-30' }).problems).toEqual({
      held: 'an answer is required',
      health: 'expected one of green, red, got "blue"',
      seats: 'expected a number, got "12 seats"',
      start_on: 'expected a date YYYY-MM-DD, got "2026-02-30"',
    });
  });
});

describe('formatDue', () => {
  const at = (iso: string) => Date.parse(iso);

  it('counts business hours within a working day, and business days beyond one', () => {
    // Monday 2026-12-07 10:00 EST.
    const now = at('2026-12-07T15:00:00Z');
    expect(formatDue(at('2026-12-07T18:00:00Z'), now, OFFICE)).toEqual({ group: 'today', text: 'due in 3 business hours' });
    // Tuesday 16:00 is 7 + 7 = 14 working hours away: a working day's worth, so days.
    expect(formatDue(at('2026-12-08T21:00:00Z'), now, OFFICE)).toEqual({ group: 'week', text: 'due in 1 business day' });
    // Over the weekend: Monday next week is 5 business days on.
    expect(formatDue(at('2026-12-14T15:00:00Z'), now, OFFICE)).toEqual({ group: 'later', text: 'due in 5 business days' });
    expect(formatDue(at('2026-12-07T15:20:00Z'), now, OFFICE).text).toBe('due in less than a business hour');
  });

  it('says how overdue a task is, skipping nights, weekends and holidays', () => {
    // Friday 2026-12-04 16:00 EST, seen on Monday 10:00: 1 + 1 working hours.
    expect(formatDue(at('2026-12-04T21:00:00Z'), at('2026-12-07T15:00:00Z'), OFFICE)).toEqual({ group: 'overdue', text: 'overdue by 2 business hours' });
    // Wednesday 2026-12-23 10:00 seen on Monday 2026-12-28 10:00: Thursday and Monday (the 25th is a holiday).
    expect(formatDue(at('2026-12-23T15:00:00Z'), at('2026-12-28T15:00:00Z'), OFFICE)).toEqual({ group: 'overdue', text: 'overdue by 2 business days' });
  });
});
