import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../src/runtime/timeline.js';
import type { DurationIr, StepIr, WaitTargetIr } from '../../src/ir/types.js';
import { simulate, simulateWith, type SimInput } from '../../src/simulate/simulate.js';
import {
  after,
  answer,
  dur,
  email,
  eq,
  escalate,
  eventField,
  field,
  gt,
  ifElse,
  note,
  notify,
  num,
  options,
  playbook,
  program,
  repeat,
  runPlaybook,
  set,
  stage,
  step,
  stop,
  task,
  text,
  to,
  toField,
  wait,
  waitForCondition,
  waitForEvent,
  waitForTask,
  webhook,
  yes,
} from './ir-builders.js';

/** `2026-01-05T14:00:00.000Z note hello`: the parts of entries these tests pin. */
function brief(timeline: TimelineEntry[]): string[] {
  return timeline.map((e) => [e.at, e.kind, e.text].filter((p) => p !== undefined).join(' '));
}

describe('steps and time', () => {
  it('defers an email over the weekend to the send window and counts the next wait from the send', async () => {
    const prog = program(
      playbook('welcome', [email(3, toField('primary_contact'), 'welcome'), wait(4, dur(3, 'day')), note(5, 'three days after the send')], {
        sendWindow: { from: '09:00', to: '17:00' },
      }),
    );
    // Friday 2026-01-09 18:00 New York: after the window, before a weekend.
    const result = await simulate(options(prog, [], { start: Date.parse('2026-01-09T23:00:00Z') }));
    expect(brief(result.timeline)).toEqual([
      '2026-01-09T23:00:00.000Z start welcome',
      '2026-01-12T14:00:00.000Z email Welcome, Acme',
      '2026-01-15T14:00:00.000Z note three days after the send',
      '2026-01-15T14:00:00.000Z complete',
    ]);
    expect(result.timeline[1]).toMatchObject({ to: 'pat@acme.example', template: 'welcome', line: 3, stage: null });
    expect(result.outcome).toBe('completed');
  });

  it('records stage, notify, task with due date, escalate, webhook and note entries', async () => {
    const prog = program(
      playbook('steps', [
        stage(2, 'kickoff', [
          notify(3, toField('csm'), 'hello'),
          task(4, 'kickoff', [], dur(2, 'business day')),
          escalate(5, { kind: 'role', name: 'cs-lead' }, 'heads up'),
          webhook(6, 'crm', [{ name: 'health', value: field('health') }]),
          note(7, ['Health is ', field('health')]),
        ]),
      ]),
    );
    const result = await simulate(options(prog, [], { roles: {} }));
    expect(result.timeline.map((e) => e.kind)).toEqual(['start', 'stage', 'notify', 'task', 'escalate', 'webhook', 'note', 'complete']);
    expect(result.timeline[3]).toMatchObject({ to: 'csm@example.com', task: 'kickoff', due: '2026-01-07T14:00:00.000Z', stage: 'kickoff' });
    expect(result.timeline[4]).toMatchObject({ to: 'role:cs-lead', severity: 'medium' });
    expect(result.timeline[5]).toMatchObject({ text: 'crm', data: { health: 40 } });
    expect(result.timeline[6]?.text).toBe('Health is 40');
  });

  it('continues at once after `wait until` a past date', async () => {
    const prog = program(
      playbook('until', [
        { id: '2', line: 2, kind: 'waitUntil', at: { op: 'lit', type: 'date', value: '2025-01-01' } },
        { id: '3', line: 3, kind: 'waitUntil', at: { op: 'lit', type: 'date', value: '2026-01-07' } },
        note(4, 'on the date'),
      ]),
    );
    const result = await simulate(options(prog));
    expect(brief(result.timeline).slice(1, 2)).toEqual(['2026-01-07T14:00:00.000Z note on the date']);
  });
});

