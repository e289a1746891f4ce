/** The worker's `projectRun` activity: the run's flush, written to the worker's store. */
import type { Store } from '../../store/connect.js';
import { projectRun } from '../../store/projection.js';
import type { ProjectionActivities } from './projection-options.js';

export function createProjectionActivities(store: Store): ProjectionActivities {
  return { projectRun: (flush) => projectRun(store, flush) };
}
