import { findTestServer } from './binaries.js';
import { findFreePort, startRetryingPortRaces } from './ports.js';
import { waitUntilReady } from './readiness.js';
import { spawnServer } from './server-process.js';

export interface TimeSkippingServerOptions {
  /** Receives every line the server prints. */
  readonly log?: (line: string) => void;
  /** How long to wait for the server to answer; default 60 s. */
  readonly readyTimeoutMs?: number;
}

export interface TimeSkippingServer {
  /** host:port of the server's gRPC services (workflow, operator, test). */
  readonly address: string;
  /** SIGTERM, SIGKILL after a grace period; resolves once the server has ended. */
  stop(): Promise<void>;
}

const DEFAULT_READY_TIMEOUT_MS = 60_000;

/**
 * Starts the time-skipping test server on a free port of 127.0.0.1 and resolves once it
 * answers. It starts with time skipping locked, as the SDK starts it: the SDK's test client
 * unlocks it while a test awaits a workflow result or calls `env.sleep`.
 */
export async function startTimeSkippingServer(options: TimeSkippingServerOptions = {}): Promise<TimeSkippingServer> {
  const testServer = findTestServer();
  return startRetryingPortRaces(() => startOnce(testServer, options));
}

async function startOnce(testServer: string, options: TimeSkippingServerOptions): Promise<TimeSkippingServer> {
  const port = await findFreePort();
  const address = `127.0.0.1:${port}`;
  const server = spawnServer(testServer, [String(port)], options.log);
  try {
    await waitUntilReady(server, {
      name: 'Temporal time-skipping test server',
      address,
      timeoutMs: options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
      probe: (connection) => connection.workflowService.getSystemInfo({}),
    });
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { address, stop: () => server.stop() };
}