describe('wait for', () => {
  const ladder = waitForEvent(3, 'kickoff.held', {
    upTo: dur(10, 'day'),
    rungs: [
      { after: dur(5, 'day'), body: [notify(5, to('csm@example.com'), 'five days')] },
      { after: dur(1, 'day'), body: [notify(4, to('csm@example.com'), 'one day'), wait(6, dur(3, 'day')), notify(7, to('csm@example.com'), 'four days')] },
    ],
    onTimeout: [escalate(8, to('boss@example.com'), 'no kickoff')],
  });

  it('fires each rung once, in time order, and cancels them when the event arrives', async () => {
    const prog = program(playbook('ladder', [ladder, note(9, 'after the wait')]));
    const result = await simulate(options(prog, [{ at: after(3, 'day'), kind: 'event', name: 'kickoff.held', payload: {} }]));
    expect(brief(result.timeline)).toEqual([
      '2026-01-05T14:00:00.000Z start ladder',
      '2026-01-06T14:00:00.000Z notify one day',
      '2026-01-08T14:00:00.000Z event kickoff.held',
      '2026-01-08T14:00:00.000Z note after the wait',
      '2026-01-08T14:00:00.000Z complete',
    ]);
  });

  it('runs on timeout at the deadline and then continues after the wait', async () => {
    const prog = program(playbook('ladder', [ladder, note(9, 'after the wait')]));
    const result = await simulate(options(prog));
    expect(brief(result.timeline)).toEqual([
      '2026-01-05T14:00:00.000Z start ladder',
      '2026-01-06T14:00:00.000Z notify one day',
      '2026-01-09T14:00:00.000Z notify four days',
      '2026-01-10T14:00:00.000Z notify five days',
      '2026-01-15T14:00:00.000Z timeout event "kickoff.held"',
      '2026-01-15T14:00:00.000Z escalate no kickoff',
      '2026-01-15T14:00:00.000Z note after the wait',
      '2026-01-15T14:00:00.000Z complete',
    ]);
  });

  it('ends the run when on timeout stops it', async () => {
    const prog = program(
      playbook('stalls', [waitForEvent(2, 'kickoff.held', { upTo: dur(2, 'business day'), onTimeout: [stop(3, 'stalled')] }), note(4, 'never')]),
    );
    const result = await simulate(options(prog));
    expect(brief(result.timeline)).toEqual([
      '2026-01-05T14:00:00.000Z start stalls',
      '2026-01-07T14:00:00.000Z timeout event "kickoff.held"',
      '2026-01-07T14:00:00.000Z stop stalled',
    ]);
    expect(result).toMatchObject({ outcome: 'stopped', outcomeLabel: 'stalled' });
  });

  it('is satisfied by an event that arrived before the wait began, and binds its payload', async () => {
    const prog = program(
      playbook('early', [
        wait(2, dur(2, 'day')),
        waitForEvent(3, 'signed', { as: 'deal', upTo: dur(1, 'day') }),
        note(4, ['Signed by ', eventField('deal', 'who', 'name')]),
      ]),
    );
    const result = await simulate(options(prog, [{ at: after(1, 'day'), kind: 'event', name: 'signed', payload: { who: { name: 'Kim' } } }]));
    expect(brief(result.timeline)).toEqual([
      '2026-01-05T14:00:00.000Z start early',
      '2026-01-06T14:00:00.000Z event signed',
      '2026-01-07T14:00:00.000Z note Signed by Kim',
      '2026-01-07T14:00:00.000Z complete',
    ]);
  });

  it('consumes one event per wait', async () => {
    const prog = program(playbook('twice', [waitForEvent(2, 'ping'), note(3, 'first'), waitForEvent(4, 'ping', { upTo: dur(1, 'day') }), note(5, 'second')]));
    const result = await simulate(options(prog, [{ at: after(1, 'hour'), kind: 'event', name: 'ping', payload: {} }]));
    expect(brief(result.timeline).slice(2)).toEqual([
      '2026-01-05T15:00:00.000Z note first',
      '2026-01-06T15:00:00.000Z timeout event "ping"',
      '2026-01-06T15:00:00.000Z note second',
      '2026-01-06T15:00:00.000Z complete',
    ]);
  });

  it('takes with where the first pending event that matches, leaving the others for a later wait', async () => {
    const mine = eq(eventField('paid', 'invoice'), text('INV-2'));
    const prog = program(
      playbook('where', [
        waitForEvent(2, 'paid', { as: 'paid', where: mine, upTo: dur(5, 'day') }),
        note(3, ['Took ', eventField('paid', 'invoice')]),
        waitForEvent(4, 'paid', { as: 'left', upTo: dur(1, 'day') }),
        note(5, ['Left ', eventField('left', 'invoice')]),
      ]),
    );
    const result = await simulate(
      options(prog, [
        { at: after(1, 'hour'), kind: 'event', name: 'paid', payload: { invoice: 'INV-1' } },
        { at: after(2, 'hour'), kind: 'event', name: 'paid', payload: { invoice: 'INV-2' } },
      ]),
    );
    expect(brief(result.timeline).slice(1)).toEqual([
      '2026-01-05T15:00:00.000Z event paid',
      '2026-01-05T16:00:00.000Z event paid',
      '2026-01-05T16:00:00.000Z note Took INV-2',
      '2026-01-05T16:00:00.000Z note Left INV-1',
      '2026-01-05T16:00:00.000Z complete',
    ]);
  });

  it('judges a pending event again when run data changes', async () => {
    const prog = program(
      playbook('judged', [
        waitForEvent(2, 'paid', { as: 'paid', where: gt(eventField('paid', 'amount'), field('health')), upTo: dur(5, 'day') }),
        note(3, 'took it'),
      ]),
    );
    const result = await simulate(
      options(prog, [
        { at: after(1, 'hour'), kind: 'event', name: 'paid', payload: { amount: 40 } },
        { at: after(1, 'day'), kind: 'set', field: 'health', value: 30 },
      ]),
    );
    expect(brief(result.timeline).slice(1)).toEqual([
      '2026-01-05T15:00:00.000Z event paid',
      '2026-01-06T14:00:00.000Z set health = 30',
      '2026-01-06T14:00:00.000Z note took it',
      '2026-01-06T14:00:00.000Z complete',
    ]);
  });

  it('waits for a condition on account data until an update makes it true', async () => {
    const prog = program(playbook('cond', [waitForCondition(2, gt(field('health'), num(50)), dur(30, 'day')), note(3, 'healthy')]));
    const result = await simulate(options(prog, [{ at: after(4, 'day'), kind: 'set', field: 'health', value: 70 }]));
    expect(brief(result.timeline).slice(1)).toEqual([
      '2026-01-09T14:00:00.000Z set health = 70',
      '2026-01-09T14:00:00.000Z note healthy',
      '2026-01-09T14:00:00.000Z complete',
    ]);
  });
});

