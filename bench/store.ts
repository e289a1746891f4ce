/**
 * The system of record (src/store/), on the dev server with one worker process that serves
 * the real `projectRun` into the embedded store (PGlite behind its socket server):
 *
 * - a CSM's inbox with BENCH_INBOX_RUNS open runs (default 1,000), each with one task for
 *   them: p50/p95 of reading it from the store (`inboxFromStore`, the whole inbox in one page)
 *   against the API's path without a store (visibility list, then one status query per run;
 *   it reads at most 500 runs), in the same run, and the ratio;
 * - projection overhead: history events per run and completed runs per second of a short
 *   playbook started with `projectToStore` against without, same worker, alternating rounds
 *   (targets: at most 1.1× events, at least 0.9× runs/s), and the CPU time a run costs the
 *   worker, the process hosting the embedded store (which also starts and awaits the runs) and
 *   the dev server, which a loaded machine does not blur as it does runs/s;
 * - store write throughput: timeline entries per second through `projectRun` (synthetic runs
 *   flushed a few entries at a time, several runs at once) on PGlite and on a PostgreSQL server
 *   started from the machine's binaries, one flush a statement and through a worker's batches
 *   (projection-batches.ts).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { inboxOf } from '../src/api/inbox.js';
import { compileFile } from '../src/compile/compile.js';
import type { TimelineEntry } from '../src/runtime/timeline.js';
import { startDevServer } from '../src/servers/dev-server.js';
import { startPostgresServer } from '../src/servers/postgres-server.js';
import { openStore, type Store } from '../src/store/connect.js';
import { startEmbeddedStore } from '../src/store/embedded.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { projectionBatches } from '../src/store/projection-batches.js';
import { projectRun, type RunFlush } from '../src/store/projection.js';
import { inboxFromStore } from '../src/store/reads.js';
import { connect, listRuns, sendEvent, startNewRun } from '../src/temporal/client.js';
import { SEARCH_ATTRIBUTE_SCHEMA } from '../src/temporal/contract.js';
import { defaultConfig } from '../src/config/load.js';
import { ms, perSecond, type Row, type Suite } from './harness.js';
import { benchPlaybook, forEachConcurrently, quietTemporalRuntime, ratio } from './temporal-setup.js';
import { startBenchWorker, type BenchWorker } from './temporal-worker.js';

const TASK_QUEUE = 'bench-store';
const CSM = 'csm@example.com';
/** 0 skips the inbox. */
const INBOX_RUNS = whole('BENCH_INBOX_RUNS', 1_000);
const INBOX_READS = 20;
const ROUNDS = 4;
/** A whole number of runs per round. */
const PROJECTION_RUNS = Math.ceil(positive('BENCH_PROJECTION_RUNS', 200) / ROUNDS) * ROUNDS;
const WARMUP_RUNS = 20;
const IN_FLIGHT = 50;
/** 0 skips the write throughput. */
const WRITE_RUNS = whole('BENCH_STORE_WRITE_RUNS', 200);
const ENTRIES_PER_RUN = 50;
const ENTRIES_PER_FLUSH = 10;
const WRITERS = 8;
/** How long the inbox's runs may take to show in visibility and the store before the suite gives up. */
const SETTLE_TIMEOUT_MS = 5 * 60_000;

