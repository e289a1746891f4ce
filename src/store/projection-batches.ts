/**
 * A worker's run flushes, written in batches: flushes that only insert (`insertsOnly`, most of
 * them) wait while the store is busy with earlier ones, and the next statement writes all that
 * waited, of distinct runs, together (`projectRuns`). A busy store gets one statement and one
 * commit for many runs' flushes instead of one each (the embedded store, one session, above
 * all); an idle one gets each flush at once, as before.
 *
 * Each flush still resolves only once its rows are committed, so a `projectRun` activity
 * completes only after its write, as without batches. A batch that fails is written again a
 * flush at a time, so a flush the store refuses fails alone and an outage fails each flush
 * (which its activity retries). Two flushes of one run never share a statement (a retried
 * attempt may overlap the first): the later one waits for the next.
 */
import type { Store } from './connect.js';
import { insertsOnly, projectRun, projectRuns, type RunFlush } from './projection.js';

export interface ProjectionBatchOptions {
  /** Statements in flight at once (default 1: the embedded store runs one at a time anyway). */
  inFlight?: number;
  /** Flushes a statement writes at most (default 50). */
  maxFlushes?: number;
  /** Timeline entries a statement writes at most (default 500), besides a single larger flush. */
  maxEntries?: number;
}

interface Waiting {
  flush: RunFlush;
  resolve(): void;
  reject(error: unknown): void;
}

/** `projectRun` for one worker's runs, batching the flushes that only insert. */
export function projectionBatches(store: Store, options: ProjectionBatchOptions = {}): (flush: RunFlush) => Promise<void> {
  const { inFlight = 1, maxFlushes = 50, maxEntries = 500 } = options;
  const waiting: Waiting[] = [];
  let writing = 0;

  const next = (): Waiting[] => {
    const batch: Waiting[] = [];
    const runs = new Set<string>();
    let entries = 0;
    for (let i = 0; i < waiting.length && batch.length < maxFlushes;) {
      const w = waiting[i]!;
      const size = w.flush.entries.length;
      if (runs.has(w.flush.runId) || (batch.length > 0 && entries + size > maxEntries)) {
        i++;
        continue;
      }
      waiting.splice(i, 1);
      batch.push(w);
      runs.add(w.flush.runId);
      entries += size;
    }
    return batch;
  };

  const write = async (batch: Waiting[]): Promise<void> => {
    if (batch.length > 1) {
      try {
        await projectRuns(
          store,
          batch.map((w) => w.flush),
        );
        for (const w of batch) w.resolve();
        return;
      } catch {
        // Written again one by one below, so each flush gets its own outcome.
      }
    }
    await Promise.all(batch.map((w) => projectRun(store, w.flush).then(w.resolve, w.reject)));
  };

  const pump = (): void => {
    while (writing < inFlight && waiting.length > 0) {
      const batch = next();
      writing++;
      void write(batch).finally(() => {
        writing--;
        pump();
      });
    }
  };

  return (flush) => {
    if (!insertsOnly(flush)) return projectRun(store, flush);
    return new Promise<void>((resolve, reject) => {
      waiting.push({ flush, resolve, reject });
      pump();
    });
  };
}
