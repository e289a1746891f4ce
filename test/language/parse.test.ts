import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CalendarDecl, Expr, HeaderItem, PlaybookDecl, Step } from '../../src/language/ast.js';
import { parseSource } from '../../src/language/parse.js';

function parseOk(text: string) {
  const result = parseSource(text, 'test.playbook');
  expect(result.diagnostics.map((d) => `${d.span.start.line}:${d.span.start.col} ${d.code} ${d.message}`)).toEqual([]);
  return result.ast;
}

function playbook(lines: string): PlaybookDecl {
  const decl = parseOk(`playbook p "P"\n${lines}`).declarations[0];
  if (decl?.kind !== 'playbook') throw new Error('expected a playbook');
  return decl;
}

function steps(lines: string): Step[] {
  return playbook(lines.replace(/^/gm, '  ')).body;
}

function header(line: string): HeaderItem {
  const item = playbook(`  ${line}\n  stop`).header[0];
  if (!item) throw new Error('expected a header line');
  return item;
}

function expr(condition: string): Expr {
  const item = header(`exit when ${condition}`);
  if (item.kind !== 'exitWhen') throw new Error('expected exit when');
  return item.condition;
}

/** An expression tree as a compact string, e.g. `(and (is account.a x) (not y))`. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'ref':
      return [e.root.name, ...e.path.map((p) => p.name)].join('.');
    case 'word':
      return e.name;
    case 'string':
      return JSON.stringify(e.value);
    case 'number':
    case 'date':
    case 'bool':
      return String(e.value);
    case 'today':
      return 'today';
    case 'compare':
      return `(${e.op} ${show(e.left)} ${show(e.right)})`;
    case 'in':
      return `(${e.negated ? 'not in' : 'in'} ${show(e.left)} [${e.list.map(show).join(' ')}])`;
    case 'and':
    case 'or':
      return `(${e.kind} ${show(e.left)} ${show(e.right)})`;
    case 'not':
      return `(not ${show(e.operand)})`;
    case 'daysUntil':
    case 'daysSince':
    case 'businessDaysSince':
      return `(${e.kind} ${show(e.operand)})`;
    case 'offset':
      return `(${e.offset.amount} ${e.offset.unit} ${e.direction} ${show(e.base)})`;
    case 'arith':
      return `(${e.op} ${show(e.left)} ${show(e.right)})`;
    case 'duration':
      return `${e.duration.amount} ${e.duration.unit}`;
    case 'isEmpty':
      return `(${e.negated ? 'is not empty' : 'is empty'} ${show(e.operand)})`;
  }
}

describe('parseSource: the all-constructs fixture', () => {
  const text = readFileSync(new URL('../fixtures/all-constructs.playbook', import.meta.url), 'utf8');

  it('parses without diagnostics into its six declarations in source order', () => {
    const ast = parseOk(text);
    expect(ast.declarations.map((d) => d.kind)).toEqual(['accountFields', 'calendar', 'calendar', 'playbook', 'playbook', 'playbook']);
  });

  it('uses every step kind', () => {
    const kinds = new Set<string>();
    const visit = (list: Step[]) => {
      for (const s of list) {
        kinds.add(s.kind);
        if ('body' in s) visit(s.body);
        if (s.kind === 'if') s.branches.forEach((b) => visit(b.body));
        if (s.kind === 'if' && s.else) visit(s.else.body);
        if (s.kind === 'waitFor') [...s.rungs.map((r) => r.body), s.onTimeout?.body ?? []].forEach(visit);
      }
    };
    for (const d of parseOk(text).declarations) if (d.kind === 'playbook') visit(d.body);
    expect([...kinds].sort()).toEqual(
      ['email', 'escalate', 'if', 'note', 'notify', 'repeat', 'runPlaybook', 'set', 'stage', 'stop', 'task', 'wait', 'waitFor', 'waitUntil', 'webhook'].sort(),
    );
  });
});

describe('parseSource: declarations', () => {
  it('reads account fields with every field type', () => {
    const decl = parseOk('account fields\n  a: text\n  b: yes/no\n  c: timezone\n  d: one of smb, mid-market\n  e: list of contact\n').declarations[0];
    if (decl?.kind !== 'accountFields') throw new Error('expected account fields');
    const typeOf = (t: (typeof decl.fields)[number]['type']) =>
      t.kind === 'scalar' ? t.name : t.kind === 'list' ? `list of ${t.of}` : t.values.map((v) => v.name);
    expect(decl.fields.map((f) => [f.name.name, typeOf(f.type)])).toEqual([
      ['a', 'text'],
      ['b', 'yes/no'],
      ['c', 'timezone'],
      ['d', ['smb', 'mid-market']],
      ['e', 'list of contact'],
    ]);
    expect(decl.fields[3]?.name.span.start).toEqual({ offset: 53, line: 5, col: 3 });
  });

  it('accepts an optional `:` after a declaration head', () => {
    expect(parseOk('account fields:\n  a: text\n').declarations).toHaveLength(1);
    expect(parseOk('playbook p:\n  stop\n').declarations[0]?.kind).toBe('playbook');
  });

  it('reads every calendar line', () => {
    const cal = parseOk(
      'calendar c "C"\n  timezone account.timezone or "UTC"\n  working days monday to friday\n  working days saturday, sunday\n  working hours 09:00 to 17:00\n  holidays "US-NY"\n  holiday 2026-12-24 "Eve"\n  holidays account.country or "GB-ENG"\n',
    ).declarations[0] as CalendarDecl;
    expect(cal.title?.value).toBe('C');
    const [tz, range, list, hours, countries, day, perAccount] = cal.items;
    expect(tz?.kind === 'timezone' && tz.sources.map((s) => ('kind' in s ? s.path[0]?.name : s.value))).toEqual(['timezone', 'UTC']);
    expect(range?.kind === 'workingDays' && [range.range, range.days.map((d) => d.day)]).toEqual([true, ['monday', 'friday']]);
    expect(list?.kind === 'workingDays' && [list.range, list.days.map((d) => d.day)]).toEqual([false, ['saturday', 'sunday']]);
    expect(hours?.kind === 'workingHours' && [hours.from.value, hours.to.value]).toEqual(['09:00', '17:00']);
    expect(countries?.kind === 'holidays' && countries.sources.map((s) => ('kind' in s ? s.path[0]?.name : s.value))).toEqual(['US-NY']);
    expect(day?.kind === 'holiday' && [day.date.value, day.name?.value]).toEqual(['2026-12-24', 'Eve']);
    expect(perAccount?.kind === 'holidays' && perAccount.sources.map((s) => ('kind' in s ? s.path[0]?.name : s.value))).toEqual(['country', 'GB-ENG']);
  });
});

describe('parseSource: coverage', () => {
  it('reads a coverage: id, title, target, its population condition and its playbook, in either order', () => {
    const decl = parseOk(
      'coverage renewal-coverage "Renewal readiness within 90 days" target 95%:\n  accounts where days until account.renewal_date <= 90 and account.status is active\n  have run renewal-readiness\n',
    ).declarations[0];
    if (decl?.kind !== 'coverage') throw new Error('expected a coverage');
    expect([decl.id.name, decl.title?.value, decl.target.value, decl.playbook.name]).toEqual([
      'renewal-coverage',
      'Renewal readiness within 90 days',
      95,
      'renewal-readiness',
    ]);
    expect(show(decl.population)).toBe('(and (<= (daysUntil account.renewal_date) 90) (is account.status active))');
    const swapped = parseOk('coverage c target 90.5%:\n  have run p\n  accounts where account.arr > 1000\n').declarations[0];
    expect(swapped?.kind === 'coverage' && [swapped.target.value, swapped.playbook.name, show(swapped.population)]).toEqual([
      90.5,
      'p',
      '(> account.arr 1000)',
    ]);
  });

  it('lets `coverage` stay a name elsewhere', () => {
    expect(parseOk('playbook coverage\n  note "x"\n').declarations[0]?.kind).toBe('playbook');
  });
});

describe('parseSource: header lines and triggers', () => {
  it('reads owner, description, calendar and send window', () => {
    expect(header('owner "ops@x.com"')).toMatchObject({ kind: 'owner', value: { value: 'ops@x.com' } });
    expect(header('description "D"')).toMatchObject({ kind: 'description', value: { value: 'D' } });
    expect(header('calendar us-business')).toMatchObject({ kind: 'calendar', id: { name: 'us-business' } });
    expect(header('send window 09:00 to 17:30')).toMatchObject({ kind: 'sendWindow', from: { value: '09:00' }, to: { value: '17:30' } });
  });

  it('reads every trigger kind', () => {
    expect(header('trigger manual')).toMatchObject({ kind: 'trigger', trigger: { kind: 'manual' } });
    const event = header('trigger on event "account.created" where account.segment is enterprise');
    expect(event).toMatchObject({ kind: 'trigger', trigger: { kind: 'event', name: { value: 'account.created' } } });
    const relative = header('trigger 90 days before account.renewal_date where account.arr > 5');
    expect(relative).toMatchObject({
      trigger: {
        kind: 'relative',
        offset: { amount: 90, unit: 'day' },
        direction: 'before',
        field: { root: { name: 'account' }, path: [{ name: 'renewal_date' }] },
      },
    });
    expect(relative.kind === 'trigger' && relative.trigger.kind === 'relative' && relative.trigger.where && show(relative.trigger.where)).toBe(
      '(> account.arr 5)',
    );
    expect(header('trigger when account.health < 40')).toMatchObject({ trigger: { kind: 'when', condition: { kind: 'compare', op: '<' } } });
  });

  it('reads parameters with every scalar type, in order', () => {
    const item = header('parameters owner user, who contact, days number, topic text, due date, urgent yes/no');
    expect(item.kind === 'parameters' && item.parameters.map((p) => `${p.name.name} ${p.type.name}`)).toEqual([
      'owner user',
      'who contact',
      'days number',
      'topic text',
      'due date',
      'urgent yes/no',
    ]);
  });

  it('reads a parameter default as a literal', () => {
    const item = header('parameters days number default 5, urgent yes/no default no');
    expect(item.kind === 'parameters' && item.parameters.map((p) => p.default && show(p.default))).toEqual(['5', 'false']);
  });

  it('reads goals: every milestone and anchor, an optional title, `of start` as no anchor', () => {
    const goal = (lines: string) => {
      const item = playbook(`  ${lines.replace(/\n/g, '\n  ')}\n  stop`).header[0];
      if (item?.kind !== 'goal') throw new Error('expected a goal');
      return item.goal;
    };
    expect(goal('goal kickoff "Kickoff soon" target 90%:\n  event "kickoff.held" within 10 business days')).toMatchObject({
      id: { name: 'kickoff' },
      title: { value: 'Kickoff soon' },
      target: { value: 90 },
      milestone: { kind: 'event', name: { value: 'kickoff.held' } },
      within: { amount: 10, unit: 'business day' },
    });
    const training = goal('goal training target 85.5%:\n  task training done within 15 days of event "kickoff.held"');
    expect(training).toMatchObject({ target: { value: 85.5 }, milestone: { kind: 'taskDone', task: { name: 'training' } }, anchor: { kind: 'event' } });
    expect(training).not.toHaveProperty('title');
    expect(goal('goal s "S" target 80%:\n  stage review within 1 week of task setup created')).toMatchObject({
      milestone: { kind: 'stage', stage: { name: 'review' } },
      anchor: { kind: 'taskCreated', task: { name: 'setup' } },
    });
    const condition = goal('goal a "A" target 80%:\n  account.activated is yes within 30 days of start');
    expect(condition.milestone.kind === 'condition' && show(condition.milestone.condition)).toBe('(is account.activated true)');
    expect(condition).not.toHaveProperty('anchor');
    expect(goal('goal s "S" target 80%:\n  stage review within 2 business hours of stage kickoff').anchor).toMatchObject({
      kind: 'stage',
      stage: { name: 'kickoff' },
    });
  });

  it('gives a header line the span of its line', () => {
    const item = header('exit when account.status is churned');
    expect([item.span.start.line, item.span.start.col, item.span.end.col]).toEqual([2, 3, 38]);
  });
});

describe('parseSource: steps', () => {
  it('reads an email with several recipients, cc, bcc and from', () => {
    const [email, named] = steps(
      'email account.stakeholders, "ops@x.com" cc account.csm bcc role "archive" from account.csm template "qbr"\nemail account.a from "Acme <a@acme.com>" template "t"',
    );
    expect(email).toMatchObject({
      kind: 'email',
      to: [
        { kind: 'field', field: { path: [{ name: 'stakeholders' }] } },
        { kind: 'address', address: { value: 'ops@x.com' } },
      ],
      cc: [{ kind: 'field', field: { path: [{ name: 'csm' }] } }],
      bcc: [{ kind: 'role', name: { value: 'archive' } }],
      from: { kind: 'field', field: { path: [{ name: 'csm' }] } },
      template: { value: 'qbr' },
    });
    expect(named).toMatchObject({ from: { kind: 'literal', value: { value: 'Acme <a@acme.com>' } } });
  });

  it('reads email, notify, escalate and their recipients', () => {
    const [email, notify, role, address] = steps(
      'email account.primary_contact template "welcome"\nnotify account.csm "Hi"\nescalate to role "lead" severity critical "Late"\nescalate to "a@b.com" "X"',
    );
    expect(email).toMatchObject({ kind: 'email', to: [{ kind: 'field', field: { path: [{ name: 'primary_contact' }] } }], template: { value: 'welcome' } });
    expect(notify).toMatchObject({ kind: 'notify', to: { kind: 'field' }, text: { value: 'Hi' } });
    expect(role).toMatchObject({ kind: 'escalate', to: { kind: 'role', name: { value: 'lead' } }, severity: { value: 'critical' } });
    expect(address).toMatchObject({ kind: 'escalate', to: { kind: 'address', address: { value: 'a@b.com' } } });
    expect(address && 'severity' in address).toBe(false);
  });

  it('reads a task with due, name and asks of every type', () => {
    const [task] = steps(
      'task "Train" for account.csm due in 10 business days as training:\n  ask attended "Came?" yes/no\n  ask rating "How?" one of poor, good\n  ask notes "Notes" text\n  ask seats "Seats" number',
    );
    expect(task).toMatchObject({ kind: 'task', title: { value: 'Train' }, due: { amount: 10, unit: 'business day' }, name: { name: 'training' } });
    expect(task?.kind === 'task' && task.asks.map((a) => [a.name.name, a.type.kind === 'scalar' ? a.type.name : a.type.values.length])).toEqual([
      ['attended', 'yes/no'],
      ['rating', 2],
      ['notes', 'text'],
      ['seats', 'number'],
    ]);
  });

  it('reads every duration unit', () => {
    const units = steps('wait 1 minute\nwait 2 hours\nwait 3 days\nwait 1 week\nwait 2 business days\nwait 4 business hours').map(
      (s) => s.kind === 'wait' && `${s.duration.amount} ${s.duration.unit}`,
    );
    expect(units).toEqual(['1 minute', '2 hour', '3 day', '1 week', '2 business day', '4 business hour']);
  });

  it('reads wait until and every waitable of wait for', () => {
    const [until, event, task, condition] = steps(
      'wait until 60 days before account.renewal_date\nwait for event "kickoff.held" as kickoff up to 10 business days\nwait for task training\nwait for account.health > 70 up to 30 days',
    );
    expect(until?.kind === 'waitUntil' && show(until.at)).toBe('(60 day before account.renewal_date)');
    expect(event).toMatchObject({ kind: 'waitFor', target: { kind: 'event', name: { value: 'kickoff.held' }, as: { name: 'kickoff' } }, upTo: { amount: 10 } });
    expect(task).toMatchObject({ kind: 'waitFor', target: { kind: 'task', task: { name: 'training' } }, rungs: [] });
    expect(condition?.kind === 'waitFor' && condition.target.kind === 'condition' && show(condition.target.condition)).toBe('(> account.health 70)');
  });

  it('reads the after rungs and on timeout block of a wait for', () => {
    const [wait] = steps(
      'wait for event "x" up to 10 days:\n  after 3 days:\n    note "a"\n  after 5 days:\n    note "b"\n  on timeout:\n    stop with outcome "late"',
    );
    if (wait?.kind !== 'waitFor') throw new Error('expected wait for');
    expect(wait.rungs.map((r) => [r.after.amount, r.body.map((s) => s.kind)])).toEqual([
      [3, ['note']],
      [5, ['note']],
    ]);
    expect(wait.onTimeout?.body).toMatchObject([{ kind: 'stop', outcome: { value: 'late' } }]);
    expect(wait.onTimeout?.span.start.line).toBe(7);
  });

  it('reads if / else if / else as one step', () => {
    const [step, after] = steps('if account.a is x:\n  note "1"\nelse if account.a is y:\n  note "2"\nelse:\n  note "3"\nnote "after"');
    if (step?.kind !== 'if') throw new Error('expected if');
    expect(step.branches.map((b) => show(b.condition))).toEqual(['(is account.a x)', '(is account.a y)']);
    expect(step.else?.body).toMatchObject([{ kind: 'note', text: { value: '3' } }]);
    expect(after?.kind).toBe('note');
  });

  it('reads repeat with and without its limits', () => {
    const [full, plain] = steps('repeat every 1 week at most 4 times until account.done is yes:\n  note "x"\nrepeat every 2 days:\n  note "y"');
    expect(full).toMatchObject({ kind: 'repeat', every: { amount: 1, unit: 'week' }, atMost: { value: 4 }, until: { kind: 'compare' } });
    expect(plain && 'atMost' in plain).toBe(false);
  });

  it('reads set, webhook, run playbook, stage, note and stop', () => {
    const [set, hook, bare, run, stage, stop] = steps(
      'set account.status to at-risk\nwebhook "crm" with status: account.status, n: 3\nwebhook "ping"\nrun playbook renewal-prep\nstage s "S":\n  note "n"\nstop',
    );
    expect(set).toMatchObject({ kind: 'set', field: { path: [{ name: 'status' }] }, value: { kind: 'word', name: 'at-risk' } });
    expect(hook?.kind === 'webhook' && hook.fields.map((f) => [f.name.name, show(f.value)])).toEqual([
      ['status', 'account.status'],
      ['n', '3'],
    ]);
    expect(bare).toMatchObject({ kind: 'webhook', fields: [] });
    expect(run).toMatchObject({ kind: 'runPlaybook', playbook: { name: 'renewal-prep' }, args: [] });
    const [withArgs] = steps('run playbook follow-up with owner: account.csm, days: account.seats / 10');
    expect(withArgs?.kind === 'runPlaybook' && withArgs.args.map((a) => [a.name.name, show(a.value)])).toEqual([
      ['owner', 'account.csm'],
      ['days', '(/ account.seats 10)'],
    ]);
    expect(stage).toMatchObject({ kind: 'stage', id: { name: 's' }, title: { value: 'S' }, body: [{ kind: 'note' }] });
    expect(stop).toEqual({ kind: 'stop', span: stop?.span });
  });

  it('gives a step with a block the span of its head line', () => {
    const [stage] = steps('stage s "S":\n  note "n"');
    expect([stage?.span.start.line, stage?.span.end.line, stage?.span.end.col]).toEqual([2, 2, 14]);
  });

  it('lets keywords serve as names where they are not reserved', () => {
    const [stage, set] = steps('stage review "R":\n  note "x"\nset account.timezone to high');
    expect(stage).toMatchObject({ id: { name: 'review' } });
    expect(set).toMatchObject({ field: { path: [{ name: 'timezone' }] }, value: { kind: 'word', name: 'high' } });
  });
});

describe('parseSource: expressions', () => {
  it('gives or < and < not < comparison precedence', () => {
    expect(show(expr('not account.a is x and account.b or account.c'))).toBe('(or (and (not (is account.a x)) account.b) account.c)');
    expect(show(expr('account.a or account.b and account.c'))).toBe('(or account.a (and account.b account.c))');
    expect(show(expr('not (account.a or account.b)'))).toBe('(not (or account.a account.b))');
  });

  it('reads every comparison and list operator', () => {
    expect(['is', 'is not', '=', '!=', '<', '<=', '>', '>='].map((op) => show(expr(`account.n ${op} 1`)))).toEqual(
      ['is', 'is not', '=', '!=', '<', '<=', '>', '>='].map((op) => `(${op} account.n 1)`),
    );
    expect(show(expr('account.s in [smb, "x"]'))).toBe('(in account.s [smb "x"])');
    expect(show(expr('account.s not in [smb]'))).toBe('(not in account.s [smb])');
  });

  it('reads every primary form', () => {
    expect(show(expr('account.d is 2026-06-30 and today and yes and no and true and false and 0.5'))).toBe(
      '(and (and (and (and (and (and (is account.d 2026-06-30) today) true) false) true) false) 0.5)',
    );
    expect(show(expr('days until account.d > days since account.e'))).toBe('(> (daysUntil account.d) (daysSince account.e))');
    expect(show(expr('business days since today > 3'))).toBe('(> (businessDaysSince today) 3)');
    expect(show(expr('account.d < 2 weeks after today'))).toBe('(< account.d (2 week after today))');
    expect(show(expr('kickoff.attendees > 2 and training.rating is good'))).toBe('(and (> kickoff.attendees 2) (is training.rating good))');
  });

  it('gives comparison < `+ -` < `* /` < prefix forms precedence, left to right', () => {
    expect(show(expr('account.a + account.b * 2 - account.c / 4 > 1'))).toBe('(> (- (+ account.a (* account.b 2)) (/ account.c 4)) 1)');
    expect(show(expr('account.a - account.b - account.c = 0'))).toBe('(= (- (- account.a account.b) account.c) 0)');
    expect(show(expr('(account.a + account.b) * 2 = 0'))).toBe('(= (* (+ account.a account.b) 2) 0)');
    expect(show(expr('days until account.d - 30 < 0'))).toBe('(< (- (daysUntil account.d) 30) 0)');
  });

  it('reads percentages, durations as operands and every duration unit', () => {
    expect(show(expr('account.active_seats < 90% * account.seats'))).toBe('(< account.active_seats (* 0.9 account.seats))');
    expect(show(expr('account.x = 12.5%'))).toBe('(= account.x 0.125)');
    expect(show(expr('account.d < today + 1 month - 3 business days'))).toBe('(< account.d (- (+ today 1 month) 3 business day))');
    expect(show(expr('account.d < 2 quarters after today and account.e > 1 year before today'))).toBe(
      '(and (< account.d (2 quarter after today)) (> account.e (1 year before today)))',
    );
    expect(show(expr('account.d < 3 business days before today'))).toBe('(< account.d (3 business day before today))');
  });

  it('reads `is empty` and `is not empty`', () => {
    expect(show(expr('account.a is empty or account.b is not empty'))).toBe('(or (is empty account.a) (is not empty account.b))');
    expect(show(expr('not account.a + 1 is empty'))).toBe('(not (is empty (+ account.a 1)))');
    expect(show(expr('account.a is not x'))).toBe('(is not account.a x)');
  });

  it('spans a parenthesised expression including its parentheses', () => {
    const e = expr('(account.a)');
    expect([e.span.start.col, e.span.end.col]).toEqual([13, 24]);
  });
});

describe('parseSource: text interpolation', () => {
  it('splits message texts into text and expression parts with spans inside the string', () => {
    const [note] = steps('note "Hi {account.name}, {days until account.renewal_date} days"');
    if (note?.kind !== 'note') throw new Error('expected note');
    expect(note.text.parts.map((p) => (p.kind === 'text' ? p.value : show(p.expr)))).toEqual([
      'Hi ',
      'account.name',
      ', ',
      '(daysUntil account.renewal_date)',
      ' days',
    ]);
    const first = note.text.parts[1];
    expect(first?.kind === 'expr' && first.expr.span.start).toEqual({ offset: 27, line: 2, col: 13 });
    expect(note.text.value).toBe('Hi {account.name}, {days until account.renewal_date} days');
  });

  it('accounts for escapes before and inside an interpolation', () => {
    const [note] = steps('note "a\\"b {account.x is \\"q\\"} \\{lit\\}"');
    if (note?.kind !== 'note') throw new Error('expected note');
    const [, e, tail] = note.text.parts;
    expect(e?.kind === 'expr' && [show(e.expr), e.expr.span.start.col, e.expr.span.end.col]).toEqual(['(is account.x "q")', 15, 33]);
    expect(tail).toEqual({ kind: 'text', value: ' {lit}' });
  });

  it('keeps braces literal in strings that are not message texts', () => {
    const [email] = steps('email account.csm template "t{x}"');
    expect(email).toMatchObject({ template: { value: 't{x}' } });
  });
});