describe('calendar time', () => {
  it('measures an up-to deadline in business days, skipping weekends and holidays', async () => {
    const prog = program(playbook('deadline', [waitForEvent(2, 'kickoff.held', { upTo: dur(10, 'business day') })]));
    const result = await simulate(options(prog));
    // From Mon 2026-01-05 09:00 New York; Mon 2026-01-19 is a holiday.
    expect(brief(result.timeline).slice(1)).toEqual(['2026-01-20T14:00:00.000Z timeout event "kickoff.held"', '2026-01-20T14:00:00.000Z complete']);
  });
});

describe('conditions and exit when', () => {
  it('ends a wait for a condition made true by a set step in a rung', async () => {
    const prog = program(
      playbook('rung-set', [
        step(2, 'waitFor', {
          target: { kind: 'condition', condition: eq(field('status'), text('churned')) },
          upTo: dur(10, 'day'),
          rungs: [{ after: dur(2, 'day'), line: 3, body: [set(4, 'status', text('churned'))] }],
          onTimeout: null,
        }),
        note(5, 'condition met'),
      ]),
    );
    const result = await simulate(options(prog));
    expect(brief(result.timeline).slice(1)).toEqual([
      '2026-01-07T14:00:00.000Z set status = churned',
      '2026-01-07T14:00:00.000Z note condition met',
      '2026-01-07T14:00:00.000Z complete',
    ]);
  });

  it("ends only the child when the child's exit when holds", async () => {
    const child = playbook('watch', [wait(2, dur(5, 'day')), note(3, 'never')], { exitWhen: [gt(field('health'), num(50))] });
    const parent = playbook('parent', [runPlaybook(2, 'watch'), note(3, 'parent goes on')]);
    const result = await simulate(options(program(parent, child), [{ at: after(1, 'day'), kind: 'set', field: 'health', value: 90 }]));
    expect(result.timeline.map((e) => `${e.kind} ${e.playbook ?? '-'}`)).toEqual(['start -', 'start watch', 'set -', 'exit watch', 'note -', 'complete -']);
    expect(result.outcome).toBe('completed');
  });

  it('exits at the start when exit when already holds', async () => {
    const prog = program(playbook('gone', [note(2, 'never')], { exitWhen: [eq(field('status'), text('active'))] }));
    const result = await simulate(options(prog));
    expect(result.timeline.map((e) => e.kind)).toEqual(['start', 'exit']);
    expect(result.outcome).toBe('exited');
  });
});

