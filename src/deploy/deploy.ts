/**
 * `playbook deploy` and the API's deploy: prepare the workspace, register it with the
 * registry, keep the source of each new version and the workspace's coverages in the store (when there is one), tell the
 * account entities when something changed. A dry run compares with what is deployed and
 * registers nothing.
 */
import type { Client } from '@temporalio/client';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Store } from '../store/connect.js';
import { keepCoverages } from '../store/coverages.js';
import { keepPlaybookSources } from '../store/playbook-sources.js';
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
  /** Where the source of each newly deployed version is kept; without one it is not kept. */
  store?: Store | null;
}

/** Registers a prepared deployment and tells the account entities when it changed something. */
export async function deployPrepared(
  client: Client,
  taskQueue: string,
  { request, warnings, sources, coverages }: ReadyDeployment,
  { dryRun = false, store = null }: DeployOptions = {},
): Promise<Deployed> {
  await requireWorker(client, taskQueue);
  if (dryRun) {
    const deployed = await getDeployed(client);
    const diff = diffDeployment(deployed, request);
    return { ok: true, dryRun, result: { generation: deployed.generation + (changesAnything(diff) ? 1 : 0), ...diff }, warnings, notified: null };
  }
  const result = await registerDeployment(client, taskQueue, request);
  if (store !== null) {
    const deployed = new Set([...result.added.map((p) => `${p.id} ${p.version}`), ...result.changed.map((p) => `${p.id} ${p.to}`)]);
    const kept = sources.filter((s) => deployed.has(`${s.playbook} ${s.version}`));
    const at = new Date(request.requestedAt ?? Date.now());
    await keepPlaybookSources(store, kept, request.by, at);
    await keepCoverages(store, coverages, request.by, at);
  }
  const notified = changesAnything(result) ? await notifyAccounts(client, result.generation) : null;
  return { ok: true, dryRun, result, warnings, notified };
}
