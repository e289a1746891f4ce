/**
 * Client connections to Temporal, with the SDK's retries made safe to close.
 *
 * The SDK's retry interceptor schedules each next attempt on a timer that outlives the call's
 * caller. When the connection closes in between — a command that ends, a worker that stops
 * while the server is away — the timer's attempt throws "Channel has been shut down" as an
 * uncaught exception in the timer. Here an attempt on a closed channel ends its call as
 * CANCELLED instead, which the caller (if any is left) sees as a failed call.
 */
import { Metadata, status, type Interceptor, type InterceptingListener } from '@grpc/grpc-js';
import { Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type ConnectionOptions } from '@temporalio/client';
import { temporalConnectionOptions } from '../config/temporal-connection.js';
import type { TemporalConfig } from '../config/types.js';

/** A client connection to the configured server (`extra` e.g. a connect timeout). */
export function connectClient(temporal: TemporalConfig, extra: Pick<ConnectionOptions, 'connectTimeout'> = {}): Promise<Connection> {
  return Connection.connect({ ...temporalConnectionOptions(temporal), ...extra, interceptors: [closeSafeRetries] });
}

/** What an interceptor's next step returns (grpc-js does not export the interface's name). */
type OutgoingCall = ReturnType<Parameters<Interceptor>[1]>;

const retries = makeGrpcRetryInterceptor(defaultGrpcRetryOptions());

/** The SDK's retry interceptor, whose attempts on a closed channel end as CANCELLED. */
export const closeSafeRetries: Interceptor = (options, nextCall) =>
  retries(options, (callOptions) => {
    try {
      return nextCall(callOptions);
    } catch (e) {
      return endedCall(e instanceof Error ? e.message : String(e));
    }
  });

/** A unary call that never reaches the network: it reports CANCELLED with `details` once started. */
function endedCall(details: string): OutgoingCall {
  let listener: Partial<InterceptingListener> | undefined;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    // As grpc-js's unary calls do, a response message (none: null) before the status: the
    // SDK's retry interceptor hands that message on and throws if it never saw one.
    listener?.onReceiveMessage?.(null);
    listener?.onReceiveStatus?.({ code: status.CANCELLED, details, metadata: new Metadata() });
  };
  return {
    start(_metadata, l) {
      listener = l;
      // After `start` returns, as a real call's status arrives.
      setImmediate(end);
    },
    cancelWithStatus: end,
    getPeer: () => '',
    sendMessageWithContext: () => {},
    sendMessage: () => {},
    startRead: () => {},
    halfClose: () => {},
    getAuthContext: () => null,
  };
}
