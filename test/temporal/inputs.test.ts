/**
 * Signals and the update on a real run: refused inputs are reported or recorded and never
 * break the run; pause and resume behave as in the simulator; status and search attributes
 * follow the run.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { validateAccount } from '../../src/accounts/validate.js';
import { compileFile } from '../../src/compile/compile.js';
import type { AccountData, IrProgram } from '../../src/ir/types.js';
import { completeTask, getStatus, pause, resume, sendEvent, startNewRun, updateAccount } from '../../src/temporal/client.js';
import { accountUpdatedSignal, eventSignal, searchAttributes } from '../../src/temporal/contract.js';
import { drive, endIfOpen } from './drive.js';
import { startHarness, TASK_QUEUE, type Harness } from './harness.js';

const START = Date.parse('2026-01-05T14:00:00Z');
const DAY = 86_400_000;

let h: Harness;
let sponsor: { program: IrProgram; version: string };
let onboarding: { program: IrProgram; version: string };
let account: AccountData;

beforeAll(async () => {
  [h, sponsor, onboarding] = await Promise.all([
    startHarness(),
    compileFile('playbooks/executive-sponsor-check.playbook'),
    compileFile('playbooks/onboarding-enterprise.playbook'),
  ]);
  const checked = validateAccount(onboarding.program.fields, JSON.parse(readFileSync('playbooks/accounts/acme-enterprise.json', 'utf8')));
  if (!checked.ok) throw new Error(checked.errors.join('; '));
  account = checked.value;
}, 120_000);
afterAll(async () => {
  await h?.teardown();
});

/** Starts a run at START and waits until it has reached its first wait. */
async function started(compiled: { program: IrProgram; version: string }, accountId: string): Promise<string> {
  const { workflowId } = await startNewRun(h.env.client, { ...compiled, account: { ...account, id: accountId }, taskQueue: TASK_QUEUE, startAt: START });
  await expect.poll(async () => (await getStatus(h.env.client, workflowId)).pendingWaits.length, { timeout: 20_000 }).toBeGreaterThan(0);
  return workflowId;
}

describe('completeTask', () => {
  test('wrong answers and unknown tasks are refused with the reason; the run goes on and a right answer completes the task', async () => {
    const workflowId = await started(sponsor, 'acct-answers');
    try {
      const client = h.env.client;
      await expect(completeTask(client, workflowId, { task: 'sponsor', answers: { still_in_role: 'maybe' } })).rejects.toMatchObject({
        name: 'AnswersRefusedError',
        asks: ['still_in_role'],
        message: 'cannot complete task sponsor: answer to ask "still_in_role" of task sponsor: expected yes/no (true or false), got "maybe"',
      });
      await expect(completeTask(client, workflowId, { task: 'sponsr', answers: {} })).rejects.toThrow(
        'cannot complete task sponsr: the playbook has no task "sponsr"',
      );
      await expect(completeTask(client, workflowId, { task: 'sponsor', answers: { mood: 'fine' } })).rejects.toThrow('task sponsor has no ask "mood"');
      // Every ask is required: a completion leaving one out is refused naming it, and the run takes no branch.
      await expect(completeTask(client, workflowId, { task: 'sponsor', answers: { still_in_role: true, engagement: 'engaged' } })).rejects.toMatchObject({
        name: 'AnswersRefusedError',
        asks: ['new_sponsor'],
        message: 'cannot complete task sponsor: task sponsor: answer `new_sponsor` is required',
      });
      await expect(completeTask(client, workflowId, { task: 'sponsor' })).rejects.toMatchObject({ asks: ['still_in_role', 'engagement', 'new_sponsor'] });

      const before = await getStatus(client, workflowId);
      expect(before.status).toBe('running');
      expect(before.openTasks).toEqual([
        expect.objectContaining({ name: 'sponsor', title: 'Confirm the executive sponsor at Acme Corporation', assignee: 'jordan.lee@example.com' }),
      ]);
      expect(before.pendingWaits).toEqual([
        { for: 'task sponsor', until: '2026-01-12T14:00:00.000Z', deadline: '2026-01-12T14:00:00.000Z', nextReminder: null },
      ]);

      await completeTask(client, workflowId, { task: 'sponsor', answers: { still_in_role: true, engagement: 'engaged', new_sponsor: '' } });
      const result = await h.env.client.workflow.getHandle(workflowId).result();
      expect(result).toEqual({ outcome: 'stopped', outcomeLabel: 'confirmed' });
      const after = await getStatus(client, workflowId);
      expect(after.timeline.filter((e) => e.kind === 'task-completed')).toHaveLength(1);
      expect(after.openTasks).toEqual([]);
      expect(h.recorded.closed).toContainEqual(
        expect.objectContaining({ workflowId, task: 'sponsor', answers: { still_in_role: true, engagement: 'engaged', new_sponsor: '' } }),
      );
      await expect(completeTask(client, workflowId, { task: 'sponsor', answers: {} })).rejects.toThrow(`no open run with workflow id ${workflowId}`);
    } finally {
      await endIfOpen(h, workflowId);
    }
  }, 60_000);
});

