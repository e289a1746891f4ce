/**
 * Deliveries that keep failing, on the time-skipping server with the product's activities and
 * a real SMTP server that refuses every recipient with 451 (transient): while an email is
 * retried the run's status says so (since when, the attempt, the last error); once the email
 * sink's retry window has passed the delivery fails for good, the run escalates and goes on,
 * and the playbook's owner is told on Slack (email being what failed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFile } from '../../src/compile/compile.js';
import { defaultConfig } from '../../src/config/load.js';
import { addSearchAttributes } from '../../src/servers/search-attributes.js';
import { createTestEnv } from '../../src/servers/test-env.js';
import { createActivities } from '../../src/temporal/activities/index.js';
import { bundlePlaybookWorkflows } from '../../src/temporal/bundle.js';
import { getStatus, startRun } from '../../src/temporal/client.js';
import { SEARCH_ATTRIBUTE_SCHEMA, type PlaybookWorkflowResult, type RunStatus } from '../../src/temporal/contract.js';
import { createWorker } from '../../src/temporal/worker.js';
import { startHttp, startSmtp } from '../activities/servers.js';

const PLAYBOOK = fileURLToPath(new URL('../crash/fixtures/workspace/crash-mail.playbook', import.meta.url));
const TASK_QUEUE = 'delivery-retries';
const OWNER = 'cs-ops@example.com';

describe('an email the SMTP server keeps refusing (451)', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let hook: Awaited<ReturnType<typeof startHttp>>;
  let dir: string;
  const logged: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'delivery-retries-'));
    [env, smtp, hook] = await Promise.all([createTestEnv(), startSmtp({ refuseRecipients: 451 }), startHttp()]);
    await addSearchAttributes(env.connection, env.namespace ?? 'default', SEARCH_ATTRIBUTE_SCHEMA);
    const config = defaultConfig(dir);
    config.email = { kind: 'smtp', host: '127.0.0.1', port: smtp.port, secure: false, auth: null, from: 'playbooks@example.com' };
    config.notify = { recipients: { [OWNER]: { kind: 'slack', url: hook.url('/owner') } }, default: { kind: 'email' } };
    config.delivery = { ...config.delivery, retryWindowMs: { ...config.delivery.retryWindowMs, email: 3_600_000 } };
    const bundle = await bundlePlaybookWorkflows();
    worker = await createWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue: TASK_QUEUE,
      activities: createActivities(config, { log: (line) => logged.push(line) }),
      workflowBundle: { code: bundle.code },
      maxCachedWorkflows: 10,
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await smtp?.close();
    await hook?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the retry in status, then escalates after the window and tells the owner on Slack', { timeout: 180_000 }, async () => {
    const { program, version } = await compileFile(PLAYBOOK);
    const account = { id: 'retry-1', name: 'Retry', contact: 'buyer@customer.example', csm: 'csm@example.com' };
    const { workflowId } = await startRun(env.client, { program, version, account, taskQueue: TASK_QUEUE });

    let status: RunStatus;
    for (let i = 0; ; i++) {
      status = await getStatus(env.client, workflowId);
      if (status.deliveries.length > 0) break;
      if (i > 100) throw new Error('the retried email never showed in status');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The time-skipping server leaves `nextAttemptAt` out; the dev server fills it in.
    expect(status.deliveries).toEqual([
      expect.objectContaining({ action: 'email', since: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), attempt: 2, lastError: expect.stringMatching(/451/) }),
    ]);

    const result = (await env.client.workflow.getHandle(workflowId).result()) as PlaybookWorkflowResult;
    expect(result.outcome).toBe('completed');
    const after = await getStatus(env.client, workflowId);
    expect(after.deliveries).toEqual([]);
    const escalations = after.timeline.filter((entry) => entry.kind === 'escalate').map((entry) => JSON.stringify(entry));
    // Three emails and the notification to the csm (by email: it has no Slack hook).
    expect(escalations).toHaveLength(4);
    for (const text of escalations) expect(text).toMatch(/451.*still failing after 1h of retries.*told cs-ops@example\.com by Slack/);
    expect(hook.requests.length).toBe(4);
    expect(JSON.parse(hook.requests[0]!.body).text).toMatch(/^Delivery failed for good: email "First message for Retry" to buyer@customer\.example: .*451/);
    expect(logged).toHaveLength(4);
    expect(smtp.mails).toHaveLength(0);
  });
});
