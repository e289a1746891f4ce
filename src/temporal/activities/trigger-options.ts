/**
 * The contract between the account entity workflow and its activities: reading the deployed
 * triggers (with each playbook's calendar resolved for the account, which needs the holiday
 * library) and starting a run of the newest deployed version. No Node imports: the workflow
 * bundle imports it.
 */
import type { ActivityOptions, LocalActivityOptions } from '@temporalio/common';
import type { AccountData } from '../../ir/types.js';
import type { Bindings, TriggerContext } from '../../triggers/evaluate.js';
import type { ForwardedInput, StartOutcome } from '../account-contract.js';
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
  /**
   * Signals an open run what the entity forwards it, as a local activity (in the entity's own
   * workflow task). `requestId` is the same on every try of one send: the server keeps a
   * signal's request id and takes a second signal with it as done. A run that has closed or
   * refuses more signals fails it at once (not retried); the entity then looks at the run.
   */
  signalRun(input: { workflowId: string; input: ForwardedInput; requestId: string }): Promise<void>;
  /** Asks the playbook's enrollment throttle (starting its gate on first use) whether a firing starts now or queues. */
  admitThrottled(input: { playbook: string; request: AdmitRequest }): Promise<Admission>;
}

/** All talk to the Temporal server only: short attempts, retried until the server answers. */
export const triggerActivityOptions: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/**
 * The same as local activities (`startPlaybookRun`, `signalRun`): run in the entity's workflow
 * task, they add one marker to its history instead of an activity's or a signal's events
 * and the workflow task that takes their result.
 */
export const triggerLocalActivityOptions: LocalActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/**
 * A signal that does not get through in a few tries goes back to the entity, which retries it
 * itself after looking at the run (`AccountEntity.retry`), rather than holding its inputs.
 */
export const signalLocalActivityOptions: LocalActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '2 seconds', maximumAttempts: 4 },
};
