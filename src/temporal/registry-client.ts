/**
 * Client-side helpers for the deployment registry (`playbook-registry` workflow): register a
 * deployment, read what is deployed. A malformed deployment refused by the registry is a
 * `UserError`; a registry that does not exist yet reads as nothing deployed.
 */
import { WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { UserError } from '../errors.js';
import {
  REGISTRY_WORKFLOW_ID,
  REGISTRY_WORKFLOW_TYPE,
  deployUpdate,
  deployedQuery,
  releaseQuery,
  type DeployedSummary,
  type DeployRequest,
  type DeployResult,
  type PlaybookRelease,
} from './registry-contract.js';
import type { playbookRegistry } from './registry-workflow.js';

/** Registers the deployment (starting the registry on first use) and tells what changed. */
export async function registerDeployment(client: Client, taskQueue: string, request: DeployRequest): Promise<DeployResult> {
  // One call starts the registry when it is not running and applies the deploy either way.
  const start = new WithStartWorkflowOperation<typeof playbookRegistry>(REGISTRY_WORKFLOW_TYPE, {
    workflowId: REGISTRY_WORKFLOW_ID,
    taskQueue,
    args: [{}],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  try {
    return await client.workflow.executeUpdateWithStart(deployUpdate, { args: [request], startWorkflowOperation: start });
  } catch (e) {
    if (e instanceof WorkflowUpdateFailedError) throw new UserError(`the registry refused the deployment: ${e.cause?.message ?? e.message}`, 'invalid');
    throw e;
  }
}

/** What is deployed; an empty summary (generation 0) when nothing ever was. */
export async function getDeployed(client: Client): Promise<DeployedSummary> {
  return (await queryRegistry(client, (registry) => registry.query(deployedQuery))) ?? { generation: 0, deployedAt: null, playbooks: [], fields: {} };
}

/** The newest release of one playbook, or null when it is not deployed. */
export async function getRelease(client: Client, playbookId: string): Promise<PlaybookRelease | null> {
  return (await queryRegistry(client, (registry) => registry.query(releaseQuery, playbookId))) ?? null;
}

/** The query's answer, or undefined when there is no registry yet. */
async function queryRegistry<T>(client: Client, query: (registry: ReturnType<typeof registryHandle>) => Promise<T>): Promise<T | undefined> {
  try {
    return await query(registryHandle(client));
  } catch (e) {
    if (e instanceof WorkflowNotFoundError) return undefined;
    throw e;
  }
}

function registryHandle(client: Client) {
  return client.workflow.getHandle<typeof playbookRegistry>(REGISTRY_WORKFLOW_ID);
}
