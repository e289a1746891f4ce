import { describe, expect, it } from 'vitest';
import { lowerBody, lowerFiles, TEMPLATE } from './helpers.js';

const field = (name: string) => ({ op: 'field', field: name });
const text = (value: string) => ({ op: 'lit', type: 'text', value });

describe('lowering steps', () => {
  it('lowers messages with recipients, interpolations and defaults', () => {
    const body = lowerBody(
      [
        '  email account.primary_contact template "welcome"',
        '  notify role "support-lead" "Hi {account.name}!"',
        '  escalate to "ops@example.com" "Late"',
        '  escalate to account.csm_manager severity critical "Very late"',
        '  note "ARR is {account.arr}"',
      ].join('\n'),
      { welcome: TEMPLATE },
    );
    expect(body).toEqual([
      { id: '0', line: 2, kind: 'email', to: { kind: 'field', field: 'primary_contact' }, template: 'welcome' },
      { id: '1', line: 3, kind: 'notify', to: { kind: 'role', name: 'support-lead' }, text: ['Hi ', field('name'), '!'] },
      { id: '2', line: 4, kind: 'escalate', to: { kind: 'address', address: 'ops@example.com' }, severity: 'medium', text: ['Late'] },
      { id: '3', line: 5, kind: 'escalate', to: { kind: 'field', field: 'csm_manager' }, severity: 'critical', text: ['Very late'] },
      { id: '4', line: 6, kind: 'note', text: ['ARR is ', field('arr')] },
    ]);
  });

  it('names a task by its `as` name, else by its step id, and lowers its asks', () => {
    const body = lowerBody(
      [
        '  task "Call {account.name}" for account.csm due in 2 business days as call:',
        '    ask happy "Happy?" yes/no',
        '    ask plan "Plan" one of grow, keep, shrink',
        '  task "Follow up" for account.csm',
      ].join('\n'),
    );
    expect(body).toEqual([
      {
        id: '0',
        line: 2,
        kind: 'task',
        task: 'call',
        title: ['Call ', field('name')],
        assignee: { kind: 'field', field: 'csm' },
        due: { amount: 2, unit: 'business day' },
        asks: [
          { name: 'happy', question: 'Happy?', type: { type: 'yes/no' } },
          { name: 'plan', question: 'Plan', type: { type: 'one of', values: ['grow', 'keep', 'shrink'] } },
        ],
      },
      { id: '1', line: 5, kind: 'task', task: '1', title: ['Follow up'], assignee: { kind: 'field', field: 'csm' }, due: null, asks: [] },
    ]);
  });

  it('gives rung and timeout steps ids below their wait, and resolves event fields', () => {
    const body = lowerBody(
      [
        '  wait 3 days',
        '  wait for event "kickoff.held" as kickoff up to 10 business days:',
        '    after 3 business days:',
        '      notify account.csm "Not yet"',
        '    after 5 business days:',
        '      notify account.csm "Still not"',
        '      escalate to account.csm_manager severity high "Late"',
        '    on timeout:',
        '      stop with outcome "stalled"',
        '  note "Held with {kickoff.attendees}"',
      ].join('\n'),
    );
    expect(body[0]).toEqual({ id: '0', line: 2, kind: 'wait', duration: { amount: 3, unit: 'day' } });
    const wait = body[1]!;
    expect(wait).toMatchObject({
      id: '1',
      line: 3,
      kind: 'waitFor',
      target: { kind: 'event', name: 'kickoff.held', as: 'kickoff' },
      upTo: { amount: 10, unit: 'business day' },
    });
    if (wait.kind !== 'waitFor') throw new Error('expected a waitFor');
    expect(wait.rungs.map((r) => [r.after, r.line, r.body.map((s) => s.id)])).toEqual([
      [{ amount: 3, unit: 'business day' }, 4, ['1.r0.0']],
      [{ amount: 5, unit: 'business day' }, 6, ['1.r1.0', '1.r1.1']],
    ]);
    expect(wait.onTimeout).toEqual([{ id: '1.timeout.0', line: 10, kind: 'stop', outcome: 'stalled' }]);
    expect(body[2]).toEqual({
      id: '2',
      line: 11,
      kind: 'note',
      text: ['Held with ', { op: 'eventField', event: 'kickoff', path: ['attendees'] }],
    });
  });

  it('lowers waits for a task and for a condition, without a deadline', () => {
    const body = lowerBody(
      [
        '  task "Train" for account.csm as training',
        '  wait for task training',
        '  wait for account.health >= 60',
        '  wait until 60 days before account.renewal_date',
      ].join('\n'),
    );
    expect(body.slice(1)).toEqual([
      { id: '1', line: 3, kind: 'waitFor', target: { kind: 'task', task: 'training' }, upTo: null, rungs: [], onTimeout: null },
      {
        id: '2',
        line: 4,
        kind: 'waitFor',
        target: { kind: 'condition', condition: { op: 'compare', cmp: '>=', left: field('health'), right: { op: 'lit', type: 'number', value: 60 } } },
        upTo: null,
        rungs: [],
        onTimeout: null,
      },
      {
        id: '3',
        line: 5,
        kind: 'waitUntil',
        at: { op: 'offset', offset: { amount: 60, unit: 'day' }, direction: 'before', base: field('renewal_date') },
      },
    ]);
  });

  it('numbers if branches b0, b1 … and the else block, and resolves task answers', () => {
    const body = lowerBody(
      [
        '  task "Rate" for account.csm as review:',
        '    ask risk "Risk" one of green, yellow, red',
        '  wait for task review',
        '  if review.risk is red:',
        '    set account.status to at-risk',
        '  else if review.risk is not green:',
        '    note "Watch"',
        '  else:',
        '    note "Fine"',
      ].join('\n'),
    );
    expect(body[2]).toEqual({
      id: '2',
      line: 5,
      kind: 'if',
      branches: [
        {
          condition: { op: 'compare', cmp: '=', left: { op: 'answer', task: 'review', ask: 'risk' }, right: text('red') },
          line: 5,
          body: [{ id: '2.b0.0', line: 6, kind: 'set', field: 'status', value: text('at-risk') }],
        },
        {
          condition: { op: 'compare', cmp: '!=', left: { op: 'answer', task: 'review', ask: 'risk' }, right: text('green') },
          line: 7,
          body: [{ id: '2.b1.0', line: 8, kind: 'note', text: ['Watch'] }],
        },
      ],
      else: [{ id: '2.else.0', line: 10, kind: 'note', text: ['Fine'] }],
    });
  });

  it('numbers stage and repeat bodies below their step', () => {
    const body = lowerBody(
      [
        '  stage intro "Intro":',
        '    note "a"',
        '    repeat every 1 week at most 4 times until account.health > 80:',
        '      note "b"',
        '  stage outro:',
        '    stop',
      ].join('\n'),
    );
    expect(body).toEqual([
      {
        id: '0',
        line: 2,
        kind: 'stage',
        stage: 'intro',
        title: 'Intro',
        body: [
          { id: '0.0', line: 3, kind: 'note', text: ['a'] },
          {
            id: '0.1',
            line: 4,
            kind: 'repeat',
            every: { amount: 1, unit: 'week' },
            atMost: 4,
            until: { op: 'compare', cmp: '>', left: field('health'), right: { op: 'lit', type: 'number', value: 80 } },
            body: [{ id: '0.1.0', line: 5, kind: 'note', text: ['b'] }],
          },
        ],
      },
      { id: '1', line: 6, kind: 'stage', stage: 'outro', title: null, body: [{ id: '1.0', line: 7, kind: 'stop', outcome: null }] },
    ]);
  });

  it('lowers webhooks, set and run playbook', () => {
    const program = lowerFiles(
      {
        'main.playbook': [
          'playbook p',
          '  webhook "crm-sync" with health: account.health, vip: account.vip',
          '  set account.vip to yes',
          '  run playbook child',
          '',
          'playbook child',
          '  note "child"',
        ].join('\n'),
      },
      'p',
    );
    expect(program.playbooks.p!.body).toEqual([
      {
        id: '0',
        line: 2,
        kind: 'webhook',
        endpoint: 'crm-sync',
        fields: [
          { name: 'health', value: field('health') },
          { name: 'vip', value: field('vip') },
        ],
      },
      { id: '1', line: 3, kind: 'set', field: 'vip', value: { op: 'lit', type: 'yes/no', value: true } },
      { id: '2', line: 4, kind: 'runPlaybook', playbook: 'child' },
    ]);
  });
});

