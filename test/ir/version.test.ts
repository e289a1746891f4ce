import { describe, expect, it } from 'vitest';
import { versionOf } from '../../src/ir/canonical.js';
import type { IrProgram, StepIr } from '../../src/ir/types.js';
import { flattenSteps, lowerFiles, TEMPLATE } from './helpers.js';

const MAIN = `playbook p "P"
  stage kickoff:
    email account.primary_contact template "welcome"
    wait for event "kickoff.held" up to 10 business days:
      after 3 business days:
        notify account.csm "Kickoff for {account.name} not held yet"
      on timeout:
        stop with outcome "stalled"
  if account.arr > 50000:
    run playbook child
  else:
    note "small"

playbook child
  note "child"
`;

const lower = (main: string, files: Record<string, string> = {}) => lowerFiles({ 'main.playbook': main, ...files }, 'p', { welcome: TEMPLATE });

const ids = (body: StepIr[]) => flattenSteps(body).map((s) => s.id);

describe('versionOf', () => {
  it('is 16 hex digits, and the same source gives the same ids and version', () => {
    const [a, b] = [lower(MAIN), lower(MAIN)];
    expect(versionOf(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(versionOf(a)).toBe(versionOf(b));
    expect(ids(a.playbooks.p!.body)).toEqual(['0', '0.0', '0.1', '0.1.r0.0', '0.1.timeout.0', '1', '1.b0.0', '1.else.0']);
    expect(ids(b.playbooks.p!.body)).toEqual(ids(a.playbooks.p!.body));
  });

  it('keeps the version when only comments, blank lines and spacing change', () => {
    const edited = MAIN.replace('playbook p "P"\n', '# Owned by CS Ops\nplaybook p "P"\n\n')
      .replace('stage kickoff:', 'stage   kickoff:    # first contact')
      .replace('else:', 'else:  \n');
    const program = lower(edited);
    expect(program.playbooks.p!.line).toBe(2);
    expect(versionOf(program)).toBe(versionOf(lower(MAIN)));
  });

  it('changes the version when a text, a duration or the structure changes', () => {
    const base = versionOf(lower(MAIN));
    expect(versionOf(lower(MAIN.replace('not held yet', 'not held')))).not.toBe(base);
    expect(versionOf(lower(MAIN.replace('after 3 business days', 'after 4 business days')))).not.toBe(base);
    expect(versionOf(lower(MAIN.replace('    note "small"\n', '    note "small"\n    stop\n')))).not.toBe(base);
  });

  it('does not depend on the order or the split of the workspace files', () => {
    const [parent, child] = MAIN.split('\nplaybook child');
    const split = lowerFiles({ 'a.playbook': `playbook child${child}`, 'z.playbook': parent! }, 'p', { welcome: TEMPLATE });
    const swapped = lowerFiles({ 'a.playbook': parent!, 'z.playbook': `playbook child${child}` }, 'p', { welcome: TEMPLATE });
    expect(versionOf(split)).toBe(versionOf(lower(MAIN)));
    expect(versionOf(swapped)).toBe(versionOf(lower(MAIN)));
  });

  it('does not depend on the order keys were built in', () => {
    const program = lower(MAIN);
    const reordered = Object.fromEntries(Object.entries(program).reverse()) as unknown as IrProgram;
    expect(versionOf(reordered)).toBe(versionOf(program));
  });

  it('keeps the version of a calendar with holiday codes only, and changes it when holidays come from an account field', () => {
    const withCalendar = (holidays: string) =>
      lower(MAIN.replace('playbook p "P"\n', 'playbook p "P"\n  calendar c\n'), { 'c.playbook': `calendar c\n  ${holidays}\n` });
    const codes = withCalendar('holidays "US"');
    expect(Object.keys(codes.calendars.c!)).not.toContain('holidaySources');
    expect(versionOf(codes)).toBe('7cdc339ab4d5e5ab');
    expect(versionOf(withCalendar('holidays account.name or "US"'))).not.toBe(versionOf(codes));
  });

  it('keeps the version a v1 playbook had before `events` and trigger guards existed, with no new keys in its IR', () => {
    // Pinned: this source's version as computed before the v2 additions (commit 0cda693).
    const v1 = `playbook p "P"
  trigger on event "account.created" where account.segment is enterprise
  trigger 90 days before account.renewal_date where account.status is not churned
  trigger when account.health < 40
  trigger manual
  stage kickoff:
    email account.primary_contact template "welcome"
    wait for event "kickoff.held" as kickoff up to 10 business days:
      after 3 business days:
        notify account.csm "Kickoff for {account.name} not held yet"
      on timeout:
        stop with outcome "stalled"
    note "Held in {kickoff.room}"
`;
    const program = lowerFiles({ 'main.playbook': v1 }, 'p', { welcome: TEMPLATE });
    expect(versionOf(program)).toBe('98af61481fb87adb');
    expect('events' in program).toBe(false);
    for (const trigger of program.playbooks.p!.triggers) {
      expect(Object.keys(trigger).filter((k) => ['as', 'unlessRunning', 'atMostOncePer'].includes(k))).toEqual([]);
    }
  });

  it('keeps the version of a v1 task with asks, without `optional` or `default` keys, and gives `date`, `optional` and `default` asks new versions', () => {
    const task = (asks: string) => `playbook p "P"\n  task "Review" for account.csm as review:\n${asks}  note "{review.seats}"\n`;
    const v1 = lowerFiles({ 'main.playbook': task('    ask seats "Seats?" number\n    ask ok "OK?" yes/no\n') }, 'p');
    // Pinned: this source's version as computed before `date`, `optional` and `default` asks.
    expect(versionOf(v1)).toBe('fcf51549751bcbd8');
    const step = v1.playbooks.p!.body[0]!;
    for (const ask of step.kind === 'task' ? step.asks : []) expect(Object.keys(ask)).toEqual(['name', 'question', 'type']);
    const version = (asks: string) => versionOf(lowerFiles({ 'main.playbook': task(asks) }, 'p'));
    const variants = [
      version('    ask seats "Seats?" number optional\n    ask ok "OK?" yes/no\n'),
      version('    ask seats "Seats?" number default 10\n    ask ok "OK?" yes/no\n'),
      version('    ask seats "Seats?" number\n    ask ok "OK?" date\n'),
    ];
    expect(new Set([versionOf(v1), ...variants]).size).toBe(4);
  });

  it('keeps the version of a playbook without goals (no goals key in its IR), and gives each goal a new version', () => {
    const base = 'playbook p\n  stage kickoff:\n    note "x"\n';
    const version = (source: string) => versionOf(lowerFiles({ 'main.playbook': source }, 'p'));
    const plain = lowerFiles({ 'main.playbook': base }, 'p');
    expect(plain.playbooks.p).not.toHaveProperty('goals');
    // Pinned: this source's version as computed before goals existed (commit 0d42e9f).
    expect(versionOf(plain)).toBe('10f1516a649b6c0c');
    const goal = (line: string) => base.replace('  stage', `  goal g "G" target 90%:\n    ${line}\n  stage`);
    const variants = [
      goal('stage kickoff within 3 days'),
      goal('stage kickoff within 4 days'),
      goal('stage kickoff within 3 days of start').replace('90%', '80%'),
    ].map(version);
    expect(new Set([versionOf(plain), ...variants]).size).toBe(4);
    // `of start` is the default: written or not, the same IR.
    expect(version(goal('stage kickoff within 3 days of start'))).toBe(variants[0]);
  });

  it('gives a playbook using `as`, `unless running` or `at most once per` on a trigger a new version', () => {
    const base = 'events\n  nps.responded: score number\n\nplaybook q\n  note "q"\n\nplaybook p\n  trigger on event "nps.responded"\n  note "x"\n';
    const version = (source: string) => versionOf(lowerFiles({ 'main.playbook': source }, 'p'));
    const plain = version(base);
    const variants = [
      base.replace('"nps.responded"\n', '"nps.responded" as r\n'),
      base.replace('"nps.responded"\n', '"nps.responded" unless running q\n'),
      base.replace('"nps.responded"\n', '"nps.responded" at most once per 30 days\n'),
    ].map(version);
    expect(new Set([plain, ...variants]).size).toBe(4);
  });

  it('keeps the v1 version with `one run per account` alone, and gives a run key, a throttle or a cadence a new version', () => {
    const base = 'events\n  ticket.escalated: id text\n\nplaybook p\n  trigger on event "ticket.escalated" as ticket\n  note "x"\n';
    const version = (source: string) => versionOf(lowerFiles({ 'main.playbook': source }, 'p'));
    const program = lowerFiles({ 'main.playbook': base.replace('  note', '  one run per account\n  note') }, 'p');
    expect(Object.keys(program.playbooks.p!).filter((k) => ['runKey', 'throttle'].includes(k))).toEqual([]);
    expect(versionOf(program)).toBe(version(base));
    const variants = [
      base.replace('  note', '  one run per account and ticket.id\n  note'),
      base.replace('  note', '  start at most 50 per day\n  note'),
      base.replace('  note', '  trigger every quarter on first business day\n  note'),
    ].map(version);
    expect(new Set([version(base), ...variants]).size).toBe(4);
  });

  it('keeps the v1 version of `run playbook` without `with`, and gives parameters and a `with` list a new version', () => {
    const v1 = 'playbook p "P"\n  task "Call" for account.csm\n  run playbook child\n\nplaybook child\n  note "child"\n';
    const program = lowerFiles({ 'main.playbook': v1 }, 'p');
    // Pinned: this source's version as computed before parameters existed (main at f0f75b4).
    expect(versionOf(program)).toBe('4852f71ed6c4f53d');
    expect(program.playbooks.p!.body[1]).toEqual({ id: '1', line: 3, kind: 'runPlaybook', playbook: 'child' });
    expect(Object.keys(program.playbooks.child!)).not.toContain('parameters');
    const withParams = v1
      .replace('run playbook child', 'run playbook child with owner: account.csm')
      .replace('playbook child\n', 'playbook child\n  parameters owner user\n')
      .replace('note "child"', 'note "child for {params.owner}"');
    expect(versionOf(lowerFiles({ 'main.playbook': withParams }, 'p'))).not.toBe(versionOf(program));
  });
});
