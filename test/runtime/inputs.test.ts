import { describe, expect, it } from 'vitest';
import { acceptedEvents, acceptsEvent, applyInput, awaitedEvents, eventFieldsRead } from '../../src/runtime/inputs.js';
import { refusal } from '../../src/runtime/refusals.js';
import { createRunState, initialState } from '../../src/runtime/run-state.js';
import type { TimelineEntry } from '../../src/runtime/timeline.js';
import { account, eq, eventField, ifElse, MONDAY_9AM, playbook, program, runPlaybook, stage, task, text, waitForEvent, yes } from './ir-builders.js';

const onboarding = program(
  playbook(
    'onboarding',
    [
      stage(2, 'kickoff', [waitForEvent(3, 'kickoff.held', { rungs: [{ after: { amount: 1, unit: 'day' }, body: [waitForEvent(4, 'nudge.seen')] }] })]),
      ifElse(5, yes, [runPlaybook(6, 'child')], null),
      task(7, 'review'),
    ],
    {
      triggers: [{ kind: 'event', name: 'account.created', where: null }],
    },
  ),
  playbook('child', [waitForEvent(2, 'sponsor.confirmed')]),
);

function runOf(prog = onboarding) {
  const timeline: TimelineEntry[] = [];
  const state = createRunState(prog, initialState(account), { now: () => MONDAY_9AM, emit: (e) => timeline.push(e) });
  return { state, timeline };
}

describe('which events a program accepts', () => {
  it('awaits the targets of every wait for event, nested in stages, rungs, branches and child playbooks', () => {
    expect([...awaitedEvents(onboarding)]).toEqual(['kickoff.held', 'nudge.seen', 'sponsor.confirmed']);
  });

  it('accepts those and the events its triggers start on, triggers of each playbook first', () => {
    expect([...acceptedEvents(onboarding)]).toEqual(['account.created', 'kickoff.held', 'nudge.seen', 'sponsor.confirmed']);
    expect(acceptsEvent(onboarding, 'account.created')).toBe(true);
    expect(acceptsEvent(onboarding, 'usage.daily')).toBe(false);
  });

  it("awaits and accepts an event whose wait has a where, and counts the where's fields among those read", () => {
    const where = eq(eventField('paid', 'invoice'), text('INV-2'));
    const prog = program(playbook('where', [waitForEvent(2, 'invoice.paid', { as: 'paid', where })]));
    expect([...awaitedEvents(prog)]).toEqual(['invoice.paid']);
    expect([...acceptedEvents(prog)]).toEqual(['invoice.paid']);
    expect(eventFieldsRead(prog).get('invoice.paid')).toEqual(new Set(['invoice']));
  });
});