export const storeSuite: Suite = {
  name: `Store (dev server, one worker process, embedded store; ${IN_FLIGHT} runs in flight)`,
  async run() {
    quietTemporalRuntime();
    const rows: Row[] = [];
    const [inbox, short] = await Promise.all([compileFile(benchPlaybook('task-inbox')), compileFile(benchPlaybook('notify-and-wait'))]);
    const dataDir = mkdtempSync(join(tmpdir(), 'playbook-bench-store-'));
    const embedded = await startEmbeddedStore({ dataDir });
    const store = openStore(embedded.url);
    const server = await startDevServer({ uiPort: false, searchAttributes: SEARCH_ATTRIBUTE_SCHEMA });
    let worker: BenchWorker | undefined;
    let client: Client | undefined;
    try {
      await migrateToLatest(store);
      worker = await startBenchWorker({ address: server.address, taskQueue: TASK_QUEUE, storeUrl: embedded.url });
      client = await connect({ ...defaultConfig().temporal, address: server.address, namespace: server.namespace, taskQueue: TASK_QUEUE });
      const c = client;

      // (a) The inbox.
      if (INBOX_RUNS > 0) await inboxFigures(c, store, inbox, rows);

      // (b) Projection overhead.
      const runOnce = (projectToStore: boolean) => async (id: string) => {
        const { workflowId } = await startNewRun(c, { ...short, account: accountOf(id), taskQueue: TASK_QUEUE, ...(projectToStore && { projectToStore }) });
        await sendEvent(c, workflowId, { name: 'go' });
        await c.workflow.getHandle(workflowId).result();
        return workflowId;
      };
      const projected = runOnce(true);
      const plain = runOnce(false);
      await msToComplete(projected, 'warm-store', WARMUP_RUNS);
      await msToComplete(plain, 'warm-plain', WARMUP_RUNS);
      const w = worker;
      const cpuNow = async (): Promise<Cpu> => ({ worker: (await w.status()).cpuMs, host: hostCpuMs(), server: processCpuMs(server.pid) });
      let withStore = 0;
      let without = 0;
      const cpuWith = noCpu();
      const cpuWithout = noCpu();
      for (let round = 0; round < ROUNDS; round++) {
        withStore += await measured(cpuWith, cpuNow, () => msToComplete(projected, `store-${round}`, PROJECTION_RUNS / ROUNDS));
        without += await measured(cpuWithout, cpuNow, () => msToComplete(plain, `plain-${round}`, PROJECTION_RUNS / ROUNDS));
      }
      const [eventsWith, eventsWithout] = await Promise.all([historyEvents(c, await projected('events-store')), historyEvents(c, await plain('events-plain'))]);
      const taskRun = (projectToStore: boolean) => async (id: string) => {
        const { workflowId } = await startNewRun(c, { ...inbox, account: accountOf(id), taskQueue: TASK_QUEUE, ...(projectToStore && { projectToStore }) });
        return settledHistoryEvents(c, workflowId);
      };
      const [taskEventsWith, taskEventsWithout] = await Promise.all([taskRun(true)('task-events-store'), taskRun(false)('task-events-plain')]);
      rows.push(
        {
          label: 'notify-and-wait history events per run: with the store / without',
          figures: [`${eventsWith} / ${eventsWithout}`, `${ratio(eventsWith, eventsWithout)} (target ≤ 1.10×)`],
        },
        {
          label: 'task-inbox history events at its wait (a task, its notice): with the store / without',
          figures: [`${taskEventsWith} / ${taskEventsWithout}`, ratio(taskEventsWith, taskEventsWithout)],
        },
        { label: `notify-and-wait, with the store (${PROJECTION_RUNS} runs)`, figures: [perSecond(PROJECTION_RUNS, withStore, 'runs')] },
        { label: `notify-and-wait, without (${PROJECTION_RUNS} runs)`, figures: [perSecond(PROJECTION_RUNS, without, 'runs')] },
        { label: 'ratio with / without (target ≥ 0.90×)', figures: [ratio(without, withStore)] },
        ...CPU_PARTS.map((part) => ({
          label: `CPU per notify-and-wait run, ${CPU_LABELS[part]}: with the store / without`,
          figures: [`${ms(cpuWith[part] / PROJECTION_RUNS)} / ${ms(cpuWithout[part] / PROJECTION_RUNS)}`, ratio(cpuWith[part], cpuWithout[part])],
        })),
        {
          label: 'CPU per notify-and-wait run, all three: with the store / without',
          figures: [
            `${ms(cpuTotal(cpuWith) / PROJECTION_RUNS)} / ${ms(cpuTotal(cpuWithout) / PROJECTION_RUNS)}`,
            ratio(cpuTotal(cpuWith), cpuTotal(cpuWithout)),
          ],
        },
      );
    } finally {
      await client?.connection.close();
      await worker?.stop();
      await server.stop();
      await store.destroy();
      await embedded.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }

    // (c) Write throughput, on each backend in turn.
    if (WRITE_RUNS > 0) {
      const runs = `${WRITE_RUNS} runs × ${ENTRIES_PER_RUN} entries`;
      const [pglite, postgres] = [await writeThroughputOnPglite(), await writeThroughputOnPostgres()];
      rows.push(
        { label: `projectRun on PGlite (${runs}), a flush a statement / batched`, figures: pglite },
        { label: `projectRun on PostgreSQL (${runs}), a flush a statement / batched`, figures: postgres },
      );
    }
    return rows;
  },
};

