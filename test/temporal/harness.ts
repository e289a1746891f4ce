/**
 * The shared set-up of the Temporal tests: one time-skipping server per test file, the
 * workflow bundled once, one worker with in-memory activities, and helpers to run a
 * playbook on it the way the simulator runs it.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { addSearchAttributes } from '../../src/servers/search-attributes.js';
import { createTestEnv } from '../../src/servers/test-env.js';
import type { Action, ActionResult } from '../../src/runtime/effects.js';
import {
  PERMANENT_FAILURE_TYPE,
  type ActivityInput,
  type PlaybookActivities,
  type TaskClosedInput,
  type TaskNoticeInput,
} from '../../src/temporal/activities/options.js';
import { MemoryContactLedger, sendAsDecided } from '../../src/outreach/contact-ledger.js';
import type { ProjectionActivities, RunFlush } from '../../src/temporal/activities/projection-options.js';
import { bundlePlaybookWorkflows } from '../../src/temporal/bundle.js';
import { SEARCH_ATTRIBUTE_SCHEMA } from '../../src/temporal/contract.js';
import { createWorker } from '../../src/temporal/worker.js';

export const TASK_QUEUE = 'playbook-tests';

/** Activities that only remember what they were asked; an action `failing` picks fails for good. */
export class RecordingActivities {
  readonly performed: Array<{ run: string; action: Action }> = [];
  readonly closed: TaskClosedInput[] = [];
  readonly noticed: TaskNoticeInput[] = [];
  failing: (action: Action) => boolean = () => false;
  /** Task notices fail for good while set. */
  noticesFail = false;
  /** Contact-policy decisions of every run on this worker (`reset()` by a test that starts afresh). */
  contacts = new MemoryContactLedger();
  /** What runs started with `projectToStore` flushed, in order. */
  readonly flushes: RunFlush[] = [];

  readonly activities: PlaybookActivities & Pick<ProjectionActivities, 'projectRun'> = {
    sendEmail: async (input) =>
      sendAsDecided(
        input.action,
        (key, request) => this.contacts.decide(`${input.workflowId}/${input.runId}/${key}`, request),
        (action) => this.perform({ ...input, action }),
      ),
    decideContact: async ({ workflowId, runId, action }) => {
      const { key, kind: _kind, playbook: _playbook, ...request } = action;
      return { ok: true, contact: this.contacts.decide(`${workflowId}/${runId}/${key}`, request) };
    },
    sendNotification: (input) => this.perform(input),
    createTask: (input) => this.perform(input),
    recordEscalation: (input) => this.perform(input),
    callWebhook: (input) => this.perform(input),
    setAccountField: (input) => this.perform(input),
    closeTask: async (input) => {
      this.closed.push(input);
      return { ok: true };
    },
    noticeTask: async (input) => {
      this.noticed.push(input);
      if (this.noticesFail) throw ApplicationFailure.nonRetryable(`notice rejected by the test for ${input.key}`, PERMANENT_FAILURE_TYPE);
      return { ok: true };
    },
    projectRun: async (flush) => {
      this.flushes.push(flush);
    },
  };

  private async perform({ workflowId, action }: ActivityInput): Promise<ActionResult> {
    this.performed.push({ run: workflowId, action });
    if (this.failing(action)) throw ApplicationFailure.nonRetryable(`rejected by the test for ${action.key}`, PERMANENT_FAILURE_TYPE);
    return { ok: true };
  }
}

export interface Harness {
  env: TestWorkflowEnvironment;
  worker: Worker;
  recorded: RecordingActivities;
  /** Runs until `teardown`. */
  running: Promise<void>;
  teardown(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const [env, bundle] = await Promise.all([createTestEnv(), bundlePlaybookWorkflows()]);
  await addSearchAttributes(env.connection, env.namespace ?? 'default', SEARCH_ATTRIBUTE_SCHEMA);
  const recorded = new RecordingActivities();
  const worker = await createWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue: TASK_QUEUE,
    activities: recorded.activities,
    workflowBundle: { code: bundle.code },
    maxCachedWorkflows: 20,
  });
  const running = worker.run();
  return {
    env,
    worker,
    recorded,
    running,
    teardown: async () => {
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}
