import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../src/runtime/timeline.js';
import type { Store } from '../../src/store/connect.js';
import { projectionBatches } from '../../src/store/projection-batches.js';
import type { RunFlush } from '../../src/store/projection.js';
import { BACKENDS, useMigratedStore } from './backends.js';

const AT = '2026-12-04T09:00:00.000Z';

/** Run `runId`'s entries `from`…: a start, then notifications. */
function flush(runId: string, from: number, count: number, at = AT): RunFlush {
  const entries = Array.from({ length: count }, (_, j): TimelineEntry => {
    const seq = from + j;
    return seq === 0
      ? { at, kind: 'start', stage: null, text: 'Batched', line: 1 }
      : { at, kind: 'notify', stage: null, to: 'csm@example.com', text: `Notice ${seq}`, line: 2 };
  });
  return {
    workflowId: `playbook:batched:${runId}`,
    runId,
    run: {
      playbook: 'batched',
      version: 'abc',
      accountId: runId,
      status: 'running',
      stage: null,
      outcome: null,
      outcomeLabel: null,
      startedAt: AT,
      endedAt: null,
    },
    from,
    entries,
    questions: {},
    completedBy: {},
    ended: null,
  };
}

/** `store`, counting the statements it runs. */
function counting(store: Store): { store: Store; statements(): number } {
  let statements = 0;
  const counted = store.withPlugin({
    transformQuery: ({ node }) => node,
    transformResult: async ({ result }) => {
      statements++;
      return result;
    },
  });
  return { store: counted, statements: () => statements };
}

describe.each(BACKENDS)('batched run flushes on %s', (name) => {
  let store: Store;
  useMigratedStore(name, (opened) => (store = opened));

  const seqsOf = async (runId: string) =>
    (await store.selectFrom('timeline_entries').select('seq').where('run_id', '=', runId).orderBy('seq').execute()).map((r) => r.seq);

  it('writes the flushes that arrive while a statement runs in one statement, each entry once', async () => {
    const counted = counting(store);
    const project = projectionBatches(counted.store);
    const runs = Array.from({ length: 10 }, (_, i) => `together-${i}`);
    // The first flush finds the store idle and is written at once; the other nine wait for it, then go together.
    await Promise.all(runs.map((runId) => project(flush(runId, 0, 3))));
    expect(counted.statements()).toBe(2);
    // The same flushes again, as replays or retries send them: still one row per entry.
    await Promise.all(runs.map((runId) => project(flush(runId, 0, 3))));
    for (const runId of runs) expect(await seqsOf(runId)).toEqual([0, 1, 2]);
    const rows = await store.selectFrom('runs').select(['run_id', 'entries']).where('run_id', 'in', runs).execute();
    expect(rows.map((r) => r.entries)).toEqual(runs.map(() => 3));
  });

  it('fails only the flush the store refuses; the others of its batch land', async () => {
    const project = projectionBatches(store);
    const outcomes = await Promise.allSettled([
      project(flush('first', 0, 1)),
      project(flush('good-1', 0, 2)),
      project(flush('refused', 0, 2, 'not a time')),
      project(flush('good-2', 0, 2)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[2] as PromiseRejectedResult).reason.message).toMatch(/not a time/);
    expect(await seqsOf('good-1')).toEqual([0, 1]);
    expect(await seqsOf('good-2')).toEqual([0, 1]);
    expect(await seqsOf('refused')).toEqual([]);
  });

  it('never writes two flushes of one run in one statement', async () => {
    const counted = counting(store);
    const project = projectionBatches(counted.store);
    // A retried attempt overlapping the first: the same flush twice, waiting together with another run's.
    await Promise.all([project(flush('busy', 0, 1)), project(flush('twice', 0, 2)), project(flush('twice', 0, 2)), project(flush('other', 0, 2))]);
    expect(counted.statements()).toBe(3);
    expect(await seqsOf('twice')).toEqual([0, 1]);
    expect(await seqsOf('other')).toEqual([0, 1]);
  });
});