describe('status', () => {
  test("a wait with reminders shows its deadline and its next reminder, named, not the reminder as the wait's end", async () => {
    const workflowId = await started(onboarding, 'acct-reminders');
    try {
      const { pendingWaits } = await getStatus(h.env.client, workflowId);
      // `up to 10 business days` with `after 3 business days:` from Monday 09:00 New York
      // (Martin Luther King Jr. Day, 19 January, is no business day).
      expect(pendingWaits).toEqual([
        { for: 'event "kickoff.held"', until: '2026-01-08T14:00:00.000Z', deadline: '2026-01-20T14:00:00.000Z', nextReminder: '2026-01-08T14:00:00.000Z' },
      ]);
    } finally {
      await endIfOpen(h, workflowId);
    }
  }, 60_000);
});

describe('status of goals', () => {
  test('a run writing to the store flushes its goals with their windows and its owner when they change, and only then', async () => {
    const trial = await compileFile('playbooks/trial-to-paid.playbook');
    const monday = Date.parse('2026-02-02T14:00:00Z');
    const { workflowId } = await startNewRun(h.env.client, {
      ...trial,
      account: { ...account, id: 'acct-goal-flush' },
      taskQueue: TASK_QUEUE,
      startAt: monday,
      projectToStore: true,
    });
    const flushes = () => h.recorded.flushes.filter((f) => f.workflowId === workflowId);
    try {
      const told = () => flushes().flatMap((f) => (f.goals === undefined ? [] : [f.goals]));
      // `decided` is anchored by the review task, an entry after the start.
      await expect.poll(() => told().at(-1)?.goals[1]?.deadline ?? null, { timeout: 20_000 }).not.toBeNull();
      expect(told()[0]!.owner).toBe('cs-ops@example.com');
      expect(told()[0]!.goals.map((g) => [g.goal, g.state, g.since, g.deadline])).toEqual([
        ['reviewed', 'pending', '2026-02-02T14:00:00.000Z', '2026-02-09T14:00:00.000Z'],
        ['decided', 'pending', null, null],
      ]);
      expect(told().at(-1)!.goals[1]).toMatchObject({ state: 'pending', since: '2026-02-02T14:00:00.000Z', deadline: '2026-02-05T14:00:00.000Z' });
      await completeTask(h.env.client, workflowId, { task: 'review', answers: { converts: true, seats: 10 } });
      await h.env.client.workflow.getHandle(workflowId).result();
      const states = told().map((g) => JSON.stringify(g.goals));
      // Each change once: no flush repeats goals one before it landed.
      expect(new Set(states).size).toBe(states.length);
      expect(
        told()
          .at(-1)!
          .goals.map((g) => g.state),
      ).toEqual(['met', 'met']);
    } finally {
      await endIfOpen(h, workflowId);
    }
  }, 60_000);

  test("lists each goal pending with its deadline, then met with the time it took; a goal's watch is no pending wait", async () => {
    const trial = await compileFile('playbooks/trial-to-paid.playbook');
    const monday = Date.parse('2026-02-02T14:00:00Z');
    const { workflowId } = await startNewRun(h.env.client, { ...trial, account: { ...account, id: 'acct-goals' }, taskQueue: TASK_QUEUE, startAt: monday });
    try {
      await expect.poll(async () => (await getStatus(h.env.client, workflowId)).pendingWaits.length, { timeout: 20_000 }).toBeGreaterThan(0);
      const before = await getStatus(h.env.client, workflowId);
      expect(before.pendingWaits.map((w) => w.for)).toEqual(['any of event "subscription.started", task review']);
      const since = '2026-02-02T14:00:00.000Z';
      expect(before.goals).toEqual([
        {
          goal: 'reviewed',
          text: 'Trial reviewed within 5 business days',
          target: 90,
          state: 'pending',
          since,
          deadline: '2026-02-09T14:00:00.000Z',
          at: null,
        },
        {
          goal: 'decided',
          text: 'Paid start in preparation within 3 business days of the review task',
          target: 80,
          state: 'pending',
          since,
          deadline: '2026-02-05T14:00:00.000Z',
          at: null,
        },
      ]);
      await completeTask(h.env.client, workflowId, { task: 'review', answers: { converts: true, seats: 10 } });
      const result = await h.env.client.workflow.getHandle(workflowId).result();
      expect(result.outcome).toBe('completed');
      const after = await getStatus(h.env.client, workflowId);
      expect(after.goals?.map((g) => [g.goal, g.state])).toEqual([
        ['reviewed', 'met'],
        ['decided', 'met'],
      ]);
      expect(after.timeline.filter((e) => e.kind === 'goal-met').map((e) => [e.goal, e.target])).toEqual([
        ['reviewed', 90],
        ['decided', 80],
      ]);
    } finally {
      await endIfOpen(h, workflowId);
    }
  }, 60_000);
});

