/** The worker's projection activities: a run's or an account entity's flush, written to the worker's store. */
import { projectAccount } from '../../store/account-projection.js';
import type { Store } from '../../store/connect.js';
import { projectionBatches } from '../../store/projection-batches.js';
import type { ProjectionActivities } from './projection-options.js';

export function createProjectionActivities(store: Store): ProjectionActivities {
  // Runs' flushes that arrive while the store writes earlier ones are written together.
  const projectRun = projectionBatches(store);
  return { projectRun, projectAccount: (flush) => projectAccount(store, flush) };
}
