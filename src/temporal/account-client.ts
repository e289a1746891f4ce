/**
 * Client-side helpers for account entities (`account:<id>` workflows), used by the CLI,
 * the importer and the HTTP API. Data must be validated against the deployed `account
 * fields` before it is sent (`validateAccount` / `validateAccountUpdate`). An unknown
 * account is a `UserError` of kind `notFound`; an account whose entity ended (terminated,
 * failed) one of kind `conflict` that says how to restore it, never an empty new entity.
 */
import { ApplicationFailure, WorkflowIdReusePolicy } from '@temporalio/common';
import { WorkflowExecutionAlreadyStartedError, WorkflowUpdateFailedError, type Client, type WorkflowStartOptions } from '@temporalio/client';
import { UserError } from '../errors.js';
import type { AccountValue } from '../ir/types.js';
import {
  ACCOUNT_WORKFLOW_TYPE,
  accountCarryQuery,
  accountEventUpdate,
  accountStateQuery,
  accountWorkflowId,
  startPlaybookUpdate,
  upsertAccountSignal,
  type AccountCarry,
  type AccountEventSignal,
  type AccountState,
  type AccountUpsertSignal,
  type StartOutcome,
  type StartPlaybookRequest,
} from './account-contract.js';
import type { account } from './account-workflow.js';
import { orNotFound } from './client.js';
import { searchAttributes } from './contract.js';
import { getDeployed } from './registry-client.js';

export { accountWorkflowId };

/** Where and how an account's entity starts: its workflow id, task queue and search attribute. */
export function accountStartOptions(taskQueue: string, accountId: string): Pick<WorkflowStartOptions, 'workflowId' | 'taskQueue' | 'typedSearchAttributes'> {
  return { workflowId: accountWorkflowId(accountId), taskQueue, typedSearchAttributes: [{ key: searchAttributes.accountId, value: accountId }] };
}

/**
 * The account's entity has too many inputs waiting (`maxPending`, or their payload bytes):
 * the event was not taken; send it again after `retryAfterSeconds`.
 */
export class AccountBusyError extends Error {
  readonly retryAfterSeconds = 5;
  constructor(message: string) {
    super(message);
    this.name = 'AccountBusyError';
  }
}

/** Creates the account's entity when it has never existed, then applies the upsert. */
export async function upsertAccount(client: Client, taskQueue: string, accountId: string, upsert: AccountUpsertSignal): Promise<void> {
  try {
    await client.workflow.signalWithStart<typeof account, [AccountUpsertSignal]>(ACCOUNT_WORKFLOW_TYPE, {
      ...accountStartOptions(taskQueue, accountId),
      // An entity never closes by itself: a closed one was terminated or failed, and starting
      // a new one here would replace the account with an empty one.
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      args: [{ accountId }],
      signal: upsertAccountSignal,
      signalArgs: [upsert],
    });
  } catch (e) {
    if (e instanceof WorkflowExecutionAlreadyStartedError) throw await endedError(client, accountId);
    throw e;
  }
}

/**
 * Delivers an event to an existing account: it starts matching playbooks and reaches open
 * runs. Too large a payload for the entity is a `UserError`; a full queue an `AccountBusyError`.
 */
export async function sendAccountEvent(client: Client, accountId: string, event: AccountEventSignal): Promise<void> {
  try {
    await onAccount(accountId, () => client.workflow.getHandle(accountWorkflowId(accountId)).executeUpdate(accountEventUpdate, { args: [event] }));
  } catch (e) {
    if (e instanceof WorkflowUpdateFailedError && e.cause instanceof ApplicationFailure) {
      if (e.cause.type === 'AccountBusy') throw new AccountBusyError(e.cause.message);
      if (e.cause.type === 'EventTooLarge') throw new UserError(e.cause.message, 'invalid');
    }
    if (e instanceof UserError && e.kind === 'notFound') throw (await endedErrorOrNull(client, accountId)) ?? e;
    throw e;
  }
}