describe('tasks', () => {
  const review = task(2, 'review', [{ name: 'ok', question: 'Went well?', type: { type: 'yes/no' } }]);
  const prog = program(
    playbook('review', [review, waitForTask(3, 'review'), ifElse(4, eq(answer('review', 'ok'), yes), [note(5, 'went well')], [note(6, 'did not')])]),
  );

  it('uses task answers in an if', async () => {
    const result = await simulate(options(prog, [{ at: after(2, 'day'), kind: 'complete', task: 'review', answers: { ok: true } }]));
    expect(brief(result.timeline).slice(1)).toEqual([
      '2026-01-05T14:00:00.000Z task Task review',
      '2026-01-07T14:00:00.000Z task-completed Task review',
      '2026-01-07T14:00:00.000Z note went well',
      '2026-01-07T14:00:00.000Z complete',
    ]);
    expect(result.timeline[2]).toMatchObject({ task: 'review', data: { ok: true }, line: 2 });
  });

  it('rejects answers of the wrong type, unknown tasks, and completing twice', async () => {
    const inputs: SimInput[] = [
      { at: after(1, 'day'), kind: 'complete', task: 'review', answers: { ok: 'yes' } },
      { at: after(1, 'day'), kind: 'complete', task: 'reveiw', answers: {} },
      { at: after(2, 'day'), kind: 'complete', task: 'review', answers: { ok: false } },
      { at: after(3, 'day'), kind: 'complete', task: 'review', answers: { ok: true } },
    ];
    const result = await simulate(options(prog, inputs));
    expect(result.rejected.map((r) => r.reason)).toEqual([
      'answer to ask "ok" of task review: expected yes/no (true or false), got "yes"',
      'the playbook has no task "reveiw"',
      'the run has already ended',
    ]);
    expect(brief(result.timeline)).toContain('2026-01-07T14:00:00.000Z note did not');
  });

  it('rejects completing a task that has not been created yet', async () => {
    const late = program(playbook('late', [wait(2, dur(5, 'day')), task(3, 'review'), waitForTask(4, 'review')]));
    const result = await simulate(options(late, [{ at: after(1, 'day'), kind: 'complete', task: 'review', answers: {} }]));
    expect(result.rejected.map((r) => r.reason)).toEqual(['task review has not been created yet']);
    expect(result.outcome).toBe('running');
  });
});

