import { describe, expect, it } from 'vitest';
import type { AskIr } from '../../src/ir/types.js';
import type { TimelineEntry } from '../../src/runtime/timeline.js';
import type { Store } from '../../src/store/connect.js';
import { projectRun, type RunFlush } from '../../src/store/projection.js';
import { getStoredRun, getStoredTask, inboxFromStore, listStoredRuns, storedTimeline } from '../../src/store/reads.js';
import { statusOfStoredRun } from '../../src/ops/stored-runs.js';
import { BACKENDS, useMigratedStore } from './backends.js';

const at = (minute: number) => new Date(Date.UTC(2025, 0, 6, 9, minute)).toISOString();
const hourLater = (iso: string) => new Date(Date.parse(iso) + 3_600_000).toISOString();

/** A run that opens two tasks, completes one and ends: 6 entries. */
const TIMELINE: TimelineEntry[] = [
  { at: at(0), kind: 'start', stage: null, text: 'Onboarding', line: 1 },
  { at: at(1), kind: 'task', stage: 'kickoff', task: 'sponsor', text: 'Check the sponsor', to: 'ann@example.com', due: at(50), line: 4 },
  { at: at(2), kind: 'task', stage: 'kickoff', task: 'training', text: 'Train the admins', to: 'bob@example.com', line: 6 },
  { at: at(3), kind: 'task-completed', stage: 'kickoff', task: 'sponsor', text: 'Check the sponsor', data: { still_in_role: true }, line: 4 },
  { at: at(4), kind: 'note', stage: 'kickoff', text: 'sponsor confirmed', line: 8 },
  { at: at(5), kind: 'stop', stage: 'kickoff', text: 'done', line: 9 },
];
const ASKS: AskIr[] = [{ name: 'still_in_role', question: 'Still in role?', type: { type: 'yes/no' } }];

/** The run id of the tests' runs, but for the second run of one workflow id. */
const firstRunOf = (workflowId: string) => `${workflowId}/first`;

function flush(workflowId: string, from: number, upTo: number, ended = false, runId = firstRunOf(workflowId)): RunFlush {
  const entries = TIMELINE.slice(from, upTo);
  const questions: RunFlush['questions'] = {};
  entries.forEach((e, i) => {
    if (e.kind === 'task') questions[String(from + i)] = e.task === 'sponsor' ? ASKS : [];
  });
  return {
    workflowId,
    runId,
    run: {
      playbook: 'onboarding',
      version: 'abc',
      accountId: 'acme',
      status: ended ? 'stopped' : 'running',
      stage: 'kickoff',
      outcome: ended ? 'stopped' : null,
      outcomeLabel: ended ? 'done' : null,
      startedAt: at(0),
      endedAt: ended ? at(5) : null,
    },
    from,
    entries,
    questions,
    completedBy: from <= 3 && upTo > 3 ? { '3': 'ann@example.com' } : {},
    ended: ended ? 'stop' : null,
  };
}

