/**
 * The contact policy across playbooks in the simulator: two runs of two playbooks email one
 * contact; a cap of 2 per 5 business days defers (to the first working day whose window no
 * longer holds the first two) or skips (`suppressed` with the cap) the third and fourth.
 */
import { describe, expect, it } from 'vitest';
import { decideContact } from '../../src/outreach/contact-policy.js';
import { defaultCalendar } from '../../src/calendar/index.js';
import { simulateAll } from '../../src/simulate/simulate.js';
import { ACCOUNT, calendarsOf, policyPrograms, START } from './contact-policy-fixture.js';

async function simulateBoth(whenCapped: 'defer' | 'skip', ignoring = false) {
  const programs = policyPrograms(whenCapped, ignoring);
  const results = await simulateAll(programs.map((program) => ({ program, account: ACCOUNT, calendars: calendarsOf(program), start: START, inputs: [] })));
  return results.map((r) =>
    r.timeline.filter((e) => e.kind === 'email' || e.kind === 'suppressed').map((e) => `${e.at} ${e.kind}${e.kind === 'suppressed' ? `: ${e.text}` : ''}`),
  );
}

describe('contact policy across playbooks (simulator)', () => {
  it('defers the emails over the cap to the first day both caps allow', async () => {
    expect(await simulateBoth('defer')).toEqual([
      ['2026-03-02T14:00:00.000Z email', '2026-03-09T13:00:00.000Z email'],
      ['2026-03-02T16:00:00.000Z email', '2026-03-09T13:00:00.000Z email'],
    ]);
  });

  it('skips them with `skip`, recorded as suppressed with the cap', async () => {
    const reason = 'contact policy: at most 2 emails per contact per 5 business days';
    expect(await simulateBoth('skip')).toEqual([
      ['2026-03-02T14:00:00.000Z email', `2026-03-03T14:00:00.000Z suppressed: ${reason}`],
      ['2026-03-02T16:00:00.000Z email', `2026-03-03T16:00:00.000Z suppressed: ${reason}`],
    ]);
  });

  it('lets an email `ignoring contact policy` through, without counting it', async () => {
    const reason = 'contact policy: at most 2 emails per contact per 5 business days';
    expect(await simulateBoth('skip', true)).toEqual([
      ['2026-03-02T14:00:00.000Z email', '2026-03-03T14:00:00.000Z email'],
      ['2026-03-02T16:00:00.000Z email', `2026-03-03T16:00:00.000Z suppressed: ${reason}`],
    ]);
  });
});

describe('decideContact', () => {
  const policy = { caps: [{ count: 1, days: 1, business: false }], whenCapped: 'defer' as const };
  const request = (at: string) => ({ to: 'a@b.example', at: Date.parse(at), policy, calendar: defaultCalendar, sendWindow: null });

  it('sends under the cap and defers to the next calendar day over it', () => {
    expect(decideContact(request('2026-03-02T10:00:00Z'), [])).toEqual({ kind: 'send', at: Date.parse('2026-03-02T10:00:00Z') });
    expect(decideContact(request('2026-03-02T18:00:00Z'), [Date.parse('2026-03-02T09:00:00Z')])).toEqual({
      kind: 'defer',
      until: Date.parse('2026-03-03T00:00:00Z'),
    });
  });

  it('never pushes the window of an email already deferred to later over its cap', () => {
    // Deferred to tomorrow already: tomorrow is full, so the day after.
    const reserved = [Date.parse('2026-03-02T09:00:00Z'), Date.parse('2026-03-03T00:00:00Z')];
    expect(decideContact(request('2026-03-02T18:00:00Z'), reserved)).toEqual({ kind: 'defer', until: Date.parse('2026-03-04T00:00:00Z') });
  });
});
