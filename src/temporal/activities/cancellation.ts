/**
 * An activity that waits on the server for something only a worker can answer (the deployment
 * registry's query) must give up when it is cancelled: when its own worker shuts down, that
 * worker no longer polls, so the answer could come only after the query times out, and a
 * graceful shutdown would wait for it. Outside an activity (tests call the activities
 * directly) there is nothing to be cancelled by.
 */
import { Context } from '@temporalio/activity';

/** `work`, or its activity's cancellation if that comes first (the work itself goes on, unwatched). */
export function unlessCancelled<T>(work: Promise<T>): Promise<T> {
  let cancelled: Promise<never>;
  try {
    cancelled = Context.current().cancelled;
  } catch {
    return work;
  }
  // The work may still settle after the cancellation: nobody is waiting for it then.
  work.catch(() => {});
  return Promise.race([work, cancelled]);
}