describe('lowering expressions', () => {
  const conditionOf = (condition: string) => {
    const [step] = lowerBody(`  wait for ${condition}`);
    if (step?.kind !== 'waitFor' || step.target.kind !== 'condition') throw new Error('expected a condition wait');
    return step.target.condition;
  };

  it('maps `is`/`is not` to =/!= and bare words to text literals', () => {
    expect(conditionOf('account.segment is enterprise')).toEqual({ op: 'compare', cmp: '=', left: field('segment'), right: text('enterprise') });
    expect(conditionOf('account.status is not churned')).toMatchObject({ cmp: '!=' });
  });

  it('lowers yes/no words to yes/no literals', () => {
    expect(conditionOf('account.vip is no')).toMatchObject({ right: { op: 'lit', type: 'yes/no', value: false } });
    expect(conditionOf('account.vip = true')).toMatchObject({ right: { op: 'lit', type: 'yes/no', value: true } });
  });

  it('lowers logic, membership, date functions and literals', () => {
    expect(conditionOf('not (account.arr > 50000 and account.segment in [smb, mid-market]) or days until account.renewal_date < 30')).toEqual({
      op: 'or',
      left: {
        op: 'not',
        operand: {
          op: 'and',
          left: { op: 'compare', cmp: '>', left: field('arr'), right: { op: 'lit', type: 'number', value: 50000 } },
          right: { op: 'in', negated: false, left: field('segment'), list: [text('smb'), text('mid-market')] },
        },
      },
      right: {
        op: 'compare',
        cmp: '<',
        left: { op: 'daysUntil', operand: field('renewal_date') },
        right: { op: 'lit', type: 'number', value: 30 },
      },
    });
    expect(conditionOf('account.renewal_date < 2026-06-30')).toMatchObject({ right: { op: 'lit', type: 'date', value: '2026-06-30' } });
    expect(conditionOf('business days since account.renewal_date >= 0.5')).toMatchObject({
      left: { op: 'businessDaysSince', operand: field('renewal_date') },
      right: { op: 'lit', type: 'number', value: 0.5 },
    });
    expect(conditionOf('account.renewal_date <= today')).toMatchObject({ right: { op: 'today' } });
    expect(conditionOf('account.name = "Acme"')).toMatchObject({ right: text('Acme') });
  });
});