/**
 * Starts a new entity for an account whose entity ended (terminated, failed, timed out), from
 * the state its last execution held when it ended: the worker replays that execution's
 * history to answer the query, so data, open runs, trigger log, fired date triggers, `when`
 * state and waiting inputs are as they were. Refused for a running entity or an unknown account.
 */
export async function restoreAccount(client: Client, taskQueue: string, accountId: string): Promise<{ ended: string; carried: AccountCarry }> {
  const handle = client.workflow.getHandle(accountWorkflowId(accountId));
  const { status } = await onAccount(accountId, () => handle.describe());
  if (status.name === 'RUNNING') throw new UserError(`account ${accountId}'s entity is running: there is nothing to restore`, 'conflict');
  let carried: AccountCarry;
  try {
    carried = await handle.query(accountCarryQuery);
  } catch (e) {
    throw new UserError(`account ${accountId}'s last state cannot be read (${e instanceof Error ? e.message : String(e)}); is a worker running?`, 'invalid');
  }
  await client.workflow.start<typeof account>(ACCOUNT_WORKFLOW_TYPE, {
    ...accountStartOptions(taskQueue, accountId),
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    args: [{ accountId, carried }],
  });
  return { ended: status.name.toLowerCase(), carried };
}

/** The `manual` trigger; `refused` carries the reason (not deployed, not a manual playbook). */
/**
 * Starts `request.playbook` by hand through the account's entity. The entity decides with
 * triggers at least as new as `request.minGeneration`, read from the registry here when not
 * given (callers starting many pass the one read), so that a deploy just made counts.
 */
export async function startPlaybookFor(client: Client, accountId: string, request: StartPlaybookRequest): Promise<StartOutcome> {
  const args: [StartPlaybookRequest] = [{ ...request, minGeneration: request.minGeneration ?? (await getDeployed(client)).generation }];
  try {
    return await onAccount(accountId, () => client.workflow.getHandle(accountWorkflowId(accountId)).executeUpdate(startPlaybookUpdate, { args }));
  } catch (e) {
    if (e instanceof WorkflowUpdateFailedError) return { status: 'refused', reason: e.cause?.message ?? e.message };
    throw e;
  }
}

export function getAccount(client: Client, accountId: string): Promise<AccountState> {
  return onAccount(accountId, () => client.workflow.getHandle(accountWorkflowId(accountId)).query(accountStateQuery));
}

/**
 * The data an upsert would merge into, for checking the merged size before sending it: `{}`
 * for an account with no entity yet; null when the entity cannot be read now (no worker), so
 * only the entity's own bound applies.
 */
export function heldAccountData(client: Client, accountId: string): Promise<Record<string, AccountValue> | null> {
  return getAccount(client, accountId).then(
    (state): Record<string, AccountValue> => state.data,
    (e: unknown) => (e instanceof UserError && e.kind === 'notFound' ? {} : null),
  );
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

/** The conflict for an account whose entity has ended, or null when it runs or never existed. */
async function endedErrorOrNull(client: Client, accountId: string): Promise<UserError | null> {
  try {
    const { status } = await client.workflow.getHandle(accountWorkflowId(accountId)).describe();
    return status.name === 'RUNNING' ? null : endedMessage(accountId, status.name);
  } catch {
    return null;
  }
}

async function endedError(client: Client, accountId: string): Promise<UserError> {
  return (await endedErrorOrNull(client, accountId)) ?? endedMessage(accountId, 'closed');
}

function endedMessage(accountId: string, status: string): UserError {
  return new UserError(`account ${accountId}'s entity ended (${status.toLowerCase()}); restore it with \`playbook accounts restore ${accountId}\``, 'conflict');
}

/** What an account that does not exist (or that the caller may not see) is called. */
export function unknownAccountMessage(accountId: string): string {
  return `unknown account ${accountId}: import it or upsert it first`;
}

function onAccount<T>(accountId: string, call: () => Promise<T>): Promise<T> {
  return orNotFound(call, unknownAccountMessage(accountId));
}
