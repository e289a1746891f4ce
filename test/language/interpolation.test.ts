import { describe, expect, it } from 'vitest';
import { parseInterpolated } from '../../src/language/interpolation.js';

const origin = { offset: 100, line: 3, col: 1 };

describe('parseInterpolated (email templates)', () => {
  it('splits text and expressions and places each expression where it is in the file', () => {
    const { parts, diagnostics } = parseInterpolated('Hello {account.name},\nrenewal on {account.renewal_date}.', 'welcome.md', origin);
    expect(diagnostics).toEqual([]);
    expect(parts.map((p) => (p.kind === 'text' ? p.value : p.expr.kind))).toEqual(['Hello ', 'ref', ',\nrenewal on ', 'ref', '.']);
    const second = parts[3];
    expect(second?.kind === 'expr' && second.expr.span).toEqual({
      file: 'welcome.md',
      start: { offset: 134, line: 4, col: 13 },
      end: { offset: 154, line: 4, col: 33 },
    });
  });

  it('counts CRLF as one line break', () => {
    const { parts } = parseInterpolated('a\r\nb {account.x}', 't.md', origin);
    const e = parts[1];
    expect(e?.kind === 'expr' && e.expr.span.start).toEqual({ offset: 106, line: 4, col: 4 });
  });

  it('writes literal braces with a backslash and leaves other backslashes alone', () => {
    const { parts, diagnostics } = parseInterpolated('a \\{b\\} c\\d', 't.md', origin);
    expect(diagnostics).toEqual([]);
    expect(parts).toEqual([{ kind: 'text', value: 'a {b} c\\d' }]);
  });

  it('reports an unclosed brace at the brace, and keeps the text', () => {
    const { parts, diagnostics } = parseInterpolated('Hi {account.name\nnext', 't.md', origin);
    expect(diagnostics.map((d) => [d.code, d.span.start.line, d.span.start.col])).toEqual([['PB1020', 3, 4]]);
    expect(parts).toEqual([{ kind: 'text', value: 'Hi {account.name\nnext' }]);
  });

  it('reports a bad expression inside braces at its position', () => {
    const { diagnostics } = parseInterpolated('x {account.a is} y {}', 't.md', origin);
    expect(diagnostics.map((d) => [d.code, d.span.start.col])).toEqual([
      ['PB1010', 16],
      ['PB1021', 20],
    ]);
  });
});
