/**
 * The account entity's projection to the store, workflow side: the entries the entity wants
 * kept (upserts applied, events received, triggers fired or refused), numbered in order by a
 * journal sequence carried across continue-as-new, and one `projectAccount` flush at a time
 * with those the store has not confirmed. The workflow calls `settle()` where the entity
 * blocks (waiting for its next input or wake): a flush starts there if something is not
 * stored and none is in flight, and the entity goes on without waiting for it; a flush that
 * lands starts the next one if more came meanwhile. Retries are the activity's (without
 * limit, backing off to a minute), so a store outage delays the projection, never the entity.
 *
 * Entries wait in the journal until stored, and continue-as-new carries them, so a long
 * outage must not grow the carry past Temporal's payload limit: past `MAX_PENDING_ENTRIES`
 * or `MAX_PENDING_BYTES` the oldest are dropped and alerted. Before the entity knows whether
 * its worker has a store (its first read of the triggers says), entries wait; once it knows
 * there is none, it keeps nothing. Workflow code only.
 */
import type { AccountData } from '../ir/types.js';
import type { AccountFlush, AccountJournalEntry } from './activities/projection-options.js';
import { jsonBytes } from './event-limits.js';

export interface JournalCarry {
  /** The seq of the next entry. */
  next: number;
  /** The entries the store has not confirmed, oldest first: the last has seq `next - 1`. */
  pending: AccountJournalEntry[];
  /** Whether the worker had a store at the last read of the triggers; absent before the first. */
  store?: boolean;
}

export interface JournalPort {
  /** Whether entries are kept at all: false for histories from before the journal (a patch). */
  journals(): boolean;
  /** The `projectAccount` activity; rejects only when it failed for good. */
  project(flush: AccountFlush): Promise<void>;
  /** Entries dropped unstored (the store was out too long). */
  dropped(count: number): void;
}

/** Entries kept unstored at most: a store outage must not grow the carry without bound. */
export const MAX_PENDING_ENTRIES = 500;
export const MAX_PENDING_BYTES = 384 * 1024;

export class AccountJournal {
  private next: number;
  private readonly pending: AccountJournalEntry[];
  private pendingBytes = 0;
  private inFlight: Promise<boolean> | null = null;
  /** Whether the worker has a store; null until the triggers were first read. */
  private store: boolean | null;

  constructor(
    private readonly accountId: string,
    private readonly port: JournalPort,
    carried: JournalCarry | undefined,
  ) {
    this.next = carried?.next ?? 0;
    this.pending = [...(carried?.pending ?? [])];
    this.store = carried?.store ?? null;
    for (const entry of this.pending) this.pendingBytes += jsonBytes(entry);
  }

  /** Keeps `entry` for the store; returns its seq, or null when nothing is kept. */
  record(entry: AccountJournalEntry): number | null {
    if (this.store === false || !this.port.journals()) return null;
    const seq = this.next++;
    this.pending.push(entry);
    this.pendingBytes += jsonBytes(entry);
    let dropped = 0;
    while (this.pending.length > 1 && (this.pending.length > MAX_PENDING_ENTRIES || this.pendingBytes > MAX_PENDING_BYTES)) {
      this.pendingBytes -= jsonBytes(this.pending.shift());
      dropped++;
    }
    if (dropped > 0) this.port.dropped(dropped);
    return seq;
  }

  /** What the triggers' read said: whether the worker has a store. */
  storeIs(present: boolean): void {
    this.store = present;
    if (!present) {
      this.pending.length = 0;
      this.pendingBytes = 0;
    }
  }

  /** Starts a flush if the store lacks something and none is in flight; never waits for it. */
  settle(data: () => AccountData): void {
    if (this.inFlight !== null || this.store !== true || this.pending.length === 0) return;
    const flight = this.flush(data());
    this.inFlight = flight;
    void flight.then((landed) => {
      this.inFlight = null;
      // A failed flush (not a store outage: those are retried) waits for the next blocking point.
      if (landed) this.settle(data);
    });
  }

  /** For the state query: entries waiting for the store. */
  lag(): number {
    return this.pending.length;
  }

  carry(): JournalCarry {
    return { next: this.next, pending: [...this.pending], ...(this.store !== null && { store: this.store }) };
  }

  private async flush(data: AccountData): Promise<boolean> {
    const entries = [...this.pending];
    const from = this.next - entries.length;
    try {
      await this.port.project({ accountId: this.accountId, data, from, entries });
    } catch {
      return false;
    }
    // Entries dropped meanwhile went from the front: only those still pending up to `from + n` are stored now.
    const stored = Math.min(this.pending.length, from + entries.length - (this.next - this.pending.length));
    for (let i = 0; i < stored; i++) this.pendingBytes -= jsonBytes(this.pending.shift());
    return true;
  }
}
