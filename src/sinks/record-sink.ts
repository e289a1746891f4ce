/**
 * Where task records and account writes go: an append-only JSON-lines file (development
 * default) or a signed webhook to a configured endpoint. Each record carries its idempotency
 * key, so a reader can drop a repeat the delivery ledger could not prevent.
 */
import type { RecordSinkConfig, WebhookEndpoint } from '../config/types.js';
import { PermanentDeliveryError } from './delivery-error.js';
import { appendJsonLine } from './jsonl-file.js';
import { postSignedWebhook } from './signed-webhook.js';

export interface SinkRecord {
  /** `task.created`, `task.closed`, `account.set`. */
  type: string;
  key: string;
}

export interface RecordSink<R extends SinkRecord> {
  write(record: R): Promise<void>;
}

export function createRecordSink<R extends SinkRecord>(sink: RecordSinkConfig, endpoints: Record<string, WebhookEndpoint>, now: () => number): RecordSink<R> {
  if (sink.kind === 'file') return { write: (record) => appendJsonLine(sink.path, record) };
  return {
    async write(record) {
      const endpoint = endpoints[sink.endpoint];
      if (endpoint === undefined) throw new PermanentDeliveryError(`unknown webhook endpoint "${sink.endpoint}" in configuration`);
      await postSignedWebhook({ endpoint, name: sink.endpoint, payload: record, idempotencyKey: record.key, now: now() });
    },
  };
}
