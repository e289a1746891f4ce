/**
 * Accounts in the store (PGlite and PostgreSQL): an entity's flushes leave one row per journal
 * entry however often they come, and never move the account's data back; runs project their
 * escalations; and the account reads (list, one account, trigger log, events, timeline) page,
 * filter and narrow to a csm's book.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../src/runtime/timeline.js';
import { projectAccount, type AccountFlush, type AccountJournalEntry } from '../../src/store/account-projection.js';
import {
  getStoredAccount,
  listStoredAccounts,
  storedAccountEvents,
  storedAccountInBook,
  storedAccountTimeline,
  storedTriggerLog,
} from '../../src/store/account-reads.js';
import type { Store } from '../../src/store/connect.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { projectRun } from '../../src/store/projection.js';
import { BACKENDS, startBackend, type Backend } from './backends.js';
import { insertEntries, insertRun } from './fixtures.js';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 6, 9, minute)).toISOString();

/** Created, an event that reached a run and started another, a duplicate, a refused manual start, an update. */
const JOURNAL: AccountJournalEntry[] = [
  { kind: 'upsert', at: at(0), by: 'import:crm.csv', fields: { name: 'Acme', segment: 'enterprise', csm: 'Ann@example.com' } },
  {
    kind: 'trigger',
    at: at(0),
    playbook: 'rescue',
    trigger: 'when',
    detail: 'when health < 50',
    outcome: 'started',
    workflowId: 'playbook:rescue:acme',
    version: 'v1',
  },
  {
    kind: 'event',
    at: at(1),
    name: 'kickoff.held',
    payload: { attendees: 3 },
    by: 'api:crm',
    eventId: 'e-1',
    outcome: 'applied',
    reached: ['playbook:rescue:acme'],
  },
  {
    kind: 'trigger',
    at: at(1),
    playbook: 'onboarding',
    trigger: 'event',
    detail: 'event "kickoff.held"',
    outcome: 'started',
    workflowId: 'playbook:onboarding:acme',
    version: 'v2',
    event: 2,
  },
  { kind: 'event', at: at(2), name: 'kickoff.held', by: 'api:crm', eventId: 'e-1', outcome: 'duplicate', reached: [] },
  { kind: 'trigger', at: at(3), playbook: 'nope', trigger: 'manual', detail: 'manual by ann', outcome: 'refused', error: 'playbook nope is not deployed' },
  { kind: 'upsert', at: at(4), by: 'api:crm', fields: { health: 40 } },
];
const DATA_AFTER = [
  { id: 'acme', name: 'Acme', segment: 'enterprise', csm: 'Ann@example.com' },
  { id: 'acme', name: 'Acme', segment: 'enterprise', csm: 'Ann@example.com', health: 40 },
];

function flush(accountId: string, from: number, upTo: number): AccountFlush {
  return { accountId, data: { ...(upTo > 6 ? DATA_AFTER[1] : DATA_AFTER[0]), id: accountId }, from, entries: JOURNAL.slice(from, upTo) };
}

