/**
 * The embedded default for one machine: a Temporal dev server on a SQLite file with the
 * playbook search attributes, the embedded store (PGlite) when asked for and none is
 * configured, and a worker in this process. `playbook dev` and the demo run it.
 */
import type { PlaybookConfig } from '../config/types.js';
import { startDevServer, type DevServer } from '../servers/dev-server.js';
import { SEARCH_ATTRIBUTE_SCHEMA } from '../temporal/contract.js';
import { withServerErrors } from './server-errors.js';
import { untilWorkerPolls } from '../deploy/worker-check.js';
import type { WorkerActivityOptions } from './worker-activities.js';
import { withTemporal } from './temporal-session.js';
import { startWorker } from './worker-runner.js';
import { openStore } from '../store/connect.js';
import { startEmbeddedStore, type EmbeddedStore } from '../store/embedded.js';
import { migrateToLatest } from '../store/migrate.js';

export interface LocalStackOptions extends WorkerActivityOptions {
  /** Its task queue, activities and namespace are used; its address is replaced by the dev server's. */
  config: PlaybookConfig;
  /** Without it, the server's state is gone when it stops. */
  dbFile?: string;
  port?: number;
  /** false: no web UI. */
  uiPort?: number | false;
  /** Tests only: server settings such as lowered history limits (see `DevServerOptions`). */
  dynamicConfig?: Record<string, string | number | boolean>;
  /** Host the embedded store with its data in this folder, migrated, when `config.store` is null. */
  embeddedStoreDir?: string;
  /** The server's pid file: a server left running on it by a killed process is stopped first. */
  pidFile?: string;
}

export interface LocalStack {
  server: DevServer;
  /** `options.config` pointing at the dev server (and the embedded store when it hosts one). */
  config: PlaybookConfig;
  /** Settles when the worker stops by itself (the SDK's signal handling). */
  workerDone: Promise<void>;
  /** Worker first (it finishes what it is doing), then the server, then the embedded store. */
  stop(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const embedded = options.embeddedStoreDir === undefined || options.config.store !== null ? null : await startMigratedEmbeddedStore(options.embeddedStoreDir);
  const server = await startServer(options).catch(async (e: unknown) => {
    await embedded?.stop();
    throw e;
  });
  const store = embedded === null ? options.config.store : { url: embedded.url };
  const config: PlaybookConfig = { ...options.config, store, temporal: { ...options.config.temporal, address: server.address, tls: false, apiKey: null } };
  const stopServers = async () => {
    try {
      await server.stop();
    } finally {
      await embedded?.stop();
    }
  };
  try {
    const worker = await startWorker(config, { playbookClockLeadMs: options.playbookClockLeadMs });
    // Ready means ready to deploy to: the server has seen the worker poll.
    await withTemporal(config.temporal, (client) => untilWorkerPolls(client, config.temporal.taskQueue)).catch(async (e: unknown) => {
      await worker.stop();
      throw e;
    });
    return {
      server,
      config,
      workerDone: worker.done,
      async stop() {
        try {
          await worker.stop();
        } finally {
          await stopServers();
        }
      },
    };
  } catch (e) {
    await stopServers();
    throw e;
  }
}

async function startMigratedEmbeddedStore(dataDir: string): Promise<EmbeddedStore> {
  const embedded = await startEmbeddedStore({ dataDir });
  const store = openStore(embedded.url);
  try {
    await migrateToLatest(store);
    return embedded;
  } catch (e) {
    await embedded.stop();
    throw e;
  } finally {
    await store.destroy();
  }
}

async function startServer(options: LocalStackOptions): Promise<DevServer> {
  return withServerErrors(() =>
    startDevServer({
      namespace: options.config.temporal.namespace,
      searchAttributes: SEARCH_ATTRIBUTE_SCHEMA,
      ...(options.dbFile !== undefined && { dbFile: options.dbFile }),
      ...(options.port !== undefined && { port: options.port }),
      ...(options.uiPort !== undefined && { uiPort: options.uiPort }),
      ...(options.dynamicConfig !== undefined && { dynamicConfig: options.dynamicConfig }),
      ...(options.pidFile !== undefined && { pidFile: options.pidFile }),
    }),
  );
}
