/**
 * Goals: measured beside the run and never changing it. A goal is met by the first milestone
 * after its anchor (its `goal-met` right after the milestone's entry, with the business
 * minutes it took), missed at its deadline while the run waits or at the run's end; met
 * exactly at the deadline counts, a minute later does not; the run's other entries are those
 * of the same playbook without goals; a run that continues as new keeps its goals.
 */
import { describe, expect, it } from 'vitest';
import type { GoalIr, GoalPointIr, PlaybookIr } from '../../src/ir/types.js';
import type { TimelineEntry } from '../../src/runtime/timeline.js';
import { simulate, simulateWith, type SimInput } from '../../src/simulate/simulate.js';
import { at, dur, field, gt, note, num, options, playbook, program, set, stage, stop, task, wait, waitForEvent, waitForTask } from './ir-builders.js';

const goal = (id: string, milestone: GoalPointIr, within: GoalIr['within'], anchor: GoalPointIr = { kind: 'start' }, line = 2): GoalIr => ({
  id,
  title: `Goal ${id}`,
  target: 90,
  milestone,
  within,
  anchor,
  line,
});

const body = [
  stage(10, 'kickoff', [task(11, 'setup'), waitForEvent(12, 'kickoff.held', { upTo: dur(10, 'business day') })]),
  stage(13, 'training', [task(14, 'training'), waitForTask(15, 'training', dur(10, 'business day'))]),
  wait(16, dur(1, 'day')),
  note(17, 'done'),
];
const goals: GoalIr[] = [
  goal('kickoff', { kind: 'event', event: 'kickoff.held' }, dur(3, 'business day')),
  goal('training', { kind: 'taskDone', task: 'training' }, dur(2, 'business day'), { kind: 'event', event: 'kickoff.held' }),
  goal('review', { kind: 'stage', stage: 'training' }, dur(1, 'week'), { kind: 'taskCreated', task: 'setup' }),
  goal('healthy', { kind: 'condition', condition: gt(field('health'), num(50)) }, dur(5, 'business day'), { kind: 'stage', stage: 'training' }),
];
const withGoals = (extra: Partial<PlaybookIr> = {}) => program(playbook('onboarding', body, { goals, ...extra }));
const withoutGoals = program(playbook('onboarding', body));

const goalEntries = (timeline: TimelineEntry[]) => timeline.filter((e) => e.kind === 'goal-met' || e.kind === 'goal-missed');
const brief = (e: TimelineEntry) => `${e.at} ${e.kind} ${e.goal}${e.took === undefined ? '' : ` took ${e.took}`}`;

// Monday 2026-01-05 09:00 New York; Monday 19 is a holiday.
const kickoffWed: SimInput = { at: at('2026-01-07T14:00:00Z'), kind: 'event', name: 'kickoff.held', payload: {} };

