import { describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../src/cli/exit-code.js';
import { UserError } from '../../src/errors.js';
import type { IrProgram } from '../../src/ir/types.js';
import { simulateChecked } from '../../src/simulate/cli-run.js';
import { checkInputs, parseCompleteArg, parseEventArg, parseSetArg, parseStart, parseUntil, parseWhen } from '../../src/simulate/inputs.js';

/** The UserError `fn` throws: its exit code and message. */
function failure(fn: () => unknown): { code: number; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof UserError) return { code: exitCodeOf(e.kind), message: e.message };
    throw e;
  }
  throw new Error('expected a UserError');
}

const JAN_5_14H = Date.UTC(2026, 0, 5, 14);

describe('parseWhen', () => {
  it('reads ISO instants with Z or an offset', () => {
    expect(parseWhen('2026-01-05T14:00:00Z')).toEqual({ instant: JAN_5_14H });
    expect(parseWhen('2026-01-05T09:00:00-05:00')).toEqual({ instant: JAN_5_14H });
    expect(parseWhen('2026-01-05T19:30+05:30')).toEqual({ instant: JAN_5_14H });
  });

  it('reads +durations in the language words, singular or plural', () => {
    expect(parseWhen('+4 business days')).toEqual({ offset: { amount: 4, unit: 'business day' } });
    expect(parseWhen('+1 week')).toEqual({ offset: { amount: 1, unit: 'week' } });
    expect(parseWhen('+2 hours')).toEqual({ offset: { amount: 2, unit: 'hour' } });
    expect(parseWhen('+3 business hours')).toEqual({ offset: { amount: 3, unit: 'business hour' } });
  });

  it('rejects instants without an offset, impossible dates and unknown units', () => {
    expect(parseWhen('2026-01-05T14:00:00')).toBeNull();
    expect(parseWhen('2026-02-30T14:00:00Z')).toBeNull();
    expect(parseWhen('+4 bizdays')).toBeNull();
    expect(parseWhen('+1.5 days')).toBeNull();
    expect(parseWhen('tomorrow')).toBeNull();
  });
});

describe('--start and --until', () => {
  it('--start takes only an instant, with a precise usage error otherwise', () => {
    expect(parseStart('2026-01-05T14:00:00Z')).toBe(JAN_5_14H);
    expect(failure(() => parseStart('tomorrow'))).toEqual({
      code: 2,
      message: '--start "tomorrow" is not an ISO-8601 instant (e.g. 2026-01-05T14:00:00Z)',
    });
    expect(failure(() => parseStart('+2 days')).code).toBe(2);
  });

  it('--until takes an instant or a duration', () => {
    expect(parseUntil('+60 days')).toEqual({ offset: { amount: 60, unit: 'day' } });
    expect(failure(() => parseUntil('soon')).message).toMatch(/^--until "soon" is not an ISO-8601 instant/);
  });
});

describe('--event', () => {
  it('splits name, when and payload, keeping the colons of an offset instant', () => {
    expect(parseEventArg('kickoff.held@2026-01-05T09:00:00-05:00:{"attendees": 4}')).toEqual({
      at: { instant: JAN_5_14H },
      kind: 'event',
      name: 'kickoff.held',
      payload: { attendees: 4 },
    });
  });

  it('has an empty payload when none is given', () => {
    expect(parseEventArg('kickoff.held@+2 business days')).toEqual({
      at: { offset: { amount: 2, unit: 'business day' } },
      kind: 'event',
      name: 'kickoff.held',
      payload: {},
    });
  });

  it('allows @ inside the payload', () => {
    const input = parseEventArg('meeting.booked@+1 day:{"by": "pat@acme.example"}');
    expect(input).toMatchObject({ name: 'meeting.booked', payload: { by: 'pat@acme.example' } });
  });

  it('explains a missing @, a bad when, a payload that is no object, and bad JSON', () => {
    expect(failure(() => parseEventArg('kickoff.held'))).toEqual({
      code: 2,
      message: '--event "kickoff.held": expected <name>@<when>[:<json payload>], e.g. kickoff.held@+2 business days',
    });
    expect(failure(() => parseEventArg('kickoff.held@next week')).message).toBe(
      '--event "kickoff.held@next week": "next week" is not an ISO-8601 instant with Z or ±hh:mm (e.g. 2026-01-05T14:00:00Z) or +<duration> (e.g. +4 business days)',
    );
    expect(failure(() => parseEventArg('kickoff.held@+2 days:42')).message).toBe(
      '--event "kickoff.held@+2 days:42": payload must be a JSON object, e.g. {"attendees": 4}',
    );
    expect(failure(() => parseEventArg('kickoff.held@+2 days:{attendees: 4}')).message).toMatch(
      /^--event "kickoff.held@\+2 days:\{attendees: 4\}": payload is not valid JSON: /,
    );
  });
});

