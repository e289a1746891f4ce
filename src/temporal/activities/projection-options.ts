/**
 * The contract of the `projectRun` activity, by which a playbook run writes its timeline to
 * the store (see src/store/projection.ts), and of `projectAccount`, by which an account's
 * entity writes its data, upserts, events and trigger log (src/store/account-projection.ts). No Node imports, so the workflow bundle can
 * import it; the flush's type comes from the store as a type only, erased from the bundle.
 *
 * A store outage must never fail a run: attempts retry without limit, backing off to one a
 * minute, and the run does not wait for them while it goes on (see projection-desk.ts).
 */
import type { ActivityOptions, LocalActivityOptions } from '@temporalio/common';
import type { AccountFlush, AccountJournalEntry } from '../../store/account-projection.js';
import type { RunFlush } from '../../store/projection.js';

export type { AccountFlush, AccountJournalEntry, RunFlush };

/**
 * Registered by a worker with a store; a run calls `projectRun` only when started with
 * `projectToStore`, an entity `projectAccount` only once its triggers were read by such a worker.
 */
export interface ProjectionActivities {
  projectRun(flush: RunFlush): Promise<void>;
  projectAccount(flush: AccountFlush): Promise<void>;
}

/** For `proxyActivities<ProjectionActivities>(projectionActivityOptions)`. */
export const projectionActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: Number.POSITIVE_INFINITY,
  },
} as const satisfies ActivityOptions;

/**
 * For `proxyLocalActivities<ProjectionActivities>(…)`, how runs started with
 * `storeWrites: 'local'` flush (projection-desk.ts): a local activity runs in the worker that runs
 * the workflow, inside the workflow task, and costs one marker event in history instead of an
 * activity's three and the workflow task its completion wakes. The workflow task waits for it
 * (a store write, milliseconds); while the store is down, attempts retry inside the task for
 * `localRetryThreshold` only, then back off on workflow timers (to one a minute), so the task
 * completes and the run goes on.
 */
export const projectionLocalActivityOptions = {
  startToCloseTimeout: '10 seconds',
  localRetryThreshold: '2 seconds',
  retry: projectionActivityOptions.retry,
} as const satisfies LocalActivityOptions;
