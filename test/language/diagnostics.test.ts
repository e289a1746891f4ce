import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/language/parse.js';
import { syntaxDiagnosticCodes } from '../../src/language/syntax-codes.js';

function diagnose(text: string): string[] {
  return parseSource(text, 'f.playbook').diagnostics.map((d) => `${d.span.start.line}:${d.span.start.col} ${d.code}`);
}

const pb = (body: string) => `playbook p\n${body.replace(/^/gm, '  ')}\n`;

/** One input per syntax code; each must produce exactly that code. */
const casesByCode: Record<keyof typeof syntaxDiagnosticCodes, string> = {
  PB1001: pb('note "x" @'),
  PB1002: pb('note "x'),
  PB1003: 'playbook p\n\tstop\n',
  PB1004: 'playbook p\n    stop\n  stop\n',
  PB1005: pb(`exit when ${'('.repeat(70)}account.a${')'.repeat(70)}`),
  PB1006: pb('note "a\\n"'),
  PB1007: pb('Stop'),
  PB1008: '  playbook p\n    stop\n',
  PB1010: pb('email account.csm "welcome"'),
  PB1011: pb('stage s "S"\n  stop'),
  PB1012: pb('note "x"\n  stop'),
  PB1013: pb('stage s "S":'),
  PB1014: pb('send window 9:00 to 17:00\nstop'),
  PB1015: 'calendar c\n  holiday 2026-02-30\n',
  PB1016: pb('wait 1.5 days'),
  PB1017: pb('stop\nowner "x"'),
  PB1018: pb('else:\n  stop'),
  PB1019: pb('emial account.csm template "x"'),
  PB1020: pb('note "hi {account.name"'),
  PB1021: pb('note "hi {}"'),
  PB1022: pb('note "x":'),
  PB1023: pb('task "t" for account.csm:\n  ask who "Who?" user'),
  PB1024: 'events\n  nps.responded: score\n',
  PB1025: pb('trigger on event "a" unless running b unless running c\nstop'),
  PB1040: pb('trigger every 3 days\nstop'),
  PB1041: pb('one run per ticket and ticket.id\nstop'),
  PB1042: pb('start at most 5 per week\nstop'),
  PB1060: pb('email account.a cc account.b cc account.c template "x"'),
  PB1070: 'contact policy\n  no more than 2 emails\n',
  PB1071: 'contact policy\n  at most 2 calls per contact per day\n',
  PB1072: 'contact policy\n  at most 2 emails per contact per day\n  when capped wait\n',
  PB1073: pb('email account.csm template "x" ignoring text policy'),
  PB1074: 'text policy\n  at most 2 emails per contact per day\n',
  PB1076: pb('wait for any of up to 3 days:\n  after 1 day:\n    stop'),
  PB1075: pb('task "T" for account.csm as t:\n  ask seats "Seats?" number default account.seats'),
  PB1077: pb('goal g "G" target 90%:\n  stage s within 3 days\n  stage t within 4 days\nstop'),
  PB1078: pb('goal g "G" target 90%:\n  task t created within 3 days\nstop'),
  PB1079: 'coverage c target 95%:\n  acounts where account.a is active\n  have run p\n',
  PB1080: 'coverage c target 95%:\n  accounts where account.a is active\n',
};

describe('syntax diagnostics', () => {
  for (const [code, text] of Object.entries(casesByCode)) {
    it(`${code} (${syntaxDiagnosticCodes[code as keyof typeof syntaxDiagnosticCodes]})`, () => {
      expect(diagnose(text).map((d) => d.split(' ')[1])).toEqual([code]);
    });
  }

  it('reports three independent errors with their line and column, and nothing else', () => {
    const text = pb(
      [
        'stage s "S":',
        '  wait 3 tomorrow',
        '  notify account.csm "ok"',
        '  emial account.csm template "x"',
        '  note "fine"',
        'escalate to account.csm severity urgent "x"',
        'stop',
      ].join('\n'),
    );
    expect(diagnose(text)).toEqual(['3:12 PB1010', '5:5 PB1019', '7:36 PB1010']);
  });

  it('words the main messages like a compiler', () => {
    const messages = parseSource(pb('wait 3 tomorrow\ntask "t" for account.csm due in soon\nemial x'), 'f').diagnostics.map((d) => d.message);
    expect(messages).toEqual([
      'expected a duration unit (`minutes`, `hours`, `days`, `weeks`, `months`, `quarters`, `years`, `business days` or `business hours`), found `tomorrow`',
      'expected a duration such as `3 business days`, found `soon`',
      'unknown step `emial`; did you mean `email`?',
    ]);
  });

  it('puts a missing-colon diagnostic at the end of the line with a hint', () => {
    const [d] = parseSource(pb('if account.a is b\n  stop'), 'f').diagnostics;
    expect([d?.code, d?.span.start.line, d?.span.start.col, d?.hint]).toEqual(['PB1011', 2, 20, 'add `:` at the end of the line']);
  });

  it('keeps the if of a broken condition for its else, without a follow-on error', () => {
    expect(diagnose(pb('if account.a is:\n  stop\nelse:\n  stop'))).toEqual(['2:18 PB1010']);
  });

  it('checks the blocks of wait for and task', () => {
    expect(diagnose(pb('wait for task t:\n  note "x"'))).toEqual(['3:5 PB1018']);
    expect(diagnose(pb('task "t" for account.csm:\n  note "x"'))).toEqual(['3:5 PB1018']);
    expect(diagnose(pb('after 1 day:\n  stop'))).toEqual(['2:3 PB1018']);
    expect(diagnose(pb('wait for task t:\n  on timeout:\n    stop\n  on timeout:\n    stop'))).toEqual(['5:5 PB1018']);
  });

  it('reports extra words at the end of a line once', () => {
    expect(diagnose(pb('note "a" "b" c d\nstop'))).toEqual(['2:12 PB1010']);
  });

  it('reports an unknown top-level line and keeps parsing the next declaration', () => {
    const result = parseSource('playbok p\n  stop\nplaybook q\n  stop\n', 'f');
    expect(result.diagnostics.map((d) => d.message)).toEqual(['unknown declaration `playbok`; did you mean `playbook`?']);
    expect(result.ast.declarations.map((d) => d.kind === 'playbook' && d.id.name)).toEqual(['q']);
  });
});
