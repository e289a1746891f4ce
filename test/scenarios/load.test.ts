import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../src/cli/exit-code.js';
import { UserError } from '../../src/errors.js';
import { loadScenarioFile } from '../../src/scenarios/load.js';

let root: string;

/** A workspace folder with one playbook file and a `tests/` folder for scenario files. */
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'scenarios-load-'));
  await mkdir(join(root, 'tests'));
  await mkdir(join(root, 'accounts'));
  await writeFile(join(root, 'onboarding.playbook'), 'playbook onboarding\n  note "hi"\n');
  await writeFile(join(root, 'accounts', 'acme.json'), JSON.stringify({ id: 'acme', segment: 'smb', name: 'Acme' }));
  await writeFile(join(root, 'accounts', 'list.json'), '[1, 2]');
});

async function write(name: string, yaml: string): Promise<string> {
  const path = join(root, 'tests', name);
  await writeFile(path, yaml);
  return path;
}

async function loadError(path: string): Promise<UserError> {
  const error = await loadScenarioFile(path).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof UserError)) throw new Error(`expected a UserError, got ${String(error)}`);
  return error;
}

describe('loadScenarioFile', () => {
  it('reads a file with a shared account file, overrides, inputs and expectations', async () => {
    const path = await write(
      'good.scenarios.yaml',
      [
        'playbook: onboarding',
        'account: ../accounts/acme.json',
        'start: 2026-01-05T14:00:00Z',
        'scenarios:',
        '  - name: enterprise kickoff',
        '    account: { segment: enterprise }',
        '    until: +30 business days',
        '    inputs:',
        '      - event: kickoff.held',
        '        at: +2 business days',
        '        payload: { attendees: 4 }',
        '      - complete: training',
        '        at: 2026-01-20T10:00:00-05:00',
        '        answers: { rating: 5 }',
        '      - set: status',
        '        to: churned',
        '        at: +1 week',
        '      - set: health',
        '        to: 42',
        '        at: +1 week',
        '    expect:',
        '      outcome: stopped',
        '      label: stalled',
        '      timeline:',
        '        - kind: email',
        '          text contains: Welcome',
        '          after: +3 business days',
        '      absent:',
        '        - kind: email',
        '          on: non-working day',
        '  - name: defaults',
        '    start: 2026-02-02T14:00:00Z',
        '    expect: {}',
      ].join('\n'),
    );
    const file = await loadScenarioFile(path);
    expect(file.playbook).toBe('onboarding');
    expect(file.workspace).toBe(join(root, 'tests', '..'));
    const [first, second] = file.scenarios;
    expect(first).toEqual({
      name: 'enterprise kickoff',
      line: 5,
      account: { id: 'acme', segment: 'enterprise', name: 'Acme' },
      start: Date.parse('2026-01-05T14:00:00Z'),
      until: { offset: { amount: 30, unit: 'business day' } },
      inputs: [
        {
          source: 'inputs[0] (line 9)',
          input: { at: { offset: { amount: 2, unit: 'business day' } }, kind: 'event', name: 'kickoff.held', payload: { attendees: 4 } },
        },
        {
          source: 'inputs[1] (line 12)',
          input: { at: { instant: Date.parse('2026-01-20T15:00:00Z') }, kind: 'complete', task: 'training', answers: { rating: 5 } },
        },
        { source: 'inputs[2] (line 15)', input: { at: { offset: { amount: 1, unit: 'week' } }, kind: 'set', field: 'status', value: 'churned' } },
        { source: 'inputs[3] (line 18)', input: { at: { offset: { amount: 1, unit: 'week' } }, kind: 'set', field: 'health', value: 42 } },
      ],
      expect: {
        outcome: 'stopped',
        label: 'stalled',
        rejected: 0,
        timeline: [{ kind: 'email', textContains: 'Welcome', after: { amount: 3, unit: 'business day' }, line: 25 }],
        absent: [{ kind: 'email', on: 'non-working day', line: 29 }],
      },
    });
    expect(second).toMatchObject({ name: 'defaults', account: { id: 'acme', segment: 'smb' }, start: Date.parse('2026-02-02T14:00:00Z'), inputs: [] });
    expect(second).not.toHaveProperty('until');
  });

  it('reports a malformed when with file, line, column and path', async () => {
    const path = await write(
      'bad-when.scenarios.yaml',
      [
        'playbook: onboarding',
        'account: { id: a }',
        'start: 2026-01-05T14:00:00Z',
        'scenarios:',
        '  - name: x',
        '    inputs:',
        '      - event: e',
        '        at: +2 bizdays',
        '    expect: {}',
      ].join('\n'),
    );
    const error = await loadError(path);
    expect(exitCodeOf(error.kind)).toBe(1);
    expect(error.message).toBe(
      `${path}:8:13: scenarios[0].inputs[0].at: "+2 bizdays" is not an ISO-8601 instant with Z or ±hh:mm (e.g. 2026-01-05T14:00:00Z) or +<duration> (e.g. +4 business days)`,
    );
  });

  it('points at an unknown kind under absent, which would otherwise pass vacuously, and suggests the known one', async () => {
    const path = await write(
      'unknown-kind.scenarios.yaml',
      [
        'playbook: onboarding',
        'account: { id: a }',
        'start: 2026-01-05T14:00:00Z',
        'scenarios:',
        '  - name: x',
        '    expect:',
        '      absent:',
        '        - kind: emial',
      ].join('\n'),
    );
    expect((await loadError(path)).message).toBe(
      `${path}:8:17: scenarios[0].expect.absent[0].kind: unknown kind "emial"; did you mean \`email\`?; kinds are start, stage, email, suppressed, notify, task, escalate, set, webhook, event, task-completed, task-reassigned, task-snoozed, task-closed, timeout, note, stop, exit, complete, pause, resume, cancel, goal-met, goal-missed`,
    );
  });

  it('points at an unknown key and suggests the known one', async () => {
    const path = await write(
      'unknown-key.scenarios.yaml',
      [
        'playbook: onboarding',
        'account: { id: a }',
        'start: 2026-01-05T14:00:00Z',
        'scenarios:',
        '  - name: x',
        '    expect:',
        '      timeline:',
        '        - knd: email',
      ].join('\n'),
    );
    expect((await loadError(path)).message).toBe(`${path}:8:11: scenarios[0].expect.timeline[0].knd: unknown key "knd"; did you mean \`kind\`?`);
  });

  it('reports every problem at once: missing start and account, duplicate names, bad values', async () => {
    const path = await write(
      'many.scenarios.yaml',
      [
        'playbook: onboarding',
        'scenarios:',
        '  - name: x',
        '    expect: { outcome: finished }',
        '  - name: y',
        '    expect:',
        '      timeline:',
        '        - at: 2026-01-05T14:00:00Z',
        '          after: +1 day',
        '        - {}',
        '    inputs:',
        '      - wait: 3',
      ].join('\n'),
    );
    expect((await loadError(path)).message.split('\n')).toEqual([
      `${path}:4:24: scenarios[0].expect.outcome: expected one of completed, stopped, exited, running, got "finished"`,
      `${path}:8:11: scenarios[1].expect.timeline[0]: give either at or after, not both`,
      `${path}:10:11: scenarios[1].expect.timeline[1]: a touchpoint needs at least one of kind, playbook, stage, to, text, text contains, at, after, on`,
      `${path}:12:9: scenarios[1].inputs[0]: expected an input with a key event, complete, set, reassign, snooze or close, got {"wait":3}`,
    ]);
    const path2 = await write(
      'missing.scenarios.yaml',
      [
        'playbook: onboarding',
        'scenarios:',
        '  - name: x',
        '    expect: {}',
        '  - name: x',
        '    account: ../accounts/list.json',
        '    start: 2026-01-05T14:00:00Z',
        '    expect: {}',
      ].join('\n'),
    );
    expect((await loadError(path2)).message.split('\n')).toEqual([
      `${path2}:3:5: scenarios[0]: no account: give account: in the scenario or at the top of the file`,
      `${path2}:3:5: scenarios[0].start: no start: give start: in the scenario or at the top of the file`,
      `${path2}:5:11: scenarios[1].name: another scenario in this file is already named "x"`,
      `${path2}:6:14: scenarios[1].account: ${join(root, 'tests', '../accounts/list.json')} holds [1,2], not a JSON object`,
    ]);
  });

  it('reports YAML syntax errors with their position', async () => {
    const path = await write('syntax.scenarios.yaml', 'playbook: onboarding\nscenarios:\n  - name: "unterminated\n');
    expect((await loadError(path)).message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `));
  });

  it('reports a missing account file and a missing workspace', async () => {
    const path = await write(
      'no-file.scenarios.yaml',
      ['playbook: onboarding', 'account: ../accounts/nope.json', 'start: 2026-01-05T14:00:00Z', 'scenarios:', '  - name: x', '    expect: {}'].join('\n'),
    );
    expect((await loadError(path)).message).toContain(`account: cannot read account file ${join(root, 'tests', '../accounts/nope.json')}: no such file`);
    const elsewhere = await mkdtemp(join(tmpdir(), 'scenarios-nowhere-'));
    await mkdir(join(elsewhere, 'tests'));
    const lonely = join(elsewhere, 'tests', 'x.scenarios.yaml');
    await writeFile(lonely, ['playbook: p', 'account: { id: a }', 'start: 2026-01-05T14:00:00Z', 'scenarios:', '  - name: x', '    expect: {}'].join('\n'));
    expect((await loadError(lonely)).message).toMatch(/no \.playbook files in .*tests or its parent folder; give workspace:/);
  });
});
