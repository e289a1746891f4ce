/**
 * What the shared-ledger crash tests run on: a dev server and the workflow bundle with short
 * activity timeouts, and per store backend (PGlite, PostgreSQL) a migrated database, a real
 * SMTP server and a worker configuration whose processes share the database's ledger.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { defaultConfig } from '../../src/config/load.js';
import type { DevServer } from '../../src/servers/dev-server.js';
import { startServerUnderTest } from '../../src/servers/server-under-test.js';
import type { Store } from '../../src/store/connect.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { workflowsPath } from '../../src/temporal/bundle.js';
import { connect } from '../../src/temporal/client.js';
import { SEARCH_ATTRIBUTE_SCHEMA, type PlaybookWorkflowResult } from '../../src/temporal/contract.js';
import { startBackend, type Backend } from '../store/backends.js';
import { startSmtpRecorder, type SmtpRecorder } from './smtp-recorder.js';
import { startWorkerProcess, type WorkerProcess } from './worker-process.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const ONE_MAIL = path.join(FIXTURES, 'workspace', 'one-mail.playbook');
/** Above the attempts' 8 s (short-activity-timeouts.ts), as the product's 5 minutes is above its 2. */
export const STALE_CLAIM_MS = 10_000;
const RESULT_TIMEOUT_MS = 120_000;

export interface LedgerServers {
  server: DevServer;
  dir: string;
  bundleFile: string;
  stop(): Promise<void>;
}

export async function startLedgerServers(): Promise<LedgerServers> {
  const dir = await mkdtemp(path.join(tmpdir(), 'shared-ledger-'));
  const [server, bundle] = await Promise.all([
    startServerUnderTest({ uiPort: false, searchAttributes: SEARCH_ATTRIBUTE_SCHEMA }),
    bundleWorkflowCode({
      workflowsPath: workflowsPath(),
      workflowInterceptorModules: [path.join(FIXTURES, 'short-activity-timeouts.ts')],
      logger: new DefaultLogger('WARN'),
    }),
  ]);
  const bundleFile = path.join(dir, 'workflow-bundle.js');
  await writeFile(bundleFile, bundle.code);
  return {
    server,
    dir,
    bundleFile,
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface LedgerStack {
  store: Store;
  smtp: SmtpRecorder;
  client: Client;
  taskQueue: string;
  /** A worker process on the task queue, sharing the store's ledger; `env` adds crash-worker hooks. */
  startWorker(env?: Record<string, string>): Promise<WorkerProcess>;
  stop(): Promise<void>;
}

export async function startLedgerStack(servers: LedgerServers, name: Backend['name']): Promise<LedgerStack> {
  const { server, dir, bundleFile } = servers;
  const taskQueue = `shared-ledger-${name}`;
  const [backend, smtp] = await Promise.all([startBackend(name), startSmtpRecorder()]);
  const db = await backend.freshDatabase();
  await migrateToLatest(db.store);
  const client = await connect({ ...defaultConfig().temporal, address: server.address, namespace: server.namespace, taskQueue });
  const configFile = path.join(dir, `${name}.config.json`);
  await writeFile(
    configFile,
    JSON.stringify({
      dataDir: path.join(dir, `${name}-data`),
      temporal: { address: server.address, namespace: server.namespace, taskQueue },
      smtp: { host: '127.0.0.1', port: smtp.port, from: 'playbooks@example.com' },
      store: { url: db.url },
    }),
  );
  const workers: WorkerProcess[] = [];
  return {
    store: db.store,
    smtp,
    client,
    taskQueue,
    async startWorker(env = {}) {
      const worker = await startWorkerProcess(configFile, bundleFile, { CRASH_STALE_CLAIM_MS: String(STALE_CLAIM_MS), ...env });
      workers.push(worker);
      return worker;
    },
    async stop() {
      smtp.release();
      await Promise.all(workers.map((w) => w.kill()));
      await client.connection.close();
      await smtp.close();
      await backend.stop();
    },
  };
}

export function runResult(client: Client, workflowId: string): Promise<PlaybookWorkflowResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`run ${workflowId} did not end within ${RESULT_TIMEOUT_MS} ms`)), RESULT_TIMEOUT_MS);
  });
  return Promise.race([client.workflow.getHandle(workflowId).result() as Promise<PlaybookWorkflowResult>, timeout]).finally(() => clearTimeout(timer));
}