describe('lowering a program', () => {
  const files = {
    'calendars.playbook': [
      'calendar eu "EU days"',
      '  timezone account.timezone or "Europe/Berlin"',
      '  working days monday to thursday',
      '  working hours 08:00 to 16:00',
      '  holidays "DE"',
      '  holiday 2026-12-24 "Closed"',
      '',
      'calendar unused',
      '  working days monday, wednesday',
    ].join('\n'),
    'main.playbook': [
      'playbook parent "Parent"',
      '  owner "ops@example.com"',
      '  description "The parent"',
      '  trigger on event "account.created" where account.segment is enterprise',
      '  trigger 90 days before account.renewal_date',
      '  calendar eu',
      '  send window 09:00 to 17:00',
      '  exit when account.status is churned',
      '  email account.primary_contact template "welcome"',
      '  run playbook child',
      '',
      'playbook child',
      '  run playbook grandchild',
      '',
      'playbook grandchild',
      '  email account.primary_contact template "bye"',
      '',
      'playbook unrelated',
      '  email account.primary_contact template "other"',
    ].join('\n'),
  };
  const templates = { welcome: TEMPLATE, bye: 'Subject: Bye\n\nBye {account.name}\n', other: 'Subject: Other\n\nOther\n' };

  it('holds the entry, the playbooks it runs transitively, and only what they use', () => {
    const program = lowerFiles(files, 'parent', templates);
    expect(program.irVersion).toBe(1);
    expect(program.entry).toBe('parent');
    expect(Object.keys(program.playbooks)).toEqual(['child', 'grandchild', 'parent']);
    expect(Object.keys(program.calendars)).toEqual(['eu']);
    expect(Object.keys(program.templates)).toEqual(['bye', 'welcome']);
    expect(program.templates.welcome).toEqual({ subject: ['Welcome, ', field('name')], body: ['Hello from ', field('csm'), '.\n'] });
    expect(Object.keys(program.fields)).toContain('renewal_date');
    expect(program.fields.segment).toEqual({ type: 'one of', values: ['smb', 'mid-market', 'enterprise'] });
    expect(program.fields.vip).toEqual({ type: 'yes/no' });
  });

  it('lowers the header and the calendar', () => {
    const program = lowerFiles(files, 'parent', templates);
    const { body: _body, ...header } = program.playbooks.parent!;
    expect(header).toEqual({
      id: 'parent',
      title: 'Parent',
      file: 'main.playbook',
      line: 1,
      owner: 'ops@example.com',
      description: 'The parent',
      triggers: [
        { kind: 'event', name: 'account.created', where: { op: 'compare', cmp: '=', left: field('segment'), right: text('enterprise') } },
        { kind: 'relative', offset: { amount: 90, unit: 'day' }, direction: 'before', field: 'renewal_date', where: null },
      ],
      calendar: 'eu',
      sendWindow: { from: '09:00', to: '17:00' },
      exitWhen: [{ op: 'compare', cmp: '=', left: field('status'), right: text('churned') }],
    });
    expect(program.calendars.eu).toEqual({
      id: 'eu',
      title: 'EU days',
      timezone: [{ field: 'timezone' }, { zone: 'Europe/Berlin' }],
      workingDays: [1, 2, 3, 4],
      workingHours: { from: '08:00', to: '16:00' },
      holidayCountries: ['DE'],
      holidays: [{ date: '2026-12-24', name: 'Closed' }],
    });
  });

  it('lowers holidays from an account field as sources tried in order, beside the codes of lines without one', () => {
    const calendars = {
      'calendars.playbook': 'calendar c\n  holidays "US"\n  holidays account.name or "GB-ENG"\n  holidays account.name\n',
      'main.playbook': 'playbook p\n  calendar c\n  note "x"\n',
    };
    expect(lowerFiles(calendars, 'p').calendars.c).toMatchObject({
      holidayCountries: ['US'],
      holidaySources: [[{ field: 'name' }, { code: 'GB-ENG' }], [{ field: 'name' }]],
    });
  });

  it('gives a playbook without triggers the manual trigger and no calendar', () => {
    const program = lowerFiles(files, 'child', templates);
    expect(program.playbooks.child).toMatchObject({ triggers: [{ kind: 'manual' }], calendar: null, sendWindow: null, exitWhen: [] });
    expect(program.calendars).toEqual({});
  });

  it('lowers day lists and week-wrapping day ranges to ascending ISO weekdays', () => {
    const calendar = (days: string) =>
      lowerFiles({ 'main.playbook': `calendar c\n  working days ${days}\n\nplaybook p\n  calendar c\n  note "x"\n` }, 'p').calendars.c!.workingDays;
    expect(calendar('friday, monday, wednesday')).toEqual([1, 3, 5]);
    expect(calendar('friday to monday')).toEqual([1, 5, 6, 7]);
    expect(calendar('sunday to sunday')).toEqual([7]);
  });
});
