import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/language/parse.js';

const fixture = readFileSync(new URL('../fixtures/all-constructs.playbook', import.meta.url), 'utf8');

/** A small deterministic PRNG so failures reproduce. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function codes(text: string): string[] {
  return parseSource(text, 'f.playbook').diagnostics.map((d) => d.code);
}

describe('parseSource never throws', () => {
  const cases: Record<string, string> = {
    'an empty file': '',
    'only blank lines and comments': '\n\n   # c\n\t\n',
    'NUL bytes': 'playbook p\n  note "a\0b"\n\0\0',
    'a lone colon': ':\n',
    'steps outside a playbook': 'note "x"\nelse:\n  stop\n',
    'a 1 MB line': `playbook p\n  note "${'x'.repeat(1 << 20)}"\n`,
    'a 1 MB line of garbage': '@'.repeat(1 << 20),
    'a lone backslash string': 'playbook p\n  note "\\',
    'brackets left open': 'playbook p\n  exit when (account.a in [b, (c\n',
    'a header with nothing after it': 'playbook',
    'a wait for with no target': 'playbook p\n  wait for\n  wait for event\n  wait until\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    it(`for ${name}`, () => {
      expect(() => parseSource(text, 'f')).not.toThrow();
    });
  }

  it('for binary garbage', () => {
    const next = random(7);
    const bytes = Array.from({ length: 50_000 }, () => String.fromCharCode(Math.floor(next() * 256))).join('');
    const result = parseSource(bytes, 'f');
    expect(result.diagnostics.length).toBeGreaterThan(0);
  });

  it('for hundreds of random edits of a valid file', () => {
    const next = random(42);
    const alphabet = ' \n\t:"{}()[]#.,=<>!\\abcxyz0123456789-';
    for (let round = 0; round < 300; round++) {
      let text = fixture;
      for (let edit = 0; edit < 5; edit++) {
        const at = Math.floor(next() * text.length);
        const cut = Math.floor(next() * 4);
        const insert = next() < 0.5 ? '' : (alphabet[Math.floor(next() * alphabet.length)] ?? '');
        text = text.slice(0, at) + insert + text.slice(at + cut);
      }
      expect(() => parseSource(text, 'f'), `round ${round}`).not.toThrow();
    }
  });
});

describe('parseSource limits nesting with one diagnostic', () => {
  it('10,000 nested blocks', () => {
    const text = `playbook p\n${Array.from({ length: 10_000 }, (_, i) => `${' '.repeat(i + 1)}if account.a:`).join('\n')}\n`;
    expect(codes(text)).toEqual(['PB1005']);
  });

  it('10,000 nested parentheses', () => {
    expect(codes(`playbook p\n  exit when ${'('.repeat(10_000)}account.a${')'.repeat(10_000)}\n`)).toEqual(['PB1005']);
  });

  it('a chain of 10,000 operators', () => {
    expect(codes(`playbook p\n  exit when ${'not '.repeat(10_000)}account.a\n`)).toEqual(['PB1005']);
    expect(codes(`playbook p\n  exit when ${Array(10_000).fill('account.a').join(' and ')}\n`)).toEqual(['PB1005']);
  });
});

describe('parseSource reads any line ending and a BOM', () => {
  const lf = 'playbook p "P"\n  note "a"\n  stop\n';

  it('CRLF gives the same declarations and lines as LF', () => {
    const crlf = parseSource(lf.replace(/\n/g, '\r\n'), 'f');
    expect(crlf.diagnostics).toEqual([]);
    const body = crlf.ast.declarations[0]?.kind === 'playbook' ? crlf.ast.declarations[0].body : [];
    expect(body.map((s) => [s.kind, s.span.start.line, s.span.start.col])).toEqual([
      ['note', 2, 3],
      ['stop', 3, 3],
    ]);
  });

  it('a UTF-8 BOM is skipped and positions start after it', () => {
    const result = parseSource(`\ufeff${lf}`, 'f');
    expect(result.diagnostics).toEqual([]);
    expect(result.ast.declarations[0]?.span.start).toEqual({ offset: 0, line: 1, col: 1 });
  });
});
