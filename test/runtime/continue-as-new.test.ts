import { describe, expect, it } from 'vitest';
import { simulate, type SimInput } from '../../src/simulate/simulate.js';
import {
  after,
  dur,
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
  task,
  to,
  waitForEvent,
} from './ir-builders.js';

/** A cadence nested in a child playbook, an if and stages, with rungs and a loop in on timeout. */
const cadence = playbook('cadence', [
  stage(2, 'cadence', [
    repeat(
      3,
      dur(1, 'day'),
      [
        notify(4, to('csm@example.com'), 'daily check'),
        waitForEvent(5, 'ping', {
          upTo: dur(12, 'hour'),
          rungs: [{ after: dur(1, 'hour'), body: [notify(6, to('csm@example.com'), 'no ping yet')] }],
          onTimeout: [repeat(7, dur(1, 'hour'), [note(8, 'hourly')], { atMost: 2 })],
        }),
        set(9, 'health', num(45)),
      ],
      { atMost: 6 },
    ),
  ]),
]);
const parent = playbook('parent', [
  stage(10, 'main', [task(11, 'review'), ifElse(12, gt(field('health'), num(10)), [runPlaybook(13, 'cadence')], null), note(14, 'after the cadence')]),
]);
const inputs: SimInput[] = [
  { at: after(30, 'minute'), kind: 'event', name: 'ping', payload: {} },
  { at: after(26, 'hour'), kind: 'complete', task: 'review', answers: {} },
  { at: after(50, 'hour'), kind: 'event', name: 'ping', payload: {} },
  { at: after(74, 'hour'), kind: 'set', field: 'health', value: 80 },
];

describe('continue-as-new', () => {
  it('resuming from a snapshot at every round boundary gives the uninterrupted timeline and actions', async () => {
    const plain: string[] = [];
    const uninterrupted = await simulate(options(program(parent, cadence), inputs, { performAction: (a) => (plain.push(a.key), { ok: true }) }));
    let boundaries = 0;
    const resumed: string[] = [];
    const continued = await simulate(
      options(program(parent, cadence), inputs, {
        performAction: (a) => (resumed.push(a.key), { ok: true }),
        continueAsNew: () => (boundaries++, true),
      }),
    );
    expect(boundaries).toBeGreaterThan(6);
    expect(continued).toEqual(uninterrupted);
    expect(resumed).toEqual(plain);
    expect(uninterrupted.outcome).toBe('completed');
    expect(uninterrupted.timeline.filter((e) => e.kind === 'note' && e.text === 'hourly')).toHaveLength(8);
  });

  it('never continues as new inside a rung', async () => {
    const rungLoop = program(
      playbook('rung-loop', [
        waitForEvent(2, 'never', {
          upTo: dur(5, 'day'),
          rungs: [{ after: dur(1, 'hour'), body: [repeat(3, dur(1, 'day'), [note(4, 'tick')], { atMost: 3 })] }],
        }),
      ]),
    );
    let asked = 0;
    const result = await simulate(options(rungLoop, [], { continueAsNew: () => (asked++, true) }));
    expect(asked).toBe(0);
    expect(result.timeline.filter((e) => e.kind === 'note')).toHaveLength(3);
  });
});
