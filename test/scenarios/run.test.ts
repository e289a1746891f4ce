import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StepIr } from '../../src/ir/types.js';
import { formatFileRun, formatScenarioRun, formatSummary } from '../../src/scenarios/report.js';
import { runScenario, runScenarioFile } from '../../src/scenarios/run.js';
import type { Expectation, Scenario } from '../../src/scenarios/types.js';
import type { SourcedInput } from '../../src/simulate/inputs.js';
import { account, program, START } from './fixtures.js';

const businessDays = (amount: number) => ({ amount, unit: 'business day' as const });

function scenario(expect: Partial<Expectation>, inputs: SourcedInput[] = [], overrides: Partial<Scenario> = {}): Scenario {
  return {
    name: 'kickoff',
    line: 3,
    account,
    start: START,
    inputs,
    expect: { rejected: 0, timeline: [], absent: [], goals: [], ...expect },
    ...overrides,
  };
}

const kickoffHeld: SourcedInput = {
  input: { at: { offset: businessDays(4) }, kind: 'event', name: 'kickoff.held', payload: {} },
  source: 'inputs[0] (line 6)',
};

describe('runScenario', () => {
  it('passes when outcome, ordered touchpoints and absences hold', async () => {
    const run = await runScenario(
      program,
      scenario(
        {
          outcome: 'running',
          timeline: [
            { kind: 'email', to: 'pat@acme.example', at: START, line: 10 },
            { kind: 'notify', after: businessDays(3), textContains: 'not held', line: 12 },
            { kind: 'task', stage: 'training', text: 'Run training', line: 14 },
          ],
          absent: [
            { kind: 'escalate', line: 17 },
            { kind: 'email', on: 'non-working day', line: 18 },
          ],
        },
        [kickoffHeld],
      ),
    );
    expect(run.problems).toEqual([]);
    expect(run.passed).toBe(true);
    expect(formatScenarioRun(run)).toBe('✓ kickoff\n');
  });

  it('fails a deliberately wrong scenario and shows expected against actual', async () => {
    const run = await runScenario(
      program,
      scenario({
        outcome: 'stopped',
        label: 'abandoned',
        timeline: [
          { kind: 'notify', after: businessDays(3), line: 10 },
          { kind: 'escalate', after: businessDays(5), line: 12 },
        ],
        absent: [{ kind: 'stop', line: 15 }],
      }),
    );
    expect(run.passed).toBe(false);
    const report = formatScenarioRun(run);
    expect(report).toContain('✗ kickoff  (line 3)');
    expect(report).toContain('outcome: expected stopped "abandoned", got stopped "stalled"');
    expect(report).toContain('✓ kind notify, after +3 business days  (line 10)');
    expect(report).toContain('matched Thu 2026-01-08 09:00 EST  notify  kickoff  to sam@example.com  "Kickoff not held yet"');
    // Ten business days from Mon 5 January skip Martin Luther King Day (Mon 19 January).
    expect(report).toContain(
      [
        '      ✗ kind escalate, after +5 business days  (line 12)',
        '          closest: Tue 2026-01-20 09:00 EST  escalate  kickoff  to lee@example.com  "No kickoff with Acme"',
        '                     at 2026-01-20T14:00:00.000Z, expected 2026-01-12T14:00:00.000Z',
      ].join('\n'),
    );
    expect(report).toContain(['      ✗ kind stop  (line 15)', '          found Tue 2026-01-20 09:00 EST  stop  kickoff  "stalled"'].join('\n'));
    expect(report).toContain('    actual timeline:\n      Mon 2026-01-05 09:00 EST  start  -  "Onboarding"\n');
  });

  it('fails on rejected inputs unless they are expected', async () => {
    const early: SourcedInput = { input: { at: { offset: businessDays(1) }, kind: 'complete', task: 'training', answers: { rating: 5 } }, source: 'inputs[0]' };
    const unexpected = await runScenario(program, scenario({}, [early]));
    expect(unexpected.passed).toBe(false);
    expect(formatScenarioRun(unexpected)).toContain(
      'rejected inputs: expected 0 rejected input(s), got 1\n      completion of task training at +1 business day: task training has not been created yet',
    );
    expect((await runScenario(program, scenario({ rejected: 1 }, [early]))).passed).toBe(true);
  });

  it('fails without running when the account or an input does not fit the program', async () => {
    const badAccount = await runScenario(program, scenario({}, [], { account: { id: 'acme', csm: 'sam', colour: 'red' } }));
    expect(badAccount).toMatchObject({
      passed: false,
      verdict: null,
      problems: ['account.csm: expected the email address of a team member, got "sam"', 'account.colour: not a declared account field'],
    });
    const badInput = await runScenario(
      program,
      scenario({}, [{ ...kickoffHeld, input: { ...kickoffHeld.input, name: 'renewal.signed' } as SourcedInput['input'] }]),
    );
    expect(badInput.problems).toEqual(['inputs[0] (line 6): the playbook never waits for event "renewal.signed"; it waits for "kickoff.held"']);
  });
});