/** (a) A CSM's inbox of INBOX_RUNS open runs, from the store and from visibility + status queries. */
async function inboxFigures(c: Client, store: Store, inbox: Awaited<ReturnType<typeof compileFile>>, rows: Row[]): Promise<void> {
  await forEachConcurrently(INBOX_RUNS, IN_FLIGHT, async (i) => {
    await startNewRun(c, { ...inbox, account: accountOf(`inbox-${i}`), taskQueue: TASK_QUEUE, projectToStore: true });
  });
  const listed = Math.min(INBOX_RUNS, 500);
  await until(
    `${listed} runs listed for ${CSM} by visibility`,
    async () => (await listRuns(c, { assignee: CSM, openOnly: true, limit: listed })).length >= listed,
  );
  await until(`${INBOX_RUNS} tasks in the store`, async () => (await inboxFromStore(store, CSM, { limit: INBOX_RUNS })).items.length >= INBOX_RUNS);
  const fromStore = await latencies(() => inboxFromStore(store, CSM, { limit: INBOX_RUNS }));
  const live = await latencies(() => inboxOf(c, CSM));
  const runs = INBOX_RUNS.toLocaleString('en-US');
  rows.push(
    { label: `inbox, ${runs} open runs: from the store`, figures: [`p50 ${ms(fromStore.p50)}`, `p95 ${ms(fromStore.p95)}`] },
    {
      label: `inbox, ${runs} open runs: visibility + a status query per run${INBOX_RUNS > listed ? ` (first ${listed})` : ''}`,
      figures: [`p50 ${ms(live.p50)}`, `p95 ${ms(live.p95)}`],
    },
    { label: 'ratio per-run queries / store', figures: [`p50 ${ratio(live.p50, fromStore.p50)}`, `p95 ${ratio(live.p95, fromStore.p95)}`] },
  );
}

