import { describe, expect, it } from 'vitest';
import { check, checkOne, expectClean, expectIssue } from './helpers.js';

const CALENDAR = `calendar us-business "US business days"
  timezone account.timezone or "America/New_York"
  working days monday to friday
  working hours 09:00 to 17:00
`;

describe('a clean workspace', () => {
  it('has no diagnostics and resolves every reference', () => {
    const result = check(
      {
        'cal.playbook': CALENDAR,
        'events.playbook': 'events\n  account.created\n  training.done: trainer text\n',
        'main.playbook': `playbook onboarding "Onboarding"
  trigger on event "account.created" where account.segment is enterprise
  calendar us-business
  exit when account.status is churned

  stage kickoff "Kickoff":
    email account.primary_contact template "welcome"
    task "Kickoff with {account.name}" for account.csm due in 2 business days as kickoff:
      ask held "Was it held?" yes/no
    wait for task kickoff up to 10 business days:
      after 3 business days:
        notify account.csm "Kickoff for {account.name} not held yet"
      on timeout:
        escalate to account.csm_manager severity high "No kickoff"
    if kickoff.held is no:
      stop with outcome "stalled"
    wait for event "training.done" as training
    note "Training by {training.trainer}"
    run playbook renewal
`,
        'renewal.playbook': `playbook renewal "Renewal"
  trigger 90 days before account.renewal_date
  notify account.csm "Renewal in {days until account.renewal_date} days"
`,
      },
      { welcome: 'Subject: Welcome {account.name}\n\nHello {account.name}!\n' },
    );
    expectClean(result);
    const targets = [...result.model.refs.values()];
    expect(targets).toContainEqual({ kind: 'field', field: 'segment' });
    expect(targets).toContainEqual({ kind: 'answer', task: 'kickoff', ask: 'held' });
    expect(targets).toContainEqual({ kind: 'eventField', event: 'training', path: ['trainer'] });
    expect([...result.model.playbooks.keys()].sort()).toEqual(['onboarding', 'renewal']);
    expect(result.model.calendars.has('us-business')).toBe(true);
    expect(result.model.fields.get('segment')?.type).toEqual({ type: 'one of', values: ['smb', 'mid-market', 'enterprise'] });
    expect(result.model.templates.get('welcome')?.subject.length).toBeGreaterThan(0);
  });
});

describe('duplicate names', () => {
  it('reports a playbook defined twice across files, pointing at the first', () => {
    const result = check({ 'a.playbook': 'playbook p\n  note "a"\n', 'b.playbook': 'playbook p\n  note "b"\n' });
    const d = expectIssue(result, 'PB2001', { file: 'ws/b.playbook', line: 1, col: 10, endCol: 11 });
    expect(d.related?.[0]?.span.file).toBe('ws/a.playbook');
  });

  it('reports a calendar defined twice', () => {
    const result = check({ 'a.playbook': CALENDAR, 'main.playbook': CALENDAR });
    expectIssue(result, 'PB2002', { line: 1, col: 10 });
  });

  it('reports an account field declared twice, also across declarations', () => {
    const result = checkOne('account fields\n  arr: number\n');
    const d = expectIssue(result, 'PB2003', { line: 2, col: 3, endCol: 6 });
    expect(d.related?.[0]?.span.file).toBe('ws/fields.playbook');
  });

  it('reports a stage id used twice in one playbook, also nested', () => {
    const result = checkOne('playbook p\n  stage a:\n    note "x"\n  stage b:\n    stage a:\n      note "y"\n');
    expectIssue(result, 'PB2004', { line: 5, col: 11 });
  });

  it('reports task and event names bound twice (one namespace)', () => {
    const result = checkOne('playbook p\n  task "A" for account.csm as t\n  task "B" for account.csm as t\n  wait for event "e" as t\n');
    expectIssue(result, 'PB2005', { line: 3, col: 31 });
    expectIssue(result, 'PB2006', { line: 4, col: 25 });
  });

  it('reports an ask name used twice in a task', () => {
    const result = checkOne('playbook p\n  task "A" for account.csm as t:\n    ask q "Q?" text\n    ask q "Again?" number\n');
    expectIssue(result, 'PB2007', { line: 4, col: 9 });
  });

  it('reports a webhook field given twice', () => {
    const result = checkOne('playbook p\n  webhook "crm" with a: account.arr, a: account.health\n');
    expectIssue(result, 'PB2008', { line: 2, col: 38 });
  });

  it('reserves `account` as a task or event name', () => {
    const result = checkOne('playbook p\n  task "A" for account.csm as account\n');
    expectIssue(result, 'PB2009', { line: 2, col: 31 });
  });
});

