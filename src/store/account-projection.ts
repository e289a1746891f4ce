/**
 * How an account's entity reaches the store: one flush, in one transaction, writes the
 * account's current data and its new journal entries (the upserts it applied, the events it
 * received, the triggers that fired). Every entry has the entity's journal sequence number, so
 * the same flush twice, a retried activity, a replayed history or a second worker leaves one
 * row per entry (`on conflict do nothing`); the account row's `journal` never moves backwards,
 * and a flush that knows fewer entries than the row does (an older one arriving late) does not
 * overwrite its data.
 */
import type { Store } from './connect.js';

/** One thing the entity did that the store keeps (no Node types: the workflow bundle imports it as a type). */
export type AccountJournalEntry =
  | {
      kind: 'upsert';
      /** UTC ISO-8601, workflow time. */
      at: string;
      by: string;
      fields: Record<string, unknown>;
    }
  | {
      kind: 'event';
      at: string;
      name: string;
      payload?: Record<string, unknown>;
      /** The whole payload's key in `event_payloads` when `payload` holds only the fields read. */
      payloadRef?: string;
      by: string;
      eventId?: string;
      outcome: 'applied' | 'duplicate' | 'dropped';
      /** Workflow ids of the open runs it was delivered to. */
      reached: string[];
      error?: string;
    }
  | {
      kind: 'trigger';
      at: string;
      playbook: string;
      trigger: 'manual' | 'event' | 'date' | 'when' | 'cadence';
      detail: string;
      outcome: 'started' | 'alreadyOpen' | 'failed' | 'refused' | 'suppressed' | 'queued' | 'dropped';
      workflowId?: string;
      version?: string;
      error?: string;
      /** What the enrollment throttle did (`TriggerRecord.note`). */
      note?: string;
      /** The journal seq of the event that fired it. */
      event?: number;
    };

/** What an entity sends to the store at one flush (the `projectAccount` activity's input). */
export interface AccountFlush {
  accountId: string;
  /** The account's data now. */
  data: Record<string, unknown>;
  /** The journal seq of `entries[0]`. */
  from: number;
  entries: AccountJournalEntry[];
}

/** Rows per insert statement: well under PostgreSQL's 65,535 parameters. */
const CHUNK = 1_000;

export async function projectAccount(store: Store, flush: AccountFlush, now: Date = new Date()): Promise<void> {
  const { accountId, data, from, entries } = flush;
  const known = from + entries.length;
  const withSeq = entries.map((entry, i) => ({ entry, seq: from + i }));
  const lastUpsert = entries.filter((e): e is Extract<AccountJournalEntry, { kind: 'upsert' }> => e.kind === 'upsert').at(-1);
  await store.transaction().execute(async (tx) => {
    const changed = { data: JSON.stringify(data), updated_at: lastUpsert?.at ?? now, updated_by: lastUpsert?.by ?? null };
    await tx
      .insertInto('accounts')
      .values({ account_id: accountId, journal: known, created_at: entries[0]?.at ?? now, ...changed })
      .onConflict((c) =>
        c
          .column('account_id')
          .doUpdateSet((eb) => ({
            data: eb.ref('excluded.data'),
            journal: eb.fn('greatest', [eb.ref('accounts.journal'), eb.ref('excluded.journal')]),
            // A flush without an upsert leaves when and by whom the data last changed.
            ...(lastUpsert !== undefined && { updated_at: eb.ref('excluded.updated_at'), updated_by: eb.ref('excluded.updated_by') }),
          }))
          .where('accounts.journal', '<=', known),
      )
      .execute();

    const upserts = withSeq.flatMap(({ entry, seq }) =>
      entry.kind === 'upsert' ? [{ account_id: accountId, seq, at: entry.at, source: entry.by, fields: JSON.stringify(entry.fields) }] : [],
    );
    const events = withSeq.flatMap(({ entry, seq }) =>
      entry.kind === 'event'
        ? [
            {
              account_id: accountId,
              seq,
              event_id: entry.eventId ?? null,
              name: entry.name,
              payload: entry.payload === undefined ? null : JSON.stringify(entry.payload),
              source: entry.by,
              received_at: entry.at,
              outcome: entry.outcome,
              reached_runs: JSON.stringify(entry.reached),
              error: entry.error ?? null,
              payload_ref: entry.payloadRef ?? null,
            },
          ]
        : [],
    );
    const triggers = withSeq.flatMap(({ entry, seq }) =>
      entry.kind === 'trigger'
        ? [
            {
              account_id: accountId,
              seq,
              at: entry.at,
              playbook_id: entry.playbook,
              kind: entry.trigger,
              detail: entry.detail,
              outcome: entry.outcome,
              workflow_id: entry.workflowId ?? null,
              playbook_version: entry.version ?? null,
              error: entry.error ?? null,
              note: entry.note ?? null,
              event_seq: entry.event ?? null,
            },
          ]
        : [],
    );
    for (let i = 0; i < upserts.length; i += CHUNK) {
      await tx
        .insertInto('account_upserts')
        .values(upserts.slice(i, i + CHUNK))
        .onConflict((c) => c.columns(['account_id', 'seq']).doNothing())
        .execute();
    }
    for (let i = 0; i < events.length; i += CHUNK) {
      await tx
        .insertInto('account_events')
        .values(events.slice(i, i + CHUNK))
        .onConflict((c) => c.columns(['account_id', 'seq']).doNothing())
        .execute();
    }
    for (let i = 0; i < triggers.length; i += CHUNK) {
      await tx
        .insertInto('trigger_log')
        .values(triggers.slice(i, i + CHUNK))
        .onConflict((c) => c.columns(['account_id', 'seq']).doNothing())
        .execute();
    }
  });
}
