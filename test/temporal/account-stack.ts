/**
 * The account entity tests' set-up: a real dev server with the worker the product runs (its
 * own activities, so a run's `set` step reaches the entity) and a workspace deployed.
 */
import { rmSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { deployWorkspace } from '../../src/deploy/deploy.js';
import { startLocalStack } from '../../src/ops/local-stack.js';
import { bundlePlaybookWorkflows } from '../../src/temporal/bundle.js';
import { loadWorkspace } from '../../src/workspace/load.js';
import { writeScratchConfig } from '../support/scratch-config.js';

export interface AccountStack {
  client: Client;
  stop(): Promise<void>;
}

export interface AccountStackOptions {
  /** Dev server settings (`--dynamic-config-value`), e.g. lowered history limits. */
  dynamicConfig?: Record<string, string | number | boolean>;
  /** Added to the configuration's `temporal` section, e.g. `maxSignalsPerExecution`. */
  temporal?: Record<string, unknown>;
  /** The configuration's `store` (a migrated PostgreSQL); none by default. */
  store?: { url: string };
}

export async function startAccountStack(workspace: string, taskQueue: string, options: AccountStackOptions = {}): Promise<AccountStack> {
  const { dir, config, port } = await writeScratchConfig(taskQueue, taskQueue, {
    ...(options.temporal !== undefined && { temporal: options.temporal }),
    ...(options.store !== undefined && { store: options.store }),
  });
  const stack = await startLocalStack({ config, port, uiPort: false, ...(options.dynamicConfig !== undefined && { dynamicConfig: options.dynamicConfig }) });
  const connection = await Connection.connect({ address: stack.server.address });
  const client = new Client({ connection });
  const stop = async () => {
    await connection.close();
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const deployed = await deployWorkspace(client, taskQueue, await loadWorkspace(workspace), 'test');
    if (!deployed.ok) throw new Error(`${workspace} does not deploy: ${JSON.stringify(deployed.diagnostics)}`);
  } catch (e) {
    await stop();
    throw e;
  }
  return { client, stop };
}

/** Replays histories against the current workflow code; returns `[workflowId, error message or null]` for each. */
export async function replay(histories: Parameters<typeof Worker.runReplayHistories>[1]): Promise<Array<[string, string | null]>> {
  const bundle = await bundlePlaybookWorkflows();
  const results: Array<[string, string | null]> = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle: { code: bundle.code } }, histories)) {
    results.push([result.workflowId, result.error?.message ?? null]);
  }
  return results;
}
