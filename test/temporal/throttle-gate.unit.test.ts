/**
 * The enrollment throttle's rules without a server (throttle-gate.ts): N starts a local day of
 * the playbook calendar's zone, the excess queued in the order asked and released first — up
 * to N — when the next local day begins, around midnight and on the days the clocks change;
 * a start handed back frees its place that day; a retried ask is answered, not counted, again;
 * and the carry across continue-as-new keeps all of it.
 */
import { describe, expect, it } from 'vitest';
import type { AdmitRequest } from '../../src/temporal/throttle-contract.js';
import { ThrottleGate } from '../../src/temporal/throttle-gate.js';

const NEW_YORK = 'America/New_York';
const ask = (n: number, at: string, timezone = NEW_YORK, perDay = 2): AdmitRequest => ({
  ticket: `acct-${n}#0`,
  accountId: `acct-${n}`,
  firedAt: at,
  trigger: 'event',
  perDay,
  timezone,
});
const t = (iso: string) => Date.parse(iso);

describe('the enrollment throttle gate', () => {
  it('counts New York days: 23:59 and 00:01 local are two days, though the same UTC date', () => {
    const gate = new ThrottleGate('welcome');
    // 2026-03-02 23:59 EST is 04:59Z on 03-03; 00:01 EST on 03-03 is 05:01Z, the same UTC date.
    expect(gate.admit(ask(1, '2026-03-03T04:58:00Z'), t('2026-03-03T04:58:00Z'))).toEqual({ status: 'admitted', day: '2026-03-02' });
    expect(gate.admit(ask(2, '2026-03-03T04:59:00Z'), t('2026-03-03T04:59:00Z'))).toEqual({ status: 'admitted', day: '2026-03-02' });
    expect(gate.admit(ask(3, '2026-03-03T04:59:30Z'), t('2026-03-03T04:59:30Z'))).toEqual({ status: 'queued', position: 1, perDay: 2 });
    // The queue wakes the gate at the next local midnight, 05:00Z in winter.
    expect(new Date(gate.nextWake(t('2026-03-03T04:59:30Z'))!).toISOString()).toBe('2026-03-03T05:00:00.000Z');
    // One minute past midnight: the new day releases the queue first, then has one place left.
    expect(gate.admit(ask(4, '2026-03-03T05:01:00Z'), t('2026-03-03T05:01:00Z'))).toEqual({ status: 'admitted', day: '2026-03-03' });
    expect(gate.takeReleases()).toEqual([{ ticket: 'acct-3#0', accountId: 'acct-3', firedAt: '2026-03-03T04:59:30Z', trigger: 'event', day: '2026-03-03' }]);
    expect(gate.admit(ask(5, '2026-03-03T05:02:00Z'), t('2026-03-03T05:02:00Z'))).toMatchObject({ status: 'queued', position: 1 });
    expect(gate.nextWake(t('2026-03-03T05:02:00Z'))).toBe(t('2026-03-04T05:00:00Z'));
  });

  it('rolls at local midnight across both daylight-saving changes: 23-hour and 25-hour days', () => {
    const gate = new ThrottleGate('welcome');
    // Saturday 2026-03-07 in New York: the next midnight is still EST (05:00Z); the one after is EDT (04:00Z).
    for (const n of [1, 2, 3, 4]) gate.admit(ask(n, '2026-03-07T15:00:00Z'), t('2026-03-07T15:00:00Z'));
    expect(gate.nextWake(t('2026-03-07T15:00:00Z'))).toBe(t('2026-03-08T05:00:00Z'));
    gate.roll(t('2026-03-08T05:00:00Z'));
    expect(gate.takeReleases().map((r) => [r.accountId, r.day])).toEqual([
      ['acct-3', '2026-03-08'],
      ['acct-4', '2026-03-08'],
    ]);
    for (const n of [5, 6, 7]) gate.admit(ask(n, '2026-03-08T12:00:00Z'), t('2026-03-08T12:00:00Z'));
    // 2026-03-08 has 23 hours: 04:00Z on 03-09 is its end.
    expect(gate.nextWake(t('2026-03-08T12:00:00Z'))).toBe(t('2026-03-09T04:00:00Z'));
    gate.roll(t('2026-03-09T03:59:59Z'));
    expect(gate.takeReleases()).toEqual([]);
    gate.roll(t('2026-03-09T04:00:00Z'));
    expect(gate.takeReleases().map((r) => [r.accountId, r.day])).toEqual([
      ['acct-5', '2026-03-09'],
      ['acct-6', '2026-03-09'],
    ]);
    // 2026-11-01 has 25 hours: it begins at 04:00Z and ends at 05:00Z on 11-02.
    const fall = new ThrottleGate('welcome');
    for (const n of [1, 2, 3]) fall.admit(ask(n, '2026-11-01T04:30:00Z'), t('2026-11-01T04:30:00Z'));
    expect(fall.view(t('2026-11-01T04:30:00Z'))).toMatchObject({ day: '2026-11-01', startedToday: 2, queue: [{ position: 1, accountId: 'acct-3' }] });
    expect(fall.nextWake(t('2026-11-01T04:30:00Z'))).toBe(t('2026-11-02T05:00:00Z'));
    expect(fall.admit(ask(4, '2026-11-02T04:59:00Z'), t('2026-11-02T04:59:00Z'))).toMatchObject({ status: 'queued', position: 2 });
  });

  it('counts Berlin days when the playbook calendar says so, whatever zone the firings come from', () => {
    const gate = new ThrottleGate('welcome');
    // 2026-03-29: Berlin goes to summer time at 01:00Z; its midnight after is 22:00Z.
    for (const n of [1, 2, 3]) gate.admit(ask(n, '2026-03-29T21:59:00Z', 'Europe/Berlin'), t('2026-03-29T21:59:00Z'));
    expect(gate.nextWake(t('2026-03-29T21:59:00Z'))).toBe(t('2026-03-29T22:00:00Z'));
    expect(gate.admit(ask(4, '2026-03-29T22:00:00Z', 'Europe/Berlin'), t('2026-03-29T22:00:00Z'))).toEqual({ status: 'admitted', day: '2026-03-30' });
    expect(gate.takeReleases().map((r) => r.accountId)).toEqual(['acct-3']);
  });

  it('gives a handed-back start’s place to the next in the queue that day only', () => {
    const gate = new ThrottleGate('welcome');
    for (const n of [1, 2, 3, 4]) gate.admit(ask(n, '2026-05-05T14:00:00Z'), t('2026-05-05T14:00:00Z'));
    gate.dropped({ ticket: 'acct-1#0', day: '2026-05-05' }, t('2026-05-05T15:00:00Z'));
    expect(gate.takeReleases().map((r) => r.accountId)).toEqual(['acct-3']);
    // A hand-back of yesterday's start frees nothing today.
    gate.roll(t('2026-05-06T04:00:00Z'));
    expect(gate.takeReleases().map((r) => r.accountId)).toEqual(['acct-4']);
    gate.dropped({ ticket: 'acct-2#0', day: '2026-05-05' }, t('2026-05-06T05:00:00Z'));
    expect(gate.view(t('2026-05-06T05:00:00Z'))).toMatchObject({ startedToday: 1, queue: [] });
  });

  it('answers a retried ask as before without counting it again, also after continue-as-new', () => {
    const gate = new ThrottleGate('welcome');
    const now = t('2026-05-05T14:00:00Z');
    for (const n of [1, 2, 3]) gate.admit(ask(n, '2026-05-05T14:00:00Z'), now);
    const next = new ThrottleGate('welcome', JSON.parse(JSON.stringify(gate.carry())));
    expect(next.admit(ask(1, '2026-05-05T14:00:00Z'), now)).toEqual({ status: 'admitted', day: '2026-05-05' });
    expect(next.admit(ask(3, '2026-05-05T14:00:00Z'), now)).toEqual({ status: 'queued', position: 1, perDay: 2 });
    expect(next.view(now)).toMatchObject({ perDay: 2, timezone: NEW_YORK, startedToday: 2, queue: [{ position: 1, ticket: 'acct-3#0' }] });
    expect(next.admit(ask(4, '2026-05-05T14:00:00Z'), now)).toMatchObject({ status: 'queued', position: 2 });
  });

  it('takes the newest N it is told, and refuses a firing once its queue is full', () => {
    const gate = new ThrottleGate('welcome');
    const now = t('2026-05-05T14:00:00Z');
    gate.admit(ask(1, '2026-05-05T14:00:00Z', NEW_YORK, 1), now);
    expect(gate.admit(ask(2, '2026-05-05T14:00:00Z', NEW_YORK, 1), now)).toMatchObject({ status: 'queued', position: 1, perDay: 1 });
    for (let n = 3; n < 10_002; n++) gate.admit(ask(n, '2026-05-05T14:00:00Z', NEW_YORK, 1), now);
    expect(gate.view(now).queue).toHaveLength(10_000);
    expect(gate.admit(ask(20_000, '2026-05-05T14:00:00Z', NEW_YORK, 1), now)).toEqual({ status: 'full', waiting: 10_000 });
    // A deploy raising N to 3: the next day releases three.
    gate.admit(ask(20_001, '2026-05-06T14:00:00Z', NEW_YORK, 3), t('2026-05-06T14:00:00Z'));
    expect(gate.takeReleases().map((r) => r.accountId)).toEqual(['acct-2', 'acct-3', 'acct-4']);
  });
});
