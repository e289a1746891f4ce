/**
 * Progress of a long import on stderr: a live bar (rows done of total, rate, time left) on a
 * terminal; otherwise, for logs and pipes, a plain line now and then (never one per row).
 */
import cliProgress from 'cli-progress';

export interface ImportProgress {
  update(done: number): void;
  /** Clears the bar; the caller prints the summary. */
  stop(): void;
}

export function barProgress(stream: NodeJS.WriteStream, total: number): ImportProgress {
  const bar = new cliProgress.SingleBar(
    { stream, format: 'importing {bar} {value}/{total} accounts  {rate}/s  eta {eta_formatted}', clearOnComplete: true, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  bar.start(total, 0, { rate: 0 });
  return {
    update: (done) => bar.update(done, { rate: perSecond(done, Date.now() - started) }),
    stop: () => bar.stop(),
  };
}

/** How often the plain form prints a line. */
export const PROGRESS_LINE_INTERVAL_MS = 2_000;

export function lineProgress(write: (text: string) => void, total: number, now: () => number = Date.now): ImportProgress {
  const started = now();
  let last = started;
  return {
    update(done) {
      const t = now();
      if (done >= total || t - last < PROGRESS_LINE_INTERVAL_MS) return;
      last = t;
      write(`imported ${done}/${total} accounts (${perSecond(done, t - started)}/s)\n`);
    },
    stop() {},
  };
}

export function perSecond(count: number, elapsedMs: number): number {
  return elapsedMs <= 0 ? 0 : Math.round((count * 1000) / elapsedMs);
}
