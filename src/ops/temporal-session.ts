/**
 * A client session for one operator command: connect to the configured server, run the
 * command, close the connection (an open gRPC channel would keep the CLI alive). A server
 * that cannot be reached is a one-line `UserError`, never a stack trace.
 */
import { Client, Connection, isGrpcServiceError } from '@temporalio/client';
import { UserError } from '../errors.js';
import { connectClient } from '../temporal/client-connection.js';
import type { TemporalConfig } from '../config/types.js';

/** Long enough for a remote server (Temporal Cloud), short enough that a typo is not a long wait. */
const CONNECT_TIMEOUT_MS = 5_000;
/** A server on this machine answers at once; gRPC only keeps retrying a refused connection. */
const LOCAL_CONNECT_TIMEOUT_MS = 2_000;

export async function withTemporal<T>(temporal: TemporalConfig, use: (client: Client) => Promise<T>): Promise<T> {
  const connection = await connectTemporal(temporal);
  try {
    return await use(new Client({ connection, namespace: temporal.namespace }));
  } catch (e) {
    const grpc = grpcErrorOf(e);
    if (grpc?.code === UNAVAILABLE) throw unreachable(temporal.address);
    if (grpc?.code === NOT_FOUND && /namespace/i.test(grpc.details)) {
      throw new UserError(`namespace ${temporal.namespace} does not exist on the Temporal server at ${temporal.address}`, 'invalid');
    }
    throw e;
  } finally {
    await connection.close();
  }
}

/** A connection to the configured server; one that cannot be reached is a one-line `UserError`. */
export async function connectTemporal(temporal: TemporalConfig): Promise<Connection> {
  try {
    return await connectClient(temporal, { connectTimeout: isLoopback(temporal.address) ? LOCAL_CONNECT_TIMEOUT_MS : CONNECT_TIMEOUT_MS });
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw unreachable(temporal.address);
  }
}

// gRPC status codes (the SDK does not re-export grpc-js's enum).
const NOT_FOUND = 5;
const UNAVAILABLE = 14;

/** The gRPC error behind `e`: the client wraps some (e.g. `ServiceError` from starting a workflow). */
function grpcErrorOf(e: unknown): { code: number; details: string } | undefined {
  if (isGrpcServiceError(e)) return e;
  const cause = (e as { cause?: unknown } | null)?.cause;
  return isGrpcServiceError(cause) ? cause : undefined;
}

export function unreachable(address: string): UserError {
  const hint = isLoopback(address) ? 'start it with `playbook dev`' : 'check temporal.address and its TLS settings in the configuration';
  return new UserError(`cannot reach Temporal at ${address} — ${hint}`, 'invalid');
}

function isLoopback(address: string): boolean {
  return /^(127\.0\.0\.1|localhost|\[::1\]):/.test(address);
}
