/**
 * With the product's activity options (no test interceptor), a delivery whose worker was
 * killed mid-attempt is retried once its heartbeats stop, not after the whole 2-minute
 * attempt timeout: the run goes on within about half a minute.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFile } from '../../src/compile/compile.js';
import { startDevServer, type DevServer } from '../../src/servers/dev-server.js';
import { workflowsPath } from '../../src/temporal/bundle.js';
import { connect, startRun } from '../../src/temporal/client.js';
import { SEARCH_ATTRIBUTE_SCHEMA, type PlaybookWorkflowResult } from '../../src/temporal/contract.js';
import { startSmtpRecorder, type SmtpRecorder } from './smtp-recorder.js';
import { waitUntil } from './wait-until.js';
import { startWorkerProcess, type WorkerProcess } from './worker-process.js';
import { defaultConfig } from '../../src/config/load.js';

const PLAYBOOK = fileURLToPath(new URL('./fixtures/workspace/crash-mail.playbook', import.meta.url));
const TASK_QUEUE = 'heartbeat-test';
/** Heartbeat timeout (20 s) + first retry interval (10 s) + a restarted worker, with room. */
const RESUMED_WITHIN_MS = 75_000;

describe('a worker killed during a delivery, with the product activity options', () => {
  let dir: string;
  let server: DevServer;
  let smtp: SmtpRecorder;
  let client: Client;
  let configFile: string;
  let bundleFile: string;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'activity-heartbeat-'));
    [server, smtp] = await Promise.all([startDevServer({ uiPort: false, searchAttributes: SEARCH_ATTRIBUTE_SCHEMA }), startSmtpRecorder()]);
    client = await connect({ ...defaultConfig().temporal, address: server.address, namespace: server.namespace, taskQueue: TASK_QUEUE });
    configFile = path.join(dir, 'playbook.config.json');
    await writeFile(
      configFile,
      JSON.stringify({
        dataDir: 'data',
        temporal: { address: server.address, namespace: server.namespace, taskQueue: TASK_QUEUE },
        smtp: { host: '127.0.0.1', port: smtp.port, from: 'playbooks@example.com' },
      }),
    );
    const bundle = await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: new DefaultLogger('WARN') });
    bundleFile = path.join(dir, 'workflow-bundle.js');
    await writeFile(bundleFile, bundle.code);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    await client?.connection.close();
    await smtp?.close();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('retries the delivery once the heartbeats stop and completes the run', { timeout: 240_000 }, async () => {
    const { program, version } = await compileFile(PLAYBOOK);
    smtp.hold((message) => message.subject === 'First message for hb-1');
    const first = await startWorkerProcess(configFile, bundleFile);
    workers.push(first);
    const account = { id: 'hb-1', name: 'hb-1', contact: 'hb-1@customer.example', csm: 'csm@example.com' };
    const run = await startRun(client, { program, version, account, taskQueue: TASK_QUEUE });
    await smtp.whenHeld(1);
    await first.kill();
    const killedAt = Date.now();
    // The receiver drops the message whose reply it held once it sees the client go.
    await waitUntil('the SMTP server saw the killed worker go away', () => smtp.held() === 0);
    smtp.release();
    const second = await startWorkerProcess(configFile, bundleFile);
    workers.push(second);

    const finished = client.workflow.getHandle(run.workflowId).result() as Promise<PlaybookWorkflowResult>;
    // Still pending if the race is lost; its rejection when the connection closes is expected.
    finished.catch(() => {});
    const result = await Promise.race([
      finished,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`the run did not go on within ${RESUMED_WITHIN_MS} ms of the kill`)), RESUMED_WITHIN_MS),
      ),
    ]);
    expect(result.outcome).toBe('completed');
    expect(Date.now() - killedAt).toBeLessThan(RESUMED_WITHIN_MS);
    expect(smtp.abandoned.map((m) => m.subject)).toEqual(['First message for hb-1']);
    expect(smtp.accepted.map((m) => m.subject)).toEqual(['First', 'Second', 'Third', 'Fourth'].map((n) => `${n} message for hb-1`));
    await second.stop();
  });
});
