/**
 * Event payloads kept out of workflow history (schema.ts, `EventPayloadsTable`): the API
 * writes a payload over `api.inlineEventPayloadBytes` here before it sends the event, and
 * the event carries the row's key (`payloadRef`) with only the fields deployed programs read.
 * Keyed by the SHA-256 of the payload's JSON, so writing it again (a retried request, the
 * same payload for many accounts) is the same row.
 */
import { createHash } from 'node:crypto';
import { utf8Length } from '../ir/utf8.js';
import type { Store } from './connect.js';

/** Writes `payload` (idempotent) and returns its key, `sha256:<hex>`. */
export async function storeEventPayload(store: Store, payload: Record<string, unknown>): Promise<string> {
  const json = JSON.stringify(payload);
  const ref = `sha256:${createHash('sha256').update(json).digest('hex')}`;
  await store
    .insertInto('event_payloads')
    .values({ payload_ref: ref, payload: json, bytes: utf8Length(json), created_at: new Date() })
    .onConflict((c) => c.column('payload_ref').doNothing())
    .execute();
  return ref;
}