describe('task changes', () => {
  const reminded = (upTo: DurationIr | null) =>
    program(
      playbook('review', [
        task(2, 'review'),
        step(3, 'waitFor', {
          target: { kind: 'task', task: 'review' },
          upTo,
          rungs: [{ after: dur(2, 'day'), line: 4, body: [note(4, 'reminder')] }],
          onTimeout: [note(5, 'not done')],
        }),
        note(6, 'after the wait'),
      ]),
    );

  it('ends a wait for a closed task at once on its timeout path: no later reminder, then the playbook goes on', async () => {
    const result = await simulate(options(reminded(dur(5, 'day')), [{ at: after(1, 'day'), kind: 'close', task: 'review', reason: 'duplicate' }]));
    expect(brief(result.timeline).slice(2)).toEqual([
      '2026-01-06T14:00:00.000Z task-closed duplicate',
      '2026-01-06T14:00:00.000Z timeout task review',
      '2026-01-06T14:00:00.000Z note not done',
      '2026-01-06T14:00:00.000Z note after the wait',
      '2026-01-06T14:00:00.000Z complete',
    ]);
  });

  it('takes the timeout path of a wait without a deadline too, and of one that starts after the task was closed', async () => {
    const closedFirst = program(playbook('late', [task(2, 'review'), wait(3, dur(3, 'day')), waitForTask(4, 'review'), note(5, 'went on')]));
    const result = await simulate(options(closedFirst, [{ at: after(1, 'day'), kind: 'close', task: 'review', reason: 'not needed' }]));
    expect(brief(result.timeline).slice(2)).toEqual([
      '2026-01-06T14:00:00.000Z task-closed not needed',
      '2026-01-08T14:00:00.000Z timeout task review',
      '2026-01-08T14:00:00.000Z note went on',
      '2026-01-08T14:00:00.000Z complete',
    ]);
    const open = await simulate(options(reminded(null), [{ at: after(3, 'day'), kind: 'close', task: 'review', reason: 'gone' }]));
    expect(brief(open.timeline).slice(2)).toEqual([
      '2026-01-07T14:00:00.000Z note reminder',
      '2026-01-08T14:00:00.000Z task-closed gone',
      '2026-01-08T14:00:00.000Z timeout task review',
      '2026-01-08T14:00:00.000Z note not done',
      '2026-01-08T14:00:00.000Z note after the wait',
      '2026-01-08T14:00:00.000Z complete',
    ]);
  });

  it('keeps the reminders of a snoozed task at their times, and a reassigned task completes as before', async () => {
    const result = await simulate(
      options(reminded(dur(5, 'day')), [
        { at: after(1, 'day'), kind: 'snooze', task: 'review', until: after(4, 'day') },
        { at: after(3, 'day'), kind: 'reassign', task: 'review', to: 'bob@example.com' },
        { at: after(4, 'day'), kind: 'complete', task: 'review', answers: {} },
      ]),
    );
    expect(result.rejected).toEqual([]);
    expect(brief(result.timeline).slice(2)).toEqual([
      '2026-01-06T14:00:00.000Z task-snoozed Task review',
      '2026-01-07T14:00:00.000Z note reminder',
      '2026-01-08T14:00:00.000Z task-reassigned Task review',
      '2026-01-09T14:00:00.000Z task-completed Task review',
      '2026-01-09T14:00:00.000Z note after the wait',
      '2026-01-09T14:00:00.000Z complete',
    ]);
    expect(result.timeline[2]).toMatchObject({ kind: 'task-snoozed', until: '2026-01-09T14:00:00.000Z' });
    expect(result.timeline[4]).toMatchObject({ kind: 'task-reassigned', to: 'bob@example.com' });
  });
});