async function writeThroughputOnPglite(): Promise<string[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'playbook-bench-store-'));
  const embedded = await startEmbeddedStore({ dataDir });
  try {
    return [await writeThroughput(embedded.url, false), await writeThroughput(embedded.url, true)];
  } finally {
    await embedded.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function writeThroughputOnPostgres(): Promise<string[]> {
  const server = await startPostgresServer();
  try {
    return [await writeThroughput(server.url, false), await writeThroughput(server.url, true)];
  } finally {
    await server.stop();
  }
}

/**
 * Entries per second of WRITE_RUNS synthetic runs, each flushed ENTRIES_PER_FLUSH entries at a
 * time, WRITERS runs at once; `batched`: through one worker's batches (a fresh set of runs).
 */
async function writeThroughput(url: string, batched: boolean): Promise<string> {
  const store = openStore(url, { maxConnections: WRITERS });
  const write = batched ? projectionBatches(store) : (flush: RunFlush) => projectRun(store, flush);
  const offset = batched ? WRITE_RUNS : 0;
  try {
    await migrateToLatest(store);
    const started = performance.now();
    await forEachConcurrently(WRITE_RUNS, WRITERS, async (i) => {
      for (let from = 0; from < ENTRIES_PER_RUN; from += ENTRIES_PER_FLUSH) await write(syntheticFlush(offset + i, from));
    });
    return perSecond(WRITE_RUNS * ENTRIES_PER_RUN, performance.now() - started, 'entries');
  } finally {
    await store.destroy();
  }
}

const EPOCH = Date.parse('2026-12-02T09:00:00.000Z');

/** Run `i`'s entries `from` … `from + ENTRIES_PER_FLUSH - 1`: a start, a task, then notifications; the last flush ends the run. */
function syntheticFlush(i: number, from: number): RunFlush {
  const at = (seq: number) => new Date(EPOCH + i * 60_000 + seq * 1_000).toISOString();
  const entries: TimelineEntry[] = Array.from({ length: ENTRIES_PER_FLUSH }, (_, j): TimelineEntry => {
    const seq = from + j;
    if (seq === 0) return { at: at(seq), kind: 'start', stage: null, text: 'Bench run', line: 1 };
    if (seq === 1) return { at: at(seq), kind: 'task', stage: null, to: CSM, text: `Call account ${i}`, task: 'call', due: at(seq + 86_400), line: 2 };
    return { at: at(seq), kind: 'notify', stage: null, to: CSM, text: `Notice ${seq} for account ${i}`, line: 3 };
  });
  const ended = from + ENTRIES_PER_FLUSH >= ENTRIES_PER_RUN;
  return {
    workflowId: `playbook:bench:write-${i}`,
    runId: `run-${i}`,
    run: {
      playbook: 'bench',
      version: '0000000000000000',
      accountId: `write-${i}`,
      status: ended ? 'completed' : 'running',
      stage: null,
      outcome: ended ? 'completed' : null,
      outcomeLabel: null,
      startedAt: at(0),
      endedAt: ended ? at(ENTRIES_PER_RUN) : null,
    },
    from,
    entries,
    questions: {},
    completedBy: {},
    ended: ended ? 'complete' : null,
  };
}

/** p50 and p95 of INBOX_READS calls of `read`, one at a time, after one unmeasured call. */
async function latencies(read: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await read();
  const times: number[] = [];
  for (let i = 0; i < INBOX_READS; i++) {
    const started = performance.now();
    await read();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95) };
}

/** Milliseconds to complete `count` runs with IN_FLIGHT of them under way at any time. */
async function msToComplete(runOnce: (id: string) => Promise<string>, prefix: string, count: number): Promise<number> {
  const started = performance.now();
  await forEachConcurrently(count, IN_FLIGHT, async (i) => {
    await runOnce(`${prefix}-${i}`);
  });
  return performance.now() - started;
}

/** CPU milliseconds by process: the worker, this process (the embedded store's host and the runs' client), the dev server. */
interface Cpu {
  worker: number;
  host: number;
  server: number;
}

const CPU_PARTS = ['worker', 'host', 'server'] as const;
const CPU_LABELS: Record<keyof Cpu, string> = { worker: 'worker', host: 'store host and client', server: 'dev server' };

function noCpu(): Cpu {
  return { worker: 0, host: 0, server: 0 };
}

function cpuTotal(cpu: Cpu): number {
  return cpu.worker + cpu.host + cpu.server;
}

/** Runs `phase`, adding the CPU each process used meanwhile to `into`; returns what `phase` returns. */
async function measured(into: Cpu, now: () => Promise<Cpu>, phase: () => Promise<number>): Promise<number> {
  const before = await now();
  const result = await phase();
  const after = await now();
  for (const part of CPU_PARTS) into[part] += after[part] - before[part];
  return result;
}

function hostCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** User and system CPU of process `pid` from /proc (Linux; 0 elsewhere), in milliseconds at the usual 100 ticks a second. */
function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

async function historyEvents(client: Client, workflowId: string): Promise<number> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return history.events?.length ?? 0;
}

/** The length of a run's history once it stopped growing for two seconds (the run is blocked and its flushes landed). */
async function settledHistoryEvents(client: Client, workflowId: string): Promise<number> {
  let last = -1;
  for (let quiet = 0; quiet < 4;) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await historyEvents(client, workflowId);
    quiet = now === last ? quiet + 1 : 0;
    last = now;
  }
  return last;
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`the store benchmark gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function accountOf(id: string) {
  return { id, name: `Account ${id}`, csm: CSM };
}

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number, got ${process.env[name]}`);
  return value;
}

function whole(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got ${process.env[name]}`);
  return value;
}
