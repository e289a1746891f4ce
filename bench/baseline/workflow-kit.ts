/**
 * What the hand-written baseline workflows share: the activities they call (the product's,
 * with its options) and a way to perform an action with a deterministic idempotency key.
 * Workflow code only.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Action } from '../../src/runtime/effects.js';
import { activityOptions, performAction, type PlaybookActivities, type RunRef } from '../../src/temporal/activities/options.js';

export type { PlaybookWorkflowResult as RunOutcome } from '../../src/temporal/contract.js';

export const activities = proxyActivities<PlaybookActivities>(activityOptions);

/** An action before its idempotency key and playbook are added. */
export type Unkeyed = Action extends infer A ? (A extends Action ? Omit<A, 'key' | 'playbook'> : never) : never;

/** Performs actions for `run`, keyed by their order in the run (the code path is deterministic). */
export function performer(run: RunRef): (action: Unkeyed, playbook: string) => Promise<void> {
  let performed = 0;
  return async (action, playbook) => {
    await performAction(activities, run, { ...action, key: `${++performed}`, playbook });
  };
}
