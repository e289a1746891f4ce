/**
 * `playbook cluster up|down` (opt-in: run by `npm run cluster:test`, not by `npm test`; it
 * needs `npm run cluster:install`): the Temporal server built from source on a PostgreSQL
 * server, with the namespace and search attributes made, runs a playbook through the
 * product (the CLI's start, event, status and list, a worker of the product), keeps it in
 * PostgreSQL, and goes away whole on `down`.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config/load.js';
import { startWorker, type RunningWorker } from '../../src/ops/worker-runner.js';
import { readClusterState, type ClusterState } from '../../src/servers/cluster.js';
import { findFreePort } from '../../src/servers/ports.js';
import { SEARCH_ATTRIBUTE_SCHEMA } from '../../src/temporal/contract.js';
import { isProcessRunning } from '../../src/util/process.js';
import { cli, eventually, sandbox, statusOf, type Sandbox } from '../ops/helpers.js';

const NAMESPACE = 'cluster-test';

/** `playbook cluster down`, which takes no configuration. */
async function down(): Promise<{ code: number; stdout: string }> {
  const io = bufferIo();
  const code = await main(['cluster', 'down'], io);
  return { code, stdout: io.stdout() };
}

describe('playbook cluster', () => {
  let box: Sandbox;
  let state: ClusterState;
  let worker: RunningWorker | undefined;
  const run = (...args: string[]) => cli(box.configFile, ...args);

  beforeAll(async () => {
    box = sandbox('cluster');
    const port = await findFreePort();
    // `cluster up` takes its port and namespace from the configuration, as the workers do.
    const temporal = { address: `127.0.0.1:${port}`, namespace: NAMESPACE, taskQueue: 'cluster-test' };
    writeFileSync(box.configFile, JSON.stringify({ dataDir: path.join(box.dir, 'data'), temporal }));
    const up = await run('cluster', 'up');
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    expect(up.stdout).toContain(`Temporal gRPC  127.0.0.1:${port} (namespace ${NAMESPACE})`);
    state = readClusterState()!;
  }, 300_000);
  afterAll(async () => {
    await worker?.stop();
    await down();
    rmSync(box.dir, { recursive: true, force: true });
  });

  it('creates the namespace with the playbook search attributes', async () => {
    const connection = await Connection.connect({ address: state.address });
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: NAMESPACE });
      expect(Object.keys(customAttributes).sort()).toEqual(expect.arrayContaining(Object.keys(SEARCH_ATTRIBUTE_SCHEMA).sort()));
    } finally {
      await connection.close();
    }
  });

  it('refuses a second cluster while one runs', async () => {
    const again = await run('cluster', 'up', '--port', String(await findFreePort()));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`a Temporal cluster already runs at ${state.address}`);
  });

  it('runs a playbook through the product and keeps it in PostgreSQL', { timeout: 240_000 }, async () => {
    worker = await startWorker(loadConfig({ path: box.configFile }));
    const { configFile } = box;

    const started = await run('start', box.playbook, '--account', box.account({ id: 'acme', name: 'Acme', csm: 'ann@example.com' }));
    expect(started.stderr).toBe('');
    expect(started.code).toBe(0);
    expect((await run('event', 'acme', 'demo.booked', '--data', '{"date": "Friday"}')).code).toBe(0);
    const moved = await eventually(async () => {
      const status = await statusOf(configFile, 'acme');
      expect(status.stage).toBe('demo');
      return status;
    }, 300);
    expect(JSON.stringify(moved.timeline)).toContain('Demo booked for Friday');
    // Visibility on PostgreSQL filters by the playbook search attributes.
    await eventually(async () => {
      const listed = JSON.parse((await run('list', '--playbook', 'trial', '--stage', 'demo', '--json')).stdout) as Array<{ accountId: string }>;
      expect(listed.map((r) => r.accountId)).toEqual(['acme']);
    }, 300);

    const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${state.postgresPort}/temporal_visibility` });
    await client.connect();
    try {
      const rows = await client.query<{ workflow_id: string }>("select workflow_id from executions_visibility where workflow_id like 'playbook:trial:%'");
      expect(rows.rows.map((r) => r.workflow_id)).toEqual(['playbook:trial:acme']);
    } finally {
      await client.end();
    }
  });

  it('stops both servers and removes the data on down', async () => {
    await worker?.stop();
    worker = undefined;
    const stopped = await down();
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain(`stopped the cluster at ${state.address}`);
    expect(isProcessRunning(state.serverPid!)).toBe(false);
    expect(existsSync(state.postgresRoot)).toBe(false);
    expect(readClusterState()).toBeNull();
    expect((await down()).stdout).toBe('no cluster is running\n');
  });
});
