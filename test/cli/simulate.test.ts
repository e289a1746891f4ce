import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { ACCOUNT, writeWorkspace } from '../scenarios/workspace.js';

let dir: string;
let playbook: string;
let account: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'simulate-cli-'));
  await writeWorkspace(dir);
  playbook = join(dir, 'onboarding.playbook');
  account = join(dir, 'acme.json');
  await writeFile(join(dir, 'not-json.json'), '{ id: acme');
  await writeFile(join(dir, 'bad-fields.json'), JSON.stringify({ ...ACCOUNT, csm: 'sam', renwal_date: '2026-01-01' }));
});

async function simulate(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = bufferIo();
  const code = await main(['simulate', playbook, '--account', account, '--start', '2026-01-05T14:00:00Z', ...args], io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

describe('playbook simulate --json', () => {
  it('prints exactly one JSON object with playbook, version, outcome, label and timeline', async () => {
    const { code, stdout } = await simulate('--json');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['playbook', 'version', 'outcome', 'outcomeLabel', 'timeline']);
    expect(out).toMatchObject({ playbook: 'onboarding', outcome: 'stopped', outcomeLabel: 'stalled' });
    expect(out.version).toMatch(/^[0-9a-f]+$/);
    const timeline = out.timeline as Array<Record<string, unknown>>;
    expect(timeline.map((e) => e.kind)).toEqual(['start', 'stage', 'email', 'notify', 'timeout', 'escalate', 'stop']);
    expect(timeline[2]).toEqual({
      at: '2026-01-05T14:00:00.000Z',
      kind: 'email',
      stage: 'kickoff',
      to: 'pat@acme.example',
      text: 'Welcome, Acme',
      line: 21,
      template: 'welcome',
    });
    // Ten business days after Mon 5 January, skipping Martin Luther King Day.
    expect(timeline[5]).toMatchObject({ at: '2026-01-20T14:00:00.000Z', kind: 'escalate', to: 'lee@example.com', line: 26 });
  });

  it('applies events, completions with answers and field changes at their instants', async () => {
    const { code, stdout } = await simulate(
      '--json',
      '--event',
      'kickoff.held@2026-01-07T10:00:00-05:00',
      '--complete',
      'training@+5 business days:{"rating": 4}',
    );
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { outcome: string; timeline: Array<{ at: string; kind: string }> };
    expect(out.outcome).toBe('completed');
    expect(out.timeline.find((e) => e.kind === 'event')?.at).toBe('2026-01-07T15:00:00.000Z');
    expect(out.timeline.find((e) => e.kind === 'task-completed')?.at).toBe('2026-01-12T14:00:00.000Z');
  });

  it('exits when a --set makes the exit condition true', async () => {
    const { stdout } = await simulate('--json', '--set', 'status=churned@+1 day');
    expect(JSON.parse(stdout)).toMatchObject({ outcome: 'exited', outcomeLabel: null });
  });

  it('stops the clock at --until', async () => {
    const { stdout } = await simulate('--json', '--until', '+2 business days');
    const out = JSON.parse(stdout) as { outcome: string; timeline: Array<{ kind: string }> };
    expect(out.outcome).toBe('running');
    expect(out.timeline.map((e) => e.kind)).toEqual(['start', 'stage', 'email']);
  });
});

describe('playbook simulate (human output)', () => {
  it('prints aligned columns: local time, UTC, stage, kind, line, recipient, text', async () => {
    const { code, stdout } = await simulate();
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^onboarding {2}version [0-9a-f]{12} {2}account acme {2}calendar us-business \(America\/New_York\)$/);
    const table = lines.slice(2, lines.indexOf('', 2));
    expect(table[0]).toMatch(/^LOCAL +UTC +STAGE +KIND +LINE +TO +TEXT$/);
    const utcColumn = table[0]!.indexOf('UTC');
    for (const row of table.slice(1)) expect(row.slice(utcColumn, utcColumn + 10)).toMatch(/^2026-01-\d\d$/);
    expect(table).toContain(table.find((r) => r.startsWith('Thu 2026-01-08 09:00 EST  2026-01-08 14:00Z  kickoff  notify')));
    expect(stdout).toMatch(/\noutcome: stopped "stalled"\n$/);
  });
});