describe.each(BACKENDS)('accounts in the store on %s', (name) => {
  let backend: Backend;
  let store: Store;
  beforeAll(async () => {
    backend = await startBackend(name);
    ({ store } = await backend.freshDatabase());
    await migrateToLatest(store);
  });
  afterAll(async () => {
    await backend?.stop();
  });

  const rowsOf = async (accountId: string) => ({
    account: await store
      .selectFrom('accounts')
      .select(['data', 'journal', 'updated_at', 'updated_by'])
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow(),
    upserts: await store.selectFrom('account_upserts').select(['seq', 'source', 'fields']).where('account_id', '=', accountId).orderBy('seq').execute(),
    events: await store
      .selectFrom('account_events')
      .select(['seq', 'name', 'outcome', 'reached_runs'])
      .where('account_id', '=', accountId)
      .orderBy('seq')
      .execute(),
    triggers: await store
      .selectFrom('trigger_log')
      .select(['seq', 'playbook_id', 'outcome', 'event_seq'])
      .where('account_id', '=', accountId)
      .orderBy('seq')
      .execute(),
  });

  it('writes the account, every upsert with its source, the events and the trigger log, keyed by journal seq', async () => {
    await projectAccount(store, flush('a1', 0, 4));
    await projectAccount(store, flush('a1', 4, 7));
    expect(await rowsOf('a1')).toEqual({
      account: { data: { ...DATA_AFTER[1], id: 'a1' }, journal: 7, updated_at: new Date(at(4)), updated_by: 'api:crm' },
      upserts: [
        { seq: 0, source: 'import:crm.csv', fields: { name: 'Acme', segment: 'enterprise', csm: 'Ann@example.com' } },
        { seq: 6, source: 'api:crm', fields: { health: 40 } },
      ],
      events: [
        { seq: 2, name: 'kickoff.held', outcome: 'applied', reached_runs: ['playbook:rescue:acme'] },
        { seq: 4, name: 'kickoff.held', outcome: 'duplicate', reached_runs: [] },
      ],
      triggers: [
        { seq: 1, playbook_id: 'rescue', outcome: 'started', event_seq: null },
        { seq: 3, playbook_id: 'onboarding', outcome: 'started', event_seq: 2 },
        { seq: 5, playbook_id: 'nope', outcome: 'refused', event_seq: null },
      ],
    });
  });

  it('leaves one row per entry when flushes repeat or overlap, also at once, and never moves the data back', async () => {
    for (let i = 0; i < 2; i++)
      await Promise.all([projectAccount(store, flush('a2', 0, 4)), projectAccount(store, flush('a2', 2, 7)), projectAccount(store, flush('a2', 0, 7))]);
    // A retried first flush arriving last.
    await projectAccount(store, flush('a2', 0, 4));
    const a1 = await rowsOf('a1');
    expect(await rowsOf('a2')).toEqual({ ...a1, account: { ...a1.account, data: { ...a1.account.data, id: 'a2' } } });
  });

  it("keeps the enrollment throttle's firings: queued with its note, started from the queue, dropped with the reason", async () => {
    const fired = { kind: 'trigger', playbook: 'welcome', trigger: 'event', detail: 'event "signed.up"' } as const;
    const entries: AccountJournalEntry[] = [
      { ...fired, at: at(10), outcome: 'queued', note: 'by the enrollment throttle (2 per day), position 3' },
      { ...fired, at: at(11), outcome: 'started', workflowId: 'playbook:welcome:a3', version: 'v1', note: `from the throttle queue (fired ${at(10)})` },
      { ...fired, at: at(12), outcome: 'dropped', error: 'its run playbook:welcome:a3 is open' },
    ];
    await projectAccount(store, { accountId: 'a3', data: { id: 'a3' }, from: 0, entries });
    expect((await storedTriggerLog(store, 'a3')).items.map((t) => [t.seq, t.outcome, t.note, t.error])).toEqual([
      [2, 'dropped', null, 'its run playbook:welcome:a3 is open'],
      [1, 'started', `from the throttle queue (fired ${at(10)})`, null],
      [0, 'queued', 'by the enrollment throttle (2 per day), position 3', null],
    ]);
  });

  it('projects a run’s escalations once: to whom, from which step', async () => {
    const entries: TimelineEntry[] = [
      { at: at(0), kind: 'start', stage: null, line: 1 },
      { at: at(5), kind: 'escalate', stage: 'kickoff', to: 'manager@example.com', severity: 'high', text: 'No kickoff after 5 days', line: 12 },
    ];
    const run = {
      workflowId: 'playbook:onboarding:esc',
      runId: 'esc-run',
      run: {
        playbook: 'onboarding',
        version: 'v',
        accountId: 'esc',
        status: 'running',
        stage: 'kickoff',
        outcome: null,
        outcomeLabel: null,
        startedAt: at(0),
        endedAt: null,
      },
      from: 0,
      entries,
      questions: {},
      completedBy: {},
      ended: null,
    };
    await projectRun(store, run);
    await projectRun(store, run);
    expect(await store.selectFrom('escalations').selectAll().where('run_id', '=', 'esc-run').execute()).toEqual([
      {
        run_id: 'esc-run',
        seq: 1,
        workflow_id: 'playbook:onboarding:esc',
        account_id: 'esc',
        playbook_id: 'onboarding',
        at: new Date(at(5)),
        recipient: 'manager@example.com',
        severity: 'high',
        text: 'No kickoff after 5 days',
        stage: 'kickoff',
        line: 12,
      },
    ]);
  });

  describe('reads', () => {
    let db: Store;
    beforeAll(async () => {
      ({ store: db } = await backend.freshDatabase());
      await migrateToLatest(db);
      const accounts = [
        { id: 'acme', name: 'Acme Corp', segment: 'enterprise', csm: 'ann@example.com', renewal_date: '2027-03-01' },
        { id: 'globex', name: 'Globex', segment: 'smb', csm: 'bob@example.com', renewal_date: '2027-06-30' },
        { id: 'initech', name: 'Initech 100%', segment: 'smb', csm: 'bob@example.com' },
        { id: 'umbrella', segment: 'enterprise', csm: 'ANN@example.com', csm_manager: 'cy@example.com' },
      ];
      for (const data of accounts) {
        await projectAccount(db, { accountId: data.id, data, from: 0, entries: [{ kind: 'upsert', at: at(0), by: 'import:crm.csv', fields: data }] });
      }
      await projectAccount(db, { ...flush('acme', 1, 6), data: accounts[0]! });
      await insertRun(db, { workflow_id: 'playbook:onboarding:acme', started_at: at(1) });
      await insertRun(db, { workflow_id: 'playbook:rescue:acme', started_at: at(0), ended_at: at(9) });
      await insertEntries(db, 'playbook:onboarding:acme', [
        { at: at(1), kind: 'start', stage: null, line: 1 },
        { at: at(3), kind: 'note', stage: 'kickoff', text: 'three', line: 5 },
      ]);
      await insertEntries(db, 'playbook:rescue:acme', [
        { at: at(0), kind: 'start', stage: null, line: 1 },
        { at: at(2), kind: 'stop', stage: null, text: 'saved', line: 9 },
      ]);
    });

    it('lists accounts by name (unnamed first) with segment, CSM, renewal date and open runs, paged', async () => {
      const all = await listStoredAccounts(db);
      expect(all.items.map((a) => a.accountId)).toEqual(['umbrella', 'acme', 'globex', 'initech']);
      expect(all.items[1]).toEqual({
        accountId: 'acme',
        name: 'Acme Corp',
        segment: 'enterprise',
        csm: 'ann@example.com',
        renewalDate: '2027-03-01',
        openRuns: 1,
        updatedAt: at(0),
      });
      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await listStoredAccounts(db, { limit: 3, ...(cursor !== undefined && { cursor }) });
        pages.push(page.items.map((a) => a.accountId));
        cursor = page.next ?? undefined;
      } while (cursor !== undefined);
      expect(pages).toEqual([['umbrella', 'acme', 'globex'], ['initech']]);
      await expect(listStoredAccounts(db, { cursor: 'nope' })).rejects.toThrow('cursor: not a cursor');
    });

    it('searches by name or id, filters by segment and CSM, and narrows to a book', async () => {
      const ids = async (filter: Parameters<typeof listStoredAccounts>[1]) => (await listStoredAccounts(db, filter)).items.map((a) => a.accountId);
      expect(await ids({ q: 'CORP' })).toEqual(['acme']);
      expect(await ids({ q: 'umb' })).toEqual(['umbrella']);
      expect(await ids({ q: '100%' })).toEqual(['initech']);
      expect(await ids({ q: '%' })).toEqual(['initech']);
      expect(await ids({ segment: 'smb' })).toEqual(['globex', 'initech']);
      expect(await ids({ csm: 'Ann@Example.com' })).toEqual(['umbrella', 'acme']);
      const cy = { user: 'cy@example.com', userFields: ['csm', 'csm_manager'], grants: ['globex'] };
      expect(await ids({ book: cy })).toEqual(['umbrella', 'globex']);
      expect(await ids({ book: { user: 'nobody@example.com', userFields: ['csm'], grants: [] } })).toEqual([]);
      expect(await storedAccountInBook(db, 'umbrella', cy)).toBe(true);
      expect(await storedAccountInBook(db, 'acme', cy)).toBe(false);
    });

    it('reads one account with its open runs, and null for an unknown one', async () => {
      expect(await getStoredAccount(db, 'acme')).toEqual({
        accountId: 'acme',
        data: { id: 'acme', name: 'Acme Corp', segment: 'enterprise', csm: 'ann@example.com', renewal_date: '2027-03-01' },
        createdAt: at(0),
        updatedAt: at(0),
        updatedBy: 'import:crm.csv',
        openRuns: ['playbook:onboarding:acme'],
      });
      expect(await getStoredAccount(db, 'nobody')).toBeNull();
    });

    it('reads the trigger log and the events newest first, an event with the triggers it fired', async () => {
      const log = await storedTriggerLog(db, 'acme', { limit: 2 });
      expect(log.items.map((t) => [t.seq, t.playbook, t.outcome])).toEqual([
        [5, 'nope', 'refused'],
        [3, 'onboarding', 'started'],
      ]);
      expect(log.items[0]).toMatchObject({ kind: 'manual', error: 'playbook nope is not deployed', workflowId: null });
      const rest = await storedTriggerLog(db, 'acme', { limit: 2, cursor: log.next! });
      expect(rest).toEqual({ items: [expect.objectContaining({ seq: 1, playbook: 'rescue', workflowId: 'playbook:rescue:acme', version: 'v1' })], next: null });
      const events = await storedAccountEvents(db, 'acme');
      expect(events).toEqual({
        items: [
          expect.objectContaining({ seq: 4, outcome: 'duplicate', triggers: [], payload: null }),
          {
            seq: 2,
            eventId: 'e-1',
            name: 'kickoff.held',
            payload: { attendees: 3 },
            source: 'api:crm',
            receivedAt: at(1),
            outcome: 'applied',
            reachedRuns: ['playbook:rescue:acme'],
            error: null,
            triggers: [{ seq: 3, playbook: 'onboarding', outcome: 'started', workflowId: 'playbook:onboarding:acme' }],
          },
        ],
        next: null,
      });
      expect(await storedAccountEvents(db, 'globex')).toEqual({ items: [], next: null });
    });

    it('reads the timeline across all the account’s runs, newest first, paged', async () => {
      const first = await storedAccountTimeline(db, 'acme', { limit: 3 });
      expect(first.items.map((e) => [e.playbook, e.seq, e.entry['kind']])).toEqual([
        ['onboarding', 1, 'note'],
        ['rescue', 1, 'stop'],
        ['onboarding', 0, 'start'],
      ]);
      const second = await storedAccountTimeline(db, 'acme', { limit: 3, cursor: first.next! });
      expect(second).toEqual({ items: [expect.objectContaining({ playbook: 'rescue', seq: 0, workflowId: 'playbook:rescue:acme' })], next: null });
    });
  });
});