describe('completeTask by a caller', () => {
  test("the run decides whose task it is: a csm's completion of another's task is refused, the assignee's and csops' are not, and one without a caller is accepted as before", async () => {
    const client = h.env.client;
    const answers = { still_in_role: true, engagement: 'engaged', new_sponsor: '' };
    const runs = await Promise.all(['acct-caller-1', 'acct-caller-2', 'acct-caller-3', 'acct-caller-4'].map((id) => started(sponsor, id)));
    try {
      const [other, assignee, ops, nobody] = runs as [string, string, string, string];
      await expect(completeTask(client, other, { task: 'sponsor', answers, by: { role: 'csm', user: 'ann@example.com' } })).rejects.toMatchObject({
        name: 'NotAssigneeError',
        reason: 'task sponsor is assigned to jordan.lee@example.com; a csm token completes only tasks assigned to its user (ann@example.com)',
      });
      expect((await getStatus(client, other)).openTasks.map((t) => t.name)).toEqual(['sponsor']);
      await completeTask(client, assignee, { task: 'sponsor', answers, by: { role: 'csm', user: 'Jordan.Lee@example.com' } });
      await completeTask(client, ops, { task: 'sponsor', answers, by: { role: 'csops' } });
      await completeTask(client, nobody, { task: 'sponsor', answers });
      for (const workflowId of [assignee, ops, nobody]) expect((await getStatus(client, workflowId)).openTasks).toEqual([]);
      // The timeline names who completed it: the caller's user, else its role; nothing without a caller.
      const completedBy = async (workflowId: string) =>
        (await getStatus(client, workflowId)).timeline.filter((e) => e.kind === 'task-completed').map((e) => e.by);
      expect(await completedBy(assignee)).toEqual(['Jordan.Lee@example.com']);
      expect(await completedBy(ops)).toEqual(['csops']);
      expect(await completedBy(nobody)).toEqual([undefined]);
    } finally {
      for (const workflowId of runs) await endIfOpen(h, workflowId);
    }
  }, 60_000);
});

