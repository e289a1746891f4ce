import { Client, credentials, type Interceptor, type ServiceError } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { closeSafeRetries } from '../../src/temporal/client-connection.js';
import { findFreePort } from '../../src/servers/ports.js';

/**
 * A call to a port where nothing listens fails UNAVAILABLE, which the retry interceptor retries
 * on a timer. `close: 'while retrying'` closes the client while that timer is pending, as a
 * command that ends or a worker that stops while the server is away does; `'before'` closes it
 * before the call, so its first attempt already finds the channel shut down.
 */
async function callAndClose(interceptor: Interceptor, close: 'while retrying' | 'before'): Promise<{ error: ServiceError | null; uncaught: unknown[] }> {
  const uncaught: unknown[] = [];
  const onUncaught = (e: unknown) => uncaught.push(e);
  process.on('uncaughtException', onUncaught);
  try {
    const client = new Client(`127.0.0.1:${await findFreePort()}`, credentials.createInsecure());
    if (close === 'before') client.close();
    const settled = new Promise<ServiceError | null>((resolve) => {
      client.makeUnaryRequest(
        '/temporal.api.workflowservice.v1.WorkflowService/GetSystemInfo',
        (x: Buffer) => x,
        (x: Buffer) => x,
        Buffer.alloc(0),
        { interceptors: [interceptor] },
        (error) => resolve(error),
      );
    });
    if (close === 'while retrying') {
      // The first attempt fails at once (connection refused); its retry waits ≥ 100 ms.
      await new Promise((r) => setTimeout(r, 50));
      client.close();
    }
    const error = await Promise.race([settled, new Promise<null>((r) => setTimeout(() => r(null), 3_000))]);
    await new Promise((r) => setTimeout(r, 200));
    return { error, uncaught };
  } finally {
    process.off('uncaughtException', onUncaught);
  }
}

describe('client connection retries', () => {
  const listeners = process.listeners('uncaughtException');
  afterEach(() => expect(process.listeners('uncaughtException')).toEqual(listeners));

  it('end a call as CANCELLED when its retry finds the connection closed', async () => {
    const { error, uncaught } = await callAndClose(closeSafeRetries, 'while retrying');
    expect(uncaught).toEqual([]);
    expect(error?.code).toBe(1);
  });

  // The SDK's retry interceptor hands on the response message a unary call always reports
  // (null when none came) before its status; an ended call that reported none threw
  // "savedMessageNext is not a function" from a timer (seen in CI's import test).
  it('end a call as CANCELLED when its first attempt finds the connection closed', async () => {
    const { error, uncaught } = await callAndClose(closeSafeRetries, 'before');
    expect(uncaught).toEqual([]);
    expect(error?.code).toBe(1);
  });
});
