/**
 * Client-side helpers for account entities (`account:<id>` workflows), used by the CLI,
 * the importer and the HTTP API. Data must be validated against the deployed `account
 * fields` before it is sent (`validateAccount` / `validateAccountUpdate`). An unknown
 * account is a `UserError` of kind `notFound`.
 */
import { WorkflowUpdateFailedError, type Client, type WorkflowStartOptions } from '@temporalio/client';
import {
  ACCOUNT_WORKFLOW_TYPE,
  accountEventSignal,
  accountStateQuery,
  accountWorkflowId,
  startPlaybookUpdate,
  upsertAccountSignal,
  type AccountEventSignal,
  type AccountState,
  type AccountUpsertSignal,
  type StartOutcome,
  type StartPlaybookRequest,
} from './account-contract.js';
import type { account } from './account-workflow.js';
import { orNotFound } from './client.js';
import { searchAttributes } from './contract.js';

export { accountWorkflowId };

/** Where and how an account's entity starts: its workflow id, task queue and search attribute. */
export function accountStartOptions(taskQueue: string, accountId: string): Pick<WorkflowStartOptions, 'workflowId' | 'taskQueue' | 'typedSearchAttributes'> {
  return { workflowId: accountWorkflowId(accountId), taskQueue, typedSearchAttributes: [{ key: searchAttributes.accountId, value: accountId }] };
}

/** Creates the account's entity when it does not exist yet, then applies the upsert. */
export async function upsertAccount(client: Client, taskQueue: string, accountId: string, upsert: AccountUpsertSignal): Promise<void> {
  await client.workflow.signalWithStart<typeof account, [AccountUpsertSignal]>(ACCOUNT_WORKFLOW_TYPE, {
    ...accountStartOptions(taskQueue, accountId),
    args: [{ accountId }],
    signal: upsertAccountSignal,
    signalArgs: [upsert],
  });
}

/** Delivers an event to an existing account: it starts matching playbooks and reaches open runs. */
export function sendAccountEvent(client: Client, accountId: string, event: AccountEventSignal): Promise<void> {
  return onAccount(accountId, () => client.workflow.getHandle(accountWorkflowId(accountId)).signal(accountEventSignal, event));
}

/** The `manual` trigger; `refused` carries the reason (not deployed, not a manual playbook). */
export async function startPlaybookFor(client: Client, accountId: string, request: StartPlaybookRequest): Promise<StartOutcome> {
  try {
    return await onAccount(accountId, () => client.workflow.getHandle(accountWorkflowId(accountId)).executeUpdate(startPlaybookUpdate, { args: [request] }));
  } catch (e) {
    if (e instanceof WorkflowUpdateFailedError) return { status: 'refused', reason: e.cause?.message ?? e.message };
    throw e;
  }
}

export function getAccount(client: Client, accountId: string): Promise<AccountState> {
  return onAccount(accountId, () => client.workflow.getHandle(accountWorkflowId(accountId)).query(accountStateQuery));
}

/** Ids of the accounts whose entity is open, from the visibility store (eventually consistent). */
export async function listAccountIds(client: Client, limit = 1000): Promise<string[]> {
  const ids: string[] = [];
  for await (const info of client.workflow.list({ query: `WorkflowType = '${ACCOUNT_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'` })) {
    const id = info.typedSearchAttributes.get(searchAttributes.accountId);
    if (id !== undefined) ids.push(id);
    if (ids.length >= limit) break;
  }
  return ids;
}

/** What an account that does not exist (or that the caller may not see) is called. */
export function unknownAccountMessage(accountId: string): string {
  return `unknown account ${accountId}: import it or upsert it first`;
}

function onAccount<T>(accountId: string, call: () => Promise<T>): Promise<T> {
  return orNotFound(call, unknownAccountMessage(accountId));
}
