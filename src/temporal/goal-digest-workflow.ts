/**
 * The goal digest's workflow (`goal-digest`, see goal-digest-contract.ts): plans the next
 * digests (an activity reading the store), sleeps until then on a durable timer (at most
 * `REPLAN_MS`, then plans again), has them sent and the goals' attainment checked, and
 * continues as new when its history grows long. Failures of the activities are retried by
 * Temporal without limit, so an outage delays a digest and never ends the workflow.
 */
import { makeContinueAsNewFunc, proxyActivities, sleep } from '@temporalio/workflow';
import { continueAsNewDue } from './continue-as-new.js';
import { goalDigestActivityOptions, REPLAN_MS, type GoalDigestActivities, type GoalDigestWorkflowInput } from './goal-digest-contract.js';

const { planGoalDigests, sendGoalDigests, checkGoalAttainment } = proxyActivities<GoalDigestActivities>(goalDigestActivityOptions);

export async function goalDigest(input: GoalDigestWorkflowInput): Promise<void> {
  // Planned from the last digests handled, not from now: digests due while others were being
  // sent (two zones a few minutes apart, a store outage) still go out, late rather than never.
  let after = input.after ?? Date.now();
  for (;;) {
    const plan = await planGoalDigests({ after });
    const wake = Math.min(plan?.at ?? Number.POSITIVE_INFINITY, Date.now() + REPLAN_MS);
    await sleep(Math.max(1, wake - Date.now()));
    if (plan !== null && Date.now() >= plan.at) {
      await sendGoalDigests(plan);
      await checkGoalAttainment({ at: plan.at });
      after = plan.at;
    }
    if (continueAsNewDue(input.continueAsNewAfterEvents)) await makeContinueAsNewFunc<typeof goalDigest>()({ ...input, after });
  }
}
