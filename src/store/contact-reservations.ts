/**
 * The store's contact ledger (schema.ts, `contact_reservations`): one transaction per decision
 * holds an advisory lock on the contact's address, finds a decision made before for the same
 * key, else counts the reservations in the windows the caps look at, decides and records it.
 * So two runs of any playbooks, on any workers, never both take the last place under a cap.
 */
import { sql } from 'kysely';
import { reservedAt, type ContactLedger, type ContactReservation } from '../outreach/contact-ledger.js';
import { decideContact, lookbackFrom } from '../outreach/contact-policy.js';
import type { ContactDecision } from '../runtime/effects.js';
import type { Store } from './connect.js';
import { normalAddress } from './suppressions.js';

export class StoreContactLedger implements ContactLedger {
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  reserve({ key, accountId, workflowId, playbook, request }: ContactReservation): Promise<ContactDecision> {
    const address = normalAddress(request.to);
    return this.store.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(hashtextextended(${address}, 0))`.execute(tx);
      const earlier = await tx.selectFrom('contact_reservations').select('decision').where('idempotency_key', '=', key).executeTakeFirst();
      if (earlier) return earlier.decision;
      const rows = await tx
        .selectFrom('contact_reservations')
        .select('reserved_at')
        .where('address', '=', address)
        .where('reserved_at', '>=', new Date(lookbackFrom(request)))
        .execute();
      const decision = decideContact(
        request,
        rows.map((r) => r.reserved_at!.getTime()),
      );
      const at = reservedAt(decision);
      await tx
        .insertInto('contact_reservations')
        .values({
          idempotency_key: key,
          address,
          account_id: accountId,
          workflow_id: workflowId,
          playbook_id: playbook,
          decision: JSON.stringify(decision),
          reserved_at: at === null ? null : new Date(at),
          created_at: new Date(this.now()),
        })
        .execute();
      return decision;
    });
  }
}
