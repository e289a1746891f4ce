/**
 * Rows for read tests, written with typed inserts in exactly the shape schema.ts documents
 * (the projection writes the same rows from the workflows).
 */
import type { Insertable } from 'kysely';
import type { TimelineEntry } from '../../src/runtime/timeline.js';
import type { Store } from '../../src/store/connect.js';
import type { RunsTable, TasksTable } from '../../src/store/schema.js';

export type RunFixture = Partial<Insertable<RunsTable>> & { workflow_id: string };

/** The run id a fixture row has unless it names one: one run per workflow id. */
export function runIdOf(workflowId: string): string {
  return `run-of-${workflowId}`;
}

export async function insertRun(store: Store, run: RunFixture): Promise<void> {
  const [, playbook = 'onboarding', account = 'acme'] = run.workflow_id.split(':');
  await store
    .insertInto('runs')
    .values({
      run_id: runIdOf(run.workflow_id),
      playbook_id: playbook,
      playbook_version: 'a'.repeat(64),
      account_id: account,
      started_by: 'cli',
      status: 'running',
      stage: null,
      started_at: '2026-01-05T09:00:00.000Z',
      updated_at: '2026-01-05T09:00:00.000Z',
      ...run,
    })
    .execute();
}

/** Stores `entries` as the run's timeline, seq from 0, and counts them on the run. */
export async function insertEntries(store: Store, workflowId: string, entries: TimelineEntry[], runId = runIdOf(workflowId)): Promise<void> {
  if (entries.length === 0) return;
  await store
    .insertInto('timeline_entries')
    .values(
      entries.map((entry, seq) => ({
        run_id: runId,
        workflow_id: workflowId,
        seq,
        at: entry.at,
        kind: entry.kind,
        stage: entry.stage,
        entry: JSON.stringify(entry),
      })),
    )
    .execute();
  await store.updateTable('runs').set({ entries: entries.length }).where('run_id', '=', runId).execute();
}

export type TaskFixture = Partial<Omit<Insertable<TasksTable>, 'questions' | 'answers'>> & {
  workflow_id: string;
  seq: number;
  name: string;
  questions?: unknown[];
  answers?: Record<string, unknown>;
};

export async function insertTask(store: Store, task: TaskFixture): Promise<void> {
  const [, playbook = 'onboarding', account = 'acme'] = task.workflow_id.split(':');
  const { questions = [], answers, ...rest } = task;
  await store
    .insertInto('tasks')
    .values({
      run_id: runIdOf(task.workflow_id),
      account_id: account,
      playbook_id: playbook,
      title: `Do ${task.name}`,
      assignee: 'ann@example.com',
      state: 'open',
      created_at: '2026-01-05T09:00:00.000Z',
      ...rest,
      questions: JSON.stringify(questions),
      answers: answers === undefined ? null : JSON.stringify(answers),
    })
    .execute();
}
