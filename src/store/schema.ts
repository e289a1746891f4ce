/**
 * The system of record's tables, as the typed queries see them. Temporal holds what a run needs
 * to go on; these tables hold what people read (ARCHITECTURE.md, "System of record"). Every
 * row a workflow causes has a natural unique key (workflow id + sequence, idempotency key), so
 * a replayed history, a retried activity or a second worker writes the same row again instead
 * of a second one. Migrations in `migrations/` create exactly these columns.
 */
import type { ColumnType, Generated, Selectable } from 'kysely';

/** A timestamptz: written as a Date or ISO string, read as a Date. */
type Instant = ColumnType<Date, Date | string, Date | string>;

/**
 * The delivery ledger shared by every worker: a send is recorded `pending` (claimed by one
 * attempt) before it goes out and `sent` after (a transactional outbox, keyed by the
 * delivery's idempotency key).
 */
export interface DeliveriesTable {
  idempotency_key: string;
  state: 'pending' | 'sent';
  /** Which attempt holds the claim while pending (host, pid and a random part). */
  claimed_by: string;
  claimed_at: Instant;
  sent_at: Instant | null;
  attempts: Generated<number>;
}

export interface StoreDatabase {
  deliveries: DeliveriesTable;
}

export type DeliveryRow = Selectable<DeliveriesTable>;
