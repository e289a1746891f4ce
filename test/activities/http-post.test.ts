/** What no retry can fix is a `PermanentDeliveryError`, before anything is sent. */
import { describe, expect, it } from 'vitest';
import { PermanentDeliveryError } from '../../src/sinks/delivery-error.js';
import { postJson } from '../../src/sinks/http-post.js';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
}

describe('postJson', () => {
  it('makes a header value that HTTP cannot carry a permanent failure, naming the header', async () => {
    const error = await rejection(postJson({ url: 'http://127.0.0.1:1/h', label: 'endpoint "crm"', body: '{}', headers: { 'Idempotency-Key': 'acme-東京' } }));
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error.message).toBe('endpoint "crm" (http://127.0.0.1:1): cannot send header Idempotency-Key: its value is not Latin-1 text');
  });

  it('makes a URL that does not parse a permanent failure', async () => {
    const error = await rejection(postJson({ url: 'not a url', label: 'endpoint "crm"', body: '{}' }));
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error.message).toBe('endpoint "crm": the URL does not parse; configure an absolute http(s) URL');
  });
});
