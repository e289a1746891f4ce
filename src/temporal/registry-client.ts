/**
 * Client-side helpers for the deployment registry (`playbook-registry` workflow): register a
 * deployment, read what is deployed. Placeholder signatures until implemented.
 */
import type { Client } from '@temporalio/client';
import type { DeployedSummary, DeployRequest, DeployResult, PlaybookRelease } from './registry-contract.js';

/** Registers the deployment (starting the registry on first use) and tells what changed. */
export async function registerDeployment(_client: Client, _taskQueue: string, _request: DeployRequest): Promise<DeployResult> {
  throw new Error('not implemented yet');
}

/** What is deployed; an empty summary (generation 0) when nothing ever was. */
export async function getDeployed(_client: Client): Promise<DeployedSummary> {
  throw new Error('not implemented yet');
}

/** The newest release of one playbook, or null when it is not deployed. */
export async function getRelease(_client: Client, _playbookId: string): Promise<PlaybookRelease | null> {
  throw new Error('not implemented yet');
}
