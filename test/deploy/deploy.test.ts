/**
 * `playbook deploy` and the registry on a real dev server with the real worker: what a deploy
 * reports, what stays untouched when it is refused, how account entities hear of it, the
 * registry's continue-as-new, and a replay of the histories it recorded.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { deployWorkspace } from '../../src/deploy/deploy.js';
import { notifyAccounts } from '../../src/deploy/notify.js';
import { prepareDeployment } from '../../src/deploy/prepare.js';
import { startLocalStack, type LocalStack } from '../../src/ops/local-stack.js';
import { findFreePort } from '../../src/servers/ports.js';
import { upsertAccount } from '../../src/temporal/account-client.js';
import { accountWorkflowId, triggersChangedSignal } from '../../src/temporal/account-contract.js';
import { bundlePlaybookWorkflows } from '../../src/temporal/bundle.js';
import { getDeployed, getRelease } from '../../src/temporal/registry-client.js';
import {
  REGISTRY_WORKFLOW_ID,
  REGISTRY_WORKFLOW_TYPE,
  deployUpdate,
  deployedQuery,
  type DeployResult,
  type PlaybookRelease,
} from '../../src/temporal/registry-contract.js';
import type { playbookRegistry } from '../../src/temporal/registry-workflow.js';
import { loadWorkspace } from '../../src/workspace/load.js';
import { cli, eventually } from '../ops/helpers.js';
import { REFERENCE_PLAYBOOKS as REFERENCE } from '../support/reference-playbooks.js';

const TASK_QUEUE = 'deploy-tests';

interface DeployJson extends DeployResult {
  dryRun: boolean;
  notified: { via: string } | null;
}

describe('deploying to a dev server', () => {
  let dir: string;
  let configFile: string;
  let stack: LocalStack;
  let bundle: WorkflowBundleWithSourceMap;
  let connection: Connection;
  let client: Client;
  const run = (...args: string[]) => cli(configFile, ...args);
  const deployJson = async (...args: string[]) => {
    const out = await run('deploy', ...args, '--json');
    if (out.code !== 0) throw new Error(`deploy failed: ${out.stderr}`);
    return JSON.parse(out.stdout) as DeployJson;
  };
  /** A copy of the reference workspace to change. */
  const copyOfReference = (name: string) => {
    const copy = path.join(dir, name);
    cpSync('playbooks', copy, { recursive: true });
    return copy;
  };
  const edit = (file: string, from: string, to: string) => {
    const text = readFileSync(file, 'utf8');
    if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
    writeFileSync(file, text.replace(from, to));
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'deploy-tests-'));
    configFile = path.join(dir, 'playbook.config.json');
    const port = await findFreePort();
    writeFileSync(configFile, JSON.stringify({ dataDir: path.join(dir, 'data'), temporal: { address: `127.0.0.1:${port}`, taskQueue: TASK_QUEUE } }));
    [stack, bundle] = await Promise.all([startLocalStack({ config: loadConfig({ path: configFile }), port, uiPort: false }), bundlePlaybookWorkflows()]);
    connection = await Connection.connect({ address: stack.server.address });
    client = new Client({ connection });
  });
  afterAll(async () => {
    await connection?.close();
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads as nothing deployed before the first deploy', async () => {
    expect(await getDeployed(client)).toEqual({ generation: 0, deployedAt: null, playbooks: [], fields: {} });
    expect(await getRelease(client, 'onboarding-enterprise')).toBeNull();
    expect((await run('deployed')).stdout).toBe('nothing is deployed (generation 0): run `playbook deploy`\n');
  });

  it('adds every reference playbook on the first deploy (workspace playbooks/ by default)', async () => {
    const out = await run('deploy');
    expect(out).toMatchObject({ code: 0, stderr: '' });
    const lines = out.stdout.split('\n');
    expect(lines[0]).toBe('deployed generation 1');
    expect(lines.slice(1, 1 + REFERENCE.length).map((l) => l.trim().split(/\s+/).slice(0, 2))).toEqual(REFERENCE.map((id) => ['new', id]));
    expect(lines[1 + REFERENCE.length]).toBe('  account fields changed');
    expect(lines[2 + REFERENCE.length]).toMatch(/^account entities told to re-read their triggers \(/);

    const deployed = await getDeployed(client);
    expect(deployed.generation).toBe(1);
    expect(deployed.playbooks.map((p) => p.id)).toEqual(REFERENCE);
    expect(deployed.playbooks.every((p) => /^cli:/.test(p.deployedBy))).toBe(true);
    expect(Object.keys(deployed.fields)).toContain('renewal_date');
    const release = await getRelease(client, 'onboarding-enterprise');
    expect(release?.program.entry).toBe('onboarding-enterprise');
    expect(release?.version).toBe(deployed.playbooks.find((p) => p.id === 'onboarding-enterprise')!.version);
  });

  it('reports every playbook unchanged and keeps the generation when the same workspace is deployed again', async () => {
    const again = await deployJson('playbooks');
    expect(again).toMatchObject({ dryRun: false, generation: 1, added: [], changed: [], removed: [], fieldsChanged: false, notified: null });
    expect(again.unchanged.map((p) => p.id)).toEqual(REFERENCE);
    expect((await run('deploy', 'playbooks')).stdout).toMatch(/^nothing changed \(generation 1\)\n {2}unchanged {2}executive-sponsor-check/);
    // The HTTP API's way in: a workspace it built, deployed by a token's name.
    const viaApi = await deployWorkspace(client, TASK_QUEUE, await loadWorkspace('playbooks'), 'api:ops');
    expect(viaApi).toMatchObject({ ok: true, dryRun: false, notified: null, result: { generation: 1, added: [], changed: [], removed: [] } });
  });

  it('reports a changed playbook with its old and new version, after a dry run that registers nothing', async () => {
    const copy = copyOfReference('changed');
    edit(
      path.join(copy, 'support-escalation.playbook'),
      'playbook support-escalation "Support escalation ladder"',
      'playbook support-escalation "Support escalation ladder v2"',
    );
    const before = (await getDeployed(client)).playbooks.find((p) => p.id === 'support-escalation')!.version;

    const dry = await deployJson(copy, '--dry-run');
    expect(dry).toMatchObject({ dryRun: true, generation: 2, added: [], removed: [], notified: null });
    expect(dry.changed).toEqual([{ id: 'support-escalation', from: before, to: expect.not.stringMatching(before) }]);
    expect((await getDeployed(client)).generation).toBe(1);

    const done = await deployJson(copy);
    expect(done).toMatchObject({ dryRun: false, generation: 2, changed: dry.changed, added: [], removed: [] });
    expect(done.unchanged).toHaveLength(REFERENCE.length - 1);
    const listed = (await run('deployed')).stdout;
    expect(listed).toContain(`support-escalation "Support escalation ladder v2"\n  version  ${dry.changed[0]!.to} (deployed `);
    expect(listed).toContain('; 1 earlier version)\n  trigger  on event "ticket.escalated" as ticket where account.status != churned\n');
  });

  it('reports a playbook missing from the workspace as removed', async () => {
    const copy = copyOfReference('removed');
    edit(
      path.join(copy, 'support-escalation.playbook'),
      'playbook support-escalation "Support escalation ladder"',
      'playbook support-escalation "Support escalation ladder v2"',
    );
    rmSync(path.join(copy, 're-engagement.playbook'));
    const removed = await deployJson(copy);
    expect(removed).toMatchObject({ generation: 3, added: [], changed: [] });
    expect(removed.removed.map((p) => p.id)).toEqual(['re-engagement']);
    expect(await getRelease(client, 're-engagement')).toBeNull();
  });

  it('refuses a workspace that does not check, exits 1 and leaves the registry as it was', async () => {
    const before = await getDeployed(client);
    const copy = copyOfReference('broken');
    edit(path.join(copy, 'renewal-readiness.playbook'), 'account.renewal_date', 'account.renewal_dat');
    const out = await run('deploy', copy);
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain('renewal-readiness.playbook:');
    expect(out.stderr).toMatch(/deploy refused: .*broken has \d+ errors?; nothing was deployed\n$/);
    const json = await run('deploy', copy, '--json');
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as Array<{ code: string; severity: string }>).filter((d) => d.severity === 'error').map((d) => d.code)).toContain('PB2010');
    expect(await getDeployed(client)).toEqual(before);
  });

  it('refuses to deploy when no worker polls the task queue', async () => {
    const lonely = path.join(dir, 'lonely.config.json');
    writeFileSync(lonely, JSON.stringify({ dataDir: path.join(dir, 'data'), temporal: { address: stack.server.address, taskQueue: 'nobody-polls' } }));
    const out = await cli(lonely, 'deploy', 'playbooks');
    expect(out).toMatchObject({ code: 1, stdout: '' });
    expect(out.stderr).toBe('playbook: no worker polls task queue nobody-polls: start one with `playbook worker` (or `playbook dev`) first\n');
  });

  it('tells running account entities to re-read their triggers after a deploy that changed something', async () => {
    await upsertAccount(client, TASK_QUEUE, 'acme', { fields: { name: 'Acme' }, by: 'test' });
    // The batch operation finds the entities through visibility, which shows a new one a moment later.
    await eventually(async () => {
      const running = await client.workflow.count(`WorkflowId = '${accountWorkflowId('acme')}' AND ExecutionStatus = 'Running'`);
      expect(running.count).toBe(1);
    });
    // Earlier deploys' batch operations have ended: this one gets the server's batch slot.
    await eventually(async () => expect(await runningBatchOperations()).toBe(0));
    const deployed = await deployJson('playbooks');
    expect(deployed.notified).toMatchObject({ via: 'batch' });
    // While that batch operation runs the server refuses another and the entities are signalled
    // one by one; a batch of one entity may have ended already (seen in CI), and then it is a batch.
    const second = await notifyAccounts(client, 99);
    expect(second).toEqual(second.via === 'signals' ? { via: 'signals', count: 1 } : { via: 'batch', jobId: expect.any(String) });
    // The batch signals asynchronously, and while the entity's workflow task is in flight the server holds signals back from its history.
    await eventually(async () =>
      expect(await triggerSignals('acme')).toEqual(expect.arrayContaining([{ generation: deployed.generation }, { generation: 99 }])),
    );
    expect(await triggerSignals('acme')).toHaveLength(2);
  });

  it('continues as new with its state and loses no deploy sent around it', async () => {
    const workflowId = 'registry-continue-as-new';
    const prepared = prepareDeployment(await loadWorkspace('playbooks'), 'test');
    if (!prepared.ok) throw new Error('the reference workspace should check clean');
    const release = prepared.request.playbooks.find((p) => p.id === 'support-escalation')!;
    const releaseAt = (version: string): PlaybookRelease => ({ ...release, version });
    const handle = await client.workflow.start<typeof playbookRegistry>(REGISTRY_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: TASK_QUEUE,
      args: [{ continueAsNewAfterDeploys: 2 }],
    });
    const deploy = (version: string) =>
      handle.executeUpdate(deployUpdate, { args: [{ playbooks: [releaseAt(version)], fields: prepared.request.fields, by: `test:${version}` }] });
    // One at a time: the second makes it continue as new, the third arrives while it does.
    for (const [i, version] of ['v1', 'v2', 'v3', 'v4'].entries()) expect((await deploy(version)).generation).toBe(i + 1);
    expect(await executions(workflowId)).toHaveLength(3);
    // All at once: however they fall around the next continue-as-new, each is applied exactly once.
    const burst = await Promise.all(['v5', 'v6', 'v7', 'v8'].map(deploy));
    expect(burst.map((r) => r.generation).sort()).toEqual([5, 6, 7, 8]);

    const summary = await client.workflow.getHandle(workflowId).query(deployedQuery);
    expect(summary.generation).toBe(8);
    const [entry] = summary.playbooks;
    expect([entry!.version, ...entry!.history.map((h) => h.version)].sort()).toEqual(['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8']);
    expect((await executions(workflowId)).length).toBeGreaterThanOrEqual(4);
  });

  it('replays the histories the registry recorded without nondeterminism', async () => {
    const histories = [];
    for (const workflowId of [REGISTRY_WORKFLOW_ID, 'registry-continue-as-new']) {
      for (const runId of await executions(workflowId)) {
        histories.push({ workflowId: `${workflowId}/${runId}`, history: await client.workflow.getHandle(workflowId, runId).fetchHistory() });
      }
    }
    expect(histories.length).toBeGreaterThanOrEqual(5);
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: { code: bundle.code }, replayName: 'registry' }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });

  /** The `triggersChanged` signals in the entity's history, oldest first. */
  async function triggerSignals(accountId: string): Promise<unknown[]> {
    const history = await client.workflow.getHandle(accountWorkflowId(accountId)).fetchHistory();
    const converter = client.options.loadedDataConverter.payloadConverter;
    return (history.events ?? [])
      .map((e) => e.workflowExecutionSignaledEventAttributes)
      .filter((s) => s?.signalName === triggersChangedSignal.name)
      .map((s) => converter.fromPayload(s!.input!.payloads![0]!));
  }

  async function runningBatchOperations(): Promise<number> {
    const { operationInfo } = await client.workflowService.listBatchOperations({ namespace: client.options.namespace });
    return operationInfo.filter((op) => op.state === temporal.api.enums.v1.BatchOperationState.BATCH_OPERATION_STATE_RUNNING).length;
  }

  /** Run ids of every execution of `workflowId` (visibility: waits until the newest shows). */
  async function executions(workflowId: string): Promise<string[]> {
    const current = (await client.workflow.getHandle(workflowId).describe()).runId;
    return eventually(async () => {
      const runIds: string[] = [];
      for await (const info of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runIds.push(info.runId);
      expect(runIds).toContain(current);
      return runIds;
    });
  }
});