describe('signals', () => {
  test('an unknown event, an ill-typed account update and a malformed signal are recorded as rejected and the run goes on', async () => {
    const workflowId = await started(onboarding, 'acct-rejects');
    try {
      const client = h.env.client;
      await sendEvent(client, workflowId, { name: 'kickoff.hled' });
      await updateAccount(client, workflowId, { arr: 'lots', renwal_date: '2026-05-01' });
      await h.env.client.workflow.getHandle(workflowId).signal(eventSignal, 42 as never);
      await updateAccount(client, workflowId, { health: 40 });

      const status = await getStatus(client, workflowId);
      expect(status.rejected.map((r) => r.reason)).toEqual([
        'the playbook never waits for event "kickoff.hled"; it waits for "account.created", "kickoff.held"',
        'account.arr: expected a number, got "lots"; account.renwal_date: not a declared account field',
        'an event needs a name (text), got 42',
      ]);
      expect(status.status).toBe('running');
      expect(status.stage).toBe('kickoff');
      expect(status.timeline.filter((e) => e.kind === 'set')).toEqual([expect.objectContaining({ text: 'health = 40', field: 'health' })]);
      // The run still reacts to the right event.
      await sendEvent(client, workflowId, { name: 'kickoff.held', payload: { attendees: 3 } });
      await expect
        .poll(async () => (await getStatus(client, workflowId)).timeline.some((e) => e.kind === 'note' && e.text === 'Kickoff held with 3'), {
          timeout: 20_000,
        })
        .toBe(true);
    } finally {
      await endIfOpen(h, workflowId);
    }
  }, 60_000);

  test("the account entity's broadcasts: events the playbook never waits for and undeclared fields are ignored, the rest applies", async () => {
    const workflowId = await started(onboarding, 'acct-broadcast');
    try {
      const handle = h.env.client.workflow.getHandle(workflowId);
      await handle.signal(eventSignal, { name: 'ticket.escalated', broadcast: true });
      // `nps` stands for a field a later deploy added: this run's version does not declare it.
      await handle.signal(accountUpdatedSignal, { fields: { nps: 9 }, broadcast: true });
      await handle.signal(accountUpdatedSignal, { fields: { nps: 3, health: 35 }, broadcast: true });
      // Declared fields are still checked.
      await handle.signal(accountUpdatedSignal, { fields: { arr: 'lots' }, broadcast: true });

      const status = await getStatus(h.env.client, workflowId);
      expect(status.rejected.map((r) => r.reason)).toEqual(['account.arr: expected a number, got "lots"']);
      expect(status.timeline.filter((e) => e.kind === 'set')).toEqual([expect.objectContaining({ text: 'health = 35', field: 'health' })]);
      expect(status.status).toBe('running');
    } finally {
      await endIfOpen(h, workflowId);
    }
  }, 60_000);

  test('pause holds the next steps and resume lets them go, shown in status and search attributes', async () => {
    const workflowId = await started(onboarding, 'acct-pause');
    try {
      const client = h.env.client;
      const handle = client.workflow.getHandle(workflowId);
      await pause(client, workflowId);
      await expect.poll(async () => (await getStatus(client, workflowId)).status, { timeout: 20_000 }).toBe('paused');
      await expect.poll(async () => (await handle.describe()).typedSearchAttributes.get(searchAttributes.status), { timeout: 20_000 }).toBe('paused');
      await resume(client, workflowId);
      await expect.poll(async () => (await getStatus(client, workflowId)).status, { timeout: 20_000 }).toBe('running');
      const described = await handle.describe();
      expect(described.typedSearchAttributes.get(searchAttributes.stage)).toBe('kickoff');
      expect(described.typedSearchAttributes.get(searchAttributes.playbookId)).toBe('onboarding-enterprise');
      expect(described.typedSearchAttributes.get(searchAttributes.openTaskAssignees)).toEqual(['jordan.lee@example.com']);
    } finally {
      await endIfOpen(h, workflowId);
    }
  }, 60_000);

  test('a pause over a step boundary gives the same timeline as the simulator', async () => {
    const run = await drive(h, {
      ...onboarding,
      account: { ...account, id: 'acct-pause-diff' },
      start: START,
      inputs: [
        { at: { instant: START + 1 * DAY }, kind: 'event', name: 'kickoff.held', payload: { attendees: 5 } },
        { at: { instant: START + 1 * DAY - 60_000 }, kind: 'pause' },
        { at: { instant: START + 6 * DAY }, kind: 'resume' },
        { at: { instant: START + 9 * DAY }, kind: 'complete', task: 'sponsor', answers: { still_in_role: true, engagement: 'engaged', new_sponsor: '' } },
      ],
      until: { instant: START + 20 * DAY },
    });
    expect(run.status.timeline).toEqual(run.sim.timeline);
    // The child playbook starts only at the resume instant.
    expect(run.status.timeline.find((e) => e.kind === 'start' && e.playbook === 'executive-sponsor-check')?.at).toBe('2026-01-11T14:00:00.000Z');
  }, 60_000);
});