describe('goals', () => {
  it('are met right after the entry of their milestone, with the business minutes since their anchor', async () => {
    const inputs: SimInput[] = [
      kickoffWed,
      { at: at('2026-01-08T16:30:00Z'), kind: 'complete', task: 'training', answers: {} },
      { at: at('2026-01-09T14:00:00Z'), kind: 'set', field: 'health', value: 80 },
    ];
    const result = await simulate(options(withGoals(), inputs));
    expect(goalEntries(result.timeline).map(brief)).toEqual([
      // The setup task's entry anchors review; the event meets kickoff (2 business days) and anchors training.
      '2026-01-07T14:00:00.000Z goal-met kickoff took 960',
      // The training stage follows the event at once: 2 business days after the setup task.
      '2026-01-07T14:00:00.000Z goal-met review took 960',
      // Thursday 11:30 is 1 business day and 2.5 hours after Wednesday 09:00.
      '2026-01-08T16:30:00.000Z goal-met training took 630',
      // 2 business days after the training stage.
      '2026-01-09T14:00:00.000Z goal-met healthy took 960',
    ]);
    const kinds = result.timeline.map((e) => e.kind);
    expect(kinds[kinds.indexOf('event') + 1]).toBe('goal-met');
    expect(result.timeline[kinds.indexOf('task-completed') + 1]).toMatchObject({ kind: 'goal-met', goal: 'training' });
    expect(result.timeline[kinds.indexOf('set') + 1]).toMatchObject({ kind: 'goal-met', goal: 'healthy' });
    expect(result.timeline.find((e) => e.kind === 'goal-met')).toEqual({
      at: '2026-01-07T14:00:00.000Z',
      kind: 'goal-met',
      stage: 'kickoff',
      text: 'Goal kickoff',
      line: 2,
      goal: 'kickoff',
      target: 90,
      took: 960,
    });
  });

  it('never change what the run does: the other entries are those of the playbook without goals', async () => {
    const inputs: SimInput[] = [kickoffWed, { at: at('2026-01-20T14:00:00Z'), kind: 'complete', task: 'training', answers: {} }];
    const [measured, plain] = await Promise.all([simulate(options(withGoals(), inputs)), simulate(options(withoutGoals, inputs))]);
    expect(measured.timeline.filter((e) => !e.kind.startsWith('goal-'))).toEqual(plain.timeline);
    expect(measured.outcome).toBe(plain.outcome);
    expect(goalEntries(plain.timeline)).toEqual([]);
  });

  it('are missed at their deadline while the run waits, and at its end when never met', async () => {
    const inputs: SimInput[] = [kickoffWed, { at: at('2026-01-20T14:00:00Z'), kind: 'complete', task: 'training', answers: {} }];
    const result = await simulate(options(withGoals(), inputs));
    expect(goalEntries(result.timeline).map(brief)).toEqual([
      '2026-01-07T14:00:00.000Z goal-met kickoff took 960',
      '2026-01-07T14:00:00.000Z goal-met review took 960',
      // Friday 09:00: 2 business days after the kickoff, while the run waits for the task.
      '2026-01-09T14:00:00.000Z goal-missed training',
      // 5 business days after the training stage, skipping the weekend.
      '2026-01-14T14:00:00.000Z goal-missed healthy',
    ]);
    const stopped = program(playbook('onboarding', [task(11, 'setup'), stop(12, 'early')], { goals }));
    const ended = await simulate(options(stopped));
    expect(goalEntries(ended.timeline).map(brief)).toEqual([
      '2026-01-05T14:00:00.000Z goal-missed kickoff',
      '2026-01-05T14:00:00.000Z goal-missed training',
      '2026-01-05T14:00:00.000Z goal-missed review',
      '2026-01-05T14:00:00.000Z goal-missed healthy',
    ]);
    expect(ended.timeline.at(-1)).toMatchObject({ kind: 'stop', text: 'early' });
  });

  it('count one met exactly at the deadline, and one a minute after as missed at the deadline', async () => {
    const deadline = '2026-01-08T14:00:00Z';
    const exactly = await simulate(options(withGoals(), [{ ...kickoffWed, at: at(deadline) }]));
    expect(goalEntries(exactly.timeline).map(brief)[0]).toBe('2026-01-08T14:00:00.000Z goal-met kickoff took 1440');
    const late = await simulate(options(withGoals(), [{ ...kickoffWed, at: at('2026-01-08T14:01:00Z') }]));
    const kickoff = goalEntries(late.timeline).filter((e) => e.goal === 'kickoff');
    expect(kickoff.map(brief)).toEqual(['2026-01-08T14:00:00.000Z goal-missed kickoff']);
    expect(late.timeline.findIndex((e) => e.kind === 'goal-missed')).toBeLessThan(late.timeline.findIndex((e) => e.kind === 'event'));
  });

  it('count a condition that already holds when its time starts as met at once', async () => {
    const prog = program(
      playbook('p', [set(3, 'health', num(90)), note(4, 'x')], {
        goals: [goal('healthy', { kind: 'condition', condition: gt(field('health'), num(50)) }, dur(1, 'day'))],
      }),
    );
    const result = await simulate(options(prog, [], { account: { ...options(prog).account, health: 60 } }));
    expect(result.timeline.slice(0, 2).map((e) => `${e.kind} ${e.took ?? ''}`)).toEqual(['start ', 'goal-met 0']);
  });

  it('keep their state across continue-as-new', async () => {
    const inputs: SimInput[] = [kickoffWed, { at: at('2026-01-20T14:00:00Z'), kind: 'complete', task: 'training', answers: {} }];
    let last = -Infinity;
    let hops = 0;
    const hopped = await simulateWith({
      ...options(withGoals(), [], { continueAsNewWhileBlocked: { due: (now: number) => now > last, begin: (now: number) => ((last = now), hops++) } }),
      inputs,
    });
    const plain = await simulateWith({ ...options(withGoals()), inputs });
    expect(hops).toBeGreaterThan(0);
    expect(hopped).toEqual(plain);
  });
});
