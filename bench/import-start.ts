/**
 * Import and start on the dev server, the worker in this process with the real activities
 * and the product's default cache size:
 *
 * - BENCH_IMPORT_ACCOUNTS (default 10,000) generated accounts in a CSV file, imported by the
 *   importer as `playbook accounts import` runs it (parse, check against the deployed fields,
 *   one account entity each): the time until the server has taken every upsert (what the
 *   importer reports), and until the worker has taken every entity's first workflow task
 *   (the task queue's backlog is empty), after which the starts begin; the CPU the server and
 *   this process (worker, importer) spent on it per 1,000 accounts, and an entity's history
 *   (events, bytes): the per-account costs a larger import is estimated from;
 * - the check an import makes of every row against what its account holds (the merged size),
 *   timed alone over the imported accounts as a second import of the same file would make it
 *   without a store: one query of each account's entity;
 * - `bench-wait` started for all of them through the API's bulk start (each start goes
 *   through the account's entity): the time until every start is acknowledged, and until
 *   every run is waiting (its first workflow task done, seen in the visibility store);
 * - the baseline: as many runs of the same release started with `startRun` (no API, no
 *   entity), for other accounts, after the first batch is waiting.
 *
 * On 2 shared cores 2,000 accounts take about 5 minutes and 10,000 more than 40: the entities,
 * the runs and the baseline's runs together outgrow the worker's cache. BENCH_IMPORT_ACCOUNTS=1000
 * gives a quick reading.
 */
import { ACCOUNT_DATA_MAX_BYTES } from '../src/ir/account-check.js';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { deployedFields } from '../src/accounts/deployed-fields.js';
import { withMergedSizeProblems } from '../src/accounts/import/merged-size.js';
import { parseAccountFile } from '../src/accounts/import/parse.js';
import { readAccountSource } from '../src/accounts/import/source.js';
import { runAccountImport } from '../src/accounts/import/run-import.js';
import { bufferIo } from '../src/cli/io.js';
import { accountWorkflowId } from '../src/temporal/account-client.js';
import { startNewRun } from '../src/temporal/client.js';
import { getRelease } from '../src/temporal/registry-client.js';
import { defaultMaxCachedWorkflows } from '../src/temporal/worker.js';
import { mapLimit } from '../src/util/map-limit.js';
import { allAfter, ownCpuSeconds, perSecond, seconds, serverCpuSeconds, type Row, type Suite } from './harness.js';
import { startProductStack } from './product-stack.js';
import { accountIds, benchAccount, countFromEnv, startThroughApi, WAIT_PLAYBOOK, whenWaiting } from './product-runs.js';
import { ratio } from './temporal-setup.js';

/** The baseline's starts in flight: as many as the API's bulk starts keep in flight (2 requests of 16). */
const DIRECT_STARTS_IN_FLIGHT = 32;
/** How long the runs may take to be waiting before the figures are taken anyway. */
const WAITING_TIMEOUT_MS = 15 * 60_000;
const POLL_MS = 200;
const MB = 1024 * 1024;

