/** The store's contact ledger: decisions serialised per contact, made once per key, counted across runs. */
import { describe, expect, it } from 'vitest';
import { defaultCalendar } from '../../src/calendar/index.js';
import { StoreContactLedger } from '../../src/store/contact-reservations.js';
import type { Store } from '../../src/store/connect.js';
import { BACKENDS, useMigratedStore } from './backends.js';

const policy = { caps: [{ count: 2, days: 5, business: true }], whenCapped: 'skip' as const };
const reservation = (key: string, to: string, at: string) => ({
  key,
  accountId: 'acme',
  workflowId: `wf-${key}`,
  playbook: 'welcome',
  request: { to, at: Date.parse(at), policy, calendar: defaultCalendar, sendWindow: null },
});

describe.each(BACKENDS)('contact reservations in the store on %s', (name) => {
  let store: Store;
  useMigratedStore(name, (opened) => (store = opened));

  it('lets two emails through, skips the third made at once from other runs, and answers a retried key alike', async () => {
    const ledger = new StoreContactLedger(store);
    const decisions = await Promise.all(
      ['a', 'b', 'c'].map((key, i) => ledger.reserve(reservation(key, i === 1 ? 'Pat@Acme.example' : 'pat@acme.example', `2026-03-02T1${i}:00:00Z`))),
    );
    expect(decisions.map((d) => d.kind).sort()).toEqual(['send', 'send', 'skip']);
    expect(await ledger.reserve(reservation('a', 'pat@acme.example', '2026-03-09T10:00:00Z'))).toEqual(decisions[0]);
    const rows = await store.selectFrom('contact_reservations').select(['address', 'reserved_at']).execute();
    expect(rows.map((r) => r.address)).toEqual(['pat@acme.example', 'pat@acme.example', 'pat@acme.example']);
    expect(rows.filter((r) => r.reserved_at !== null)).toHaveLength(2);
  });
});