describe('wait for any of', () => {
  const anyOf = (line: number, of: WaitTargetIr[], upTo: DurationIr | null = dur(5, 'day')) =>
    step(line, 'waitFor', { target: { kind: 'anyOf', of } as WaitTargetIr, upTo, rungs: [], onTimeout: [note(line + 1, 'timed out')] });
  const signed = (waitFor: StepIr) =>
    program(
      playbook('signing', [
        task(2, 'review'),
        waitFor,
        ifElse(5, gt(eventField('signed', 'seats'), num(0)), [note(6, ['signed for ', eventField('signed', 'seats'), ' seats'])], [note(7, 'reviewed')]),
      ]),
    );
  const eitherWay = anyOf(3, [
    { kind: 'event', name: 'contract.signed', as: 'signed' },
    { kind: 'task', task: 'review' },
  ]);

  it('ends at the first waitable to happen; the event binds its name, and a later completion changes nothing', async () => {
    const result = await simulate(
      options(signed(eitherWay), [
        { at: after(2, 'day'), kind: 'event', name: 'contract.signed', payload: { seats: 12 } },
        { at: after(3, 'day'), kind: 'complete', task: 'review', answers: {} },
      ]),
    );
    expect(brief(result.timeline).slice(2)).toEqual([
      '2026-01-07T14:00:00.000Z event contract.signed',
      '2026-01-07T14:00:00.000Z note signed for 12 seats',
      '2026-01-07T14:00:00.000Z complete',
    ]);
    const reviewed = await simulate(options(signed(eitherWay), [{ at: after(1, 'day'), kind: 'complete', task: 'review', answers: {} }]));
    expect(brief(reviewed.timeline).slice(2)).toEqual([
      '2026-01-06T14:00:00.000Z task-completed Task review',
      '2026-01-06T14:00:00.000Z note reviewed',
      '2026-01-06T14:00:00.000Z complete',
    ]);
  });

  it('takes the first in written order when several have happened, leaving the event for a later wait', async () => {
    const taskFirst = anyOf(3, [
      { kind: 'task', task: 'review' },
      { kind: 'event', name: 'contract.signed', as: 'signed' },
    ]);
    const prog = program(
      playbook('order', [
        task(2, 'review'),
        wait(3, dur(2, 'day')),
        { ...taskFirst, id: '4', line: 4 },
        note(6, ['seats: ', eventField('signed', 'seats')]),
        waitForEvent(7, 'contract.signed', { as: 'later' }),
        note(8, ['later: ', eventField('later', 'seats')]),
      ]),
    );
    const result = await simulate(
      options(prog, [
        { at: after(1, 'day'), kind: 'event', name: 'contract.signed', payload: { seats: 3 } },
        { at: after(1, 'day'), kind: 'complete', task: 'review', answers: {} },
      ]),
    );
    expect(brief(result.timeline).slice(-3)).toEqual([
      '2026-01-07T14:00:00.000Z note seats: ',
      '2026-01-07T14:00:00.000Z note later: 3',
      '2026-01-07T14:00:00.000Z complete',
    ]);
  });

  it('goes on waiting when a listed task is closed, and times out naming every waitable', async () => {
    const result = await simulate(options(signed(eitherWay), [{ at: after(1, 'day'), kind: 'close', task: 'review', reason: 'duplicate' }]));
    expect(brief(result.timeline).slice(2)).toEqual([
      '2026-01-06T14:00:00.000Z task-closed duplicate',
      '2026-01-10T14:00:00.000Z timeout any of event "contract.signed", task review',
      '2026-01-10T14:00:00.000Z note timed out',
      '2026-01-10T14:00:00.000Z note reviewed',
      '2026-01-10T14:00:00.000Z complete',
    ]);
  });

  it('ends when a listed condition comes to hold', async () => {
    const prog = program(
      playbook('health', [
        task(2, 'review'),
        anyOf(
          3,
          [
            { kind: 'task', task: 'review' },
            { kind: 'condition', condition: gt(field('health'), num(90)) },
          ],
          null,
        ),
        note(5, 'went on'),
      ]),
    );
    const result = await simulate(options(prog, [{ at: after(2, 'day'), kind: 'set', field: 'health', value: 95 }]));
    expect(brief(result.timeline).slice(-2)).toEqual(['2026-01-07T14:00:00.000Z note went on', '2026-01-07T14:00:00.000Z complete']);
  });
});