describe('unknown names', () => {
  it('reports an unknown account field with a did-you-mean hint', () => {
    const result = checkOne('playbook p\n  trigger 30 days before account.renwal_date\n');
    const d = expectIssue(result, 'PB2010', { line: 2, col: 34, endCol: 45 });
    expect(d.hint).toContain('renewal_date');
  });

  it('reports an unknown calendar with a hint', () => {
    const result = check({ 'cal.playbook': CALENDAR, 'main.playbook': 'playbook p\n  calendar us-busines\n  note "x"\n' });
    const d = expectIssue(result, 'PB2011', { line: 2, col: 12 });
    expect(d.hint).toContain('us-business');
  });

  it('reports an unknown `run playbook` target', () => {
    const result = checkOne('playbook p\n  run playbook renewl\n');
    expectIssue(result, 'PB2012', { line: 2, col: 16 });
  });

  it('reports a `run playbook` cycle with its path, on each step of the cycle', () => {
    const result = check({ 'a.playbook': 'playbook a\n  run playbook b\n', 'b.playbook': 'playbook b\n  run playbook a\n' });
    const cycles = result.diagnostics.filter((d) => d.code === 'PB2013');
    expect(cycles.map((d) => d.span.file).sort()).toEqual(['ws/a.playbook', 'ws/b.playbook']);
    expect(cycles.find((d) => d.span.file === 'ws/a.playbook')?.message).toContain('a → b → a');
  });

  it('reports a playbook running itself', () => {
    expectIssue(checkOne('playbook p\n  run playbook p\n'), 'PB2013', { line: 2, col: 16 });
  });

  it('reports an unknown template with a did-you-mean over template names', () => {
    const result = checkOne('playbook p\n  email account.primary_contact template "welcom"\n', { welcome: 'Subject: Hi\n\nBody\n' });
    const d = expectIssue(result, 'PB2014', { line: 2, col: 42 });
    expect(d.hint).toContain('welcome');
  });

  it('reports an unknown field used in a template, at the template line', () => {
    const result = checkOne('playbook p\n  note "x"\n', { welcome: 'Subject: Hi {account.nme}\n\nBody {account.arr}\n' });
    const d = expectIssue(result, 'PB2010', { file: 'ws/templates/welcome.md', line: 1, col: 22 });
    expect(d.hint).toContain('name');
  });

  it('reports a name that is neither account, a task nor an event', () => {
    expectIssue(checkOne('playbook p\n  if foo.bar is 1:\n    note "x"\n'), 'PB2015', { line: 2, col: 6 });
  });

  it('allows only account fields in header lines', () => {
    expectIssue(checkOne('playbook p\n  exit when t.done is yes\n  task "A" for account.csm as t\n'), 'PB2015', { line: 2, col: 13 });
  });

  it('reports `wait for task` naming no task, or an event', () => {
    expectIssue(checkOne('playbook p\n  wait for task nope\n'), 'PB2016', { line: 2, col: 17 });
    expectIssue(checkOne('playbook p\n  wait for event "e" as ev\n  wait for task ev\n'), 'PB2016', { line: 3, col: 17 });
  });

  it('reports an unknown ask of a task with the asks it has', () => {
    const result = checkOne('playbook p\n  task "A" for account.csm as t:\n    ask rating "R?" number\n  if t.ratng > 3:\n    note "x"\n');
    const d = expectIssue(result, 'PB2017', { line: 4, col: 8 });
    expect(d.hint).toContain('rating');
  });

  it('reports tasks and events used before they are defined', () => {
    const result = checkOne('playbook p\n  wait for task t\n  if t.q is yes:\n    note "x"\n  task "A" for account.csm as t:\n    ask q "Q?" yes/no\n');
    expect(result.diagnostics.filter((d) => d.code === 'PB2018').map((d) => d.span.start.line)).toEqual([2, 3]);
  });

  it('does not bind an event inside its own wait blocks', () => {
    const result = checkOne('playbook p\n  wait for event "e" as ev up to 2 days:\n    on timeout:\n      note "{ev.x}"\n');
    expectIssue(result, 'PB2018', { line: 4, col: 14 });
  });

  it('does not see a task from another branch of the same if', () => {
    const result = checkOne(
      'playbook p\n  if account.vip:\n    task "A" for account.csm as t:\n      ask q "Q?" yes/no\n  else:\n    wait for task t\n  wait for task t\n',
    );
    expectIssue(result, 'PB2018', { line: 6, col: 19 });
  });

  it('reports references of the wrong shape', () => {
    expectIssue(checkOne('playbook p\n  note "{account.arr.x}"\n'), 'PB2019', { line: 2, col: 22 });
    expectIssue(checkOne('playbook p\n  set account.arr to 1\n  wait for event "e" as ev\n  set ev.x to 1\n'), 'PB2019', { line: 4, col: 7 });
  });
});
