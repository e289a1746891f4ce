/**
 * The embedded default for one machine: a Temporal dev server on a SQLite file with the
 * playbook search attributes, and a worker in this process. `playbook dev` and the demo run it.
 */
import type { PlaybookConfig } from '../config/types.js';
import { BinaryNotFoundError } from '../servers/binaries.js';
import { startDevServer, type DevServer } from '../servers/dev-server.js';
import { ServerStartError } from '../servers/readiness.js';
import { SEARCH_ATTRIBUTE_SCHEMA } from '../temporal/contract.js';
import { UserError } from '../cli/errors.js';
import { untilWorkerPolls } from '../deploy/worker-check.js';
import type { WorkerActivityOptions } from './worker-activities.js';
import { withTemporal } from './temporal-session.js';
import { startWorker } from './worker-runner.js';

export interface LocalStackOptions extends WorkerActivityOptions {
  /** Its task queue, activities and namespace are used; its address is replaced by the dev server's. */
  config: PlaybookConfig;
  /** Without it, the server's state is gone when it stops. */
  dbFile?: string;
  port?: number;
  /** false: no web UI. */
  uiPort?: number | false;
  /** The server's pid file: a server left running on it by a killed process is stopped first. */
  pidFile?: string;
}

export interface LocalStack {
  server: DevServer;
  /** `options.config` pointing at the dev server. */
  config: PlaybookConfig;
  /** Settles when the worker stops by itself (the SDK's signal handling). */
  workerDone: Promise<void>;
  /** Worker first (it finishes what it is doing), then the server. */
  stop(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const server = await startServer(options);
  const config: PlaybookConfig = { ...options.config, temporal: { ...options.config.temporal, address: server.address, tls: false, apiKey: null } };
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
          await server.stop();
        }
      },
    };
  } catch (e) {
    await server.stop();
    throw e;
  }
}

async function startServer(options: LocalStackOptions): Promise<DevServer> {
  try {
    return await startDevServer({
      namespace: options.config.temporal.namespace,
      searchAttributes: SEARCH_ATTRIBUTE_SCHEMA,
      ...(options.dbFile !== undefined && { dbFile: options.dbFile }),
      ...(options.port !== undefined && { port: options.port }),
      ...(options.uiPort !== undefined && { uiPort: options.uiPort }),
      ...(options.pidFile !== undefined && { pidFile: options.pidFile }),
    });
  } catch (e) {
    // A missing binary or a port in use is something the user fixes; the message says how.
    if (e instanceof BinaryNotFoundError || e instanceof ServerStartError) throw new UserError(e.message, 1);
    throw e;
  }
}
