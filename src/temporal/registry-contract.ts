/**
 * The contract of the deployment registry: one long-lived workflow (`playbook-registry`)
 * that holds what is deployed — the newest compiled program of every playbook of the
 * workspace, its version and who deployed it when, and the workspace's account fields. What
 * is deployed lives durably on Temporal, not in a side database. Runs keep the program they
 * started with; triggers and new starts read the newest version from here.
 *
 * No Node imports: the workflow bundle and the clients both import it.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { FieldTypeIr, IrProgram, TriggerIr } from '../ir/types.js';

export const REGISTRY_WORKFLOW_TYPE = 'playbookRegistry';
export const REGISTRY_WORKFLOW_ID = 'playbook-registry';

/** One playbook of a deployment, compiled (`compileFile(...)` of the workspace). */
export interface PlaybookRelease {
  id: string;
  /** The program's content hash (`versionOf(program)`). */
  version: string;
  program: IrProgram;
}

export interface DeployRequest {
  /** Every playbook of the workspace: a deployed playbook missing here is removed. */
  playbooks: PlaybookRelease[];
  /** The workspace's `account fields`: accounts are validated against them. */
  fields: Record<string, FieldTypeIr>;
  /** Who deployed (token name or OS user), for the record. */
  by: string;
  /** UTC ISO-8601 instant the deploy was requested (the caller's clock; the workflow records its own too). */
  requestedAt?: string;
}

export interface DeployResult {
  /** Increases by one with every deploy that changed something. */
  generation: number;
  added: Array<{ id: string; version: string }>;
  changed: Array<{ id: string; from: string; to: string }>;
  removed: Array<{ id: string; version: string }>;
  unchanged: Array<{ id: string; version: string }>;
  /** Whether the workspace's `account fields` differ from the ones deployed before. */
  fieldsChanged: boolean;
}

/** What the registry holds of one deployed playbook, without its program. */
export interface DeployedPlaybook {
  id: string;
  title: string | null;
  version: string;
  /** UTC ISO-8601. */
  deployedAt: string;
  deployedBy: string;
  /** The playbook's own triggers (`program.playbooks[id].triggers`). */
  triggers: TriggerIr[];
  /** `start at most N per day`; absent without it. */
  throttle?: { perDay: number };
  /** Earlier versions, newest first (at most `HISTORY_LIMIT`). */
  history: Array<{ version: string; deployedAt: string; deployedBy: string }>;
}

export interface DeployedSummary {
  generation: number;
  /** UTC ISO-8601 of the last deploy that changed something, or null before the first. */
  deployedAt: string | null;
  playbooks: DeployedPlaybook[];
  fields: Record<string, FieldTypeIr>;
}

/** What the registry holds of one deployed playbook, with its program. */
export interface RegistryEntry {
  release: PlaybookRelease;
  /** UTC ISO-8601 of the deploy that brought this version. */
  deployedAt: string;
  deployedBy: string;
  /** Earlier versions, newest first (at most `HISTORY_LIMIT`). */
  history: DeployedPlaybook['history'];
}

/** Everything the registry holds; carried into the next execution on continue-as-new. */
export interface RegistryState {
  generation: number;
  deployedAt: string | null;
  fields: Record<string, FieldTypeIr>;
  /** By playbook id. */
  playbooks: Record<string, RegistryEntry>;
}

export interface RegistryWorkflowInput {
  /** Set by the workflow itself when it continues as new; never by callers. */
  carried?: RegistryState;
  /** Test hook: continue as new after this many deploys in one execution. */
  continueAsNewAfterDeploys?: number;
}

/** How many earlier versions of a playbook the registry remembers. */
export const HISTORY_LIMIT = 20;

/** Registers a deployment; rejected (validator) when a release is malformed. */
export const deployUpdate = defineUpdate<DeployResult, [DeployRequest]>('deploy');
export const deployedQuery = defineQuery<DeployedSummary>('deployed');
/** The newest program of one deployed playbook, or null when it is not deployed. */
export const releaseQuery = defineQuery<PlaybookRelease | null, [string]>('release');
