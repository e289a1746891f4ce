/**
 * What people read about accounts, from the store (schema.ts): the account list (searchable,
 * by segment and CSM, narrowed to a csm's book of business), one account, its trigger log,
 * the events it received and the timeline across all its runs. Lists are paged by an opaque
 * cursor over their sort key (keyset paging, as in reads.ts): the account list by name then
 * id; the trigger log and events newest first; the timeline newest first. Reads only.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { AccountData } from '../ir/types.js';
import type { TimelineEntry } from '../runtime/timeline.js';
import type { Store } from './connect.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, type Page } from './reads.js';
import type { StoredAccount, StoredAccountEvent, StoredAccountSummary, StoredAccountTimelineEntry, StoredTrigger, TriggerLogRow } from './schema.js';

/** A csm's book of business: accounts whose `user` fields name the user, and those granted. */
export interface BookScope {
  /** Lower case. */
  user: string | null;
  /** The deployed `account fields` of type `user` (csm, csm_manager ...). */
  userFields: string[];
  grants: string[];
}

export interface StoredAccountFilter {
  /** Part of the account's name or id, any case. */
  q?: string;
  segment?: string;
  /** The `csm` field, any case. */
  csm?: string;
  book?: BookScope;
  limit?: number;
  /** The `next` of the previous page. */
  cursor?: string;
}

export interface StoredPage {
  limit?: number;
  cursor?: string;
}

const nameKey = sql<string>`coalesce(lower(accounts.data->>'name'), '')`;

/** Accounts matching `filter`, by name (unnamed first), then id. */
export async function listStoredAccounts(store: Store, filter: StoredAccountFilter = {}): Promise<Page<StoredAccountSummary>> {
  const limit = filter.limit ?? DEFAULT_PAGE_SIZE;
  let query = store
    .selectFrom('accounts')
    .select(['account_id', 'data', 'updated_at'])
    .select(nameKey.as('name_key'))
    .select((eb) =>
      eb
        .selectFrom('runs')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('runs.account_id', '=', 'accounts.account_id')
        .where('runs.ended_at', 'is', null)
        .as('open_runs'),
    );
  if (filter.q !== undefined && filter.q !== '') {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<SqlBool>`(accounts.account_id ilike ${like} or accounts.data->>'name' ilike ${like})`);
  }
  if (filter.segment !== undefined) query = query.where(sql<SqlBool>`accounts.data->>'segment' = ${filter.segment}`);
  if (filter.csm !== undefined) query = query.where(sql<SqlBool>`lower(accounts.data->>'csm') = ${filter.csm.toLowerCase()}`);
  if (filter.book !== undefined) query = query.where(accountsInBook(filter.book));
  if (filter.cursor !== undefined) {
    const [name, id] = decodeCursor(filter.cursor, 2, 'cursor');
    query = query.where(sql<SqlBool>`(${nameKey}, accounts.account_id) > (${name}, ${id})`);
  }
  const rows = await query
    .orderBy(nameKey)
    .orderBy('account_id')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      accountId: row.account_id,
      name: text(row.data['name']),
      segment: text(row.data['segment']),
      csm: text(row.data['csm']),
      renewalDate: text(row.data['renewal_date']),
      openRuns: Number(row.open_runs ?? 0),
      updatedAt: row.updated_at.toISOString(),
    })),
    next: rows.length > limit && last !== undefined ? encodeCursor([last.name_key, last.account_id]) : null,
  };
}

/** The account as the store has it, or null when it has none by that id. */
export async function getStoredAccount(store: Store, accountId: string): Promise<StoredAccount | null> {
  const row = await store.selectFrom('accounts').selectAll().where('account_id', '=', accountId).executeTakeFirst();
  if (row === undefined) return null;
  const open = await store
    .selectFrom('runs')
    .select('workflow_id')
    .where('account_id', '=', accountId)
    .where('ended_at', 'is', null)
    .orderBy('started_at', 'desc')
    .orderBy('run_id', 'desc')
    .execute();
  return {
    accountId: row.account_id,
    data: row.data as AccountData,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    updatedBy: row.updated_by,
    openRuns: open.map((r) => r.workflow_id),
  };
}

/** Whether the account is in the book: the store's copy of the data decides, as the entity's would. */
export async function storedAccountInBook(store: Store, accountId: string, book: BookScope): Promise<boolean> {
  const row = await store.selectFrom('accounts').select('account_id').where('account_id', '=', accountId).where(accountsInBook(book)).executeTakeFirst();
  return row !== undefined;
}

/** The account's trigger log, newest first. */
export async function storedTriggerLog(store: Store, accountId: string, page: StoredPage = {}): Promise<Page<StoredTrigger>> {
  const limit = page.limit ?? DEFAULT_PAGE_SIZE;
  let query = store.selectFrom('trigger_log').selectAll().where('account_id', '=', accountId);
  if (page.cursor !== undefined) query = query.where('seq', '<', seqOf(page.cursor));
  const rows = await query
    .orderBy('seq', 'desc')
    .limit(limit + 1)
    .execute();
  return seqPage(rows, limit, triggerOf);
}