describe.each(BACKENDS)('projecting runs to the store on %s', (name) => {
  let store: Store;
  useMigratedStore(name, (opened) => (store = opened));

  const rowsOf = async (workflowId: string, runId = firstRunOf(workflowId)) => ({
    run: await store.selectFrom('runs').selectAll().where('run_id', '=', runId).executeTakeFirstOrThrow(),
    entries: await store.selectFrom('timeline_entries').select(['seq', 'kind', 'entry']).where('run_id', '=', runId).orderBy('seq').execute(),
    tasks: await store
      .selectFrom('tasks')
      .select(['seq', 'name', 'title', 'assignee', 'due_at', 'questions', 'answers', 'state', 'closed_by', 'close_reason'])
      .where('run_id', '=', runId)
      .orderBy('seq')
      .execute(),
  });

  it('writes the run, its entries in order and the tasks they open, complete and close', async () => {
    await projectRun(store, flush('w1', 0, 3));
    await projectRun(store, flush('w1', 3, 6, true));
    const { run, entries, tasks } = await rowsOf('w1');
    expect(run).toMatchObject({ status: 'stopped', outcome: 'stopped', outcome_label: 'done', stage: 'kickoff', entries: 6 });
    expect(run.ended_at?.toISOString()).toBe(at(5));
    expect(entries.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(entries.map((e) => e.entry)).toEqual(TIMELINE);
    expect(tasks).toEqual([
      {
        seq: 1,
        name: 'sponsor',
        title: 'Check the sponsor',
        assignee: 'ann@example.com',
        due_at: new Date(at(50)),
        questions: ASKS,
        answers: { still_in_role: true },
        state: 'completed',
        closed_by: 'ann@example.com',
        close_reason: null,
      },
      {
        seq: 2,
        name: 'training',
        title: 'Train the admins',
        assignee: 'bob@example.com',
        due_at: null,
        questions: [],
        answers: null,
        state: 'closed',
        closed_by: 'run',
        close_reason: 'stop',
      },
    ]);
  });

  it('stores goal entries whole (kind, goal, target, took), and a stored run shows the goals they tell of', async () => {
    const goals: TimelineEntry[] = [
      { at: at(1), kind: 'goal-met', stage: 'kickoff', text: 'Kickoff soon', line: 2, goal: 'kickoff', target: 90, took: 480 },
      { at: at(2), kind: 'goal-missed', stage: 'kickoff', text: 'Trained soon', line: 4, goal: 'training', target: 85 },
    ];
    const base = flush('w-goals', 0, 1);
    await projectRun(store, { ...base, entries: [TIMELINE[0]!, ...goals], questions: {}, completedBy: {} });
    const { entries } = await rowsOf('w-goals');
    expect(entries.map((e) => e.kind)).toEqual(['start', 'goal-met', 'goal-missed']);
    const timeline = await storedTimeline(store, firstRunOf('w-goals'));
    expect(timeline.slice(1)).toEqual(goals);
    const run = await getStoredRun(store, 'w-goals');
    expect(statusOfStoredRun(run!, timeline).goals).toEqual([
      { goal: 'kickoff', text: 'Kickoff soon', target: 90, state: 'met', since: null, deadline: null, at: at(1), took: 480 },
      { goal: 'training', text: 'Trained soon', target: 85, state: 'missed', since: null, deadline: null, at: at(2) },
    ]);
    expect(statusOfStoredRun(run!, TIMELINE)).not.toHaveProperty('goals');
  });

  it("keeps a run's goals as its flushes tell them: pending with their window, then settled; a flush without goals leaves them", async () => {
    const pending = { goal: 'kickoff', text: 'Kickoff soon', target: 90, state: 'pending' as const, since: at(0), deadline: at(40), at: null };
    await projectRun(store, { ...flush('w-run-goals', 0, 1), goals: { owner: 'owner@example.com', goals: [pending] } });
    await projectRun(store, { ...flush('w-run-goals', 1, 2) });
    const goalsOf = () =>
      store
        .selectFrom('run_goals')
        .select(['goal', 'state', 'owner', 'since', 'deadline', 'settled_at', 'playbook_id', 'account_id'])
        .where('run_id', '=', firstRunOf('w-run-goals'))
        .execute();
    expect(await goalsOf()).toEqual([
      {
        goal: 'kickoff',
        state: 'pending',
        owner: 'owner@example.com',
        since: new Date(at(0)),
        deadline: new Date(at(40)),
        settled_at: null,
        playbook_id: 'onboarding',
        account_id: 'acme',
      },
    ]);
    await projectRun(store, { ...flush('w-run-goals', 2, 3), goals: { owner: 'owner@example.com', goals: [{ ...pending, state: 'met', at: at(2) }] } });
    // The same flush again (a retried activity) changes nothing.
    await projectRun(store, { ...flush('w-run-goals', 2, 3), goals: { owner: 'owner@example.com', goals: [{ ...pending, state: 'met', at: at(2) }] } });
    expect((await goalsOf()).map((g) => [g.state, g.settled_at])).toEqual([['met', new Date(at(2))]]);
  });

  it('leaves exactly one row per entry when the same flushes come twice', async () => {
    for (let i = 0; i < 2; i++) {
      await projectRun(store, flush('w2', 0, 3));
      await projectRun(store, flush('w2', 3, 6, true));
    }
    // A retried first flush arriving after the last changes nothing either.
    await projectRun(store, flush('w2', 0, 3));
    expect(await rowsOf('w2')).toEqual(
      await rowsOf('w1').then((r) => ({ ...r, run: { ...r.run, run_id: firstRunOf('w2'), workflow_id: 'w2', updated_at: expect.any(Date) } })),
    );
  });

  it('leaves exactly one row per entry when flushes overlap, also running at once', async () => {
    await Promise.all([projectRun(store, flush('w3', 0, 4)), projectRun(store, flush('w3', 0, 2)), projectRun(store, flush('w3', 2, 5))]);
    await Promise.all([projectRun(store, flush('w3', 1, 6, true)), projectRun(store, flush('w3', 4, 6, true))]);
    const { run, entries, tasks } = await rowsOf('w3');
    expect(entries.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(tasks.map((t) => [t.seq, t.state])).toEqual([
      [1, 'completed'],
      [2, 'closed'],
    ]);
    expect(run).toMatchObject({ entries: 6, status: 'stopped' });
  });

  it('writes overlapping flushes of many runs at once without failing one (a deadlock between two is retried)', async () => {
    // Two overlapping flushes of one run, one a transaction and one a statement, can lock the
    // same rows in opposite orders; PostgreSQL then aborts one of them (found by CI).
    const ids = Array.from({ length: 20 }, (_, i) => `w-many-${i}`);
    await Promise.all(ids.map((id) => Promise.all([projectRun(store, flush(id, 0, 4)), projectRun(store, flush(id, 2, 5))])));
    await Promise.all(ids.map((id) => Promise.all([projectRun(store, flush(id, 1, 6, true)), projectRun(store, flush(id, 4, 6, true))])));
    for (const id of ids) {
      const { run, entries, tasks } = await rowsOf(id);
      expect(entries.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(tasks.map((t) => [t.seq, t.state])).toEqual([
        [1, 'completed'],
        [2, 'closed'],
      ]);
      expect(run).toMatchObject({ entries: 6, status: 'stopped' });
    }
  });

  it('applies reassignments, snoozes and closings to the task, once each, and records who cancelled the run', async () => {
    const lifecycle: TimelineEntry[] = [
      TIMELINE[0]!,
      TIMELINE[1]!,
      TIMELINE[2]!,
      { at: at(3), kind: 'task-snoozed', stage: 'kickoff', task: 'sponsor', text: 'Check the sponsor', until: at(40), line: 4, by: 'ann@example.com' },
      {
        at: at(4),
        kind: 'task-reassigned',
        stage: 'kickoff',
        task: 'sponsor',
        text: 'Check the sponsor',
        to: 'cy@example.com',
        line: 4,
        by: 'ann@example.com',
      },
      { at: at(5), kind: 'task-snoozed', stage: 'kickoff', task: 'sponsor', text: 'Check the sponsor', until: at(45), line: 4, by: 'cy@example.com' },
      { at: at(6), kind: 'task-closed', stage: 'kickoff', task: 'sponsor', text: 'duplicate of a QBR item', line: 4, by: 'cy@example.com' },
      { at: at(7), kind: 'cancel', stage: 'kickoff', line: 1, by: 'ops@example.com' },
    ];
    const part = (from: number, upTo: number, ended: boolean): RunFlush => ({
      ...flush('w-life', 0, 0),
      run: { ...flush('w-life', 0, 0).run, status: ended ? 'cancelled' : 'running', endedAt: ended ? at(7) : null },
      from,
      entries: lifecycle.slice(from, upTo),
      questions: from === 0 ? { '1': ASKS, '2': [] } : {},
      completedBy: {},
      ended: ended ? 'cancel' : null,
    });
    const snoozedUntil = async () =>
      (await store.selectFrom('tasks').select('snoozed_until').where('run_id', '=', firstRunOf('w-life')).where('seq', '=', 1).executeTakeFirstOrThrow())
        .snoozed_until;
    await projectRun(store, part(0, 4, false));
    expect(await snoozedUntil()).toEqual(new Date(at(40)));
    // Replayed and overlapping flushes: each change lands once, in order.
    for (let i = 0; i < 2; i++) {
      await projectRun(store, part(3, 6, false));
      await projectRun(store, part(0, 8, true));
    }
    const { run, tasks } = await rowsOf('w-life');
    expect(run).toMatchObject({ status: 'cancelled', ended_by: 'ops@example.com' });
    expect(tasks.map(({ seq, assignee, state, closed_by, close_reason }) => ({ seq, assignee, state, closed_by, close_reason }))).toEqual([
      { seq: 1, assignee: 'cy@example.com', state: 'closed', closed_by: 'cy@example.com', close_reason: 'duplicate of a QBR item' },
      { seq: 2, assignee: 'bob@example.com', state: 'closed', closed_by: 'ops@example.com', close_reason: 'cancel' },
    ]);
    expect(await snoozedUntil()).toEqual(new Date(at(45)));
    expect((await getStoredRun(store, 'w-life'))?.endedBy).toBe('ops@example.com');
    expect(await getStoredTask(store, 'w-life', 'sponsor')).toMatchObject({ state: 'closed', snoozedUntil: at(45), closeReason: 'duplicate of a QBR item' });
  });

  it('leaves a snoozed task out of the inbox until its instant, and a reassigned one goes to its new assignee', async () => {
    const snoozed: TimelineEntry[] = [
      TIMELINE[0]!,
      TIMELINE[1]!,
      TIMELINE[2]!,
      { at: at(3), kind: 'task-snoozed', stage: 'kickoff', task: 'sponsor', text: 'Check the sponsor', until: at(40), line: 4 },
      { at: at(4), kind: 'task-reassigned', stage: 'kickoff', task: 'training', text: 'Train the admins', to: 'ann@example.com', line: 6 },
    ];
    await projectRun(store, { ...flush('w-inbox', 0, 0), from: 0, entries: snoozed, questions: { '1': ASKS, '2': [] }, completedBy: {}, ended: null });
    const inboxAt = async (minute: number) =>
      (await inboxFromStore(store, 'ann@example.com', {}, new Date(at(minute)))).items.filter((t) => t.workflowId === 'w-inbox').map((t) => t.task);
    expect(await inboxAt(39)).toEqual(['training']);
    expect(await inboxAt(40)).toEqual(['sponsor', 'training']);
  });

  it('never moves the run back to an older status or entry count', async () => {
    await projectRun(store, flush('w4', 0, 6, true));
    await projectRun(store, flush('w4', 0, 2));
    expect((await rowsOf('w4')).run).toMatchObject({ entries: 6, status: 'stopped', outcome: 'stopped' });
  });

  it('stores a flush of more rows than one statement takes (a run catching up after an outage) whole, its tasks completed', async () => {
    // 2,500 entries: a task, its completion and a note, over and over; the rows go in chunks of 1,000.
    const entries: TimelineEntry[] = Array.from({ length: 2_500 }, (_, seq): TimelineEntry => {
      const round = Math.floor(seq / 3);
      const kinds = [
        { kind: 'task', task: `check_${round}`, text: `Check ${round}`, to: 'ann@example.com' },
        { kind: 'task-completed', task: `check_${round}`, data: {} },
        { kind: 'escalate', text: `escalated ${round}`, to: 'lead@example.com', severity: 'high' },
      ] as const;
      return { at: at(0), stage: null, line: 1, ...kinds[seq % 3]! };
    });
    const big: RunFlush = { ...flush('w5', 0, 0), entries, questions: {}, completedBy: {} };
    await projectRun(store, big);
    await projectRun(store, big);
    const rows = await rowsOf('w5');
    expect(rows.entries.map((e) => e.seq)).toEqual(entries.map((_, seq) => seq));
    expect(rows.run).toMatchObject({ entries: 2_500 });
    expect(rows.tasks).toHaveLength(834);
    expect(rows.tasks.filter((t) => t.state === 'completed')).toHaveLength(833);
    const escalations = await store.selectFrom('escalations').select('seq').where('run_id', '=', firstRunOf('w5')).execute();
    expect(escalations).toHaveLength(833);
  });

  it('stores a second run of one playbook for one account whole, beside the first; a lookup finds the newest', async () => {
    const workflowId = 'playbook:onboarding:acme';
    await projectRun(store, flush(workflowId, 0, 3));
    await projectRun(store, flush(workflowId, 3, 6, true));
    // The same playbook again for the account, an hour later: the same workflow id, a new run id.
    const later = (f: RunFlush): RunFlush => ({
      ...f,
      run: { ...f.run, startedAt: hourLater(f.run.startedAt), endedAt: f.run.endedAt === null ? null : hourLater(f.run.endedAt) },
      entries: f.entries.map((e) => ({ ...e, at: hourLater(e.at), ...(e.due !== undefined && { due: hourLater(e.due) }) })),
    });
    await projectRun(store, later(flush(workflowId, 0, 3, false, 'second')));
    const second = await rowsOf(workflowId, 'second');
    expect(second.run).toMatchObject({ workflow_id: workflowId, entries: 3, status: 'running', started_at: new Date(hourLater(at(0))) });
    expect(second.tasks.map((t) => [t.name, t.state])).toEqual([
      ['sponsor', 'open'],
      ['training', 'open'],
    ]);
    expect(await getStoredTask(store, workflowId, 'sponsor')).toMatchObject({ state: 'open', due: hourLater(at(50)) });
    await projectRun(store, later(flush(workflowId, 3, 6, true, 'second')));

    const first = await rowsOf(workflowId);
    const done = await rowsOf(workflowId, 'second');
    expect(first.entries.map((e) => e.entry)).toEqual(TIMELINE);
    expect(first.run).toMatchObject({ entries: 6, status: 'stopped', ended_at: new Date(at(5)) });
    expect(done.entries.map((e) => e.entry)).toEqual(later(flush(workflowId, 0, 6)).entries);
    expect(done.run).toMatchObject({ entries: 6, status: 'stopped', ended_at: new Date(hourLater(at(5))) });
    expect(done.tasks.map((t) => [t.name, t.state, t.closed_by])).toEqual([
      ['sponsor', 'completed', 'ann@example.com'],
      ['training', 'closed', 'run'],
    ]);

    const newest = await getStoredRun(store, workflowId);
    expect(newest).toMatchObject({ workflowId, runId: 'second', startedAt: hourLater(at(0)), endedAt: hourLater(at(5)) });
    expect(await storedTimeline(store, newest!.runId)).toEqual(done.entries.map((e) => e.entry));
    expect(await getStoredTask(store, workflowId, 'sponsor')).toMatchObject({ workflowId, state: 'completed', createdAt: hourLater(at(1)) });
    const listed = await listStoredRuns(store, { accountId: 'acme', playbook: 'onboarding' });
    expect(listed.items.filter((r) => r.workflowId === workflowId).map((r) => [r.runId, r.startedAt])).toEqual([
      ['second', hourLater(at(0))],
      [firstRunOf(workflowId), at(0)],
    ]);
  });
});