export const importStart: Suite = {
  name: 'Import and start (dev server, worker in process)',
  async run() {
    const accounts = countFromEnv('BENCH_IMPORT_ACCOUNTS', 10_000);
    const stack = await startProductStack();
    try {
      const { client } = stack;
      const { taskQueue } = stack.config.temporal;
      const ids = accountIds('imported', accounts);
      const csv = path.join(stack.dir, 'accounts.csv');
      writeFileSync(csv, ['id,name,csm', ...ids.map((id) => `${id},Account ${id},csm@example.com`)].join('\n'));

      const cpuBefore = { server: serverCpuSeconds(), own: ownCpuSeconds() };
      const importStarted = performance.now();
      const report = await runAccountImport(
        client,
        taskQueue,
        await readAccountSource(csv),
        { skipInvalid: false, json: false },
        { store: null, maxAccountDataBytes: ACCOUNT_DATA_MAX_BYTES },
        bufferIo(),
      );
      const importMs = performance.now() - importStarted;
      if (report.imported !== accounts) throw new Error(`imported ${report.imported} of ${accounts} accounts`);
      // Otherwise the starts would wait behind the entities' first workflow tasks and be timed with them.
      if (!(await whenWorkflowTasksTaken(client, taskQueue, WAITING_TIMEOUT_MS))) {
        throw new Error(`the worker had not taken the imported accounts' workflow tasks after ${WAITING_TIMEOUT_MS / 1000} s`);
      }
      const appliedMs = performance.now() - importStarted;
      const cpu = { server: serverCpuSeconds() - cpuBefore.server, own: ownCpuSeconds() - cpuBefore.own };
      const entity = await entityHistory(client, ids[0]!);

      const file = parseAccountFile(await readAccountSource(csv), await deployedFields(client));
      const checkStarted = performance.now();
      await withMergedSizeProblems(client, null, file, ACCOUNT_DATA_MAX_BYTES);
      const checkMs = performance.now() - checkStarted;

      const viaApi = await timeStarts(
        () => startThroughApi(stack, WAIT_PLAYBOOK, ids),
        () => whenWaiting(client, WAIT_PLAYBOOK, accounts, WAITING_TIMEOUT_MS),
      );

      const release = await getRelease(client, WAIT_PLAYBOOK);
      if (release === null) throw new Error(`${WAIT_PLAYBOOK} is not deployed`);
      const { program, version } = release;
      const direct = await timeStarts(
        () =>
          mapLimit(accountIds('direct', accounts), DIRECT_STARTS_IN_FLIGHT, (id) =>
            startNewRun(client, { program, version, account: benchAccount(id), taskQueue, roles: stack.config.roles }),
          ),
        // The first batch is waiting already: all of both are when twice as many are.
        async () => (await whenWaiting(client, WAIT_PLAYBOOK, 2 * accounts, WAITING_TIMEOUT_MS)) - accounts,
      );

      const count = accounts.toLocaleString('en-US');
      const rows: Row[] = [
        { label: `import ${count} accounts from CSV: taken by the server`, figures: [perSecond(accounts, importMs, 'accounts'), seconds(importMs)] },
        { label: `import ${count} accounts from CSV: taken by the worker`, figures: [perSecond(accounts, appliedMs, 'accounts'), seconds(appliedMs)] },
        {
          label: `import ${count} accounts: CPU s per 1,000 accounts`,
          figures: [`server ${perThousand(cpu.server, accounts)}`, `this process (worker, importer) ${perThousand(cpu.own, accounts)}`],
        },
        { label: "an imported account's entity: its history", figures: [`${entity.events} events`, `${entity.bytes.toLocaleString('en-US')} bytes`] },
        {
          label: `merged-size check of ${count} existing accounts, no store (an entity query each)`,
          figures: [perSecond(accounts, checkMs, 'accounts'), seconds(checkMs), `${ratio(checkMs, importMs)} of the import's time`],
        },
        { label: `${count} runs through the API and the entities: started`, figures: [perSecond(accounts, viaApi.ackMs, 'runs'), seconds(viaApi.ackMs)] },
        {
          label: `${count} runs through the API and the entities: waiting`,
          figures: [perSecond(viaApi.waiting, viaApi.waitingMs, 'runs'), allAfter(viaApi.waiting, accounts, viaApi.waitingMs)],
        },
        { label: `${count} runs by startRun (baseline): started`, figures: [perSecond(accounts, direct.ackMs, 'runs'), seconds(direct.ackMs)] },
        {
          label: `${count} runs by startRun (baseline): waiting`,
          figures: [perSecond(direct.waiting, direct.waitingMs, 'runs'), allAfter(direct.waiting, accounts, direct.waitingMs)],
        },
        { label: 'ratio API / baseline: started', figures: [ratio(direct.ackMs, viaApi.ackMs)] },
        { label: 'ratio API / baseline: waiting', figures: [ratio(direct.waitingMs, viaApi.waitingMs)] },
        {
          label: 'this process (worker, API, benchmark) at the end',
          figures: [`${Math.round(process.memoryUsage().rss / MB)} MB RSS`, `worker cache of ${defaultMaxCachedWorkflows().toLocaleString('en-US')} runs`],
        },
      ];
      return rows;
    } finally {
      await stack.stop();
    }
  },
};

function perThousand(cpuSeconds: number, count: number): string {
  return ((cpuSeconds / count) * 1000).toFixed(1);
}

/** The events of an account entity's history, and its size encoded as the server keeps it. */
async function entityHistory(client: Client, accountId: string): Promise<{ events: number; bytes: number }> {
  const history = await client.workflow.getHandle(accountWorkflowId(accountId)).fetchHistory();
  return { events: history.events?.length ?? 0, bytes: proto.temporal.api.history.v1.History.encode(history).finish().length };
}

/** Milliseconds until `start` has resolved, and until `waiting` resolves (with how many are waiting then), both from the first start. */
async function timeStarts(start: () => Promise<unknown>, waiting: () => Promise<number>): Promise<{ ackMs: number; waitingMs: number; waiting: number }> {
  const started = performance.now();
  await start();
  const ackMs = performance.now() - started;
  const count = await waiting();
  return { ackMs, waitingMs: performance.now() - started, waiting: count };
}

/**
 * Whether the task queue's workflow backlog (the server's approximate count of tasks no
 * worker has taken yet) is empty, once it is or when `timeoutMs` has passed.
 */
async function whenWorkflowTasksTaken(client: Client, taskQueue: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { stats } = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name: taskQueue },
      reportStats: true,
    });
    if (Number(stats?.approximateBacklogCount?.toString() ?? 0) === 0) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