describe('applyInput', () => {
  it('buffers an event and records it on the timeline', () => {
    const { state, timeline } = runOf();
    expect(applyInput(state, { kind: 'event', name: 'kickoff.held', payload: { attendees: 4 } })).toEqual({ ok: true });
    expect(state.data.events).toEqual([{ name: 'kickoff.held', payload: { attendees: 4 } }]);
    expect(timeline.map((e) => [e.kind, e.text])).toEqual([['event', 'kickoff.held']]);
  });

  it('updates the account one set entry per field', () => {
    const { state, timeline } = runOf();
    expect(applyInput(state, { kind: 'account', fields: { status: 'churned', health: 12 } })).toEqual({ ok: true });
    expect(state.data.account).toMatchObject({ status: 'churned', health: 12 });
    expect(timeline.map((e) => e.text)).toEqual(['status = churned', 'health = 12']);
  });

  it('records who paused and resumed, once per change; runs recorded before add no entries', () => {
    const { state, timeline } = runOf();
    applyInput(state, { kind: 'pause', by: 'ops@example.com' });
    applyInput(state, { kind: 'pause', by: 'someone@example.com' });
    expect(state.data.paused).toBe(true);
    applyInput(state, { kind: 'resume' });
    expect(state.data.paused).toBe(false);
    expect(timeline.map((e) => [e.kind, e.by])).toEqual([
      ['pause', 'ops@example.com'],
      ['resume', undefined],
    ]);
    const legacy = runOf();
    legacy.state.recordsControls = false;
    applyInput(legacy.state, { kind: 'pause', by: 'ops@example.com' });
    expect(legacy.state.data.paused).toBe(true);
    expect(legacy.timeline).toEqual([]);
  });

  it('reassigns, snoozes and closes an open task, naming who on the timeline', () => {
    const { state, timeline } = runOf();
    state.openTask('review', { title: 'Review', line: 7, asks: [], done: false, answers: {} });
    expect(applyInput(state, { kind: 'snooze', task: 'review', until: MONDAY_9AM + 86_400_000, by: 'ann@example.com' })).toEqual({ ok: true });
    expect(state.data.tasks.review!.snoozedUntil).toBe(MONDAY_9AM + 86_400_000);
    expect(applyInput(state, { kind: 'reassign', task: 'review', to: 'bob@example.com', by: 'ann@example.com' })).toEqual({ ok: true });
    // A reassignment ends the snooze: the new assignee sees the task at once.
    expect(state.data.tasks.review!.snoozedUntil).toBeUndefined();
    const version = state.version;
    expect(applyInput(state, { kind: 'close', task: 'review', reason: 'customer churned', by: 'bob@example.com' })).toEqual({ ok: true });
    expect(state.version).toBeGreaterThan(version);
    expect(timeline.map(({ kind, task, to, text, until, by, line }) => ({ kind, task, to, text, until, by, line }))).toEqual([
      { kind: 'task-snoozed', task: 'review', to: undefined, text: 'Review', until: '2026-01-06T14:00:00.000Z', by: 'ann@example.com', line: 7 },
      { kind: 'task-reassigned', task: 'review', to: 'bob@example.com', text: 'Review', until: undefined, by: 'ann@example.com', line: 7 },
      { kind: 'task-closed', task: 'review', to: undefined, text: 'customer churned', until: undefined, by: 'bob@example.com', line: 7 },
    ]);
    expect(applyInput(state, { kind: 'complete', task: 'review', answers: {} })).toEqual({ ok: false, reason: refusal.taskClosed('review') });
    expect(applyInput(state, { kind: 'reassign', task: 'review', to: 'cy@example.com' })).toEqual({ ok: false, reason: refusal.taskClosed('review') });
  });

  it('refuses task changes in the shared words', () => {
    const { state } = runOf();
    expect(applyInput(state, { kind: 'close', task: 'review', reason: 'x' })).toEqual({ ok: false, reason: refusal.taskNotCreated('review') });
    expect(applyInput(state, { kind: 'snooze', task: 'nope', until: MONDAY_9AM + 1 })).toEqual({ ok: false, reason: refusal.noSuchTask('nope') });
    state.openTask('review', { title: 'Review', line: 7, asks: [], done: false, answers: {} });
    expect(applyInput(state, { kind: 'snooze', task: 'review', until: MONDAY_9AM })).toEqual({
      ok: false,
      reason: refusal.snoozeNotLater('review', '2026-01-05T14:00:00.000Z'),
    });
    expect(applyInput(state, { kind: 'reassign', task: 'review', to: ' ' })).toEqual({ ok: false, reason: refusal.assigneeNotText('review') });
    expect(applyInput(state, { kind: 'close', task: 'review', reason: '' })).toEqual({ ok: false, reason: refusal.reasonNotText('review') });
    expect(applyInput(state, { kind: 'complete', task: 'review', answers: {} })).toEqual({ ok: true });
    expect(applyInput(state, { kind: 'close', task: 'review', reason: 'late' })).toEqual({ ok: false, reason: refusal.taskCompleted('review') });
  });

  it('refuses a completion in the shared words', () => {
    const { state } = runOf();
    expect(applyInput(state, { kind: 'complete', task: 'review', answers: {} })).toEqual({ ok: false, reason: refusal.taskNotCreated('review') });
    expect(applyInput(state, { kind: 'complete', task: 'nope', answers: {} })).toEqual({ ok: false, reason: refusal.noSuchTask('nope') });
    state.openTask('review', { title: 'Review', line: 7, asks: [], done: false, answers: {} });
    expect(applyInput(state, { kind: 'complete', task: 'review', answers: {} })).toEqual({ ok: true });
    expect(applyInput(state, { kind: 'complete', task: 'review', answers: {} })).toEqual({ ok: false, reason: refusal.taskCompleted('review') });
  });

  it('refuses a completion that leaves an ask unanswered, naming every one left out', () => {
    const asks = [
      { name: 'rating', question: 'How did it go?', type: { type: 'number' as const } },
      { name: 'notes', question: 'Anything else?', type: { type: 'text' as const } },
    ];
    const { state, timeline } = runOf();
    state.openTask('review', { title: 'Review', line: 7, asks, done: false, answers: {} });
    expect(applyInput(state, { kind: 'complete', task: 'review', answers: {} })).toEqual({
      ok: false,
      reason: 'task review: answers `rating`, `notes` are required',
    });
    expect(applyInput(state, { kind: 'complete', task: 'review', answers: { notes: 'fine' } })).toEqual({
      ok: false,
      reason: 'task review: answer `rating` is required',
    });
    expect(timeline).toEqual([]);
    expect(applyInput(state, { kind: 'complete', task: 'review', answers: { rating: 4, notes: 'fine' }, by: 'ann@example.com' })).toEqual({ ok: true });
    expect(timeline.map((e) => [e.kind, e.by])).toEqual([['task-completed', 'ann@example.com']]);
  });

  it('lets a completion leave out an optional ask (empty) or one with a default (taken), and checks date answers', () => {
    const asks = [
      { name: 'converts', question: 'Converts?', type: { type: 'yes/no' as const } },
      { name: 'start_on', question: 'Starts on?', type: { type: 'date' as const }, optional: true as const },
      { name: 'seats', question: 'Seats?', type: { type: 'number' as const }, default: 10 },
    ];
    const { state, timeline } = runOf();
    state.openTask('review', { title: 'Review', line: 7, asks, done: false, answers: {} });
    expect(applyInput(state, { kind: 'complete', task: 'review', answers: { seats: 5 } })).toEqual({
      ok: false,
      reason: 'task review: answer `converts` is required',
    });
    expect(applyInput(state, { kind: 'complete', task: 'review', answers: { converts: true, start_on: '2026-02-30' } })).toEqual({
      ok: false,
      reason: 'answer to ask "start_on" of task review: expected a date YYYY-MM-DD, got "2026-02-30"',
    });
    expect(applyInput(state, { kind: 'complete', task: 'review', answers: { converts: true, seats: 'ten' } })).toEqual({
      ok: false,
      reason: 'answer to ask "seats" of task review: expected a number, got "ten"',
    });
    expect(applyInput(state, { kind: 'complete', task: 'review', answers: { converts: true, start_on: null } })).toEqual({ ok: true });
    expect(state.data.tasks.review!.answers).toEqual({ converts: true, seats: 10 });
    expect(timeline.map((e) => e.data)).toEqual([{ converts: true, seats: 10 }]);
  });

  it('takes a completion with asks left out in a run recorded before answers were required', () => {
    const legacy = createRunState(onboarding, initialState(account), { now: () => MONDAY_9AM, emit: () => {} }, 'allowed');
    legacy.openTask('review', {
      title: 'Review',
      line: 7,
      asks: [{ name: 'rating', question: 'How did it go?', type: { type: 'number' } }],
      done: false,
      answers: {},
    });
    expect(applyInput(legacy, { kind: 'complete', task: 'review', answers: {} })).toEqual({ ok: true });
  });

  it('refuses every input once the run has ended', () => {
    const { state } = runOf();
    state.end({ kind: 'complete' }, MONDAY_9AM);
    for (const input of [
      { kind: 'event', name: 'kickoff.held', payload: {} },
      { kind: 'account', fields: { health: 1 } },
      { kind: 'pause' },
      { kind: 'resume' },
    ] as const) {
      expect(applyInput(state, input)).toEqual({ ok: false, reason: 'the run has already ended' });
    }
  });
});

describe('refusal words', () => {
  it('lists the accepted events after an event the playbook never waits for', () => {
    expect(refusal.eventNotAccepted('kickof.held', acceptedEvents(onboarding), ' (did you mean "kickoff.held"?)')).toBe(
      'the playbook never waits for event "kickof.held" (did you mean "kickoff.held"?); it waits for "account.created", "kickoff.held", "nudge.seen", "sponsor.confirmed"',
    );
    expect(refusal.eventNotAccepted('x', new Set())).toBe('the playbook never waits for event "x"; it waits for no events');
  });
});