describe('report', () => {
  it('prints files, scenarios and a summary line', async () => {
    const passing = await runScenario(program, scenario({ outcome: 'stopped' }));
    const failing = await runScenario(program, { ...scenario({ outcome: 'completed' }), name: 'completes' });
    const runs = [
      { path: 'playbooks/tests/a.scenarios.yaml', error: null, scenarios: [passing, failing] },
      { path: 'playbooks/tests/b.scenarios.yaml', error: 'b.scenarios.yaml:1:1: playbook: is required', scenarios: [] },
    ];
    expect(formatFileRun(runs[0]!)).toMatch(
      /^playbooks\/tests\/a\.scenarios\.yaml\n {2}✓ kickoff\n {2}✗ completes {2}\(line 3\)\n {6}outcome: expected completed, got stopped "stalled"\n$/,
    );
    expect(formatFileRun(runs[1]!)).toBe('playbooks/tests/b.scenarios.yaml\n  ✗ could not run: b.scenarios.yaml:1:1: playbook: is required\n');
    expect(formatSummary(runs)).toBe('1 passed, 1 failed; 1 scenario file could not run\n');
  });

  it('reads yes and no as yes/no where the program expects yes/no: answers, set values and account fields', async () => {
    const withYesNo = structuredClone(program);
    withYesNo.fields.vip = { type: 'yes/no' };
    const training = (withYesNo.playbooks.onboarding!.body[1] as Extract<StepIr, { kind: 'stage' }>).body[0] as Extract<StepIr, { kind: 'task' }>;
    training.asks = [
      { name: 'confirmed', question: 'Confirmed?', type: { type: 'yes/no' } },
      { name: 'note', question: 'Anything else?', type: { type: 'text' } },
    ];
    const inputs: SourcedInput[] = [
      kickoffHeld,
      { input: { at: { offset: businessDays(6) }, kind: 'complete', task: 'training', answers: { confirmed: 'yes', note: 'no' } }, source: 'inputs[1]' },
      { input: { at: { offset: businessDays(5) }, kind: 'set', field: 'vip', value: 'no' }, source: 'inputs[2]' },
    ];
    const run = await runScenario(withYesNo, scenario({ outcome: 'completed' }, inputs, { account: { ...account, vip: 'yes' } }));
    expect(run.problems).toEqual([]);
    expect(run.verdict?.result.rejected).toEqual([]);
    expect(run.verdict?.result.timeline.filter((e) => e.kind === 'set').map((e) => e.data)).toEqual([false]);
    expect(run.passed).toBe(true);
  });
});

describe('runScenarioFile', () => {
  it('refuses touchpoints naming a stage or playbook the program lacks, naming their lines, instead of passing vacuously', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scenarios-run-'));
    await writeFile(join(dir, 'p.playbook'), 'playbook p\n  stage kickoff:\n    note "hi"\n  run playbook child\n\nplaybook child\n  note "child"\n');
    const path = join(dir, 'p.scenarios.yaml');
    const yaml = [
      'playbook: p',
      'account: { id: a }',
      'start: 2026-01-05T14:00:00Z',
      'scenarios:',
      '  - name: x',
      '    expect:',
      '      timeline:',
      '        - stage: kickoff',
      '          playbook: p',
    ];
    await writeFile(path, [...yaml, '      absent:', '        - stage: kickof', '        - playbook: chlid', ''].join('\n'));
    expect((await runScenarioFile(path)).error).toBe(
      [
        `${path}:11: expect.absent: no stage "kickof" in p or the playbooks it runs; did you mean \`kickoff\`?; its stages are kickoff`,
        `${path}:12: expect.absent: playbook "chlid" is neither p nor a playbook it runs; did you mean \`child\`?; it runs child, p`,
      ].join('\n'),
    );
    await writeFile(path, [...yaml, ''].join('\n'));
    expect((await runScenarioFile(path)).scenarios.map((s) => s.passed)).toEqual([true]);
  });

  it('checks every goal under `goals:`: an unknown one stops the file, a wrong state fails the scenario', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scenarios-goals-'));
    const source = [
      'playbook p',
      '  goal kickoff "Kickoff in 2 days" target 90%:',
      '    event "kickoff.held" within 2 days',
      '  goal review "Review in a day" target 80%:',
      '    stage review within 1 day',
      '  wait 3 days',
      '  stage review:',
      '    note "review"',
      '',
    ];
    await writeFile(join(dir, 'p.playbook'), source.join('\n'));
    const path = join(dir, 'p.scenarios.yaml');
    const file = (goals: string, inputs: string[] = []) =>
      [
        'playbook: p',
        'account: { id: a }',
        'start: 2026-01-05T14:00:00Z',
        'scenarios:',
        '  - name: x',
        ...inputs,
        '    expect:',
        `      goals: ${goals}`,
        '',
      ].join('\n');
    await writeFile(path, file('{ kickof: met }'));
    expect((await runScenarioFile(path)).error).toBe(
      `${path}:7: expect.goals: no goal "kickof" in p; did you mean \`kickoff\`?; its goals are kickoff, review`,
    );
    const held = ['    inputs:', '      - event: kickoff.held', '        at: +1 day'];
    await writeFile(path, file('{ kickoff: met, review: missed }', held));
    expect((await runScenarioFile(path)).scenarios.map((s) => s.passed)).toEqual([true]);
    await writeFile(path, file('{ kickoff: met, review: met }'));
    const run = (await runScenarioFile(path)).scenarios[0]!;
    expect(run.passed).toBe(false);
    const report = formatScenarioRun(run);
    expect(report).toContain('goal kickoff: expected met, got missed at 2026-01-07T14:00:00.000Z  (line 7)');
    expect(report).toContain('goal review: expected met, got missed at 2026-01-06T14:00:00.000Z  (line 7)');
  });
});