/** The events the account received, newest first, each with the triggers it fired. */
export async function storedAccountEvents(store: Store, accountId: string, page: StoredPage = {}): Promise<Page<StoredAccountEvent>> {
  const limit = page.limit ?? DEFAULT_PAGE_SIZE;
  // An event whose payload was kept out of history reads as it was sent: whole, from `event_payloads`.
  let query = store
    .selectFrom('account_events')
    .leftJoin('event_payloads', 'event_payloads.payload_ref', 'account_events.payload_ref')
    .selectAll('account_events')
    .select('event_payloads.payload as whole_payload')
    .where('account_id', '=', accountId);
  if (page.cursor !== undefined) query = query.where('seq', '<', seqOf(page.cursor));
  const rows = await query
    .orderBy('seq', 'desc')
    .limit(limit + 1)
    .execute();
  const seqs = rows.slice(0, limit).map((r) => r.seq);
  const fired =
    seqs.length === 0
      ? []
      : await store.selectFrom('trigger_log').selectAll().where('account_id', '=', accountId).where('event_seq', 'in', seqs).orderBy('seq').execute();
  return seqPage(rows, limit, (row) => ({
    seq: row.seq,
    eventId: row.event_id,
    name: row.name,
    payload: row.whole_payload ?? row.payload,
    source: row.source,
    receivedAt: row.received_at.toISOString(),
    outcome: row.outcome,
    reachedRuns: row.reached_runs,
    error: row.error,
    triggers: fired.filter((t) => t.event_seq === row.seq).map((t) => ({ seq: t.seq, playbook: t.playbook_id, outcome: t.outcome, workflowId: t.workflow_id })),
  }));
}

/** The timeline entries of all the account's runs, newest first (by instant, then run, then seq). */
export async function storedAccountTimeline(store: Store, accountId: string, page: StoredPage = {}): Promise<Page<StoredAccountTimelineEntry>> {
  const limit = page.limit ?? DEFAULT_PAGE_SIZE;
  let query = store
    .selectFrom('timeline_entries')
    .innerJoin('runs', 'runs.run_id', 'timeline_entries.run_id')
    .select([
      'timeline_entries.run_id',
      'timeline_entries.workflow_id',
      'timeline_entries.seq',
      'timeline_entries.at',
      'timeline_entries.entry',
      'runs.playbook_id',
    ])
    .where('runs.account_id', '=', accountId);
  if (page.cursor !== undefined) {
    const [at, runId, seq] = decodeCursor(page.cursor, 3, 'cursor');
    query = query.where(sql<SqlBool>`(timeline_entries.at, timeline_entries.run_id, timeline_entries.seq) < (${at}::timestamptz, ${runId}, ${Number(seq)})`);
  }
  const rows = await query
    .orderBy('timeline_entries.at', 'desc')
    .orderBy('timeline_entries.run_id', 'desc')
    .orderBy('timeline_entries.seq', 'desc')
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map((r) => ({ workflowId: r.workflow_id, runId: r.run_id, playbook: r.playbook_id, seq: r.seq, entry: r.entry as unknown as TimelineEntry })),
    next: rows.length > limit && last !== undefined ? encodeCursor([last.at.toISOString(), last.run_id, String(last.seq)]) : null,
  };
}

/** The condition on the `accounts` table (by that name) that keeps the accounts of the book. */
export function accountsInBook({ user, userFields, grants }: BookScope): Expression<SqlBool> {
  const named = user === null ? [] : userFields.map((field) => sql<SqlBool>`lower(accounts.data->>${field}) = ${user}`);
  const granted = grants.length === 0 ? [] : [sql<SqlBool>`accounts.account_id in (${sql.join(grants)})`];
  const any = [...named, ...granted];
  return any.length === 0 ? sql<SqlBool>`false` : sql<SqlBool>`(${sql.join(any, sql` or `)})`;
}

function triggerOf(row: TriggerLogRow): StoredTrigger {
  return {
    seq: row.seq,
    at: row.at.toISOString(),
    playbook: row.playbook_id,
    kind: row.kind,
    detail: row.detail,
    outcome: row.outcome,
    workflowId: row.workflow_id,
    version: row.playbook_version,
    error: row.error,
    note: row.note,
    eventSeq: row.event_seq,
  };
}

function seqOf(cursor: string): number {
  return Number(decodeCursor(cursor, 1, 'cursor')[0]);
}

function seqPage<R extends { seq: number }, T>(rows: R[], limit: number, map: (row: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(map), next: rows.length > limit && last !== undefined ? encodeCursor([String(last.seq)]) : null };
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
