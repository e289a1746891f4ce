/** Reads something in real time until it has got somewhere, or gives up with the caller's error. */
import { setTimeout as delay } from 'node:timers/promises';

export interface PollOptions {
  timeoutMs: number;
  intervalMs: number;
  /** The error thrown when `timeoutMs` has passed without `reached`. */
  failure: () => Error;
}

export async function pollUntil<T>(read: () => Promise<T>, reached: (state: T) => boolean, { timeoutMs, intervalMs, failure }: PollOptions): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await read();
    if (reached(state)) return state;
    if (Date.now() > deadline) throw failure();
    await delay(intervalMs);
  }
}
