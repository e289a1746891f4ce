/** Waiting, in real time, until a run or an account entity of the demo has got somewhere (its state says so). */
import type { Client } from '@temporalio/client';
import { accountWorkflowId, getAccount } from '../../temporal/account-client.js';
import type { AccountState } from '../../temporal/account-contract.js';
import { workflowIdOf } from '../../temporal/client.js';
import type { RunStatus } from '../../temporal/contract.js';
import { pollUntil } from '../../util/poll-until.js';
import { queryStatus } from '../run-view.js';

const POLL_MS = 250;
/**
 * The steps before a wait take a few workflow tasks and store writes (every email checks the
 * suppression list and is kept by Message-ID); on a busy machine that is tens of seconds.
 */
const PATIENCE_MS = 90_000;

export function untilRun(client: Client, workflowId: string, what: string, reached: (status: RunStatus) => boolean): Promise<RunStatus> {
  return until(() => queryStatus(client, workflowId), `${workflowId} did not get to ${what}`, reached);
}

/**
 * Until the account's entity has a run of `playbook` open (with run key `key`, for a playbook
 * with `one run per account and …`), by whichever trigger; returns its workflow id. A trigger
 * that failed to start it fails at once, with the entity's reason.
 */
export async function untilOpened(client: Client, accountId: string, playbook: string, key: readonly string[] = []): Promise<string> {
  const workflowId = workflowIdOf(playbook, accountId, key);
  await until(
    () => getAccount(client, accountId),
    `${accountWorkflowId(accountId)} did not start ${playbook}`,
    (state: AccountState) => {
      const failed = state.triggerLog.find((r) => r.playbook === playbook && r.outcome === 'failed');
      if (failed !== undefined) throw new Error(`${accountWorkflowId(accountId)} failed to start ${playbook}: ${failed.error}`);
      return state.openRuns.includes(workflowId);
    },
  );
  return workflowId;
}

function until<T>(read: () => Promise<T>, failure: string, reached: (state: T) => boolean): Promise<T> {
  return pollUntil(read, reached, { timeoutMs: PATIENCE_MS, intervalMs: POLL_MS, failure: () => new Error(`${failure} within ${PATIENCE_MS / 1000} s`) });
}

export const waitsForEvent = (name: string) => (status: RunStatus) => status.pendingWaits.some((w) => w.for === `event ${JSON.stringify(name)}`);
export const hasOpenTask = (name: string) => (status: RunStatus) => status.openTasks.some((t) => t.name === name);
