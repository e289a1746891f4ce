/**
 * A worker killed with SIGKILL in the middle of deliveries, then restarted: every email
 * still reaches the SMTP server exactly once.
 *
 * Six runs of a playbook that sends four messages each. When the worker is killed, each
 * run is at its second message in one of the two states a crash can catch a delivery in:
 *
 * - `held-*` runs: the SMTP server has the message but holds its reply to DATA, so the
 *   delivery is in flight and not accepted (the receiver drops it when the client goes
 *   away). After the kill Temporal retries the activity on the new worker, which delivers it.
 * - `stalled-*` runs: the message was accepted and the key written to the delivery ledger,
 *   but the activity never reported back to Temporal. The retry finds the key in the ledger
 *   and sends nothing.
 *
 * What no test here covers, because the ledger cannot: a kill after the SMTP server accepted
 * a message and before the ledger line was written (the microseconds between nodemailer's
 * 250 and the fsync'd append). The retry then sends the message again, with the same
 * Message-ID (derived from the idempotency key), which receivers that de-duplicate by
 * Message-ID drop. The test kills only once every accepted message is in the ledger, so it
 * never lands in that window by chance.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFile } from '../../src/compile/compile.js';
import type { DevServer } from '../../src/servers/dev-server.js';
import { startServerUnderTest } from '../../src/servers/server-under-test.js';
import { workflowsPath } from '../../src/temporal/bundle.js';
import { connect, startNewRun, type StartedRun } from '../../src/temporal/client.js';
import { SEARCH_ATTRIBUTE_SCHEMA, type PlaybookWorkflowResult } from '../../src/temporal/contract.js';
import { defaultConfig } from '../../src/config/load.js';
import { startSmtpRecorder, type SmtpRecorder } from './smtp-recorder.js';
import { waitUntil } from './wait-until.js';
import { startWorkerProcess, type WorkerProcess } from './worker-process.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const PLAYBOOK = path.join(FIXTURES, 'workspace', 'crash-mail.playbook');
const TASK_QUEUE = 'crash-test';
const MESSAGES_PER_RUN = 4;
const HELD = ['held-1', 'held-2', 'held-3'];
const STALLED = ['stalled-1', 'stalled-2', 'stalled-3'];
const RUN_TIMEOUT_MS = 120_000;

describe('a worker killed while it delivers email', () => {
  let dir: string;
  let server: DevServer;
  let smtp: SmtpRecorder;
  let client: Client;
  let configFile: string;
  let bundleFile: string;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'worker-crash-'));
    [server, smtp] = await Promise.all([startServerUnderTest({ uiPort: false, searchAttributes: SEARCH_ATTRIBUTE_SCHEMA }), startSmtpRecorder()]);
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
    // Bundled once here, so a restarted worker is ready in seconds.
    const bundle = await bundleWorkflowCode({
      workflowsPath: workflowsPath(),
      workflowInterceptorModules: [path.join(FIXTURES, 'short-activity-timeouts.ts')],
      logger: new DefaultLogger('WARN'),
    });
    bundleFile = path.join(dir, 'workflow-bundle.js');
    await writeFile(bundleFile, bundle.code);
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    await client?.connection.close();
    await smtp?.close();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('delivers every message exactly once across a SIGKILL and a restart', { timeout: 240_000 }, async () => {
    const { program, version } = await compileFile(PLAYBOOK);
    smtp.hold((message) => message.subject.startsWith('Second message for held-'));
    const first = await startWorkerProcess(configFile, bundleFile, { CRASH_STALL_SUBJECT: '^Second message for stalled-' });
    workers.push(first);

    const runs = new Map<string, StartedRun>();
    for (const id of [...HELD, ...STALLED]) {
      const account = { id, name: id, contact: `${id}@customer.example`, csm: 'csm@example.com' };
      runs.set(id, await startNewRun(client, { program, version, account, taskQueue: TASK_QUEUE }));
    }

    // Every run is caught at its second message, and every accepted message is in the ledger.
    await smtp.whenHeld(HELD.length);
    const stalled = () => new Set(first.lines.filter((line) => line.startsWith('stalled '))).size;
    await waitUntil('every stalled delivery reached the ledger', () => stalled() === STALLED.length);
    await waitUntil('every accepted message is in the ledger', async () => {
      const ledger = await ledgerKeys(path.join(dir, 'data', 'delivered.jsonl'));
      return smtp.accepted.every((m) => ledger.has(m.key));
    });
    const acceptedBeforeKill = smtp.accepted.length;
    await first.kill();

    // The receiver dropped the messages whose reply it held; from now on it answers at once.
    await waitUntil('the SMTP server saw the killed worker go away', () => smtp.held() === 0);
    smtp.release();
    const second = await startWorkerProcess(configFile, bundleFile);
    workers.push(second);

    const results = await Promise.all(
      [...runs.values()].map((run) => withTimeout(client.workflow.getHandle(run.workflowId).result() as Promise<PlaybookWorkflowResult>)),
    );
    await second.stop();

    expect(acceptedBeforeKill).toBe(2 * (HELD.length + STALLED.length) - HELD.length);
    expect(results.map((r) => r.outcome)).toEqual(Array(runs.size).fill('completed'));
    expect(smtp.abandoned.map((m) => m.subject).sort()).toEqual(HELD.map((id) => `Second message for ${id}`));

    const perMessageId = countBy(smtp.accepted.map((m) => m.messageId));
    expect(perMessageId.size).toBe(runs.size * MESSAGES_PER_RUN);
    expect([...perMessageId].filter(([, n]) => n !== 1)).toEqual([]);
    expect(new Set(smtp.accepted.map((m) => m.key)).size).toBe(runs.size * MESSAGES_PER_RUN);
    for (const id of runs.keys()) {
      const subjects = smtp.accepted.filter((m) => m.subject.endsWith(` for ${id}`)).map((m) => m.subject);
      expect(subjects).toEqual(['First', 'Second', 'Third', 'Fourth'].map((n) => `${n} message for ${id}`));
    }
    for (const dropped of smtp.abandoned) expect(perMessageId.get(dropped.messageId)).toBe(1);

    // Both kinds of second delivery were retried by Temporal after the kill.
    for (const run of runs.values()) expect(await maxActivityAttempt(client, run.workflowId)).toBeGreaterThan(1);
  });
});

async function ledgerKeys(file: string): Promise<Set<string>> {
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? '' : Promise.reject(e)));
  return new Set(
    text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => (JSON.parse(line) as { key: string }).key),
  );
}

function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

async function maxActivityAttempt(client: Client, workflowId: string): Promise<number> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return Math.max(0, ...(history.events ?? []).map((e) => e.activityTaskStartedEventAttributes?.attempt ?? 0));
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`a run did not end within ${RUN_TIMEOUT_MS} ms`)), RUN_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