describe('--complete', () => {
  it('reads answers after the when', () => {
    expect(parseCompleteArg('training@2026-01-05T14:00:00Z:{"rating": 5, "attended": true}')).toEqual({
      at: { instant: JAN_5_14H },
      kind: 'complete',
      task: 'training',
      answers: { rating: 5, attended: true },
    });
  });

  it('rejects answers that are not an object', () => {
    expect(failure(() => parseCompleteArg('training@+1 day:{"x": [}')).message).toMatch(/answers is not valid JSON/);
    expect(failure(() => parseCompleteArg('training@+1 day:[5]'))).toEqual({
      code: 2,
      message: '--complete "training@+1 day:[5]": answers must be a JSON object, e.g. {"rating": 5}',
    });
  });
});

describe('--set', () => {
  it('reads JSON values when they parse, else text', () => {
    expect(parseSetArg('health=42@+1 day')).toMatchObject({ kind: 'set', field: 'health', value: 42 });
    expect(parseSetArg('strategic=true@+1 day')).toMatchObject({ value: true });
    expect(parseSetArg('name="Acme Inc"@+1 day')).toMatchObject({ value: 'Acme Inc' });
    expect(parseSetArg('status=churned@+1 day')).toMatchObject({ value: 'churned' });
    expect(parseSetArg('csm=null@+1 day')).toMatchObject({ value: null });
  });

  it('takes the last @ as the separator, so email values work', () => {
    expect(parseSetArg('csm=sam@example.com@2026-01-05T14:00:00Z')).toEqual({
      at: { instant: JAN_5_14H },
      kind: 'set',
      field: 'csm',
      value: 'sam@example.com',
    });
  });

  it('explains a missing = or @', () => {
    expect(failure(() => parseSetArg('status@+1 day'))).toEqual({
      code: 2,
      message: '--set "status@+1 day": expected <field>=<value>@<when>, e.g. status=churned@+30 days',
    });
    expect(failure(() => parseSetArg('status=churned')).code).toBe(2);
  });
});

