/**
 * History size of the reference onboarding playbook on Temporal: the product's interpreter
 * workflow against the hand-written baseline (bench/baseline/onboarding-workflow.ts), run side
 * by side on the time-skipping server with the same account and the same inputs at the same
 * moments (the main path: kickoff held, sponsor confirmed, welcome call and training done,
 * activation reached). Prints history events and workflow tasks per run and their ratio
 * (target: at most 1.2×).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { resolveCalendar } from '../src/calendar/resolve.js';
import { compileFile } from '../src/compile/compile.js';
import type { AccountData } from '../src/ir/types.js';
import { createTestEnv } from '../src/servers/test-env.js';
import { startNewRun } from '../src/temporal/client.js';
import { accountUpdatedSignal, completeTaskUpdate, eventSignal } from '../src/temporal/contract.js';
import type { OnboardingAccount } from './baseline/onboarding-workflow.js';
import type { Row, Suite } from './harness.js';
import { benchWorker, noopActivities, quietTemporalRuntime, ratio, REFERENCE_ONBOARDING } from './temporal-setup.js';

const TASK_QUEUE = 'bench-history';
const ACCOUNT_FILE = path.join(path.dirname(REFERENCE_ONBOARDING), 'accounts', 'acme-enterprise.json');

/** The main path, as (time to let pass first, input) pairs. */
type Input = (handle: WorkflowHandle) => Promise<unknown>;
const MAIN_PATH: Array<[string, Input]> = [
  ['1 day', (h) => h.signal(eventSignal, { name: 'kickoff.held', payload: { attendees: 'Dana Whitfield, Jordan Lee' } })],
  [
    '1 day',
    (h) => h.executeUpdate(completeTaskUpdate, { args: [{ task: 'sponsor', answers: { still_in_role: true, engagement: 'engaged', new_sponsor: '' } }] }),
  ],
  [
    '2 days',
    (h) =>
      h.executeUpdate(completeTaskUpdate, {
        args: [{ task: 'welcome_call', answers: { admins_named: true, success_criteria: 'weekly active admins', sso_required: false } }],
      }),
  ],
  ['3 days', (h) => h.executeUpdate(completeTaskUpdate, { args: [{ task: 'training', answers: { admins_trained: 4, ready_for_rollout: true } }] })],
  ['10 days', (h) => h.signal(accountUpdatedSignal, { fields: { activation_rate: 65 } })],
];

interface HistoryFigures {
  events: number;
  workflowTasks: number;
  outcome: string;
}

export const temporalHistory: Suite = {
  name: 'Temporal history: reference onboarding, main path (time-skipping server)',
  async run() {
    quietTemporalRuntime();
    const { program, version } = await compileFile(REFERENCE_ONBOARDING);
    const account = JSON.parse(await readFile(ACCOUNT_FILE, 'utf8')) as AccountData;
    const year = new Date().getUTCFullYear();
    const calendar = resolveCalendar(program.calendars['us-business']!, account, { from: year - 1, to: year + 3 });
    const env = await createTestEnv();
    try {
      const worker = await benchWorker(env, TASK_QUEUE, noopActivities);
      const [ours, baseline] = await worker.runUntil(async () => {
        const started = await startNewRun(env.client, { program, version, account, taskQueue: TASK_QUEUE });
        const handles = [
          env.client.workflow.getHandle(started.workflowId),
          await env.client.workflow.start('onboardingEnterprise', {
            workflowId: `baseline:onboarding-enterprise:${account.id}`,
            taskQueue: TASK_QUEUE,
            args: [{ account: account as unknown as OnboardingAccount, calendar }],
          }),
        ];
        for (const [wait, input] of MAIN_PATH) {
          await env.sleep(wait);
          await Promise.all(handles.map(input));
        }
        // One at a time: the test client locks time skipping again as soon as one result is in.
        const measured: HistoryFigures[] = [];
        for (const handle of handles) measured.push(await figures(env, handle));
        return measured;
      });
      return rows(ours!, baseline!);
    } finally {
      await env.teardown();
    }
  },
};

async function figures(env: TestWorkflowEnvironment, handle: WorkflowHandle): Promise<HistoryFigures> {
  const result = (await handle.result()) as { outcome: string };
  const events = (await env.client.workflow.getHandle(handle.workflowId).fetchHistory()).events ?? [];
  return {
    events: events.length,
    workflowTasks: events.filter((e) => e.workflowTaskCompletedEventAttributes != null).length,
    outcome: result.outcome,
  };
}

function rows(ours: HistoryFigures, baseline: HistoryFigures): Row[] {
  const row = (label: string, f: HistoryFigures): Row => ({
    label,
    figures: [`${f.events} events`, `${f.workflowTasks} workflow tasks`, f.outcome],
  });
  return [
    row('interpreter (playbook workflow)', ours),
    row('hand-written baseline', baseline),
    { label: 'ratio (target ≤ 1.20×)', figures: [ratio(ours.events, baseline.events), ratio(ours.workflowTasks, baseline.workflowTasks)] },
  ];
}
