/**
 * The contract of the goal digest (docs/kpis.md, "Goal digests and attainment alerts"): one
 * long-lived workflow per namespace (`goal-digest`), started by every worker with a store,
 * that sleeps on durable timers until the next start of working hours of any account
 * calendar its goals are counted in, then has the digests of those calendars sent and the
 * goals' attainment checked. Everything that reads the store or sends is an activity here;
 * the workflow only sleeps and calls them.
 *
 * No Node imports: the workflow bundle and the worker both import it.
 */
import type { ActivityOptions } from '@temporalio/common';

export const GOAL_DIGEST_WORKFLOW_TYPE = 'goalDigest';
export const GOAL_DIGEST_WORKFLOW_ID = 'goal-digest';

export interface GoalDigestWorkflowInput {
  /** Epoch ms: the digests handled last (set when it continues as new); absent: the workflow's start. */
  after?: number;
  /** Test hook: continue as new once history has this many events. */
  continueAsNewAfterEvents?: number;
}

/** The next digests due: an instant (epoch ms) and the calendars whose start of working hours it is. */
export interface DigestPlan {
  at: number;
  /** Calendar keys (`<id>@<zone>#<hash>`). */
  calendars: string[];
}

export interface GoalDigestActivities {
  /** The next digests due strictly after `after` (epoch ms); null: no run has a goal a digest would speak of. */
  planGoalDigests(input: { after: number }): Promise<DigestPlan | null>;
  /** Sends the digests of `calendars` for the start of working hours `at`: once per recipient, calendar and local day. */
  sendGoalDigests(input: DigestPlan): Promise<void>;
  /** Compares each goal's attainment over the 30 days before `at` with its target and tells owners of drops, once per drop. */
  checkGoalAttainment(input: { at: number }): Promise<void>;
}

/**
 * Reading the store: retried without limit, backing off to a minute. Sending: an SMTP
 * server or chat hook that is down is retried without limit too, backing off to 10 minutes,
 * so a digest waits for it rather than being lost (each recipient's is sent once: the ones
 * that went out before a failure are not sent again).
 */
export const goalDigestActivityOptions = {
  startToCloseTimeout: '5 minutes',
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    maximumAttempts: Number.POSITIVE_INFINITY,
  },
} as const satisfies ActivityOptions;

/**
 * How long the workflow sleeps at most before it plans again: a calendar that appears
 * meanwhile (a new account in another zone) gets its first digest on time.
 */
export const REPLAN_MS = 3_600_000;
