/**
 * What the API and import benchmarks share about the bench workspace's runs: the generated
 * accounts, starting runs for many accounts through the API's bulk start, and knowing when
 * runs are waiting (their first workflow task done) from the visibility store, cheaply.
 */
import type { Client } from '@temporalio/client';
import { BULK_START_MAX } from '../src/api/schemas/runs.js';
import type { AccountData } from '../src/ir/types.js';
import { visibilityQuery } from '../src/temporal/client.js';
import { mapLimit } from '../src/util/map-limit.js';
import type { ProductStack } from './product-stack.js';

/** The playbooks of bench/workspace/bench.playbook. */
export const PING_PLAYBOOK = 'bench-ping';
export const WAIT_PLAYBOOK = 'bench-wait';

/**
 * Accounts per bulk start request (the API takes up to `BULK_START_MAX`): small enough that a
 * request is answered within fetch's 5-minute wait for headers when starts are slow.
 */
const START_BATCH = Math.min(100, BULK_START_MAX);
/** Bulk start requests in flight at once; the API starts a request's accounts 16 at a time. */
const START_REQUESTS_IN_FLIGHT = 2;
const POLL_MS = 200;

/** A positive whole number from the environment, or `fallback` when unset. */
export function countFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number, got ${process.env[name]}`);
  return value;
}

/** `count` account ids: `<prefix>-0` … */
export function accountIds(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
}

/** An account of the workspace's fields. */
export function benchAccount(id: string): AccountData {
  return { id, name: `Account ${id}`, csm: 'csm@example.com' };
}

/** Starts `playbook` for every account through `POST /v1/playbooks/{playbook}/runs`, throwing unless every one started. */
export async function startThroughApi(stack: ProductStack, playbook: string, ids: readonly string[]): Promise<void> {
  const batches = Array.from({ length: Math.ceil(ids.length / START_BATCH) }, (_, b) => ids.slice(b * START_BATCH, (b + 1) * START_BATCH));
  await mapLimit(batches, START_REQUESTS_IN_FLIGHT, async (batch) => {
    const { results } = (await stack.call('POST', `/v1/playbooks/${playbook}/runs`, { accountIds: batch }, 200)) as {
      results: Array<{ accountId: string; status: string }>;
    };
    const failed = results.find((r) => r.status !== 'started');
    if (failed !== undefined) throw new Error(`starting ${playbook} for ${failed.accountId}: ${JSON.stringify(failed)}`);
  });
}

/**
 * How many runs of `playbook` are waiting (their first workflow task has published the
 * `running` status), once at least `count` are or when `timeoutMs` has passed.
 */
export async function whenWaiting(client: Client, playbook: string, count: number, timeoutMs: number): Promise<number> {
  const query = visibilityQuery({ playbook, status: 'running', openOnly: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { count: waiting } = await client.workflow.count(query);
    if (waiting >= count || Date.now() > deadline) return waiting;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
