/** The worker's projection activities: a run's or an account entity's flush, written to the worker's store. */
import { projectAccount } from '../../store/account-projection.js';
import type { Store } from '../../store/connect.js';
import { projectRun } from '../../store/projection.js';
import type { ProjectionActivities } from './projection-options.js';

export function createProjectionActivities(store: Store): ProjectionActivities {
  return { projectRun: (flush) => projectRun(store, flush), projectAccount: (flush) => projectAccount(store, flush) };
}
