import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { findTemporalCli } from './binaries.js';
import { findFreePort, isPortFree, startRetryingPortRaces } from './ports.js';
import { ServerStartError, waitUntilReady } from './readiness.js';
import { ensureSearchAttributes, type SearchAttributeSchema } from './search-attributes.js';
import { removeServerPid, stopStaleServer, writeServerPid } from './server-pid-file.js';
import { spawnServer } from './server-process.js';

export interface DevServerOptions {
  /** SQLite file that keeps workflows across restarts; without it, state dies with the server. */
  readonly dbFile?: string;
  /** gRPC port; default: a free one. */
  readonly port?: number;
  /** Web UI port, or false for no UI; default: a free one. */
  readonly uiPort?: number | false;
  /** Namespace to create and use; default "default". */
  readonly namespace?: string;
  /** Search attributes that must exist in the namespace, added when missing. */
  readonly searchAttributes?: SearchAttributeSchema;
  /** Receives every line the server prints. */
  readonly log?: (line: string) => void;
  /** How long to wait for the server to answer; default 60 s. */
  readonly readyTimeoutMs?: number;
  /**
   * Server settings passed as `--dynamic-config-value <key>=<JSON value>`, e.g. lowered limits
   * for tests: `{ 'limit.historyCount.suggestContinueAsNew': 50 }`.
   */
  readonly dynamicConfig?: Readonly<Record<string, string | number | boolean>>;
  /** Records the server's pid and port; a server it names that still runs is stopped first. */
  readonly pidFile?: string;
}

export interface DevServer {
  /** host:port of the frontend gRPC service. */
  readonly address: string;
  readonly uiUrl: string | undefined;
  readonly namespace: string;
  /** The server process's pid (undefined when it could not be started). */
  readonly pid: number | undefined;
  /** The pid of a server left running on `pidFile` that this start stopped, else null. */
  readonly replacedStalePid: number | null;
  /** SIGTERM, SIGKILL after a grace period; resolves once the server has ended. */
  stop(): Promise<void>;
}

const DEFAULT_READY_TIMEOUT_MS = 60_000;

/**
 * Starts `temporal server start-dev` on 127.0.0.1 and resolves once its namespace answers
 * and its search attributes exist. Search attributes are registered through the operator API
 * rather than start-dev's --search-attribute flags because the CLI (1.9.1) ignores those
 * flags when the SQLite file already exists, which a restart on the same file needs.
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const temporal = findTemporalCli();
  const namespace = options.namespace ?? 'default';
  const replacedStalePid = options.pidFile === undefined ? null : await stopStaleServer(options.pidFile);
  return startRetryingPortRaces(() => startOnce(temporal, namespace, replacedStalePid, options));
}

async function startOnce(temporal: string, namespace: string, replacedStalePid: number | null, options: DevServerOptions): Promise<DevServer> {
  const port = await chosenOrFreePort(options.port);
  const uiPort = options.uiPort === false ? undefined : await chosenOrFreePort(options.uiPort);
  const address = `127.0.0.1:${port}`;
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'warn'];
  if (namespace !== 'default') args.push('--namespace', namespace);
  if (options.dbFile) {
    const dbFile = resolve(options.dbFile);
    await mkdir(dirname(dbFile), { recursive: true });
    args.push('--db-filename', dbFile);
  }
  for (const [key, value] of Object.entries(options.dynamicConfig ?? {})) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  if (uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(uiPort), '--ui-disable-news-fetch');

  const server = spawnServer(temporal, args, options.log);
  const { pidFile } = options;
  if (pidFile !== undefined && server.pid !== undefined) writeServerPid(pidFile, { pid: server.pid, port });
  const stop = async () => {
    await server.stop();
    if (pidFile !== undefined) removeServerPid(pidFile, server.pid);
  };
  try {
    await waitUntilReady(server, {
      name: 'Temporal dev server',
      address,
      timeoutMs: options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
      probe: (connection) => connection.workflowService.describeNamespace({ namespace }),
    });
    if (options.searchAttributes) await registerSearchAttributes(address, namespace, options.searchAttributes);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    address,
    uiUrl: uiPort === undefined ? undefined : `http://127.0.0.1:${uiPort}`,
    namespace,
    pid: server.pid,
    replacedStalePid,
    stop,
  };
}

// A chosen port is checked first: if another server held it, that server could answer the
// readiness check and be mistaken for ours.
async function chosenOrFreePort(port: number | undefined): Promise<number> {
  if (port === undefined) return findFreePort();
  if (!(await isPortFree(port))) {
    throw new ServerStartError(`Temporal dev server cannot start: port ${port} on 127.0.0.1 is already in use`);
  }
  return port;
}

async function registerSearchAttributes(address: string, namespace: string, schema: SearchAttributeSchema) {
  const connection = await Connection.connect({ address });
  try {
    await ensureSearchAttributes(connection, namespace, schema);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ServerStartError(`could not register search attributes on the Temporal dev server: ${reason}`);
  } finally {
    await connection.close();
  }
}