describe('loops, exit and stop', () => {
  it('repeats at most N times, rounds D apart, ending right after the last round', async () => {
    const prog = program(playbook('weekly', [repeat(2, dur(1, 'week'), [note(3, 'check in')], { atMost: 3 })]));
    const result = await simulate(options(prog));
    expect(brief(result.timeline).slice(1)).toEqual([
      '2026-01-05T14:00:00.000Z note check in',
      '2026-01-12T14:00:00.000Z note check in',
      '2026-01-19T14:00:00.000Z note check in',
      '2026-01-19T14:00:00.000Z complete',
    ]);
  });

  it('checks until before each round', async () => {
    const prog = program(playbook('daily', [repeat(2, dur(1, 'day'), [note(3, 'nudge')], { until: gt(field('health'), num(50)) })]));
    const result = await simulate(options(prog, [{ at: after(60, 'hour'), kind: 'set', field: 'health', value: 60 }]));
    expect(brief(result.timeline).slice(1)).toEqual([
      '2026-01-05T14:00:00.000Z note nudge',
      '2026-01-06T14:00:00.000Z note nudge',
      '2026-01-07T14:00:00.000Z note nudge',
      '2026-01-08T02:00:00.000Z set health = 60',
      '2026-01-08T14:00:00.000Z complete',
    ]);
  });

  it('exits at once when a set input makes exit when true', async () => {
    const prog = program(playbook('exits', [wait(2, dur(10, 'day')), note(3, 'never')], { exitWhen: [eq(field('status'), text('churned'))] }));
    const result = await simulate(
      options(prog, [
        { at: after(2, 'day'), kind: 'set', field: 'status', value: 'churned' },
        { at: after(3, 'day'), kind: 'event', name: 'x', payload: {} },
      ]),
    );
    expect(brief(result.timeline)).toEqual([
      '2026-01-05T14:00:00.000Z start exits',
      '2026-01-07T14:00:00.000Z set status = churned',
      '2026-01-07T14:00:00.000Z exit',
    ]);
    expect(result).toMatchObject({ outcome: 'exited', outcomeLabel: null });
    expect(result.rejected.map((r) => r.reason)).toEqual(['the run has already ended']);
  });

  it('exits when its own set step makes exit when true, after the write', async () => {
    const prog = program(playbook('self', [set(2, 'status', text('churned')), note(3, 'never')], { exitWhen: [eq(field('status'), text('churned'))] }));
    const actions: string[] = [];
    const result = await simulate(options(prog, [], { performAction: (a) => (actions.push(a.key), { ok: true }) }));
    expect(result.timeline.map((e) => e.kind)).toEqual(['start', 'set', 'exit']);
    expect(actions).toEqual(['2#1']);
  });

  it('is running when it reaches until', async () => {
    const prog = program(playbook('long', [wait(2, dur(30, 'day')), note(3, 'later')]));
    const result = await simulate(options(prog, [], { until: after(10, 'day') }));
    expect(result).toMatchObject({ outcome: 'running', outcomeLabel: null });
    expect(result.timeline.map((e) => e.kind)).toEqual(['start']);
  });
});

describe('child playbooks', () => {
  it('runs the child inline; its stop ends only the child, and the parent goes on in its stage', async () => {
    const child = playbook('outreach', [stage(2, 'outreach', [notify(3, to('exec@example.com'), 'reach out'), stop(4, 'done early')]), note(5, 'never')], {
      line: 1,
    });
    const parent = playbook('renewal', [stage(10, 'negotiate', [runPlaybook(11, 'outreach'), note(12, 'back in the parent')])], { line: 9 });
    const result = await simulate(options(program(parent, child)));
    expect(result.timeline.map((e) => [e.kind, e.stage, e.playbook ?? '-', e.line])).toEqual([
      ['start', null, '-', 9],
      ['stage', 'negotiate', '-', 10],
      ['start', 'negotiate', 'outreach', 1],
      ['stage', 'outreach', 'outreach', 2],
      ['notify', 'outreach', 'outreach', 3],
      ['stop', 'outreach', 'outreach', 4],
      ['note', 'negotiate', '-', 12],
      ['complete', 'negotiate', '-', 9],
    ]);
    expect(result.outcome).toBe('completed');
  });

  it('keys child actions by the child playbook', async () => {
    const child = playbook('ping', [notify(2, to('a@example.com'), 'ping')]);
    const parent = playbook('twice', [runPlaybook(2, 'ping'), runPlaybook(3, 'ping'), notify(4, to('a@example.com'), 'own')]);
    const keys: string[] = [];
    await simulate(options(program(parent, child), [], { performAction: (a) => (keys.push(`${a.playbook}:${a.key}`), { ok: true }) }));
    expect(keys).toEqual(['ping:ping/2#1', 'ping:ping/2#2', 'twice:4#1']);
  });
});

