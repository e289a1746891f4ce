import { setTimeout as delay } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import type { ServerProcess } from './server-process.js';

/** A server did not start: it exited early or did not answer in time. */
export class ServerStartError extends Error {
  override readonly name = 'ServerStartError';
  /** The server said a port it was to bind was taken (Go's and PostgreSQL's wording alike). */
  readonly portTaken: boolean;

  constructor(message: string) {
    super(message);
    this.portTaken = /address already in use/i.test(message);
  }
}

export interface ReadinessCheck {
  /** What is starting, for messages ("Temporal dev server"). */
  readonly name: string;
  readonly address: string;
  readonly timeoutMs: number;
  /** A request that succeeds only once the server can do its job. */
  readonly probe: (connection: Connection) => Promise<unknown>;
}

const ATTEMPT_TIMEOUT_MS = 2_000;
const RETRY_DELAY_MS = 100;
const OUTPUT_LINES_IN_ERROR = 20;

/**
 * Waits until `probe` succeeds against the server at `address`, retrying with a fresh
 * connection each time (a Connection remembers the outcome of its first connect).
 * Fails fast if the process exits, and after `timeoutMs` otherwise; either error carries the
 * server's last output lines. Does not stop the process.
 */
export async function waitUntilReady(server: ServerProcess, check: ReadinessCheck): Promise<void> {
  const deadline = Date.now() + check.timeoutMs;
  const exited = server.exited.then((how) => ({ exited: how }));
  let lastError = 'no attempt finished';
  while (Date.now() < deadline) {
    const outcome = await Promise.race([attempt(check, deadline), exited]);
    if (typeof outcome === 'object') {
      throw startError(server, `${check.name} ${outcome.exited} before it was ready at ${check.address}`);
    }
    if (outcome === undefined) return;
    lastError = outcome;
    await Promise.race([delay(RETRY_DELAY_MS), exited]);
  }
  throw startError(server, `${check.name} was not ready at ${check.address} within ${check.timeoutMs / 1000} s (last attempt: ${lastError})`);
}

/** One probe on a fresh connection: undefined when it succeeded, else why it failed. */
async function attempt(check: ReadinessCheck, deadline: number): Promise<string | undefined> {
  const attemptDeadline = Math.min(deadline, Date.now() + ATTEMPT_TIMEOUT_MS);
  const connection = Connection.lazy({
    address: check.address,
    connectTimeout: Math.max(1, attemptDeadline - Date.now()),
    // gRPC waits a full second before reconnecting after a refused connect by default, which
    // would dominate a start-up that takes about half a second.
    channelArgs: { 'grpc.initial_reconnect_backoff_ms': RETRY_DELAY_MS, 'grpc.max_reconnect_backoff_ms': RETRY_DELAY_MS },
  });
  try {
    await connection.ensureConnected();
    await connection.withDeadline(attemptDeadline, () => check.probe(connection));
    return undefined;
  } catch (error) {
    return error instanceof Error ? describe(error) : String(error);
  } finally {
    await connection.close();
  }
}

function describe(error: Error): string {
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

function startError(server: ServerProcess, headline: string): ServerStartError {
  const tail = server.recentOutput().split('\n').slice(-OUTPUT_LINES_IN_ERROR).join('\n').trim();
  return new ServerStartError(tail ? `${headline}; its last output:\n${tail}` : `${headline}; it printed nothing`);
}
