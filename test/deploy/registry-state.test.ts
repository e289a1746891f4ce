/** The registry's bookkeeping: what a deploy adds, changes, removes and keeps, and what it refuses. */
import { describe, expect, it } from 'vitest';
import type { IrProgram } from '../../src/ir/types.js';
import { HISTORY_LIMIT, type DeployRequest, type PlaybookRelease } from '../../src/temporal/registry-contract.js';
import { applyDeploy, deployProblem, emptyRegistry, releaseOf, summarize } from '../../src/temporal/registry-state.js';

function release(id: string, version: string): PlaybookRelease {
  const program: IrProgram = {
    irVersion: 1,
    entry: id,
    playbooks: {
      [id]: {
        id,
        title: `Title of ${id}`,
        file: `${id}.playbook`,
        line: 1,
        owner: null,
        description: null,
        triggers: [{ kind: 'event', name: `${id}.go`, where: null }],
        calendar: null,
        sendWindow: null,
        exitWhen: [],
        body: [],
      },
    },
    calendars: {},
    fields: {},
    templates: {},
  };
  return { id, version, program };
}

const request = (by: string, ...releases: PlaybookRelease[]): DeployRequest => ({ playbooks: releases, fields: { name: { type: 'text' } }, by });

describe('applyDeploy', () => {
  it('adds, changes, removes and keeps playbooks and moves the generation on once', () => {
    const first = applyDeploy(emptyRegistry(), request('ann', release('a', 'a1'), release('b', 'b1'), release('c', 'c1')), '2026-01-05T10:00:00.000Z');
    expect(first.result).toEqual({
      generation: 1,
      added: [
        { id: 'a', version: 'a1' },
        { id: 'b', version: 'b1' },
        { id: 'c', version: 'c1' },
      ],
      changed: [],
      removed: [],
      unchanged: [],
      fieldsChanged: true,
    });
    const second = applyDeploy(first.state, request('bob', release('d', 'd1'), release('b', 'b2'), release('a', 'a1')), '2026-01-06T10:00:00.000Z');
    expect(second.result).toEqual({
      generation: 2,
      added: [{ id: 'd', version: 'd1' }],
      changed: [{ id: 'b', from: 'b1', to: 'b2' }],
      removed: [{ id: 'c', version: 'c1' }],
      unchanged: [{ id: 'a', version: 'a1' }],
      fieldsChanged: false,
    });
    const summary = summarize(second.state);
    expect(summary.generation).toBe(2);
    expect(summary.deployedAt).toBe('2026-01-06T10:00:00.000Z');
    expect(summary.playbooks.map((p) => [p.id, p.version, p.deployedBy, p.deployedAt])).toEqual([
      ['a', 'a1', 'ann', '2026-01-05T10:00:00.000Z'],
      ['b', 'b2', 'bob', '2026-01-06T10:00:00.000Z'],
      ['d', 'd1', 'bob', '2026-01-06T10:00:00.000Z'],
    ]);
    expect(summary.playbooks[1]).toMatchObject({
      title: 'Title of b',
      triggers: [{ kind: 'event', name: 'b.go', where: null }],
      history: [{ version: 'b1', deployedAt: '2026-01-05T10:00:00.000Z', deployedBy: 'ann' }],
    });
    expect(releaseOf(second.state, 'b')?.version).toBe('b2');
    expect(releaseOf(second.state, 'c')).toBeNull();
    expect(releaseOf(second.state, 'constructor')).toBeNull();
  });

  it('keeps the generation and the state when nothing changed', () => {
    const first = applyDeploy(emptyRegistry(), request('ann', release('a', 'a1')), '2026-01-05T10:00:00.000Z');
    const again = applyDeploy(first.state, request('bob', release('a', 'a1')), '2026-01-06T10:00:00.000Z');
    expect(again.result).toMatchObject({ generation: 1, added: [], changed: [], removed: [], unchanged: [{ id: 'a', version: 'a1' }], fieldsChanged: false });
    expect(again.state).toBe(first.state);
  });

  it('counts a change of the account fields alone as a change', () => {
    const first = applyDeploy(emptyRegistry(), request('ann'), '2026-01-05T10:00:00.000Z');
    const wider = applyDeploy(
      first.state,
      { ...request('ann'), fields: { name: { type: 'text' }, tier: { type: 'one of', values: ['a', 'b'] } } },
      '2026-01-06T10:00:00.000Z',
    );
    expect(wider.result).toMatchObject({ generation: 2, fieldsChanged: true });
    expect(summarize(wider.state).fields.tier).toEqual({ type: 'one of', values: ['a', 'b'] });
  });

  it(`remembers at most ${HISTORY_LIMIT} earlier versions, newest first`, () => {
    let state = emptyRegistry();
    for (let i = 0; i <= HISTORY_LIMIT + 2; i++)
      state = applyDeploy(state, request('ann', release('a', `v${i}`)), `2026-01-05T10:00:${String(i).padStart(2, '0')}.000Z`).state;
    const history = summarize(state).playbooks[0]!.history;
    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history[0]!.version).toBe(`v${HISTORY_LIMIT + 1}`);
  });
});

describe('deployProblem', () => {
  it('accepts a well-formed request', () => {
    expect(deployProblem(request('ann', release('a', 'a1')))).toBeNull();
  });

  it.each([
    ['a playbook given twice', request('ann', release('a', 'a1'), release('a', 'a2')), 'playbook a is in the request twice'],
    [
      'a program that starts elsewhere',
      request('ann', { ...release('a', 'a1'), program: release('b', 'b1').program }),
      'the program of playbook a starts with b, not a',
    ],
    ['an empty version', request('ann', release('a', '')), 'playbook a has no version'],
    [
      'a program without the playbook',
      request('ann', { ...release('a', 'a1'), program: { ...release('a', 'a1').program, playbooks: {} } }),
      'the program of playbook a does not contain it',
    ],
    ['no author', request('', release('a', 'a1')), 'a deploy request needs who deployed it (by)'],
  ])('refuses %s', (_, bad, reason) => {
    expect(deployProblem(bad)).toBe(reason);
  });
});