describe('checkInputs', () => {
  const program: IrProgram = {
    irVersion: 1,
    entry: 'onboarding',
    calendars: {},
    templates: {},
    fields: { status: { type: 'one of', values: ['active', 'churned'] }, health: { type: 'number' } },
    playbooks: {
      onboarding: {
        id: 'onboarding',
        title: null,
        file: 'onboarding.playbook',
        line: 1,
        owner: null,
        description: null,
        triggers: [{ kind: 'event', name: 'account.created', where: null }],
        calendar: null,
        sendWindow: null,
        exitWhen: [],
        body: [
          {
            id: '0',
            line: 3,
            kind: 'task',
            task: '0',
            title: ['Call ', { op: 'field', field: 'status' }],
            assignee: { kind: 'address', address: 'csm@example.com' },
            due: null,
            asks: [],
          },
          {
            id: '1',
            line: 4,
            kind: 'stage',
            stage: 'training',
            title: null,
            body: [
              {
                id: '1.0',
                line: 5,
                kind: 'task',
                task: 'training',
                title: ['Run training'],
                assignee: { kind: 'address', address: 'csm@example.com' },
                due: null,
                asks: [{ name: 'rating', question: 'How did it go?', type: { type: 'number' } }],
              },
              {
                id: '1.1',
                line: 6,
                kind: 'waitFor',
                target: { kind: 'event', name: 'kickoff.held', as: null },
                upTo: null,
                rungs: [],
                onTimeout: null,
              },
            ],
          },
        ],
      },
    },
  };
  const at = { offset: { amount: 1, unit: 'day' as const } };
  const check = (input: Parameters<typeof checkInputs>[1][number]['input']) => checkInputs(program, [{ input, source: 'src' }], JAN_5_14H);

  it('accepts events waited for or triggering, known tasks with fitting answers, and typed fields', () => {
    expect(check({ at, kind: 'event', name: 'kickoff.held', payload: {} })).toEqual([]);
    expect(check({ at, kind: 'event', name: 'account.created', payload: {} })).toEqual([]);
    expect(check({ at, kind: 'complete', task: 'training', answers: { rating: 4 } })).toEqual([]);
    expect(check({ at, kind: 'set', field: 'status', value: 'churned' })).toEqual([]);
  });

  it('names the ask a completion leaves unanswered: every ask is required', () => {
    expect(check({ at, kind: 'complete', task: 'training', answers: {} })).toEqual(['src: task training: answer `rating` is required']);
  });

  it('lists the events the playbook waits for when an event is unknown', () => {
    expect(check({ at, kind: 'event', name: 'kickof.held', payload: {} })).toEqual([
      'src: the playbook never waits for event "kickof.held"; did you mean `kickoff.held`?; it waits for "account.created", "kickoff.held"',
    ]);
  });

  it('lists the tasks when a task is unknown, showing unnamed ones by id and title', () => {
    expect(check({ at, kind: 'complete', task: 'trainig', answers: {} })).toEqual([
      'src: the playbook has no task "trainig"; did you mean `training`?; its tasks are 0 ("Call {account.status}"), training',
    ]);
  });

  it('names the ask whose answer does not fit', () => {
    expect(check({ at, kind: 'complete', task: 'training', answers: { rating: 'great' } })).toEqual([
      'src: answer to ask "rating" of task training: expected a number, got "great"',
    ]);
  });

  it('rejects unknown and ill-typed fields', () => {
    expect(check({ at, kind: 'set', field: 'stauts', value: 'churned' })).toEqual([
      'src: account.stauts: not a declared account field; did you mean `status`?',
    ]);
    expect(check({ at, kind: 'set', field: 'status', value: 'gone' })).toEqual(['src: account.status: expected one of active, churned, got "gone"']);
  });

  it('rejects instants before the start', () => {
    expect(check({ at: { instant: JAN_5_14H - 1000 }, kind: 'event', name: 'kickoff.held', payload: {} })).toEqual([
      'src: 2026-01-05T13:59:59.000Z is before the start 2026-01-05T14:00:00.000Z',
    ]);
  });
});

describe('simulateChecked', () => {
  it("refuses an account whose holiday field holds no holiday code, naming the field, as a user's mistake", async () => {
    const program: IrProgram = {
      irVersion: 1,
      entry: 'p',
      playbooks: {
        p: {
          id: 'p',
          title: null,
          file: 'p.playbook',
          line: 1,
          owner: null,
          description: null,
          triggers: [{ kind: 'manual' }],
          calendar: 'c',
          sendWindow: null,
          exitWhen: [],
          body: [],
        },
      },
      calendars: {
        c: {
          id: 'c',
          title: null,
          timezone: [],
          workingDays: [1, 2, 3, 4, 5],
          workingHours: null,
          holidayCountries: [],
          holidays: [],
          holidaySources: [[{ field: 'country' }]],
        },
      },
      fields: { country: { type: 'text' } },
      templates: {},
    };
    const run = simulateChecked({ program, account: { id: 'a', country: 'Bavaria' }, start: JAN_5_14H, inputs: [] });
    await expect(run).rejects.toThrow(UserError);
    await expect(run).rejects.toThrow('cannot run p for account a: calendar c: account.country is "Bavaria", not a holiday country or region code');
    await expect(run).rejects.toMatchObject({ kind: 'invalid' });
  });
});
