/**
 * The contract between the account entity workflow and its activities: reading the deployed
 * triggers (with each playbook's calendar resolved for the account, which needs the holiday
 * library) and starting a run of the newest deployed version. No Node imports: the workflow
 * bundle imports it.
 */
import type { ActivityOptions } from '@temporalio/common';
import type { AccountData } from '../../ir/types.js';
import type { Bindings, TriggerContext } from '../../triggers/evaluate.js';
import type { StartOutcome } from '../account-contract.js';
import type { Admission, AdmitRequest } from '../throttle-contract.js';

/**
 * The triggers, whether the worker that read them has a store (the entity then projects to
 * it), and the server's signal limit it was told (`temporal.maxSignalsPerExecution`; absent:
 * the default), which the entity keeps under as the runs do.
 */
export type LoadedTriggers = TriggerContext & { projectToStore?: boolean; signalLimit?: number };

export interface TriggerActivities {
  /**
   * `minGeneration`: the generation a deploy's notice announced; a read of what is deployed
   * that the worker holds from before it does not serve.
   */
  loadTriggers(input: { accountId: string; account: AccountData; minGeneration?: number }): Promise<LoadedTriggers>;
  /** Never throws for an open run (`alreadyOpen`) or a refusal (`refused` with the reason). */
  /** `bindings`: the triggering event under its `as` name, which the run starts with. */
  startPlaybookRun(input: { account: AccountData; playbook: string; bindings?: Bindings }): Promise<StartOutcome>;
  /** Temporal's status of a run (`RUNNING`, `TERMINATED` …), null when the server does not know it. */
  runStatus(input: { workflowId: string }): Promise<string | null>;
  /** Asks the playbook's enrollment throttle (starting its gate on first use) whether a firing starts now or queues. */
  admitThrottled(input: { playbook: string; request: AdmitRequest }): Promise<Admission>;
}

/** All talk to the Temporal server only: short attempts, retried until the server answers. */
export const triggerActivityOptions: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};
