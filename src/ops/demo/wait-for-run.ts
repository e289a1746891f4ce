/** Waiting, in real time, until a run of the demo has got somewhere (its status says so). */
import { setTimeout as delay } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import type { RunStatus } from '../../temporal/contract.js';
import { queryStatus } from '../run-view.js';

const POLL_MS = 250;
/** The steps before a wait take a few workflow tasks; on a busy machine, seconds. */
const PATIENCE_MS = 30_000;

export async function untilRun(client: Client, workflowId: string, what: string, reached: (status: RunStatus) => boolean): Promise<RunStatus> {
  const deadline = Date.now() + PATIENCE_MS;
  for (;;) {
    const status = await queryStatus(client, workflowId);
    if (reached(status)) return status;
    if (Date.now() > deadline) throw new Error(`${workflowId} did not get to ${what} within ${PATIENCE_MS / 1000} s`);
    await delay(POLL_MS);
  }
}

export const waitsForEvent = (name: string) => (status: RunStatus) => status.pendingWaits.some((w) => w.for === `event ${JSON.stringify(name)}`);
export const hasOpenTask = (name: string) => (status: RunStatus) => status.openTasks.some((t) => t.name === name);
