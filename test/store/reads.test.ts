import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../src/runtime/timeline.js';
import type { Store } from '../../src/store/connect.js';
import { exportLines } from '../../src/store/export.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { getStoredRun, getStoredTask, inboxFromStore, listStoredRuns, storedTimeline } from '../../src/store/reads.js';
import { BACKENDS, startBackend, type Backend } from './backends.js';
import { insertEntries, insertRun, insertTask, runIdOf } from './fixtures.js';

const ANN = 'ann@example.com';
const QUESTIONS = [
  { name: 'reached', question: 'Did you reach them?', type: { type: 'yes/no' } },
  { name: 'plan', question: 'Which plan?', type: { type: 'one of', values: ['basic', 'pro'] } },
];

const entry = (at: string, kind: TimelineEntry['kind'], extra: Partial<TimelineEntry> = {}): TimelineEntry => ({
  at,
  kind,
  stage: 'kickoff',
  line: 3,
  ...extra,
});

describe.each(BACKENDS)('reading runs, tasks and timelines from the store on %s', (name) => {
  let backend: Backend;
  let store: Store;
  beforeAll(async () => {
    backend = await startBackend(name);
    ({ store } = await backend.freshDatabase());
    await migrateToLatest(store);
    // Five runs a minute apart (newest: e), two playbooks, two versions, two accounts.
    const runs = ['a', 'b', 'c', 'd', 'e'].map((k, i) => ({
      workflow_id: `playbook:${i % 2 === 0 ? 'onboarding' : 'renewal'}:acct-${k}`,
      started_at: `2026-01-05T09:0${i}:00.000Z`,
      stage: i < 3 ? 'kickoff' : 'training',
      status: i === 1 ? 'completed' : 'running',
      ...(i === 1 && { outcome: 'completed', ended_at: '2026-01-06T10:00:00.000Z' }),
      ...(i === 4 && { playbook_version: 'b'.repeat(64) }),
    }));
    for (const run of runs) await insertRun(store, run);
    await insertEntries(store, 'playbook:renewal:acct-b', [
      entry('2026-01-05T09:01:00.000Z', 'stage'),
      entry('2026-01-05T09:01:00.000Z', 'email', { to: 'x@acct-b.com', text: 'Hello, "you", there' }),
      entry('2026-01-06T10:00:00.000Z', 'complete', { stage: 'training' }),
    ]);
    await insertTask(store, { workflow_id: 'playbook:onboarding:acct-a', seq: 1, name: 'call', due_at: '2026-01-09T00:00:00.000Z', questions: QUESTIONS });
    await insertTask(store, { workflow_id: 'playbook:onboarding:acct-c', seq: 1, name: 'call', due_at: '2026-01-07T00:00:00.000Z' });
    await insertTask(store, { workflow_id: 'playbook:onboarding:acct-e', seq: 2, name: 'review', due_at: null, playbook_id: 'review-child' });
    await insertTask(store, { workflow_id: 'playbook:renewal:acct-d', seq: 1, name: 'call', due_at: '2026-01-08T00:00:00.000Z', assignee: 'bob@example.com' });
    await insertTask(store, {
      workflow_id: 'playbook:renewal:acct-b',
      seq: 1,
      name: 'call',
      state: 'completed',
      answers: { reached: true },
      closed_at: '2026-01-06T09:00:00.000Z',
      closed_by: ANN,
    });
  });
  afterAll(async () => {
    await backend?.stop();
  });

  it('lists runs newest first, filtered by playbook, version, stage, status, account and assignee', async () => {
    const ids = async (filter: Parameters<typeof listStoredRuns>[1]) => (await listStoredRuns(store, filter)).items.map((r) => r.workflowId.split(':')[2]);
    expect(await ids({})).toEqual(['acct-e', 'acct-d', 'acct-c', 'acct-b', 'acct-a']);
    expect(await ids({ playbook: 'onboarding' })).toEqual(['acct-e', 'acct-c', 'acct-a']);
    expect(await ids({ version: 'b'.repeat(64) })).toEqual(['acct-e']);
    expect(await ids({ stage: 'training' })).toEqual(['acct-e', 'acct-d']);
    expect(await ids({ status: 'completed' })).toEqual(['acct-b']);
    expect(await ids({ openOnly: true })).toEqual(['acct-e', 'acct-d', 'acct-c', 'acct-a']);
    expect(await ids({ accountId: 'acct-c' })).toEqual(['acct-c']);
    // acct-b's task for ann is completed: only open tasks count.
    expect(await ids({ assignee: ANN })).toEqual(['acct-e', 'acct-c', 'acct-a']);
    expect(await ids({ assignee: 'bob@example.com' })).toEqual(['acct-d']);
  });

  it('gives each run its fields and the assignees of its open tasks', async () => {
    expect(await getStoredRun(store, 'playbook:renewal:acct-b')).toEqual({
      workflowId: 'playbook:renewal:acct-b',
      runId: runIdOf('playbook:renewal:acct-b'),
      playbook: 'renewal',
      version: 'a'.repeat(64),
      accountId: 'acct-b',
      startedBy: 'cli',
      status: 'completed',
      outcome: 'completed',
      outcomeLabel: null,
      stage: 'kickoff',
      startedAt: '2026-01-05T09:01:00.000Z',
      endedAt: '2026-01-06T10:00:00.000Z',
      endedBy: null,
      openTaskAssignees: [],
    });
    expect((await getStoredRun(store, 'playbook:onboarding:acct-a'))?.openTaskAssignees).toEqual([ANN]);
    expect(await getStoredRun(store, 'playbook:onboarding:nobody')).toBeNull();
  });

  it('pages a run list by cursor without skipping or repeating a run', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await listStoredRuns(store, { limit: 2, ...(after !== undefined && { after }) });
      seen.push(...page.items.map((r) => r.workflowId));
      after = page.next ?? undefined;
      pages++;
    } while (after !== undefined);
    expect(pages).toBe(3);
    expect(seen).toEqual((await listStoredRuns(store)).items.map((r) => r.workflowId));
  });

  it('refuses a cursor it did not hand out', async () => {
    await expect(listStoredRuns(store, { after: 'bm9wZQ' })).rejects.toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('after: not a cursor'),
    });
  });

  it("gives a CSM's inbox soonest due first, undated last, paged, with the run's playbook and stage", async () => {
    const all = await inboxFromStore(store, ANN);
    expect(all.items.map((t) => [t.workflowId, t.due])).toEqual([
      ['playbook:onboarding:acct-c', '2026-01-07T00:00:00.000Z'],
      ['playbook:onboarding:acct-a', '2026-01-09T00:00:00.000Z'],
      ['playbook:onboarding:acct-e', null],
    ]);
    expect(all.next).toBeNull();
    expect(all.items[2]).toMatchObject({ playbook: 'onboarding', childPlaybook: 'review-child', stage: 'training', task: 'review', accountId: 'acct-e' });
    const paged: string[] = [];
    let after: string | undefined;
    do {
      const page = await inboxFromStore(store, ANN, { limit: 1, ...(after !== undefined && { after }) });
      paged.push(...page.items.map((t) => t.workflowId));
      after = page.next ?? undefined;
    } while (after !== undefined);
    expect(paged).toEqual(all.items.map((t) => t.workflowId));
  });

  it("gives a task's questions with their types, and a completed task's answers and who closed it", async () => {
    expect(await getStoredTask(store, 'playbook:onboarding:acct-a', 'call')).toMatchObject({
      state: 'open',
      questions: QUESTIONS,
      answers: null,
      title: 'Do call',
    });
    expect(await getStoredTask(store, 'playbook:renewal:acct-b', 'call')).toMatchObject({
      state: 'completed',
      answers: { reached: true },
      closedBy: ANN,
      closedAt: '2026-01-06T09:00:00.000Z',
    });
    expect(await getStoredTask(store, 'playbook:renewal:acct-b', 'nope')).toBeNull();
  });

  it("gives a run's timeline in order, exactly as the contract's entries", async () => {
    const timeline = await storedTimeline(store, runIdOf('playbook:renewal:acct-b'));
    expect(timeline.map((e) => e.kind)).toEqual(['stage', 'email', 'complete']);
    expect(timeline[1]).toEqual(entry('2026-01-05T09:01:00.000Z', 'email', { to: 'x@acct-b.com', text: 'Hello, "you", there' }));
  });

  it('exports runs as CSV with a header and quoted fields, and as JSON lines, filtered by period and playbook', async () => {
    const collect = async (options: Parameters<typeof exportLines>[1]) => {
      let text = '';
      for await (const line of exportLines(store, options)) text += line;
      return text;
    };
    const csv = (await collect({ format: 'csv', playbook: 'renewal' })).split('\n');
    expect(csv[0]).toBe('workflow_id,playbook,version,account_id,started_by,status,outcome,outcome_label,stage,started_at,ended_at');
    expect(csv[1]).toBe(
      `playbook:renewal:acct-b,renewal,${'a'.repeat(64)},acct-b,cli,completed,completed,,kickoff,2026-01-05T09:01:00.000Z,2026-01-06T10:00:00.000Z`,
    );
    expect(csv).toHaveLength(4);
    const jsonl = (await collect({ format: 'jsonl', from: new Date('2026-01-05T09:02:00Z'), to: new Date('2026-01-05T09:04:00Z') }))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(jsonl.map((r) => r.account_id)).toEqual(['acct-c', 'acct-d']);
  });

  it('exports timeline entries one per line, the JSON of an entry quoted as one CSV field', async () => {
    let text = '';
    for await (const line of exportLines(store, { format: 'csv', entries: true, playbook: 'renewal' })) text += line;
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('workflow_id,seq,at,kind,stage,entry');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/^playbook:renewal:acct-b,1,2026-01-05T09:01:00.000Z,email,kickoff,"\{.*""text"":""Hello, \\""you\\"", there"".*\}"$/);
  });
});
