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

/**
 * `payload` as an event carries it into workflow history: whole when it is at most
 * `inlineBytes` as JSON, without a store, or when a receiver reads it whole (`reads` null);
 * else written to the store, with only the fields the receivers read and the store's key.
 */
/** Whether `payload` is too large to go into workflow history whole (over `inlineBytes`): then the store keeps it. */
export function outgrowsHistory(payload: Record<string, unknown>, inlineBytes: number): boolean {
  return utf8Length(JSON.stringify(payload)) > inlineBytes;
}

export async function keptOutOfHistory(
  store: Store | null,
  payload: Record<string, unknown> | undefined,
  reads: ReadonlySet<string> | null,
  inlineBytes: number,
): Promise<{ payload?: Record<string, unknown>; payloadRef?: string }> {
  if (payload === undefined) return {};
  if (store === null || reads === null || !outgrowsHistory(payload, inlineBytes)) return { payload };
  const payloadRef = await storeEventPayload(store, payload);
  return { payload: Object.fromEntries(Object.entries(payload).filter(([field]) => reads.has(field))), payloadRef };
}
