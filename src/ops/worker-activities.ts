/**
 * Every activity a playbook worker serves: the playbook's actions (email, tasks, webhooks…)
 * and the account entity's (reading deployed triggers, starting runs), which need a Temporal
 * client of their own on the worker's server. With a store configured, deliveries are recorded
 * in its ledger, shared by every worker, runs write their timelines to it (`projectRun`), and
 * the process sends the task notices runs queue there (task-notice-dispatcher.ts). With a
 * store the worker also serves the goal digest's activities and makes sure its workflow runs
 * (goal-digest.ts): started once per namespace, by whichever worker comes first.
 */
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { connectClient } from '../temporal/client-connection.js';
import { consoleBaseUrl } from '../config/console-url.js';
import type { PlaybookConfig } from '../config/types.js';
import { createActivities, emailSenderOf, type CustomerEmailPolicy, type PlaybookActivities } from '../temporal/activities/index.js';
import { GOAL_DIGEST_WORKFLOW_ID, GOAL_DIGEST_WORKFLOW_TYPE, type GoalDigestActivities } from '../temporal/goal-digest-contract.js';
import { createGoalDigestActivities } from './goal-digest.js';
import { unsubscribeKey, unsubscribeToken, unsubscribeUrl } from '../outreach/unsubscribe-link.js';
import type { Store } from '../store/connect.js';
import { recordSentEmail } from '../store/emails.js';
import { suppressionOf } from '../store/suppressions.js';
import { createProjectionActivities } from '../temporal/activities/projection.js';
import type { ProjectionActivities } from '../temporal/activities/projection-options.js';
import { createTriggerActivities, type TriggerActivities } from '../temporal/activities/triggers.js';
import { accountWorkflowId, upsertAccountSignal } from '../temporal/account-contract.js';
import { disabledPlaybooks } from '../store/playbook-switches.js';
import { StoreContactLedger } from '../store/contact-reservations.js';
import { StoreDeliveryLedger } from '../store/delivery-ledger.js';
import { openMigratedStore } from '../store/session.js';
import { startTaskNoticeDispatcher } from './task-notice-dispatcher.js';

export interface WorkerActivities {
  /** `projectRun` only with a store: runs call it only when started with `projectToStore`. */
  activities: PlaybookActivities & TriggerActivities & Partial<ProjectionActivities> & Partial<GoalDigestActivities>;
  /** Closes the activities' client connection and store. */
  close(): Promise<void>;
}

export interface WorkerActivityOptions {
  /** Demo only, never from the configuration file: see `TriggerActivityDeps.playbookClockLeadMs`. */
  playbookClockLeadMs?: number;
}

export async function connectWorkerActivities(config: PlaybookConfig, options: WorkerActivityOptions = {}): Promise<WorkerActivities> {
  const connection = await connectClient(config.temporal);
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const store =
    config.store === null
      ? null
      : await openMigratedStore(config.store).catch(async (e: unknown) => {
          await connection.close();
          throw e;
        });
  const ledger = store === null ? null : new StoreDeliveryLedger(store);
  const playbookActivities = createActivities(
    config,
    store === null || ledger === null ? {} : { ledger, contacts: new StoreContactLedger(store), outreach: customerEmailPolicy(config, store) },
  );
  const activities: PlaybookActivities & TriggerActivities = {
    ...playbookActivities,
    // A run's `set account.x to …` also reaches the account's entity (when there is one), so
    // the account's other runs and its triggers see the change.
    async setAccountField(input) {
      const result = await playbookActivities.setAccountField(input);
      const { workflowId, accountId, action } = input;
      try {
        await client.workflow
          .getHandle(accountWorkflowId(accountId))
          .signal(upsertAccountSignal, { fields: { [action.field]: action.value }, by: `run:${workflowId}`, sourceRun: workflowId });
      } catch (e) {
        if (!(e instanceof WorkflowNotFoundError)) throw e;
      }
      return result;
    },
    ...createTriggerActivities({
      client,
      taskQueue: config.temporal.taskQueue,
      roles: config.roles,
      signalLimit: config.temporal.maxSignalsPerExecution,
      projectToStore: store !== null,
      playbookClockLeadMs: options.playbookClockLeadMs,
      ...(store !== null && { disabledPlaybooks: () => disabledPlaybooks(store) }),
    }),
    ...(store !== null && createProjectionActivities(store)),
    ...(store !== null && ledger !== null && createGoalDigestActivities({ config, store, ledger, email: emailSenderOf(config) })),
  };
  if (store !== null) {
    try {
      await ensureGoalDigest(client, config.temporal.taskQueue);
    } catch (e) {
      await Promise.all([connection.close(), store.destroy()]);
      throw e;
    }
  }
  const calls = inFlight(activities);
  // Runs that project queue their task notices in the store; this process sends them.
  const notices = store === null ? null : startTaskNoticeDispatcher({ store, noticeTask: playbookActivities.noticeTask, log: (m) => console.error(m) });
  return {
    activities: calls.activities,
    // A call still retrying against a server that went away would fire its next attempt on a
    // closed connection (an uncaught error in the SDK's retry timer): let the calls settle first.
    close: async () => {
      await notices?.stop();
      await calls.settled();
      await Promise.all([connection.close(), store?.destroy()]);
    },
  };
}

/** Starts the goal digest's workflow unless it runs already (another worker, an earlier start of this one). */
async function ensureGoalDigest(client: Client, taskQueue: string): Promise<void> {
  try {
    await client.workflow.start(GOAL_DIGEST_WORKFLOW_TYPE, { workflowId: GOAL_DIGEST_WORKFLOW_ID, taskQueue, args: [{}] });
  } catch (e) {
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
  }
}

/** Opt-outs from the store's suppression list, and links signed with the outreach key. */
function customerEmailPolicy(config: PlaybookConfig, store: Store): CustomerEmailPolicy {
  const key = unsubscribeKey(config);
  return {
    suppressed: async (address) => (await suppressionOf(store, address))?.reason ?? null,
    unsubscribeUrl: (address, accountId) => unsubscribeUrl(consoleBaseUrl(config), unsubscribeToken(key, { address, accountId })),
    sending: (email) =>
      recordSentEmail(store, {
        message_id: email.messageId,
        idempotency_key: email.key,
        workflow_id: email.workflowId,
        account_id: email.accountId,
        playbook_id: email.playbook,
        template: email.template,
        recipient: email.recipient,
        subject: email.subject,
        created_at: new Date(),
      }),
  };
}

/** `activities` with each call tracked, and a promise that the calls under way have ended. */
function inFlight<A extends object>(activities: A): { activities: A; settled(): Promise<void> } {
  const running = new Set<Promise<unknown>>();
  const tracked = Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [
      name,
      (...args: unknown[]) => {
        const call = Promise.resolve((fn as (...a: unknown[]) => unknown)(...args));
        running.add(call);
        void call.then(
          () => running.delete(call),
          () => running.delete(call),
        );
        return call;
      },
    ]),
  ) as A;
  return { activities: tracked, settled: () => Promise.allSettled([...running]).then(() => undefined) };
}