describe('playbook simulate errors', () => {
  const cases: Array<[string, string[], number, RegExp]> = [
    ['a --start that is no instant', ['--start', 'tomorrow'], 2, /^playbook: --start "tomorrow" is not an ISO-8601 instant \(e\.g\. 2026-01-05T14:00:00Z\)\n$/],
    ['a bad --event when', ['--event', 'kickoff.held@soon'], 2, /^playbook: --event "kickoff.held@soon": "soon" is not an ISO-8601 instant/],
    [
      'an event nothing waits for',
      ['--event', 'renewal.signed@+1 day'],
      1,
      /the playbook never waits for event "renewal.signed"; it waits for "kickoff.held"\n$/,
    ],
    ['an unknown task', ['--complete', 'trainng@+1 day'], 1, /the playbook has no task "trainng"; did you mean `training`\?; its tasks are training\n$/],
    [
      'answers of the wrong type',
      ['--complete', 'training@+1 day:{"rating": "great"}'],
      1,
      /answer to ask "rating" of task training: expected a number, got "great"\n$/,
    ],
    ['an ill-typed --set', ['--set', 'status=gone@+1 day'], 1, /account\.status: expected one of active, churned, got "gone"\n$/],
    [
      'an --until before the start',
      ['--until', '2026-01-01T00:00:00Z'],
      1,
      /^playbook: the end 2026-01-01T00:00:00\.000Z is before the start 2026-01-05T14:00:00\.000Z\n$/,
    ],
  ];
  it.each(cases)('rejects %s', async (_, args, exit, message) => {
    const io = bufferIo();
    const code = await main(['simulate', playbook, '--account', account, '--start', '2026-01-05T14:00:00Z', ...args], io);
    expect(code).toBe(exit);
    expect(io.stderr()).toMatch(message);
    expect(io.stdout()).toBe('');
  });

  it('reports a missing account file (2), a file that is not JSON (1) and wrong fields (1)', async () => {
    const run = async (file: string) => {
      const io = bufferIo();
      const code = await main(['simulate', playbook, '--account', file, '--start', '2026-01-05T14:00:00Z'], io);
      return { code, stderr: io.stderr() };
    };
    expect(await run(join(dir, 'nope.json'))).toEqual({ code: 2, stderr: `playbook: cannot read account file ${join(dir, 'nope.json')}: no such file\n` });
    const notJson = await run(join(dir, 'not-json.json'));
    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toMatch(/^playbook: account file .*not-json\.json is not valid JSON: /);
    const badFields = join(dir, 'bad-fields.json');
    expect(await run(badFields)).toEqual({
      code: 1,
      stderr: [
        `playbook: ${badFields}: account.csm: expected the email address of a team member, got "sam"`,
        `${badFields}: account.renwal_date: not a declared account field`,
        '',
      ].join('\n'),
    });
  });

  it('refuses to simulate a playbook with parameters on its own (1): only a caller has their values', async () => {
    const io = bufferIo();
    const fixture = 'test/temporal/language-fixtures/parameters.playbook';
    const acct = join(dir, 'params.json');
    await writeFile(acct, JSON.stringify({ id: 'acme', name: 'Acme', csm: 'sam@example.com', primary_contact: null, renewal_date: null, seats: 3 }));
    const code = await main(['simulate', fixture, '--playbook', 'follow-up', '--account', acct, '--start', '2026-01-05T14:00:00Z'], io);
    expect({ code, stderr: io.stderr(), stdout: io.stdout() }).toEqual({
      code: 1,
      stderr: 'playbook: follow-up has parameters: it runs only from another playbook, with `run playbook follow-up with …`; simulate that one\n',
      stdout: '',
    });
  });

  it('requires --account and --start (usage, exit 2)', async () => {
    const io = bufferIo();
    expect(await main(['simulate', playbook, '--account', account], io)).toBe(2);
    expect(io.stderr()).toContain("required option '--start <instant>' not specified");
  });
});

describe('playbook simulate --trigger', () => {
  const nps = ['simulate', 'playbooks/nps-detractor.playbook', '--account', 'playbooks/accounts/acme-enterprise.json', '--start', '2026-01-14T15:00:00Z'];
  const detractor = 'nps.responded:{"score": 2, "comment": "Exports keep timing out", "respondent": "dana@acme.example", "response_id": "r-1"}';

  async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const io = bufferIo();
    const code = await main([...nps, ...args], io);
    return { code, stdout: io.stdout(), stderr: io.stderr() };
  }

  it('starts the run by its triggering event, the payload bound for the whole run', async () => {
    const { code, stdout, stderr } = await run('--json', '--trigger', detractor, '--complete', 'call@+1 business day:{"outcome": "resolved"}');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { outcome: string; timeline: Array<Record<string, unknown>> };
    const unbound = await run('--json');
    expect(unbound.code).toBe(0);
    expect(unbound.stderr).toContain('note: nps-detractor binds its triggering event "nps.responded" as `response`; without --trigger');
    expect(out.outcome).toBe('completed');
    expect(out.timeline.find((e) => e.kind === 'escalate')).toMatchObject({ text: 'Acme Corporation: NPS 2 from dana@acme.example: Exports keep timing out' });
    expect(out.timeline.find((e) => e.kind === 'note')).toMatchObject({ text: 'Detractor dana@acme.example called: resolved' });
  });

  it('says so when the event does not start the run, or the playbook has no such trigger, or the payload is wrong (1)', async () => {
    const promoter = await run('--trigger', 'nps.responded:{"score": 9, "comment": "", "respondent": "x@acme.example", "response_id": "r-2"}');
    expect(promoter.code).toBe(1);
    expect(promoter.stderr).toContain('event "nps.responded" does not start nps-detractor: the `where` of its trigger does not hold');
    const other = await run('--trigger', 'kickoff.held');
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('nps-detractor has no `trigger on event "kickoff.held"`');
    const wrongType = await run('--trigger', 'nps.responded:{"score": "low", "comment": "", "respondent": "x@acme.example", "response_id": "r-3"}');
    expect(wrongType.code).toBe(1);
    expect(wrongType.stderr).toContain('score');
    expect(promoter.stderr + other.stderr + wrongType.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a when or a payload that is not an object (usage, 2)', async () => {
    const at = await run('--trigger', 'nps.responded@+1 day');
    expect(at.code).toBe(2);
    expect(at.stderr).toContain('it fires at --start, so it takes no @<when>');
    const list = await run('--trigger', 'nps.responded:{"score": [1}');
    expect(list.code).toBe(2);
    expect(list.stderr).toContain('payload is not valid JSON');
  });
});
