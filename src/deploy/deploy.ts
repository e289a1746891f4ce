/**
 * `playbook deploy` and the API's deploy: prepare the workspace, register it with the
 * registry, tell the account entities when something changed. A dry run compares with what
 * is deployed and registers nothing.
 */
import type { Client } from '@temporalio/client';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { getDeployed, registerDeployment } from '../temporal/registry-client.js';
import type { DeployResult } from '../temporal/registry-contract.js';
import { changesAnything, diffDeployment } from '../temporal/registry-state.js';
import type { Workspace } from '../workspace/types.js';
import { notifyAccounts, type Notified } from './notify.js';
import { prepareDeployment, type ReadyDeployment } from './prepare.js';
import { requireWorker } from './worker-check.js';

export interface Deployed {
  ok: true;
  dryRun: boolean;
  /** For a dry run: what the deploy would do, with the generation it would make. */
  result: DeployResult;
  warnings: Diagnostic[];
  /** How the account entities were told; null when nothing changed (or a dry run). */
  notified: Notified | null;
}

export type DeployOutcome = Deployed | { ok: false; diagnostics: Diagnostic[] };

/** Prepares the workspace and, when it checks clean, deploys it (see `deployPrepared`). */
export async function deployWorkspace(
  client: Client,
  taskQueue: string,
  workspace: Workspace,
  by: string,
  options: DeployOptions = {},
): Promise<DeployOutcome> {
  const prepared = prepareDeployment(workspace, by);
  return prepared.ok ? deployPrepared(client, taskQueue, prepared, options) : prepared;
}

export interface DeployOptions {
  /** Compare with what is deployed; register nothing. */
  dryRun?: boolean;
}

/** Registers a prepared deployment and tells the account entities when it changed something. */
export async function deployPrepared(
  client: Client,
  taskQueue: string,
  { request, warnings }: ReadyDeployment,
  { dryRun = false }: DeployOptions = {},
): Promise<Deployed> {
  await requireWorker(client, taskQueue);
  if (dryRun) {
    const deployed = await getDeployed(client);
    const diff = diffDeployment(deployed, request);
    return { ok: true, dryRun, result: { generation: deployed.generation + (changesAnything(diff) ? 1 : 0), ...diff }, warnings, notified: null };
  }
  const result = await registerDeployment(client, taskQueue, request);
  const notified = changesAnything(result) ? await notifyAccounts(client, result.generation) : null;
  return { ok: true, dryRun, result, warnings, notified };
}