describe('failures and control', () => {
  it('turns a permanently failed action into an escalation and goes on', async () => {
    const prog = program(playbook('fails', [notify(2, to('bad@'), 'hello'), email(3, toField('missing_field'), 'welcome'), note(4, 'still running')]));
    const result = await simulate(options(prog, [], { performAction: (a) => (a.kind === 'notify' ? { ok: false, error: 'invalid address' } : { ok: true }) }));
    expect(brief(result.timeline).slice(1)).toEqual([
      '2026-01-05T14:00:00.000Z notify hello',
      '2026-01-05T14:00:00.000Z escalate notification to bad@ failed: invalid address',
      '2026-01-05T14:00:00.000Z escalate email not sent: account.missing_field has no address',
      '2026-01-05T14:00:00.000Z note still running',
      '2026-01-05T14:00:00.000Z complete',
    ]);
    expect(result.timeline[2]).toMatchObject({ severity: 'high', to: 'cs-ops@example.com', line: 2 });
  });

  it('records a suppressed email after its email entry, when the recipient opted out, and goes on', async () => {
    const prog = program(playbook('opted-out', [email(2, toField('primary_contact'), 'welcome'), note(3, 'still running')]));
    const result = await simulate(options(prog, [], { performAction: (a) => (a.kind === 'email' ? { ok: true, suppressed: 'unsubscribed' } : { ok: true }) }));
    expect(brief(result.timeline).slice(1)).toEqual([
      '2026-01-05T14:00:00.000Z email Welcome, Acme',
      '2026-01-05T14:00:00.000Z suppressed unsubscribed',
      '2026-01-05T14:00:00.000Z note still running',
      '2026-01-05T14:00:00.000Z complete',
    ]);
    expect(result.timeline[2]).toMatchObject({ to: 'pat@acme.example', template: 'welcome', line: 2 });
  });

  it('rejects with the error when a concurrent rung hits a broken program, instead of hanging', async () => {
    const prog = program(
      playbook('broken', [waitForEvent(2, 'never', { upTo: dur(5, 'day'), rungs: [{ after: dur(1, 'day'), body: [runPlaybook(3, 'ghost')] }] })]),
    );
    await expect(simulate(options(prog))).rejects.toThrow('the program has no playbook "ghost"');
  });

  it('holds steps while paused; timers keep counting', async () => {
    type Control = { at: SimInput['at']; kind: 'pause' | 'resume' };
    const prog = program(playbook('paused', [wait(2, dur(1, 'day')), note(3, 'one'), wait(4, dur(1, 'day')), note(5, 'two')]));
    const paused = await simulateWith<Control>({
      ...options(prog),
      inputs: [
        { at: after(12, 'hour'), kind: 'pause' },
        { at: after(3, 'day'), kind: 'resume' },
      ],
    });
    expect(brief(paused.timeline).slice(1)).toEqual([
      '2026-01-06T02:00:00.000Z pause',
      '2026-01-08T14:00:00.000Z resume',
      '2026-01-08T14:00:00.000Z note one',
      '2026-01-09T14:00:00.000Z note two',
      '2026-01-09T14:00:00.000Z complete',
    ]);
  });
});
