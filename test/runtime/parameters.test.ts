/**
 * `run playbook <id> with <param>: <expr>`: the child reads its parameters as `params.<name>`,
 * in expressions and as a recipient; the values are evaluated once, in the caller, when the
 * child starts, and a run that continues as new inside the child keeps them.
 */
import { describe, expect, it } from 'vitest';
import type { ExprIr, StepIr } from '../../src/ir/types.js';
import { simulate, simulateWith } from '../../src/simulate/simulate.js';
import { after, dur, field, gt, ifElse, note, num, options, playbook, program, set, step, wait } from './ir-builders.js';

const param = (name: string): ExprIr => ({ op: 'param', param: name });
const runWith = (line: number, id: string, args: Record<string, ExprIr>): StepIr =>
  step(line, 'runPlaybook', { playbook: id, with: Object.entries(args).map(([name, value]) => ({ name, value })) });

const child = playbook(
  'follow-up',
  [
    step(2, 'notify', { to: { kind: 'param', param: 'owner' }, text: ['Health was ', param('health')] }),
    wait(3, dur(2, 'day')),
    ifElse(4, gt(param('health'), num(50)), [note(5, ['Still ', param('health'), ' for ', param('owner')])], [note(6, 'low')]),
  ],
  {
    triggers: [],
    parameters: [
      { name: 'owner', type: { type: 'user' } },
      { name: 'health', type: { type: 'number' } },
    ],
  },
);
const parent = playbook('parent', [runWith(2, 'follow-up', { owner: field('csm'), health: field('health') }), note(3, ['Now ', field('health')])]);
const prog = program(parent, child);
// health is 40 in the builders' account: set to 90 before the child starts, to 10 while it waits.
const inputs = [{ at: after(1, 'day'), kind: 'set' as const, field: 'health', value: 10 }];
const start = [set(1, 'health', num(90))];
const progSet = program(playbook('parent', [...start, ...parent.body]), child);

describe('run playbook … with', () => {
  it('gives the child the values evaluated in the caller when it starts', async () => {
    const result = await simulate(options(progSet, inputs));
    const shown = result.timeline.filter((e) => e.kind === 'notify' || e.kind === 'note').map((e) => `${e.kind} ${e.playbook ?? '-'} ${e.to ?? ''} ${e.text}`);
    expect(shown).toEqual(['notify follow-up csm@example.com Health was 90', 'note follow-up  Still 90 for csm@example.com', 'note -  Now 10']);
    expect(result.outcome).toBe('completed');
  });

  it('gives a parameter the caller leaves out its default', async () => {
    const withDefault = playbook('follow-up', [note(2, ['By ', param('channel'), ' for ', param('health')])], {
      triggers: [],
      parameters: [
        { name: 'channel', type: { type: 'text' }, default: 'phone' },
        { name: 'health', type: { type: 'number' } },
      ],
    });
    const caller = playbook('parent', [runWith(2, 'follow-up', { health: num(7) }), step(3, 'runPlaybook', { playbook: 'follow-up' })]);
    const result = await simulate(options(program(caller, withDefault)));
    expect(result.timeline.filter((e) => e.kind === 'note').map((e) => e.text)).toEqual(['By phone for 7', 'By phone for ']);
  });

  it('a missing value is passed as missing: a recipient parameter without an address escalates', async () => {
    const result = await simulate(options(prog, [], { account: { id: 'acme', csm: null, health: 40 } }));
    expect(result.timeline.find((e) => e.kind === 'escalate')?.text).toBe('notification not sent: params.owner has no address');
    expect(result.timeline.some((e) => e.kind === 'note' && e.text === 'low')).toBe(true);
  });

  it('keeps the values across continue-as-new inside the child', async () => {
    let last = -Infinity;
    let hops = 0;
    const hopped = await simulateWith({
      ...options(progSet, [], { continueAsNewWhileBlocked: { due: (now: number) => now > last, begin: (now: number) => ((last = now), hops++) } }),
      inputs,
    });
    const plain = await simulateWith({ ...options(progSet), inputs });
    expect(hops).toBeGreaterThan(0);
    expect(hopped).toEqual(plain);
  });
});
