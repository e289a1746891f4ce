import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv } from '../../src/servers/test-env.js';
import { startTimeSkippingServer } from '../../src/servers/test-server.js';
import { sleepyWorkflow } from './fixtures/sleepy-workflow.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('startTimeSkippingServer', () => {
  it('answers on its address until stopped', async () => {
    const server = await startTimeSkippingServer();
    try {
      expect(server.address).toMatch(/^127\.0\.0\.1:\d+$/);
      const connection = await Connection.connect({ address: server.address });
      await connection.close();
    } finally {
      await server.stop();
    }
    await expect(Connection.connect({ address: server.address, connectTimeout: 500 })).rejects.toThrow();
  });
});

describe('createTestEnv', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('skips time: a workflow that sleeps 30 days completes, 30 days later in server time', async () => {
    expect(env.supportsTimeSkipping).toBe(true);
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'sleepy',
      workflowsPath: fileURLToPath(new URL('./fixtures/sleepy-workflow.ts', import.meta.url)),
    });
    const serverTimeBefore = await env.currentTimeMs();
    const slept = await worker.runUntil(env.client.workflow.execute(sleepyWorkflow, { taskQueue: 'sleepy', workflowId: 'sleepy', args: [30] }));
    expect(slept).toBeGreaterThanOrEqual(30 * DAY_MS);
    expect((await env.currentTimeMs()) - serverTimeBefore).toBeGreaterThanOrEqual(30 * DAY_MS);
  });

  it('advances server time on env.sleep', async () => {
    const before = await env.currentTimeMs();
    await env.sleep('30 days');
    expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(30 * DAY_MS);
  });
});
