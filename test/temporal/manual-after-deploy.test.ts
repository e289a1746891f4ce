/**
 * A manual start right after the deploy that allows it: the account entity must not refuse
 * it with the triggers it read before that deploy (it did for ~9 s, until the deploy's notice
 * reached it through the batch operation).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployWorkspace } from '../../src/deploy/deploy.js';
import { getAccount, startPlaybookFor, upsertAccount } from '../../src/temporal/account-client.js';
import { workflowIdOf } from '../../src/temporal/client.js';
import { loadWorkspace } from '../../src/workspace/load.js';
import { eventually } from '../ops/helpers.js';
import { startAccountStack, type AccountStack } from './account-stack.js';

const TASK_QUEUE = 'manual-after-deploy';
const FIXTURES = 'test/temporal/account-fixtures';

describe('a manual start right after a deploy', () => {
  let stack: AccountStack;
  let client: Client;
  let dir: string;

  beforeAll(async () => {
    stack = await startAccountStack(FIXTURES, TASK_QUEUE);
    client = stack.client;
    dir = mkdtempSync(path.join(tmpdir(), 'manual-after-deploy-'));
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is started by the entity, which reads the triggers of that deploy', async () => {
    const id = 'acct-manual';
    await upsertAccount(client, TASK_QUEUE, id, {
      fields: { name: 'Manual Inc', csm: 'sam.ortiz@example.com', health: 80, score: 0, renewal_date: '2099-01-01' },
      by: 'test',
    });
    const before = await eventually(async () => {
      const generation = (await getAccount(client, id)).generation;
      expect(generation).not.toBeNull();
      return generation!;
    });

    // The same workspace, with `rescue` now also started by hand.
    cpSync(FIXTURES, dir, { recursive: true });
    const file = path.join(dir, 'entity.playbook');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  trigger when account.health < 50\n', '  trigger when account.health < 50\n  trigger manual\n'));
    const deployed = await deployWorkspace(client, TASK_QUEUE, await loadWorkspace(dir), 'test');
    expect(deployed.ok && deployed.result.generation).toBe(before + 1);

    const startedAt = Date.now();
    expect(await startPlaybookFor(client, id, { playbook: 'rescue', by: 'test' })).toMatchObject({ status: 'started', workflowId: workflowIdOf('rescue', id) });
    expect(Date.now() - startedAt).toBeLessThan(5_000);
  });
});
