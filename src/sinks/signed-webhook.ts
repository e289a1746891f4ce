/**
 * Signed webhooks: a JSON POST that the receiving integration can authenticate.
 *
 * Scheme (what integrations verify):
 *   X-Playbook-Timestamp: <unix seconds when it was sent>
 *   X-Playbook-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>", keyed by the endpoint's secret>
 *   Idempotency-Key:      <workflow id>/<run id>/<step key>
 * The receiver recomputes the HMAC over the exact bytes received, compares in constant time,
 * rejects timestamps more than a few minutes old (replays), and treats a repeated
 * Idempotency-Key as already processed. A retry carries a fresh timestamp and signature but
 * the same Idempotency-Key and body.
 */
import { createHmac } from 'node:crypto';
import type { WebhookEndpoint } from '../config/types.js';
import { postJson } from './http-post.js';

export const SIGNATURE_HEADER = 'X-Playbook-Signature';
export const TIMESTAMP_HEADER = 'X-Playbook-Timestamp';
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

export function signBody(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
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

export function postSignedWebhook(post: SignedPost): Promise<void> {
  const body = JSON.stringify(post.payload);
  const timestamp = Math.floor(post.now / 1000);
  return postJson({
    url: post.endpoint.url,
    label: `endpoint "${post.name}"`,
    body,
    headers: {
      [TIMESTAMP_HEADER]: String(timestamp),
      [SIGNATURE_HEADER]: signBody(post.endpoint.secret, timestamp, body),
      [IDEMPOTENCY_HEADER]: post.idempotencyKey,
    },
  });
}
