/**
 * Signed webhooks: a JSON POST that the receiving integration can authenticate.
 *
 * Scheme (what integrations verify):
 *   X-Playbook-Timestamp: <unix seconds when it was sent>
 *   X-Playbook-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>", keyed by the endpoint's secret>
 *   Idempotency-Key:      <workflow id>/<run id>/<step key>, as `headerSafe` sends it
 * The receiver recomputes the HMAC over the exact bytes received, compares in constant time,
 * rejects timestamps more than a few minutes old (replays), and treats a repeated
 * Idempotency-Key as already processed. A retry carries a fresh timestamp and signature but
 * the same Idempotency-Key and body. The body's `key` holds the key as it is.
 */
import { createHmac } from 'node:crypto';
import type { WebhookEndpoint } from '../config/types.js';
import type { DeliveryReceipt } from './delivery-ledger.js';
import { postJson } from './http-post.js';

export const SIGNATURE_HEADER = 'X-Playbook-Signature';
export const TIMESTAMP_HEADER = 'X-Playbook-Timestamp';
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

export function signBody(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * An id as a header value: `%` and every character outside printable ASCII become their UTF-8
 * bytes percent-encoded (`café 50%` is `caf%C3%A9%2050%25`); ids of printable ASCII without
 * `%` are sent unchanged. HTTP headers carry Latin-1 at most, and account ids can hold any text.
 */
export function headerSafe(id: string): string {
  return id.replace(/[^\x21-\x24\x26-\x7e]/gu, (c) => [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
}

export interface SignedPost {
  endpoint: WebhookEndpoint;
  /** For messages: the endpoint's name in the configuration. */
  name: string;
  payload: unknown;
  idempotencyKey: string;
  /** Epoch ms, for the timestamp. */
  now: number;
}

export function postSignedWebhook(post: SignedPost): Promise<DeliveryReceipt> {
  const body = JSON.stringify(post.payload);
  const timestamp = Math.floor(post.now / 1000);
  return postJson({
    url: post.endpoint.url,
    label: `endpoint "${post.name}"`,
    body,
    headers: {
      [TIMESTAMP_HEADER]: String(timestamp),
      [SIGNATURE_HEADER]: signBody(post.endpoint.secret, timestamp, body),
      [IDEMPOTENCY_HEADER]: headerSafe(post.idempotencyKey),
    },
  });
}