describe('failures', () => {
  test('a permanent activity failure becomes an escalation on the timeline and the run goes on', async () => {
    h.recorded.failing = (action) => action.kind === 'email';
    const run = await drive(h, { ...onboarding, account: { ...account, id: 'acct-fail' }, start: START, inputs: [], until: { instant: START + 2 * DAY } });
    h.recorded.failing = () => false;
    const failure = run.status.timeline.find((e) => e.kind === 'escalate' && e.text?.startsWith('email to dana.whitfield@acme.example failed'));
    expect(failure).toMatchObject({ to: 'cs-ops@example.com', severity: 'high', at: '2026-01-05T14:00:00.000Z' });
    expect(failure?.text).toMatch(/^email to dana.whitfield@acme.example failed: rejected by the test for \S+#1$/);
    expect(run.status.timeline.some((e) => e.kind === 'notify' && e.stage === 'kickoff')).toBe(true);
  }, 60_000);
  test("a task's assignee is told of it, and of a reassignment, and a notice failing for good changes nothing of the run", async () => {
    const tell = async (accountId: string) => {
      const run = await drive(h, {
        ...sponsor,
        account: { ...account, id: accountId },
        start: START,
        inputs: [{ at: { instant: START + DAY }, kind: 'reassign', task: 'sponsor', to: 'sam.ortiz@example.com' }],
        until: { instant: START + 2 * DAY },
      });
      return { run, noticed: h.recorded.noticed.filter((n) => n.accountId === accountId) };
    };
    const told = await tell('acct-noticed');
    expect(told.noticed.map(({ runPlaybook, task, assignee, reassigned }) => ({ runPlaybook, task, assignee, reassigned }))).toEqual([
      { runPlaybook: 'executive-sponsor-check', task: 'sponsor', assignee: 'jordan.lee@example.com', reassigned: false },
      { runPlaybook: 'executive-sponsor-check', task: 'sponsor', assignee: 'sam.ortiz@example.com', reassigned: true },
    ]);
    h.recorded.noticesFail = true;
    const failing = await tell('acct-notice-fails').finally(() => (h.recorded.noticesFail = false));
    expect(failing.noticed).toHaveLength(2);
    expect(failing.run.status).toMatchObject({ status: 'running', rejected: [] });
    expect(failing.run.status.timeline).toEqual(failing.run.sim.timeline);
    expect(failing.run.status.timeline.map((e) => e.kind)).toEqual(told.run.status.timeline.map((e) => e.kind));
  }, 60_000);
});
