import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { writeWorkspace } from './workspace.js';

const PASSING = `playbook: onboarding
account: ../acme.json
start: 2026-01-05T14:00:00Z

scenarios:
  - name: kickoff held, training done
    inputs:
      - event: kickoff.held
        at: +4 business days
      - complete: training
        at: +6 business days
        answers: { rating: 5 }
    expect:
      outcome: completed
      timeline:
        - kind: email
          to: pat@acme.example
          at: 2026-01-05T14:00:00Z
        - kind: notify
          after: +3 business days
          text contains: not held yet
        - kind: task
          stage: training
      absent:
        - kind: escalate

  - name: no kickoff stalls
    expect:
      outcome: stopped
      label: stalled
      timeline:
        - kind: escalate
          after: +10 business days
          text contains: No kickoff

  - name: a Saturday start sends the welcome on Monday morning
    start: 2026-01-10T15:00:00Z
    account: { timezone: America/Chicago }
    until: +3 days
    expect:
      timeline:
        - kind: email
          at: 2026-01-12T09:00:00-06:00
      absent:
        - kind: email
          on: non-working day
`;

const FAILING = `playbook: onboarding
account: ../acme.json
start: 2026-01-05T14:00:00Z
scenarios:
  - name: expects an escalation after five business days
    expect:
      outcome: stopped
      timeline:
        - kind: escalate
          after: +5 business days
`;

const BROKEN = `playbook: onboarding
account: ../acme.json
scenarios:
  - name: bad input
    start: 2026-01-05T14:00:00Z
    inputs:
      - event: kickoff.held
        at: in two days
    expect: {}
`;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'playbook-test-'));
  await writeWorkspace(dir);
  await mkdir(join(dir, 'tests'));
  await writeFile(join(dir, 'tests', 'a-passing.scenarios.yaml'), PASSING);
  await writeFile(join(dir, 'tests', 'b-failing.scenarios.yaml'), FAILING);
  await writeFile(join(dir, 'tests', 'c-broken.scenarios.yaml'), BROKEN);
  await mkdir(join(dir, 'empty'));
});

async function test(...paths: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = bufferIo();
  const code = await main(['test', ...paths], io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

describe('playbook test', () => {
  it('passes a file whose scenarios all hold (exit 0)', async () => {
    const file = join(dir, 'tests', 'a-passing.scenarios.yaml');
    const { code, stdout } = await test(file);
    expect(stdout).toBe(
      `${file}\n  ✓ kickoff held, training done\n  ✓ no kickoff stalls\n  ✓ a Saturday start sends the welcome on Monday morning\n\n3 passed, 0 failed\n`,
    );
    expect(code).toBe(0);
  });

  it('fails a deliberately wrong scenario with a diff of expected against actual (exit 1)', async () => {
    const { code, stdout } = await test(join(dir, 'tests', 'b-failing.scenarios.yaml'));
    expect(code).toBe(1);
    expect(stdout).toContain('  ✗ expects an escalation after five business days  (line 5)\n');
    expect(stdout).toContain(
      [
        '      timeline, in order:',
        '        ✗ kind escalate, after +5 business days  (line 9)',
        '            closest: Tue 2026-01-20 09:00 EST  escalate  kickoff  to lee@example.com  "No kickoff with Acme"',
        '                       at 2026-01-20T14:00:00.000Z, expected 2026-01-12T14:00:00.000Z',
      ].join('\n'),
    );
    expect(stdout).toContain('      actual timeline:\n');
    expect(stdout).toMatch(/\n0 passed, 1 failed\n$/);
  });

  it('runs every scenario file under a folder and counts files that cannot run', async () => {
    const { code, stdout } = await test(dir);
    expect(code).toBe(1);
    const broken = join(dir, 'tests', 'c-broken.scenarios.yaml');
    expect(stdout).toContain(`${broken}\n  ✗ could not run: ${broken}:8:13: scenarios[0].inputs[0].at: "in two days" is not an ISO-8601 instant`);
    expect(stdout).toMatch(/\n3 passed, 1 failed; 1 scenario file could not run\n$/);
  });

  it('reports a missing path as a usage error and an empty folder as a failure', async () => {
    expect(await test(join(dir, 'nope'))).toEqual({ code: 2, stdout: '', stderr: `playbook: no such file or folder: ${join(dir, 'nope')}\n` });
    expect(await test(join(dir, 'empty'))).toEqual({
      code: 1,
      stdout: '',
      stderr: `playbook: no scenario files (*.scenarios.yaml) in ${join(dir, 'empty')}\n`,
    });
  });
});
